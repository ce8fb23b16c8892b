"""Streaming readers, one per input format, all yielding Observations, with row-precise errors.

>>> reading = read("register.csv", ReadOptions(header_row=3))
>>> for record in reading:
...     if isinstance(record, Reject):
...         print(f"{record.source}:{record.row}: {record.message}")
>>> print(reading.log.summary())

:func:`read` detects the format from the content (see :mod:`schoon.ingest.detect`) unless the options say it,
and yields :class:`~schoon.observation.Observation` records (with ``source``, ``row`` and the row's unmapped
columns in ``extra``) and :class:`Reject` records for rows that could not be read. A cell that cannot be read
(an invalid MAC or address) is dropped with a :class:`CellWarning` in the reading's :class:`ReadLog`, and the
rest of its row is used. Problems that make the whole input unreadable (missing, empty, not a known format,
refused XML, a library error on a corrupt file) raise :class:`~schoon.errors.DataError` with a one-line message
naming the file. See ``docs/ingest.md``.
"""

from __future__ import annotations

import csv
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from schoon.errors import DataError, SchoonError
from schoon.ingest.detect import FORMATS, detect_format
from schoon.ingest.headers import check_map
from schoon.ingest.options import Layout, ReadLog, ReadOptions
from schoon.ingest.textio import Input, open_input
from schoon.ingest.types import CellWarning, Record, Reject, printable
from schoon.observation import Observation

__all__ = ["FORMATS", "CellWarning", "Layout", "ReadLog", "ReadOptions", "Reading", "Record", "Reject",
           "detect_format", "read"]

#: What the libraries under the readers (csv, json, zipfile, zlib, openpyxl, expat) raise on bad input; the
#: guard in :class:`Reading` turns each into one DataError line naming the file, never a traceback.
#: (openpyxl's own exceptions are caught in the xlsx reader, so that openpyxl is imported only for workbooks.)
LIBRARY_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, csv.Error, EOFError, OSError, ValueError, LookupError,
    TypeError, AttributeError, SyntaxError, RecursionError, NotImplementedError, OverflowError, UnicodeError,
)


class Reading(Iterator[Record]):
    """The records of one input, in order, streaming; ``log`` counts them as they pass (see :class:`ReadLog`)."""

    def __init__(self, source: Input, input_format: str, records: Iterator[Record], log: ReadLog) -> None:
        self.source = source
        self.format = input_format
        self.log = log
        self._records = records
        self._last_row: int | None = None

    @property
    def name(self) -> str:
        """The input's display name (the path as given, or ``<stdin>``)."""
        return self.source.name

    def __iter__(self) -> Reading:
        return self

    def close(self) -> None:
        """Stop reading early and close the input (as a generator's ``close`` does)."""
        close = getattr(self._records, "close", None)
        if close is not None:
            close()

    def __next__(self) -> Record:
        try:
            item = next(self._records)
        except (StopIteration, SchoonError):
            raise
        except LIBRARY_ERRORS as err:
            after = f" after line {self._last_row}" if self._last_row is not None else ""
            raise DataError(f"cannot read{after}: {type(err).__name__}: {printable(str(err))[:200]}",
                            file=self.source.name) from None
        if isinstance(item, Reject):
            self.log.reject(item)
        elif isinstance(item, Observation):
            self.log.used += 1
        self._last_row = item.row
        return item


def read(path: str | Path, options: ReadOptions | None = None, *, log: ReadLog | None = None,
         input_format: str | None = None, column_map: Mapping[str, str] | None = None,
         stdin: BinaryIO | None = None, sheet: str | None = None, all_hosts: bool | None = None,
         shortcut: Callable[[str, str, int], bool] | None = None) -> Reading:
    """Read one input (``-`` is stdin) as Observations and Rejects, in input order, streaming.

    ``options`` (:class:`ReadOptions`) overrides detection: format, column map, sheet, header row, delimiter,
    encoding, nmap hosts without open ports; ``input_format``, ``column_map``, ``sheet`` and ``all_hosts`` are
    shorthands that fill in the same options.
    ``log`` receives the counts, each dropped cell and each reject as they happen (default: a new
    :class:`ReadLog`, at ``reading.log``).
    ``shortcut`` lets the consumer answer a JSON line that starts with a plain id itself (see
    :func:`schoon.ingest.jsonl.read_jsonl`); other formats ignore it.

    The input is opened and its format decided before this returns, so a missing, empty or unknown input raises
    :class:`~schoon.errors.DataError` here; problems later in the file raise it (or yield a Reject) while
    iterating. A pipe, FIFO or stdin is read through one handle, once.
    """
    opts = options or ReadOptions()
    if input_format is not None or column_map is not None or sheet is not None or all_hosts is not None:
        opts = ReadOptions(input_format=input_format or opts.input_format,
                           column_map=column_map if column_map is not None else opts.column_map,
                           sheet=sheet if sheet is not None else opts.sheet, header_row=opts.header_row,
                           delimiter=opts.delimiter, encoding=opts.encoding,
                           all_hosts=all_hosts if all_hosts is not None else opts.all_hosts)
    if opts.input_format is not None and opts.input_format not in FORMATS:
        raise DataError(f"unknown input format {opts.input_format!r}; choose from {', '.join(FORMATS)}")
    check_map(opts.column_map)
    source = open_input(path, stdin, opts.encoding)
    try:
        fmt = opts.input_format or detect_format(source.head, source.name, opts.encoding)
        if not source.head.strip():
            raise DataError("empty file", file=source.name)
    except LIBRARY_ERRORS as err:  # e.g. a codec that cannot decode at all
        source.close()
        raise DataError(f"cannot read: {type(err).__name__}: {printable(str(err))[:200]}", file=source.name) from None
    except SchoonError:
        source.close()
        raise
    log = log if log is not None else ReadLog()
    return Reading(source, fmt, _dispatch(source, fmt, opts, log, shortcut), log)


def _dispatch(source: Input, fmt: str, opts: ReadOptions, log: ReadLog,
              shortcut: Callable[[str, str, int], bool] | None = None) -> Iterator[Record]:
    # Each reader is imported when its format is read (openpyxl and the XML parser cost start-up time).
    if fmt == "jsonl":
        from schoon.ingest.jsonl import read_jsonl

        return read_jsonl(source, options=opts, log=log, shortcut=shortcut)
    if fmt == "csv":
        from schoon.ingest.delimited import read_delimited

        return read_delimited(source, options=opts, log=log)
    if fmt == "procurement-csv":
        from schoon.ingest.procurement import read_procurement

        return read_procurement(source, options=opts, log=log)
    if fmt == "xlsx":
        from schoon.ingest.xlsx import read_xlsx

        return read_xlsx(source, options=opts, log=log)
    from schoon.ingest.nmap import read_nmap

    return read_nmap(source, all_hosts=opts.all_hosts)
