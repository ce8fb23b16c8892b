"""Streaming readers, one per input format, all yielding Observations, with row-precise errors.

>>> for record in read("register.csv"):
...     if isinstance(record, Reject):
...         print(f"{record.source}:{record.row}: {record.message}")

:func:`read` detects the format from the content (see :mod:`schoon.ingest.detect`) unless ``input_format``
says it, and yields :class:`~schoon.observation.Observation` records (with ``source``, ``row`` and the
row's unmapped columns in ``extra``) and :class:`Reject` records for rows that could not be read. Problems
that make the whole input unreadable (missing, empty, not a known format, refused XML) raise
:class:`~schoon.errors.DataError` with a one-line message. See ``docs/ingest.md``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from schoon.errors import DataError
from schoon.ingest.detect import FORMATS, detect_format
from schoon.ingest.headers import check_map
from schoon.ingest.textio import Input, open_input
from schoon.ingest.types import Record, Reject

__all__ = ["FORMATS", "Record", "Reject", "detect_format", "read"]


def read(path: str | Path, *, input_format: str | None = None, column_map: Mapping[str, str] | None = None,
         stdin: BinaryIO | None = None, sheet: str | None = None, all_hosts: bool = False) -> Iterator[Record]:
    """Read one input (``-`` is stdin) as Observations and Rejects, in input order, streaming.

    ``input_format`` is one of :data:`FORMATS` (default: detected from the content). ``column_map`` maps a
    file's column names (or JSON keys) onto canonical fields, ``{"Their Column": "field"}``; ``"-"`` as the
    field keeps the column in ``extra``. ``sheet`` picks an xlsx sheet by name (default: the first).
    ``all_hosts`` keeps nmap hosts whose ports were scanned and none is open (skipped by default).

    The input is opened and its format decided before this returns, so a missing, empty or unknown input raises
    :class:`~schoon.errors.DataError` here; problems later in the file raise it (or yield a Reject) while
    iterating.
    """
    if input_format is not None and input_format not in FORMATS:
        raise DataError(f"unknown input format {input_format!r}; choose from {', '.join(FORMATS)}")
    check_map(column_map)
    source = open_input(path, stdin)
    fmt = input_format or detect_format(source.head, source.name)
    if not source.head.strip():
        raise DataError("empty file", file=source.name)
    return _dispatch(source, fmt, column_map, sheet, all_hosts)


def _dispatch(source: Input, fmt: str, column_map: Mapping[str, str] | None, sheet: str | None,
              all_hosts: bool = False) -> Iterator[Record]:
    # Each reader is imported when its format is read (openpyxl and the XML parser cost start-up time).
    if fmt == "jsonl":
        from schoon.ingest.jsonl import read_jsonl

        return read_jsonl(source, column_map=column_map)
    if fmt == "csv":
        from schoon.ingest.delimited import read_delimited

        return read_delimited(source, column_map=column_map)
    if fmt == "procurement-csv":
        from schoon.ingest.procurement import read_procurement

        return read_procurement(source, column_map=column_map)
    if fmt == "xlsx":
        from schoon.ingest.xlsx import read_xlsx

        return read_xlsx(source, column_map=column_map, sheet=sheet)
    from schoon.ingest.nmap import read_nmap

    return read_nmap(source, all_hosts=all_hosts)
