"""CSV (the device table, or the institutions when there are no devices) and JSON (the whole ``ReportData``).

CSV is for scripts and spreadsheets alike: headers are the stable field names, values the stable codes
(``in_use``, not "in gebruik"), lists joined with ``; ``, and text neutralised against formula injection
(:class:`schoon.csvout.CsvWriter`). A Dutch report is written for Dutch Excel (``;``, BOM, decimal comma) unless
another dialect is asked for.
"""

from __future__ import annotations

import io
import json
from dataclasses import fields
from typing import Any

from schoon.csvout import CsvDialect, CsvValue, CsvWriter, dialect_for
from schoon.report.model import Device, InstitutionRow, ReportData


def render_csv(data: ReportData, dialect: CsvDialect | str | None = None) -> str:
    """The devices as CSV, or the institutions when the report carries no devices.

    ``dialect`` defaults to the report's language: ``excel-nl`` for Dutch, ``standard`` otherwise.
    """
    rows: list[Any] = list(data.devices) if data.devices else list(data.by_institution)
    kind: type[Any] = Device if data.devices else InstitutionRow
    names = [f.name for f in fields(kind)]
    buffer = io.StringIO()
    writer = CsvWriter(buffer, dialect_for(data.language, dialect))
    writer.row(names)
    for row in rows:
        writer.row([_csv_value(getattr(row, name)) for name in names])
    return buffer.getvalue()


def _csv_value(value: object) -> CsvValue:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def render_json(data: ReportData) -> str:
    """``data.to_dict()`` as indented UTF-8 JSON (non-ASCII kept as is), ending in a newline."""
    return json.dumps(data.to_dict(), ensure_ascii=False, indent=2) + "\n"
