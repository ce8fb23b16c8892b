"""Read the names of a ledger (CSV, procurement CSV, XLSX, JSON lines; '-' is stdin) through schoon.ingest.

Which column is the name: ``column`` when given (kept under its own header); otherwise the supplier column
that ingest recognises (``Leverancier``, ``Supplier``, ``Crediteur``, ``Vendor`` on a procurement line ...),
else the first column named like :data:`NAME_COLUMNS` (name, naam, supplier, leverancier, counterparty,
tegenpartij, company, bedrijf ...). Each row keeps its own columns (``input``): the cells ingest maps onto
canonical fields under the field's name (``supplier``), every other column under its own header.
Rows ingest cannot read come back as rejected rows with their file and line: nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from schoon.errors import DataError
from schoon.ingest import Reject, read
from schoon.ingest.headers import KEEP_IN_EXTRA, header_key

NAME_COLUMNS: tuple[str, ...] = (
    "name", "naam", "supplier", "leverancier", "counterparty", "tegenpartij", "company", "bedrijf",
    "company name", "bedrijfsnaam", "supplier name", "leveranciersnaam", "counterparty name", "tegenpartijnaam",
    "organisation", "organization", "organisatie", "vendor", "vendor name", "party", "partij",
)
_NAME_KEYS = tuple(header_key(c) for c in NAME_COLUMNS)


@dataclass(frozen=True)
class LedgerRow:
    """One row: its place, the name to screen (None when the row has none), its own columns, or why it was
    rejected."""

    source: str
    line: int | None
    name: str | None
    columns: dict[str, object] = field(default_factory=dict)
    rejected: str | None = None


def _name_column(extra: dict[str, str]) -> str | None:
    keys = {header_key(k): k for k in extra}
    for key in _NAME_KEYS:
        if key in keys:
            return keys[key]
    return None


def read_ledger(path: str | Path, *, column: str | None = None, input_format: str | None = None,
                stdin: BinaryIO | None = None) -> Iterator[LedgerRow]:
    """Rows of a ledger with the name to screen, in input order, streaming (see the module docstring).

    Raises :class:`DataError` for an unreadable input, a ``column`` the header lacks, or (without ``column``)
    a first row with no name column at all."""
    records = read(path, input_format=input_format, column_map={column: KEEP_IN_EXTRA} if column else None,
                   stdin=stdin)
    return _rows(records, column)


def _rows(records: Iterator[object], column: str | None) -> Iterator[LedgerRow]:
    first = True
    wanted = header_key(column) if column else None
    for item in records:
        if isinstance(item, Reject):
            yield LedgerRow(item.source, item.row, None, {"raw": item.raw} if item.raw else {}, item.message)
            continue
        from schoon.observation import Observation

        assert isinstance(item, Observation)
        columns: dict[str, object] = {**item.to_dict(), **item.extra}
        source = item.source or "-"
        if wanted is not None:
            match = next((k for k in item.extra if header_key(k) == wanted), None)
            name = item.extra.get(match) if match else None
        else:
            name = item.supplier
            if name is None:
                chosen = _name_column(item.extra)
                name = item.extra.get(chosen) if chosen else None
                if name is None and first and item.extra and not item.to_dict():
                    raise DataError("no name column (supplier, name, naam, leverancier, counterparty, company ...); "
                                    f"use --column, one of: {', '.join(item.extra)}", file=source, line=item.row)
        first = False
        yield LedgerRow(source, item.row, name if name is None or name.strip() else None, columns)
