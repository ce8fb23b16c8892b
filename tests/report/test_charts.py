"""The SVG charts: accessible, escaped, and scaled sensibly."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from schoon.report.charts import Series, bar_chart, nice_scale, time_chart


def test_bar_chart_is_accessible_and_escaped() -> None:
    svg = bar_chart([("<b>Hikvision</b>", 21), ("Dahua & co", 11)], chart_id="c1", title="By group <x>",
                    desc="Bars")
    root = ET.fromstring(str(svg))  # well-formed XML
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find("title").text == "By group <x>"
    assert "<b>" not in str(svg) and "&lt;b&gt;Hikvision" in str(svg)
    assert ">21<" in str(svg) and ">11<" in str(svg)


def test_bar_lengths_are_proportional() -> None:
    root = ET.fromstring(str(bar_chart([("a", 10), ("b", 5), ("c", 0)], chart_id="c", title="t", desc="d")))
    widths = [float(r.get("width")) for r in root.iter("rect")]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.2) and widths[2] == 0


def _days(*texts: str) -> list[dt.date]:
    return [dt.date.fromisoformat(t) for t in texts]


def test_line_chart_has_one_line_per_series_and_a_legend() -> None:
    svg = time_chart(_days("2026-03-31", "2026-07-15", "2026-11-28"),
                     [Series("flagged", [46, 43, 37]), Series("replaced", [0, 5, 12])],
                     chart_id="trend", title="Trend", desc="Lines", tick_label=str, point_label=str)
    root = ET.fromstring(str(svg))
    assert len(root.findall("polyline")) == 2
    assert {"flagged", "replaced"} <= {e.text for e in root.iter("text")}
    assert root.findall("polyline")[1].get("stroke-dasharray")  # told apart without colour


def test_single_point_and_empty_charts_do_not_fail() -> None:
    for chart_id, value in (("a", 3), ("b", 0)):
        ET.fromstring(str(time_chart(_days("2026-11-28"), [Series("x", [value])], chart_id=chart_id, title="t",
                                     desc="d", tick_label=str, point_label=str)))
    ET.fromstring(str(bar_chart([], chart_id="c", title="t", desc="d")))


def test_nice_scale() -> None:
    assert nice_scale(37) == (10, 40)
    assert nice_scale(46) == (20, 60)
    assert nice_scale(3) == (1, 3)
    assert nice_scale(0) == (1, 1)
