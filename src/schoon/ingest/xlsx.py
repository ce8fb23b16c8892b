"""Excel workbooks (``.xlsx``), read row by row through openpyxl's read-only mode.

The first sheet is read unless a sheet name is given. The header is the first non-empty row and is mapped like a
CSV header (:mod:`schoon.ingest.headers`); ``row`` is the sheet row number; empty rows are skipped. Cell values
become text: whole numbers without ``.0``, dates in ISO 8601 (a midnight datetime as a date). Formulas give their
cached value. A workbook on stdin is read into memory first (a zip cannot be read front to back).
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from schoon.errors import DataError
from schoon.ingest.delimited import row_record
from schoon.ingest.headers import Column, plan_columns
from schoon.ingest.textio import Input
from schoon.ingest.types import Record


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


def read_xlsx(source: Input, *, column_map: Mapping[str, str] | None = None,
              sheet: str | None = None) -> Iterator[Record]:
    """Observations (and Rejects) from a workbook's first sheet, or from ``sheet``."""
    handle: IO[bytes] | str
    if source.path is not None:
        handle = str(source.path)
    else:
        with source.opener() as stream:
            handle = io.BytesIO(stream.read())
    workbook = _open(handle, source.name)
    try:
        if sheet is None:
            worksheet: Any = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            raise DataError(f"no sheet {sheet!r}; sheets: {', '.join(workbook.sheetnames)}", file=source.name)
        if hasattr(worksheet, "reset_dimensions"):
            worksheet.reset_dimensions()  # some writers record wrong dimensions; read what is there
        columns: list[Column] | None = None
        for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
            cells = [cell_text(value) for value in values]
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                columns = plan_columns(cells, column_map=column_map, source=source.name, line=number)
                continue
            while cells and not cells[-1].strip():
                cells.pop()
            yield row_record(cells, columns, source=source.name, row=number, raw="\t".join(cells))
        if columns is None:
            raise DataError("empty sheet: no header row", file=source.name)
    finally:
        workbook.close()


def _open(handle: IO[bytes] | str, name: str) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            return load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as err:
        raise DataError(f"not a readable .xlsx workbook: {err}", file=name) from None
