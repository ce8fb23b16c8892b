"""Exports of a device list: exactly the filtered rows, as CSV, XLSX or JSON lines.

CSV goes through :class:`schoon.csvout.CsvWriter` (cells safe from formulas; ``excel-nl`` for Dutch), XLSX
cells through :func:`schoon.safe.xlsx_text` like the report workbook.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook

from schoon.csvout import CsvWriter, dialect_for
from schoon.safe import xlsx_text

COLUMNS: tuple[str, ...] = (
    "id", "org_id", "site_key", "site_name", "sensitivity", "asset_id", "label", "model", "serial", "mac", "ip",
    "manufacturer_id", "group_id", "brand", "device_type", "confidence", "verdict", "state", "state_date",
    "replaced_by", "exempt_reason", "exempt_approver", "exempt_review", "first_seen", "last_seen",
)
FORMATS: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jsonl": "application/x-ndjson",
}


def record(row: Mapping[str, Any]) -> dict[str, Any]:
    """One device as an export record: the columns of :data:`COLUMNS`, in that order."""
    return {column: row.get(column) for column in COLUMNS}


def export(rows: Sequence[Mapping[str, Any]], fmt: str, lang: str) -> bytes:
    """The rows in ``fmt`` (``csv``, ``xlsx`` or ``jsonl``)."""
    if fmt == "jsonl":
        return "".join(json.dumps(record(r), ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = CsvWriter(out, dialect_for(lang))
        writer.row(COLUMNS)
        for row in rows:
            writer.row(record(row).values())
        return out.getvalue().encode("utf-8")
    if fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet("devices")
        sheet.append(list(COLUMNS))
        for row in rows:
            sheet.append([xlsx_text(v) if isinstance(v, str) else v for v in record(row).values()])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    raise ValueError(f"unknown export format {fmt!r}")
