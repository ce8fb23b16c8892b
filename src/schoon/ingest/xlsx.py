"""Excel workbooks (``.xlsx``), read row by row, streaming, with the costs of a hostile workbook bounded.

The first sheet is read unless a sheet is named (or numbered, from 1). The header is found like a CSV header
(:mod:`schoon.ingest.layout`: a title row above it is skipped; ``header_row`` says it outright) and mapped by
:mod:`schoon.ingest.headers`; ``row`` is the sheet row number; empty rows are skipped and counted. Cell values
become text: whole numbers without ``.0``, dates in ISO 8601 (a midnight datetime as a date). Formulas give
their cached value. A workbook that is not a regular file (stdin, a pipe) is read into memory first, up to
:data:`MAX_BUFFERED_BYTES` (a zip cannot be read front to back).

Before openpyxl opens anything, the zip directory is checked (:func:`check_archive`): at most
:data:`MAX_MEMBERS` parts, :data:`MAX_UNPACKED_BYTES` unpacked in all, no part that openpyxl loads whole
(shared strings, styles, the workbook) over :data:`MAX_LOADED_PART_BYTES`, and no large part compressed more
than :data:`MAX_RATIO` to 1 (a zip bomb). zipfile itself never unpacks more than a part's declared size. Rows
are read straight from the sheet's XML: a row number beyond Excel's 1,048,576 rows or a column beyond its
16,384 columns is refused, instead of openpyxl filling in a billion empty rows.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import CellCoordinatesException, InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser

from schoon.errors import DataError
from schoon.ingest.delimited import row_record
from schoon.ingest.headers import plan_columns
from schoon.ingest.layout import LOOKAHEAD_LINES, choose_header_row
from schoon.ingest.options import Layout, ReadLog, ReadOptions
from schoon.ingest.textio import Input
from schoon.ingest.types import Record, printable

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
MAX_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 2 * 1024**3
MAX_LOADED_PART_BYTES = 256 * 1024**2
MAX_RATIO = 200
RATIO_FROM_BYTES = 10 * 1024**2  # small parts may compress as well as they like
MAX_BUFFERED_BYTES = 256 * 1024**2

#: What openpyxl, zipfile and zlib raise on a broken workbook; each becomes one line naming the file.
XLSX_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError, IndexError, TypeError,
    AttributeError, InvalidFileException, CellCoordinatesException, SyntaxError, RecursionError,
    NotImplementedError, OverflowError,
)


def cell_text(value: object) -> str:
    """A cell value as the text a user sees (``80.0`` → ``80``, dates as ISO 8601, ``None`` → ``""``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()  # Excel has no date type: a date is a datetime at midnight
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def check_archive(handle: IO[bytes] | str, name: str) -> None:
    """Refuse a zip whose directory promises more than a register needs (see the module docstring)."""
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as err:
        raise DataError(f"not a readable .xlsx workbook: {err}", file=name) from None
    finally:
        if not isinstance(handle, str):
            handle.seek(0)
    if len(members) > MAX_MEMBERS:
        raise DataError(f"workbook has {len(members):,} parts (at most {MAX_MEMBERS:,}); refused", file=name)
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED_BYTES:
        raise DataError(f"workbook unpacks to {total:,} bytes (at most {MAX_UNPACKED_BYTES:,}); refused", file=name)
    for member in members:
        size = member.file_size
        if size > RATIO_FROM_BYTES and size > MAX_RATIO * max(member.compress_size, 1):
            ratio = size // max(member.compress_size, 1)
            raise DataError(f"workbook part {printable(member.filename)!r} is compressed {ratio:,} to 1 (at most "
                            f"{MAX_RATIO} to 1): a zip bomb? refused", file=name)
        if size > MAX_LOADED_PART_BYTES and "/worksheets/" not in member.filename:
            raise DataError(f"workbook part {printable(member.filename)!r} unpacks to {size:,} bytes (at most "
                            f"{MAX_LOADED_PART_BYTES:,} for a part read whole); refused", file=name)


def read_xlsx(source: Input, *, options: ReadOptions | None = None, log: ReadLog | None = None) -> Iterator[Record]:
    """Observations (and Rejects) from a workbook's first sheet, or from ``options.sheet``."""
    opts = options or ReadOptions()
    log = log if log is not None else ReadLog()
    handle: IO[bytes] | str
    if source.path is not None:
        handle = str(source.path)
    else:
        with source.opener() as stream:
            data = stream.read(MAX_BUFFERED_BYTES + 1)
        if len(data) > MAX_BUFFERED_BYTES:
            raise DataError(f"a workbook on a pipe or stdin is read into memory: at most {MAX_BUFFERED_BYTES:,} "
                            "bytes; give it as a file", file=source.name)
        handle = io.BytesIO(data)
    check_archive(handle, source.name)
    workbook = _open(handle, source.name)
    try:
        worksheet = _sheet(workbook, opts.sheet, source.name)
        yield from _rows(workbook, worksheet, source.name, opts, log)
    finally:
        workbook.close()


def _open(handle: IO[bytes] | str, name: str) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            return load_workbook(handle, read_only=True, data_only=True)
    except XLSX_ERRORS as err:
        raise DataError(f"not a readable .xlsx workbook: {type(err).__name__}: {printable(str(err))[:200]}",
                        file=name) from None


def _sheet(workbook: Any, sheet: str | None, name: str) -> Any:
    names: list[str] = list(workbook.sheetnames)
    if not names:
        raise DataError("the workbook has no sheets", file=name)
    if sheet is None:
        chosen = names[0]
    elif sheet in names:
        chosen = sheet
    elif sheet.isdigit() and 1 <= int(sheet) <= len(names):
        chosen = names[int(sheet) - 1]
    else:
        listed = ", ".join(printable(n) for n in names[:20]) + (" ..." if len(names) > 20 else "")
        raise DataError(f"no sheet {printable(sheet)!r}; sheets: {listed}", file=name)
    try:
        worksheet = workbook[chosen]
    except XLSX_ERRORS as err:
        raise DataError(f"cannot open sheet {printable(chosen)!r}: {printable(str(err))[:200]}", file=name) from None
    if not hasattr(worksheet, "_get_source"):
        raise DataError(f"sheet {printable(chosen)!r} is not a worksheet (a chart sheet?)", file=name)
    return worksheet


def _sheet_rows(workbook: Any, worksheet: Any, name: str) -> Iterator[tuple[int, list[str]]]:
    """(sheet row number, cell texts) for each non-empty row, straight from the sheet's XML, within Excel's limits."""
    count = 0
    with worksheet._get_source() as src:
        parser = WorkSheetParser(src, worksheet._shared_strings, data_only=workbook.data_only,
                                 epoch=workbook.epoch, date_formats=workbook._date_formats,
                                 timedelta_formats=workbook._timedelta_formats)
        parsed = parser.parse()
        while True:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about parts it does not read; not our reader's
                item = next(parsed, None)
            if item is None:
                break
            number, cells = item
            count += 1
            if number > EXCEL_MAX_ROWS or count > EXCEL_MAX_ROWS:
                raise DataError(f"row number {number:,} is beyond Excel's {EXCEL_MAX_ROWS:,} rows; refused",
                                file=name)
            if not cells:
                continue
            width = max(cell["column"] for cell in cells)
            if width > EXCEL_MAX_COLUMNS or min(cell["column"] for cell in cells) < 1:
                raise DataError(f"a cell in column {width:,} is beyond Excel's {EXCEL_MAX_COLUMNS:,} columns; "
                                "refused", file=name, line=number)
            texts = [""] * width
            for cell in cells:
                texts[cell["column"] - 1] = cell_text(cell["value"])
            yield number, texts


def _rows(workbook: Any, worksheet: Any, name: str, opts: ReadOptions, log: ReadLog) -> Iterator[Record]:
    rows = _sheet_rows(workbook, worksheet, name)
    last = 0
    try:
        ahead: list[tuple[int, list[str]]] = []
        for number, cells in rows:
            last = number
            if not any(cell.strip() for cell in cells):
                if opts.header_row is None or number < opts.header_row:
                    log.blank += 1
                continue
            if opts.header_row is not None:
                if number < opts.header_row:
                    log.above_header += 1
                    continue
                if number > opts.header_row:
                    raise DataError(f"--header-row {opts.header_row}: that row is empty", file=name,
                                    line=opts.header_row)
                ahead.append((number, cells))
                break
            ahead.append((number, cells))
            if len(ahead) >= LOOKAHEAD_LINES:
                break
        if not ahead:
            if opts.header_row is not None:
                raise DataError(f"--header-row {opts.header_row}: the sheet has fewer rows", file=name)
            raise DataError("empty sheet: no header row", file=name)
        index = 0 if opts.header_row is not None else choose_header_row([cells for _, cells in ahead])
        log.above_header += index
        log.headers += 1
        header_number, header = ahead[index]
        columns = plan_columns(header, column_map=opts.column_map, source=name, line=header_number)
        log.layout = Layout(header_number, tuple(columns), sheet=str(worksheet.title))
        for number, cells in itertools.chain(ahead[index + 1:], rows):
            last = number
            if not any(cell.strip() for cell in cells):
                log.blank += 1
                continue
            while cells and not cells[-1].strip():
                cells.pop()
            yield row_record(cells, columns, source=name, row=number, raw="\t".join(cells), log=log)
    except XLSX_ERRORS as err:
        raise DataError(f"cannot read the workbook after row {last:,}: {type(err).__name__}: "
                        f"{printable(str(err))[:200]}", file=name) from None
