"""Small, dependency-free SVG charts: horizontal bars, and lines over categories or over a time axis.

Every chart is an ``<svg role="img">`` with ``<title>`` and ``<desc>`` referenced by ``aria-labelledby``, and
every value is also written as text, so the chart reads without colour. Lines differ by colour, dash pattern
and marker shape, so they stay apart on a black-and-white printout. All text is escaped.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
INK = "#1f2933"
GRID = "#d5dae1"
BAR = "#2c4a7a"
CHAR_WIDTH = 0.58  # average glyph width as a share of the font size, for laying out labels


@dataclass(frozen=True)
class Series:
    """One line of a line chart: its name (for the legend) and one value per category."""

    name: str
    values: Sequence[int | float]


#: (colour, dash pattern, marker) per line, in order.
LINE_STYLES: tuple[tuple[str, str, str], ...] = (
    ("#b2182b", "", "circle"),
    ("#1b7837", "7 4", "square"),
    ("#2c4a7a", "2 3", "triangle"),
    ("#8c510a", "10 3 2 3", "diamond"),
)


def nice_scale(maximum: float, steps: int = 4) -> tuple[float, float]:
    """A round step and top for an axis from 0 to ``maximum``: 37 → step 10, top 40."""
    if maximum <= 0:
        return 1.0, 1.0
    raw = maximum / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if maximum >= 1:
        step = max(step, 1.0)
    return step, math.ceil(maximum / step - 1e-9) * step


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _shorten(text: str, size: float, room: float) -> str:
    if _text_width(text, size) <= room:
        return text
    keep = max(1, int(room / (size * CHAR_WIDTH)) - 1)
    return text[:keep].rstrip() + "…"


def _frame(chart_id: str, title: str, desc: str, width: float, height: float, body: list[str]) -> Markup:
    head = (f'<svg role="img" class="chart" id="{escape(chart_id)}" '
            f'viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}" '
            f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
            f'font-family="{FONT}" font-size="12" fill="{INK}">'
            f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
            f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>')
    return Markup(head + "".join(body) + "</svg>")


def bar_chart(items: Sequence[tuple[str, int | float]], *, chart_id: str, title: str, desc: str,
              width: float = 640, bar_height: float = 20, gap: float = 8,
              value_format: Callable[[float], str] = _fmt) -> Markup:
    """A horizontal bar chart, one labelled bar per item with its value written at the bar's end."""
    size = 12.0
    labels = [label for label, _ in items]
    label_room = min(width * 0.5, max((_text_width(lb, size) for lb in labels), default=0) + 12)
    value_room = max((_text_width(value_format(v), size) for _, v in items), default=0) + 10
    plot = max(width - label_room - value_room, 40)
    top = 6.0
    height = top + len(items) * (bar_height + gap) + 4
    maximum = max((v for _, v in items), default=0)
    body: list[str] = []
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_height + gap)
        length = plot * value / maximum if maximum > 0 else 0
        mid = y + bar_height / 2 + size * 0.35
        shown = _shorten(label, size, label_room - 7)
        body.append(f'<text x="{label_room - 8:.1f}" y="{mid:.1f}" text-anchor="end">'
                    f"<title>{escape(label)}</title>{escape(shown)}</text>")
        body.append(f'<rect x="{label_room:.1f}" y="{y:.1f}" width="{max(length, 0):.1f}" height="{bar_height:g}" '
                    f'fill="{BAR}"><title>{escape(label)}: {escape(value_format(value))}</title></rect>')
        body.append(f'<text x="{label_room + length + 5:.1f}" y="{mid:.1f}" font-weight="bold">'
                    f"{escape(value_format(value))}</text>")
    body.append(f'<line x1="{label_room:.1f}" y1="{top - 3:.1f}" x2="{label_room:.1f}" y2="{height - 2:.1f}" '
                f'stroke="{INK}" stroke-width="1"/>')
    return _frame(chart_id, title, desc, width, height, body)


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}" '
                f'fill="{colour}"/>')
    if shape == "diamond":
        return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}" '
                f'fill="{colour}"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def month_ticks(first: dt.date, last: dt.date, room: float, min_gap: float = 70) -> list[dt.date]:
    """First days of months between ``first`` and ``last``, every 1, 2, 3, 6 or 12 months so that labels spaced
    proportionally over ``room`` pixels stay at least ``min_gap`` apart."""
    span = max((last - first).days, 1)
    start = dt.date(first.year, first.month, 1)
    if start < first:
        start = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    months = (last.year - start.year) * 12 + last.month - start.month + 1
    for step in (1, 2, 3, 6, 12, 24, 60):
        if room * 30.4 * step / span >= min_gap or step == 60:
            break
    ticks: list[dt.date] = []
    for i in range(0, max(months, 0), step):
        year, month0 = divmod(start.month - 1 + i, 12)
        day = dt.date(start.year + year, month0 + 1, 1)
        if first <= day <= last:
            ticks.append(day)
    return ticks


def time_chart(dates: Sequence[dt.date], series: Sequence[Series], *, chart_id: str, title: str, desc: str,
               tick_label: Callable[[dt.date], str], point_label: Callable[[dt.date], str],
               value_format: Callable[[float], str] = _fmt, width: float = 640, height: float = 250) -> Markup:
    """A line chart over a time axis: points placed by date (proportionally), months labelled below the axis.

    With fewer than two month starts in the period, the points' own dates are labelled instead.
    """
    size = 12.0
    left, right, top, bottom = 44.0, 56.0, 34.0, 30.0
    plot_w, plot_h = width - left - right, height - top - bottom
    maximum = max((v for s in series for v in s.values), default=0)
    step, ceiling = nice_scale(maximum)
    first, last = (min(dates), max(dates)) if dates else (dt.date.today(), dt.date.today())
    span = (last - first).days

    def x_at(day: dt.date) -> float:
        return left + (plot_w / 2 if span == 0 else plot_w * (day - first).days / span)

    def y_at(v: float) -> float:
        return top + plot_h - plot_h * v / ceiling

    body: list[str] = []
    tick = 0.0
    while tick <= ceiling + 1e-9:
        y = y_at(tick)
        body.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="{GRID}" '
                    f'stroke-width="1"/>')
        body.append(f'<text x="{left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end">{escape(value_format(tick))}</text>')
        tick += step
    ticks = month_ticks(first, last, plot_w) if span else []
    labelled = [(day, tick_label(day)) for day in ticks] if len(ticks) >= 2 else \
        [(day, point_label(day)) for day in sorted(set(dates))]
    last_x = -1e9
    for day, text in labelled:
        x = x_at(day)
        if x - last_x < _text_width(text, size) * 0.9 and labelled[0][0] != day:
            continue
        last_x = x
        body.append(f'<line class="tick" x1="{x:.1f}" y1="{top + plot_h:.1f}" x2="{x:.1f}" y2="{top + plot_h + 5:.1f}" '
                    f'stroke="{INK}" stroke-width="1"/>')
        body.append(f'<text class="tick-label" x="{x:.1f}" y="{top + plot_h + 18:.1f}" text-anchor="middle">'
                    f"{escape(text)}</text>")
    legend_x = left
    for s_index, s in enumerate(series):
        colour, dash, shape = LINE_STYLES[s_index % len(LINE_STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        points = [(x_at(day), y_at(v)) for day, v in zip(dates, s.values, strict=False)]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
        for (x, y), value, day in zip(points, s.values, dates, strict=False):
            body.append(f"<g><title>{escape(s.name)}, {escape(point_label(day))}: {escape(value_format(value))}"
                        f"</title>{_marker(shape, x, y, colour)}</g>")
        if points:
            x, y = points[-1]
            body.append(f'<text x="{x + 8:.1f}" y="{y + 4:.1f}" font-weight="bold" fill="{colour}">'
                        f"{escape(value_format(s.values[-1]))}</text>")
        body.append(f'<line x1="{legend_x:.1f}" y1="14" x2="{legend_x + 26:.1f}" y2="14" stroke="{colour}" '
                    f'stroke-width="2.5"{dash_attr}/>{_marker(shape, legend_x + 13, 14, colour)}')
        body.append(f'<text x="{legend_x + 32:.1f}" y="18">{escape(s.name)}</text>')
        legend_x += 32 + _text_width(s.name, size) + 22
    body.append(f'<line x1="{left:.1f}" y1="{top + plot_h:.1f}" x2="{left + plot_w:.1f}" y2="{top + plot_h:.1f}" '
                f'stroke="{INK}" stroke-width="1"/>')
    return _frame(chart_id, title, desc, width, height, body)
