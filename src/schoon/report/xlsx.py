"""The XLSX workbook: a summary sheet and one sheet per table, every text cell safe from formula injection."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from schoon.report import tables
from schoon.report.answer import answer_details, answer_sentence
from schoon.report.i18n import date, datetime, t
from schoon.report.model import ReportData
from schoon.report.safe import xlsx_text
from schoon.report.tables import Cell

XlsxValue = str | int | float | bool | dt.date | None
MAX_WIDTH = 60
DATE_FORMAT = "d mmmm yyyy"  # Excel writes the month in the reader's own language: 28 november 2026
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def render_xlsx(data: ReportData) -> bytes:
    """The workbook as bytes: Summary first, then the tables in report order (sheet names in the language)."""
    book = Workbook()
    summary = book.active
    assert summary is not None  # a new workbook always has one sheet
    summary.title = t("sheet.summary", data.language)
    _write(summary, [t("col.item", data.language), t("col.value", data.language)], _summary_rows(data))
    for table in tables.TABLES:
        sheet = book.create_sheet(t(f"sheet.{table.id}", data.language))
        columns = table.visible(data, spreadsheet=True)
        rows = [[_value(v, c.kind) for v, c in zip(row, columns, strict=True)] for row in table.cells(data, columns)]
        _write(sheet, [c.label(data.language) for c in columns], rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary_rows(data: ReportData) -> list[list[XlsxValue]]:
    lang = data.language
    tot = data.totals
    scope = data.scope
    period = (f"{date(scope.first_snapshot, lang)} – {date(scope.last_snapshot or data.as_of, lang)}"
              if scope.first_snapshot else None)
    rows: list[list[XlsxValue]] = [
        [t("kind." + data.kind, lang), data.title],
        [t("meta.as_of", lang), _value(data.as_of, "date")],
        [t("meta.generated_at", lang), datetime(data.generated_at, lang)],
        [t("meta.policy", lang), f"{data.policy.title} ({data.policy.id})"],
        [t("meta.registry_version", lang), data.registry_version],
        [t("meta.organisations", lang), "; ".join(scope.organisations)],
        [t("meta.sites", lang), scope.sites],
        [t("meta.snapshots", lang), scope.snapshots],
        [t("meta.period", lang), period],
        [t("section.answer", lang), answer_sentence(data)],
        [t("fig.devices", lang), tot.devices],
        [t("fig.flagged", lang), tot.flagged],
        [t("fig.clear", lang), tot.clear],
        [t("fig.unknown", lang), tot.unknown],
        [t("fig.in_use", lang), tot.in_use],
        [t("fig.scheduled", lang), tot.scheduled],
        [t("fig.replaced", lang), tot.replaced],
        [t("fig.exempted", lang), tot.exempted],
        [t("fig.overdue", lang), tot.overdue],
    ]
    rows[10:10] = [["", line] for line in answer_details(data)]
    if data.subtitle:
        rows.insert(1, ["", data.subtitle])
    rows += [[t("section.caveats", lang) if i == 0 else "", caveat] for i, caveat in enumerate(data.caveats)]
    return [[_value(v, "text") if isinstance(v, str) else v for v in row] for row in rows]


def _value(value: Cell, kind: str) -> XlsxValue:
    """A cell value for openpyxl: ISO dates as dates, numbers as numbers, text neutralised and with the
    characters XLSX cannot hold shown as escapes (:func:`schoon.safe.xlsx_text`)."""
    if isinstance(value, str):
        if kind == "date":
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        return xlsx_text(value)
    return value


def _write(sheet: Worksheet, headers: list[str], rows: list[list[XlsxValue]]) -> None:
    sheet.append([xlsx_text(h) for h in headers])
    for cell in sheet[1]:
        cell.font = BOLD
    widths = [len(h) for h in headers]
    for row in rows:
        sheet.append(row)
        for i, value in enumerate(row):
            shown = 17 if isinstance(value, dt.date) else len(str(value)) if value is not None else 0
            widths[i] = max(widths[i], shown)
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str) and len(cell.value) > MAX_WIDTH:
                cell.alignment = WRAP
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width, 6), MAX_WIDTH) + 2
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
