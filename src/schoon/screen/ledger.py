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


@dataclass(slots=True)
class LedgerRow:
    """One row: its place, the name to screen (None when the row has none), its own columns, or why it was
    rejected. (Not frozen: a frozen dataclass costs several times more to build, and a ledger has millions.)"""

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


def _pick_name(supplier: str | None, extra: dict[str, str], name_columns: list[str] | None = None) -> str | None:
    """The supplier field, or the first name column, whose value has a letter; else the first value there is.
    ``name_columns``: the row's name columns when the caller already knows them (the same for every row of a
    file with one header)."""
    if _is_name(supplier):
        return supplier  # the common case: no need to look at the other columns
    columns = _name_columns(extra) if name_columns is None else name_columns
    candidates = [supplier, *(extra.get(c) for c in columns)]
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
    from schoon.observation import Observation

    first = True
    wanted = header_key(column) if column else None
    # a file's rows share their header: its name columns are worked out once per set of column names
    by_header: dict[tuple[str, ...], tuple[list[str], str | None]] = {}
    for item in records:
        if isinstance(item, Reject):
            yield LedgerRow(item.source, item.row, None, {"raw": item.raw} if item.raw else {}, item.message)
            continue
        assert isinstance(item, Observation)
        extra = item.extra
        header = tuple(extra)
        known = by_header.get(header)
        if known is None:
            match = next((k for k in extra if header_key(k) == wanted), None) if wanted is not None else None
            known = by_header[header] = (_name_columns(extra), match)
        evidence = item.to_dict()
        columns: dict[str, object] = {**evidence, **extra} if evidence else dict(extra)
        source = item.source or "-"
        if wanted is not None:
            name = extra.get(known[1]) if known[1] else None
        else:
            name = _pick_name(item.supplier, extra, known[0])
            if name is None and first and item.supplier is None and not known[0] and extra and not evidence:
                raise DataError("no name column (supplier, name, naam, leverancier, crediteurnaam, counterparty, "
                                f"company ...); use --column, one of: {', '.join(extra)}", file=source,
                                line=item.row)
        first = False
        yield LedgerRow(source, item.row, name if name is None or name.strip() else None, columns)
