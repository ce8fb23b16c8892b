"""The tables of a report, described once and used by every renderer (HTML, XLSX, CSV).

A ``Table`` names its rows in ``ReportData`` and its columns: the field, the header label key and the kind of
value: ``text``, ``id``, ``int``, ``float``, ``date``, ``list``, ``basis`` (a list name, or the translated
human-rights-evidence row), ``term:<domain>`` (a coded value, translated), ``parent`` (in HTML, shown in small
print under the previous column) or ``flag`` (a yes/no; in HTML a note under the previous column when true).
``cells`` gives a table's rows as plain values in the report's language; renderers only format them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from schoon.report.i18n import t, term
from schoon.report.model import ReportData

Cell = str | int | float | bool | None


@dataclass(frozen=True)
class Column:
    """One column: the row attribute, its header label key, its kind, and whether only spreadsheets show it."""

    key: str
    kind: str = "text"
    detail: bool = False

    def label(self, lang: str) -> str:
        """The header in ``lang``."""
        return t(f"col.{self.key}", lang)


@dataclass(frozen=True)
class Table:
    """One section's table: its id (also the sheet label key), the ``ReportData`` attribute and its columns."""

    id: str
    attr: str
    columns: tuple[Column, ...]

    def rows(self, data: ReportData) -> Sequence[Any]:
        """The section's rows, in the order the report data gives them."""
        rows: Sequence[Any] = getattr(data, self.attr)
        return rows

    def visible(self, data: ReportData, *, spreadsheet: bool) -> tuple[Column, ...]:
        """The columns to show: spreadsheets get all; the HTML leaves out detail columns and all-empty ones."""
        if spreadsheet:
            return self.columns
        rows = self.rows(data)
        return tuple(c for c in self.columns if not c.detail
                     and (not rows or any(getattr(r, c.key) not in (None, "", []) for r in rows)))

    def cells(self, data: ReportData, columns: Sequence[Column] | None = None) -> list[list[Cell]]:
        """The rows as values in the report's language (terms translated, lists kept as lists of text)."""
        cols = self.columns if columns is None else columns
        return [[cell(column, row, data.language) for column in cols] for row in self.rows(data)]


def cell(column: Column, row: Any, lang: str) -> Cell:
    """One value of ``row`` for ``column``: a translated term, a joined list, or the value itself."""
    value = getattr(row, column.key)
    if value is None:
        return None
    if column.kind.startswith("term:"):
        return term(column.kind[5:], str(value), lang)
    if column.kind == "list":
        return "; ".join(str(v) for v in value)
    if column.kind == "basis":
        list_id = getattr(row, "list_id", "")
        return term("basis", list_id, lang) if list_id == "human-rights-evidence" and not value else str(value)
    result: Cell = value
    return result


C = Column
INSTITUTIONS = Table("institutions", "by_institution", (
    C("org_id", detail=True), C("org"), C("parent_org", "parent"), C("devices", "int"), C("flagged", "int"),
    C("in_use", "int"), C("scheduled", "int"), C("replaced", "int"), C("exempted", "int"), C("overdue", "int"),
    C("deadline", "date"),
))
SENSITIVITY = Table("sensitivity", "by_sensitivity", (C("sensitivity", "term:sensitivity"), C("flagged", "int")))
DEVICE_TYPES = Table("device_types", "by_device_type", (C("device_type", "term:device_type"), C("flagged", "int")))
GROUPS = Table("groups", "by_group", (C("group_id", detail=True), C("group"), C("flagged", "int")))
BASIS = Table("basis", "by_basis", (C("list_id", detail=True), C("list", "basis"), C("official"),
                                    C("flagged", "int")))
TREND = Table("trend", "trend", (
    C("snapshot_id", detail=True), C("date", "date"), C("org"), C("flagged", "int"), C("replaced", "int"),
    C("outstanding", "int"),
))
EXEMPTIONS = Table("exemptions", "exemptions", (
    C("device_id", "id"), C("org"), C("site"), C("group"), C("reason"), C("approver"), C("review_date", "date"),
    C("overdue_review", "flag"),
))
OVERDUE = Table("overdue", "overdue", (
    C("device_id", "id"), C("org"), C("site"), C("group"), C("device_type", "term:device_type"), C("deadline", "date"),
    C("days_overdue", "int"),
))
DISCREPANCIES = Table("discrepancies", "discrepancies", (
    C("org"), C("site"), C("kind", "term:discrepancy"), C("device_id", "id"), C("detail"),
))
LANDLORDS = Table("landlords", "landlord_cases", (C("org"), C("site"), C("owner"),
                                                  C("owner_kind", "term:owner_kind", detail=True),
                                                  C("device_count", "int")))
DEVICES = Table("devices", "devices", (
    C("device_id", "id"), C("store_id", detail=True), C("org"), C("site"), C("sensitivity", "term:sensitivity"),
    C("label"), C("brand"), C("model"),
    C("device_type", "term:device_type"), C("group_id", detail=True), C("group"), C("verdict", "term:verdict"),
    C("state", "term:state"), C("confidence", "float"), C("first_seen", "date"), C("last_seen", "date"),
    C("deadline", "date"), C("basis", "list"), C("evidence", "list"), C("sources", "list"),
    C("capabilities", "list"),
))
CAPABILITIES = Table("capabilities", "capabilities", (
    C("capability", "term:capability"), C("devices", "int"), C("institutions", "int"), C("from_documents", "int"),
    C("from_registry", "int"),
))

GROUP_BASIS = Table("group_basis", "group_basis", (
    C("group_id", detail=True), C("group"), C("makers", "list"), C("devices", "int"), C("basis", "list"),
))

#: Every table, in the order of the report (and of the spreadsheet's sheets after the summary).
TABLES: tuple[Table, ...] = (
    INSTITUTIONS, SENSITIVITY, DEVICE_TYPES, GROUPS, BASIS, TREND, EXEMPTIONS, OVERDUE, DISCREPANCIES, LANDLORDS,
    CAPABILITIES, DEVICES, GROUP_BASIS,
)
