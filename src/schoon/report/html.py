"""The HTML report: one self-contained file (inline CSS and SVG, no scripts, no external resources).

The Jinja2 templates live in ``templates/`` and escape every value. The same HTML, with its print stylesheet,
is what ``pdf.py`` hands to WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import jinja2
from markupsafe import Markup

from schoon.report import charts, tables
from schoon.report.answer import answer_details, answer_sentence, institutions_using, subject
from schoon.report.i18n import date, datetime, decimal, month, number, t, term
from schoon.report.model import Device, GroupBasis, ReportData
from schoon.report.phrases import count
from schoon.report.tables import Cell, Column, Table

MAX_BARS = 20  # longer breakdowns show the largest rows and one "other" bar; the tables keep every row


@dataclass(frozen=True)
class RenderedTable:
    """A table ready for the template: headers, column kinds, and cells as (text, small line under it or None)."""

    id: str
    headers: list[str]
    kinds: list[str]
    rows: list[list[tuple[str, str | None]]]


@dataclass(frozen=True)
class AppendixGroup:
    """One group of the appendix: its basis (stated once) and its devices."""

    basis: GroupBasis
    devices: list[Device] = field(default_factory=list)


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment over the bundled templates, with autoescaping on for everything."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("schoon.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render_html(data: ReportData) -> str:
    """The report as one HTML document."""
    return environment().get_template("report.html").render(**context(data))


def context(data: ReportData) -> dict[str, Any]:
    """Everything the template uses, prepared here so the template holds layout only."""
    lang = data.language

    def label(key: str) -> str:
        return t(key, lang)

    def num(value: int | float) -> str:
        return number(value, lang)

    using, total = institutions_using(data)
    tot = data.totals
    figures = [
        ("fig.flagged", tot.flagged, "main"), ("fig.replaced", tot.replaced, "good"),
        ("fig.exempted", tot.exempted, ""), ("fig.overdue", tot.overdue, "bad" if tot.overdue else ""),
        ("fig.scheduled", tot.scheduled, ""), ("fig.in_use", tot.in_use, "bad" if tot.in_use else ""),
        ("fig.devices", tot.devices, ""), ("fig.unknown", tot.unknown, ""),
    ]
    return {
        "data": data,
        "lang": lang,
        "t": label,
        "num": num,
        "term": lambda domain, value: term(domain, value, lang),
        "date": lambda value: date(value, lang),
        "datetime": lambda value: datetime(value, lang),
        "decimal": lambda value: decimal(value, lang),
        "count": lambda n: count(n, lang),
        "short_sources": short_sources,
        "appendix": appendix_groups(data),
        "subject": subject(data),
        "answer": answer_sentence(data),
        "details": answer_details(data),
        "using": using,
        "institutions": total,
        "figures": [(label(key), num(value), css) for key, value, css in figures],
        "charts": _charts(data),
        "tables": {table.id: _rendered(table, data) for table in tables.TABLES},
        "source_href": source_href,
        "css_string": css_string,
        "show_devices": data.kind == "institution" and bool(data.devices),
    }


def appendix_groups(data: ReportData) -> list[AppendixGroup]:
    """The appendix devices under their group's basis, in the order of ``data.group_basis``.

    A flagged device belongs to its group; a device whose maker was not established to the group without id.
    Devices of a group the data does not list come last, under their group's name without a basis.
    """
    groups = {g.group_id: AppendixGroup(g) for g in data.group_basis}
    for d in data.devices:
        key = d.group_id if d.verdict == "flagged" else None
        if key not in groups:
            name = d.group or t("group.unidentified", data.language) if key else t("group.unidentified",
                                                                                    data.language)
            groups[key] = AppendixGroup(GroupBasis(key, name, 0))
        groups[key].devices.append(d)
    return [g for g in groups.values() if g.devices]


def short_sources(lines: Sequence[str]) -> list[tuple[str, str | None]]:
    """The sources of the latest snapshot as (file name and row, link or None): lines like ``register:
    path/file.csv:4 (2 maart 2026)`` become ``file.csv:4``; a web address stays whole and becomes a link."""
    suffix = re.compile(r" \(([^()]*)\)$")
    last = suffix.search(lines[-1]) if lines else None
    out: dict[str, str | None] = {}
    for line in lines:
        if last is not None and not line.endswith(last.group(0)):
            continue
        href = source_href(line)
        if href:
            out[line] = href
            continue
        where = suffix.sub("", line).split(": ", 1)[-1]
        out[PurePath(where).name or where] = None
    return list(out.items())


def source_href(source: str) -> str | None:
    """A source that is a web address becomes a link (a plain anchor, never a loaded resource); others stay text."""
    return source if source.startswith(("https://", "http://")) and " " not in source else None


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string that cannot end the string or the ``<style>`` element."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;-_·/()" else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{escaped}"')


def _format(value: Cell, kind: str, lang: str) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return t("note.yes" if value else "note.no", lang)
    if kind == "float" and isinstance(value, float):
        return decimal(value, lang)
    if kind == "date" and isinstance(value, str):
        return date(value, lang)
    if isinstance(value, int | float):
        return number(value, lang)
    return str(value)


def _rendered(table: Table, data: ReportData) -> RenderedTable:
    columns: Sequence[Column] = table.visible(data, spreadsheet=False)
    shown = [c for c in columns if c.kind not in ("parent", "flag")]
    rows: list[list[tuple[str, str | None]]] = []
    for values in table.cells(data, columns):
        row: list[tuple[str, str | None]] = []
        for value, column in zip(values, columns, strict=True):
            if column.kind == "parent" and row:  # a parent organisation goes under the name, in small print
                row[-1] = (row[-1][0], None if value is None else str(value))
            elif column.kind == "flag" and row:  # a true flag becomes a note under the previous value
                row[-1] = (row[-1][0], column.label(data.language).lower() if value else None)
            else:
                row.append((_format(value, column.kind, data.language), None))
        rows.append(row)
    return RenderedTable(
        id=table.id,
        headers=[c.label(data.language) for c in shown],
        kinds=["num" if c.kind in ("int", "float") else c.kind.split(":")[0] for c in shown],
        rows=rows,
    )


def _capped(items: list[tuple[str, int]], other: str) -> list[tuple[str, int]]:
    if len(items) <= MAX_BARS:
        return items
    ranked = sorted(items, key=lambda item: -item[1])
    rest = ranked[MAX_BARS - 1:]
    return [*ranked[: MAX_BARS - 1], (f"{other} ({len(rest)})", sum(v for _, v in rest))]


def _charts(data: ReportData) -> dict[str, Markup]:
    lang = data.language
    other = term("device_type", "other", lang)
    desc = t("chart.bar_desc", lang)
    out: dict[str, Markup] = {}

    def bars(chart_id: str, title_key: str, items: list[tuple[str, int]], width: float = 360) -> None:
        if items and any(v for _, v in items):
            out[chart_id] = charts.bar_chart(_capped(items, other), chart_id=f"chart-{chart_id}",
                                             title=t(title_key, lang), desc=desc, width=width,
                                             value_format=lambda v: number(v, lang))

    bars("institutions", "section.institutions", [(r.org, r.flagged) for r in data.by_institution], width=680)
    bars("sensitivity", "section.sensitivity",
         [(term("sensitivity", r.sensitivity, lang), r.flagged) for r in data.by_sensitivity])
    bars("device_types", "section.device_types",
         [(term("device_type", r.device_type, lang), r.flagged) for r in data.by_device_type])
    bars("groups", "section.groups", [(r.group, r.flagged) for r in data.by_group])
    basis_cells = tables.BASIS.cells(data, [c for c in tables.BASIS.columns if c.key == "list"])
    bars("basis", "section.basis",
         [(str(row[0]), r.flagged) for row, r in zip(basis_cells, data.by_basis, strict=True)])
    trend = _trend_by_date(data)
    if trend:
        dates = list(trend)
        series = [
            charts.Series(t("col.flagged", lang), [trend[d][0] for d in dates]),
            charts.Series(t("col.replaced", lang), [trend[d][1] for d in dates]),
            charts.Series(t("col.outstanding", lang), [trend[d][2] for d in dates]),
        ]
        out["trend"] = charts.time_chart(
            [dt.date.fromisoformat(d[:10]) for d in dates], series, chart_id="chart-trend",
            title=t("chart.trend", lang), desc=t("chart.trend_desc", lang), width=680,
            tick_label=lambda day: month(day, lang), point_label=lambda day: date(day, lang),
            value_format=lambda v: number(v, lang))
    return out


def _trend_by_date(data: ReportData) -> dict[str, tuple[int, int, int]]:
    """The trend line per date, in date order.

    Points without an organisation are totals and are shown as given (several on one date add up); points of one
    organisation carry that organisation's state forward, so each date shows the sum of every organisation's
    latest state and one organisation's import does not make the line jump.
    """
    by_date: dict[str, list[Any]] = {}
    for p in sorted(data.trend, key=lambda p: p.date):
        by_date.setdefault(p.date, []).append(p)
    latest: dict[str, tuple[int, int, int]] = {}
    sums: dict[str, tuple[int, int, int]] = {}
    for day, points in by_date.items():
        totals = [(p.flagged, p.replaced, p.outstanding) for p in points if p.org is None]
        for p in points:
            if p.org is not None:
                latest[p.org] = (p.flagged, p.replaced, p.outstanding)
        values = totals + list(latest.values())
        sums[day] = (sum(v[0] for v in values), sum(v[1] for v in values), sum(v[2] for v in values))
    return sums
