"""Read the names of a ledger (CSV, procurement CSV, XLSX, JSON lines; '-' is stdin) through schoon.ingest.

Which column is the name: ``column`` when given (kept under its own header); otherwise the supplier column
that ingest recognises (``Leverancier``, ``Supplier``, ``Crediteur``, ``Vendor`` on a procurement line ...),
else the first column named like :data:`NAME_COLUMNS` (name, naam, supplier, leverancier, crediteurnaam,
creditor, counterparty, tegenpartij, company, bedrijf ...). A value without a single letter (a creditor number
in ``Crediteur`` next to ``Crediteurnaam``) is not a name: the next name column with letters is used. Only the
name column is needed. Each row keeps its own columns (``input``): the cells ingest maps onto canonical fields
under the field's name (``supplier``), every other column under its own header. Rows ingest cannot read come
back as rejected rows with their file and line: nothing is lost.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from schoon.errors import DataError
from schoon.ingest import ReadLog, ReadOptions, Reject, read
from schoon.ingest.headers import KEEP_IN_EXTRA, header_key

NAME_COLUMNS: tuple[str, ...] = (
    # explicit names first: in an ERP export "Crediteur" is often the creditor number beside "Crediteurnaam"
    "crediteurnaam", "naam crediteur", "crediteur naam", "crediteurennaam", "leveranciersnaam",
    "naam leverancier", "leverancier naam", "supplier name", "vendor name", "creditor name", "payee name",
    "company name", "bedrijfsnaam", "counterparty name", "tegenpartijnaam", "relatienaam", "naam relatie",
    "organisatienaam", "handelsnaam", "trade name", "naam begunstigde", "beneficiary name",
    "name", "naam", "supplier", "leverancier", "crediteur", "creditor", "vendor", "payee", "begunstigde",
    "beneficiary", "counterparty", "tegenpartij", "company", "bedrijf", "relatie", "opdrachtnemer", "contractor",
    "organisation", "organization", "organisatie", "party", "partij",
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


def _name_columns(extra: dict[str, str]) -> list[str]:
    """The row's columns named like a name column, most explicit first."""
    keys = {header_key(k): k for k in extra}
    return [keys[key] for key in _NAME_KEYS if key in keys]


def _is_name(value: str | None) -> bool:
    return value is not None and any(ch.isalpha() for ch in value)


def _pick_name(supplier: str | None, extra: dict[str, str]) -> str | None:
    """The supplier field, or the first name column, whose value has a letter; else the first value there is."""
    candidates = [supplier, *(extra.get(c) for c in _name_columns(extra))]
    named = next((c for c in candidates if _is_name(c)), None)
    return named if named is not None else next((c for c in candidates if c is not None and c.strip()), None)


def read_ledger(path: str | Path, *, column: str | None = None, input_format: str | None = None,
                stdin: BinaryIO | None = None, options: ReadOptions | None = None,
                log: ReadLog | None = None) -> Iterator[LedgerRow]:
    """Rows of a ledger with the name to screen, in input order, streaming (see the module docstring).

    ``options`` are the reader options (sheet, header row, delimiter, encoding ...); ``log`` counts the rows
    and receives dropped cells. Raises :class:`DataError` for an unreadable input, a ``column`` the header
    lacks, or (without ``column``) a first row with no name column at all."""
    opts = options or ReadOptions()
    mapping = dict(opts.column_map or {})
    if column:
        mapping[column] = KEEP_IN_EXTRA
    opts = dataclasses.replace(opts, input_format=input_format or opts.input_format, column_map=mapping or None)
    records = read(path, opts, log=log, stdin=stdin)
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
            name = _pick_name(item.supplier, item.extra)
            if name is None and first and item.supplier is None and not _name_columns(item.extra) \
                    and item.extra and not item.to_dict():
                raise DataError("no name column (supplier, name, naam, leverancier, crediteurnaam, counterparty, "
                                f"company ...); use --column, one of: {', '.join(item.extra)}", file=source,
                                line=item.row)
        first = False
        yield LedgerRow(source, item.row, name if name is None or name.strip() else None, columns)
