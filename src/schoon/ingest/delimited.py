"""Delimited text registers (``csv``) and procurement files (``procurement-csv``), read row by row.

The header line and its delimiter (tab, ``;``, ``,`` or ``|``) are found in the first lines of the file
(:mod:`schoon.ingest.layout`: a title row above the header is skipped; Excel's ``sep=;`` first line is
honoured), unless ``header_row`` and ``delimiter`` say them. Header cells are mapped onto canonical fields by
:mod:`schoon.ingest.headers`. Each later row becomes an Observation whose ``row`` is the physical line where
the row starts (a quoted cell may span lines), with the unmapped cells in ``extra``; a cell that cannot be
read (an invalid MAC or address) is dropped with a warning and the rest of the row is used
(:mod:`schoon.ingest.cells`); a row that cannot be read at all becomes a
:class:`~schoon.ingest.types.Reject` and reading goes on. Blank rows (also ``;;;;``) are skipped and counted.

A quoted cell longer than the csv module's field limit is rejected, and reading resumes after the cell's
closing quote, so the rows after it are read as rows (the csv module alone would read the rest of the cell
as rows and swallow the rows after it).
"""

from __future__ import annotations

import contextlib
import csv
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from schoon.errors import DataError
from schoon.ingest.cells import build_record
from schoon.ingest.detect import excel_sep_hint, sniff_delimiter, split_line
from schoon.ingest.headers import Column, plan_columns
from schoon.ingest.layout import LOOKAHEAD_CHARS, LOOKAHEAD_LINES, choose_header, mixed_delimiters
from schoon.ingest.options import Layout, ReadLog, ReadOptions
from schoon.ingest.textio import Input, Line, iter_lines
from schoon.ingest.types import MAX_RAW_CHARS, Record, cut, reject

_KEPT_RAW = MAX_RAW_CHARS + 2  # raw text kept per row: what a Reject shows, never a whole huge cell


class _Feed:
    """Hands physical lines to :mod:`csv`, counting them, keeping the start of the current row's raw text and
    the parity of its quotes (to find where an over-long quoted cell ends)."""

    def __init__(self, lines: Iterator[Line], count: int = 0) -> None:
        self._lines = lines
        self.count = count
        self.raw: list[str] = []
        self.raw_chars = 0
        self.quotes = 0
        self.overlong = False

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        if self.raw_chars < _KEPT_RAW:
            self.raw.append(line.text[:_KEPT_RAW])
            self.raw_chars += len(self.raw[-1])
        self.quotes += line.text.count('"')
        self.overlong = self.overlong or line.overlong
        return line.text

    def skip_open_cell(self) -> int:
        """Read on to the line that closes a quoted cell left open (odd quotes so far); return lines read."""
        skipped = 0
        while self.quotes % 2:
            try:
                next(self)
            except StopIteration:
                break
            skipped += 1
        return skipped

    def take(self) -> tuple[str, bool]:
        """The raw text of the lines read since the last call, and whether one of them was cut; then reset."""
        raw, overlong = "".join(self.raw), self.overlong
        self.raw, self.raw_chars, self.quotes, self.overlong = [], 0, 0, False
        return raw, overlong


@dataclass
class _Start:
    """Where the data begins: the feed (positioned after the header), the delimiter and the header's cells."""

    feed: _Feed
    delimiter: str
    header: list[str]
    line: int


def read_delimited(source: Input, *, procurement: bool = False, options: ReadOptions | None = None,
                   log: ReadLog | None = None) -> Iterator[Record]:
    """Observations (and Rejects) from a delimited register, or from procurement lines when ``procurement``."""
    opts = options or ReadOptions()
    log = log if log is not None else ReadLog()
    with source.opener() as stream, contextlib.closing(iter_lines(stream, source.head, source.encoding)) as lines:
        start = _start(lines, source.name, opts, log)
        columns = plan_columns(start.header, procurement=procurement, column_map=opts.column_map,
                               source=source.name, line=start.line)
        log.layout = Layout(start.line, tuple(columns), delimiter=start.delimiter)
        feed = start.feed
        reader = csv.reader(feed, delimiter=start.delimiter, strict=True)
        while True:
            first = feed.count + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as err:
                yield _bad_row(feed, str(err), source.name, first)
                continue
            raw, overlong = feed.take()
            if not any(cell.strip() for cell in cells):
                log.blank += 1
                continue
            if overlong:
                yield reject(source.name, first, "line too long; skipped", raw)
                continue
            yield row_record(cells, columns, source=source.name, row=first, raw=raw, log=log, decoded=True)


def _bad_row(feed: _Feed, message: str, source: str, first: int) -> Record:
    if "field larger than field limit" in message:
        skipped = feed.skip_open_cell()
        raw, _ = feed.take()
        more = f" (the cell spans {skipped + 1} lines; reading resumes after it)" if skipped else ""
        return reject(source, first, f"a cell longer than {csv.field_size_limit():,} characters{more}; row "
                      "skipped", raw)
    raw, _ = feed.take()
    if "unexpected end of data" in message:
        message = "unclosed quote: the cell runs to the end of the file"
    return reject(source, first, f"malformed CSV row: {message}", raw)


def _start(lines: Iterator[Line], name: str, opts: ReadOptions, log: ReadLog) -> _Start:
    """Find the header (see :mod:`schoon.ingest.layout`), count the lines above it, and position the feed."""
    if opts.header_row is not None:
        return _start_at(lines, name, opts, log)
    ahead: list[Line] = []
    chars = 0
    for line in lines:
        ahead.append(line)
        chars += len(line.text)
        if line.overlong or chars > LOOKAHEAD_CHARS or sum(1 for a in ahead if a.text.strip()) > LOOKAHEAD_LINES:
            break
    numbered = [(n, line) for n, line in enumerate(ahead, start=1) if line.text.strip() and not line.overlong]
    if not numbered:
        raise DataError("empty file" if not any(a.text.strip() for a in ahead) else "no header row", file=name)
    delimiter = opts.delimiter
    hint = excel_sep_hint(numbered[0][1].text)
    if hint is not None:
        delimiter = delimiter or hint
        numbered = numbered[1:]
        if not numbered:
            raise DataError("no header row after the 'sep=' line", file=name)
    index, delimiter = choose_header([line.text for _, line in numbered], delimiter)
    number, header_line = numbered[index]
    above = ahead[: number - 1]
    log.above_header += sum(1 for line in above if line.text.strip())
    log.blank += sum(1 for line in above if not line.text.strip())
    log.headers += 1
    header = split_line(header_line.text, delimiter) if '"' not in header_line.text else None
    rest = itertools.chain(ahead[number:], lines)
    if header is None:  # a quoted header may span lines: let csv read it
        feed = _Feed(itertools.chain([header_line], rest), count=number - 1)
        header = next(csv.reader(feed, delimiter=delimiter), [])
        feed.take()
    else:
        feed = _Feed(rest, count=number)
    _check_mixed(header, delimiter, [line.text for line in ahead[number:]], opts, name, number)
    return _Start(feed, delimiter, header, number)


def _start_at(lines: Iterator[Line], name: str, opts: ReadOptions, log: ReadLog) -> _Start:
    """The header at the line ``opts.header_row`` says; the lines above it are skipped and counted."""
    wanted = opts.header_row or 1
    for number, line in enumerate(lines, start=1):
        if number < wanted:
            if line.text.strip():
                log.above_header += 1
            else:
                log.blank += 1
            continue
        if not line.text.strip():
            raise DataError(f"--header-row {wanted}: that line is blank", file=name, line=wanted)
        delimiter = opts.delimiter or sniff_delimiter(line.text)
        log.headers += 1
        feed = _Feed(itertools.chain([line], lines), count=number - 1)
        header = next(csv.reader(feed, delimiter=delimiter), [])
        feed.take()
        return _Start(feed, delimiter, header, number)
    raise DataError(f"--header-row {wanted}: the file has fewer lines", file=name)


def _check_mixed(header: Sequence[str], delimiter: str, below: Sequence[str], opts: ReadOptions, name: str,
                 line: int) -> None:
    if opts.delimiter is not None:
        return
    other = mixed_delimiters(header, delimiter, below)
    if other is not None:
        raise DataError(f"the header is separated by {delimiter!r} but the rows below it by {other!r}; fix the "
                        f"file or give --delimiter", file=name, line=line)


def row_record(cells: list[str], columns: list[Column], *, source: str, row: int, raw: str | None,
               log: ReadLog | None = None, decoded: bool = False) -> Record:
    """One row as an Observation (mapped cells as fields, the others in ``extra``), or a Reject.

    An invalid cell is dropped with a warning to ``log`` and the rest of the row is used. ``decoded`` says the
    cells were decoded from bytes here (so they cannot hold a lone surrogate).
    """
    if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns):]):
        return reject(source, row, f"row has {len(cells)} cells, the header has {len(columns)}", raw)
    fields: dict[str, tuple[str, object]] = {}
    extra: dict[str, str] = {}
    for column, cell in zip(columns, cells, strict=False):
        value = cell.strip()
        if not value:
            continue
        if column.field is None:
            extra[column.name] = cut(value)
        else:
            fields[column.field] = (column.name, value)
    return build_record(fields, extra, source=source, row=row, raw=raw, log=log, unicode_checked=decoded)
