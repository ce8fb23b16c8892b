"""CSV (the device table, or the institutions when there are no devices) and JSON (the whole ``ReportData``).

CSV is for scripts and spreadsheets alike: headers are the stable field names, values the stable codes
(``in_use``, not "in gebruik"), lists joined with ``; ``, and text neutralised against formula injection.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import fields
from typing import Any

from schoon.report.model import Device, InstitutionRow, ReportData
from schoon.report.safe import neutralise


def render_csv(data: ReportData) -> str:
    """The devices as CSV, or the institutions when the report carries no devices."""
    rows: list[Any] = list(data.devices) if data.devices else list(data.by_institution)
    kind: type[Any] = Device if data.devices else InstitutionRow
    names = [f.name for f in fields(kind)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_csv_value(getattr(row, name)) for name in names])
    return buffer.getvalue()


def _csv_value(value: object) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list):
        return neutralise("; ".join(str(v) for v in value))
    return neutralise(str(value))


def render_json(data: ReportData) -> str:
    """``data.to_dict()`` as indented UTF-8 JSON (non-ASCII kept as is), ending in a newline."""
    return json.dumps(data.to_dict(), ensure_ascii=False, indent=2) + "\n"
