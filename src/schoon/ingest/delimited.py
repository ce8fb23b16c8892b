"""Delimited text registers (``csv``) and procurement files (``procurement-csv``), read row by row.

The delimiter (tab, ``;``, ``,`` or ``|``) is sniffed from the header line, or taken from an Excel ``sep=;``
first line. The header is the first non-blank row; its cells are mapped onto canonical fields by
:mod:`schoon.ingest.headers`. Each later row becomes an Observation whose ``row`` is the physical line where
the row starts (a quoted cell may span lines), with the unmapped cells in ``extra``; a row that cannot be
read becomes a :class:`~schoon.ingest.types.Reject` and reading goes on. Blank rows (also ``;;;;``) are skipped.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator, Mapping

from schoon.errors import DataError
from schoon.ingest.detect import excel_sep_hint, sniff_delimiter
from schoon.ingest.headers import Column, plan_columns
from schoon.ingest.textio import Input, Line, iter_lines
from schoon.ingest.types import Record, cut, reject
from schoon.observation import Observation, ObservationError


class _Feed:
    """Hands physical lines to :mod:`csv`, counting them and keeping the current row's raw text."""

    def __init__(self, lines: Iterator[Line], count: int = 0) -> None:
        self._lines = lines
        self.count = count
        self.raw: list[str] = []
        self.overlong = False

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        self.raw.append(line.text)
        self.overlong = self.overlong or line.overlong
        return line.text

    def take(self) -> tuple[str, bool]:
        """The raw text of the lines read since the last call, and whether one of them was cut; then reset."""
        raw, overlong = "".join(self.raw), self.overlong
        self.raw, self.overlong = [], False
        return raw, overlong


def read_delimited(source: Input, *, procurement: bool = False,
                   column_map: Mapping[str, str] | None = None) -> Iterator[Record]:
    """Observations (and Rejects) from a delimited register, or from procurement lines when ``procurement``."""
    with source.opener() as stream:
        feed, delimiter = _start(iter_lines(stream, source.head), source.name)
        reader = csv.reader(feed, delimiter=delimiter, strict=True)
        columns: list[Column] | None = None
        while True:
            start = feed.count + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as err:
                raw, _ = feed.take()
                message = str(err)
                if "unexpected end of data" in message:
                    message = "unclosed quote: the cell runs to the end of the file"
                yield reject(source.name, start, f"malformed CSV row: {message}", raw)
                continue
            raw, overlong = feed.take()
            if not any(cell.strip() for cell in cells):
                continue
            if overlong:
                yield reject(source.name, start, "line too long; skipped", raw)
                continue
            if columns is None:
                columns = plan_columns(cells, procurement=procurement, column_map=column_map,
                                       source=source.name, line=start)
                continue
            yield row_record(cells, columns, source=source.name, row=start, raw=raw)
        if columns is None:
            raise DataError("no header row", file=source.name)


def _start(lines: Iterator[Line], name: str) -> tuple[_Feed, str]:
    """The feed and the delimiter, sniffed from the first non-blank line (an Excel ``sep=`` line is consumed)."""
    skipped: list[Line] = []
    for line in lines:
        if line.text.strip():
            break
        skipped.append(line)
    else:
        raise DataError("empty file", file=name)
    hint = excel_sep_hint(line.text)
    if hint is not None:
        return _Feed(lines, count=len(skipped) + 1), hint
    return _Feed(itertools.chain(skipped, [line], lines)), sniff_delimiter(line.text)


def row_record(cells: list[str], columns: list[Column], *, source: str, row: int, raw: str | None) -> Record:
    """One row as an Observation (mapped cells as fields, the others in ``extra``), or a Reject."""
    if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns):]):
        return reject(source, row, f"row has {len(cells)} cells, the header has {len(columns)}", raw)
    fields: dict[str, str] = {}
    extra: dict[str, str] = {}
    for column, cell in zip(columns, cells, strict=False):
        value = cell.strip()
        if not value:
            continue
        if column.field is None:
            extra[column.name] = cut(value)
        else:
            fields[column.field] = value
    try:
        return Observation.from_mapping(fields, source=source, row=row, extra=extra)
    except ObservationError as err:
        return reject(source, row, str(err), raw)
