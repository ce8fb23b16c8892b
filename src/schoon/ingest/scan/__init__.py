"""Readers for internet-scan data: Shodan, Censys, zgrab2, masscan and ``schoon discover`` output.

>>> for item in read_scan("shodan-nl.json.gz"):
...     if isinstance(item, Reject):
...         print(f"{item.source}:{item.row}: {item.message}")
...     else:
...         print(item.ip, item.port, item.time, item.observation.http_server)

Every reader streams (one line at a time), reads gzip transparently (by content, not by name), and turns each
line into zero or more :class:`~schoon.ingest.scan.record.ScanRecord` (Censys and masscan lines hold several
services or ports) or one :class:`~schoon.ingest.types.Reject` naming the file and line. The format is
detected from the first record unless given. See ``docs/measure.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from schoon.errors import DataError
from schoon.ingest.scan import censys, discover, masscan, shodan, zgrab2
from schoon.ingest.scan.lines import MAX_LINE_BYTES, Chunk, chunk_lines, chunks, head
from schoon.ingest.scan.record import RawRecord, ScanRecord, parse_time
from schoon.ingest.types import Reject, reject
from schoon.observation import ObservationError

__all__ = ["SCAN_FORMATS", "Chunk", "RawRecord", "Reject", "ScanRecord", "chunks", "detect_scan_format",
           "parse_line", "parse_raw", "parse_time", "read_chunk", "read_chunk_raw", "read_scan"]

Parser = Callable[..., list[RawRecord]]
_PARSERS: dict[str, Parser] = {
    shodan.FORMAT: shodan.records, censys.FORMAT: censys.records, zgrab2.FORMAT: zgrab2.records,
    masscan.FORMAT: masscan.records, discover.FORMAT: discover.records,
}
_DETECTORS: tuple[tuple[str, Callable[[Mapping[str, object]], bool]], ...] = (
    (shodan.FORMAT, shodan.is_shodan), (censys.FORMAT, censys.is_censys), (zgrab2.FORMAT, zgrab2.is_zgrab2),
    (masscan.FORMAT, masscan.is_masscan), (discover.FORMAT, discover.is_discover),
)
SCAN_FORMATS: tuple[str, ...] = tuple(_PARSERS)


def detect_scan_format(path: str | Path) -> str:
    """The scan format of a file, from its first JSON object; DataError when it is none of :data:`SCAN_FORMATS`."""
    start = head(path)
    if not start.strip():
        raise DataError("empty file", file=str(path))
    for line in start.splitlines()[:50]:
        body = masscan.strip_line(line)
        if not body:
            continue
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            continue
        if isinstance(data, dict):
            for name, test in _DETECTORS:
                if test(data):
                    return name
            break
    raise DataError(f"not a known scan format ({', '.join(SCAN_FORMATS)}); name it with --input-format",
                    file=str(path))


def parse_line(fmt: str, line: bytes, *, source: str, row: int) -> list[ScanRecord] | Reject:
    """The records of one line of a file in format ``fmt`` (blank and bracket-only lines give none)."""
    found = parse_raw(fmt, line, source=source, row=row)
    if isinstance(found, Reject):
        return found
    try:
        return [raw.record() for raw in found]
    except ObservationError as err:
        return reject(source, row, str(err), _raw(line))


def parse_raw(fmt: str, line: bytes, *, source: str, row: int) -> list[RawRecord] | Reject:
    """The parsed but not yet normalised records of one line (see :class:`RawRecord`), or its Reject."""
    body = masscan.strip_line(line) if fmt == masscan.FORMAT else line.strip()
    if not body:
        return []
    try:
        data = json.loads(body)
    except json.JSONDecodeError as err:
        return reject(source, row, f"not valid JSON: {err.msg} (column {err.colno})", _raw(line))
    except UnicodeDecodeError:
        return reject(source, row, "not valid UTF-8 text", _raw(line))
    except RecursionError:
        return reject(source, row, "not valid JSON: nested too deeply", _raw(line))
    if not isinstance(data, dict):
        return reject(source, row, f"not a JSON object but {type(data).__name__}", _raw(line))
    try:
        found = _PARSERS[fmt](data, source=source, row=row)
    except ObservationError as err:
        return reject(source, row, str(err), _raw(line))
    if any(raw.ip is None for raw in found):
        return reject(source, row, "no address (ip) in the record", _raw(line))
    return found


def read_chunk(chunk: Chunk, fmt: str) -> Iterator[tuple[int, list[ScanRecord] | Reject]]:
    """``(line number within the chunk, records or Reject)`` for every line of a chunk, in order."""
    for number, found in read_chunk_raw(chunk, fmt):
        if isinstance(found, Reject):
            yield number, found
            continue
        try:
            yield number, [raw.record() for raw in found]
        except ObservationError as err:
            yield number, reject(chunk.path, number, str(err))


def read_chunk_raw(chunk: Chunk, fmt: str) -> Iterator[tuple[int, list[RawRecord] | Reject]]:
    """Like :func:`read_chunk`, with records not yet normalised (the caller calls ``record()``)."""
    if fmt not in _PARSERS:
        raise DataError(f"unknown scan format {fmt!r}; choose from {', '.join(SCAN_FORMATS)}")
    for number, line, overlong in chunk_lines(chunk):
        if overlong:
            yield number, reject(chunk.path, number, f"line longer than {MAX_LINE_BYTES // 2**20} MiB; skipped")
            continue
        yield number, parse_raw(fmt, line, source=chunk.path, row=number)


def read_scan(path: str | Path, *, input_format: str | None = None) -> Iterator[ScanRecord | Reject]:
    """Every ScanRecord and Reject of one scan file, in file order, with absolute line numbers."""
    fmt = input_format or detect_scan_format(path)
    if fmt not in _PARSERS:
        raise DataError(f"unknown scan format {fmt!r}; choose from {', '.join(SCAN_FORMATS)}")
    return _read_all(path, fmt)


def _read_all(path: str | Path, fmt: str) -> Iterator[ScanRecord | Reject]:
    for chunk in chunks(path, chunk_bytes=2**62):
        for _, found in read_chunk(chunk, fmt):
            if isinstance(found, Reject):
                yield found
            else:
                yield from found


def _raw(line: bytes) -> str:
    return line.decode("utf-8", errors="replace")
