"""``--show-columns``: how each column of an input will be read (column → canonical field, or extra), without
identifying anything. Reads only as far as the header (JSON lines: the first object)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from schoon.errors import DataError
from schoon.ingest.options import ReadLog, ReadOptions
from schoon.ingest.types import printable
from schoon.observation import Observation

_DELIMITER_NAMES = {"\t": "tab", ";": "';'", ",": "','", "|": "'|'", " ": "space"}


def describe_columns(path: str | Path, options: ReadOptions | None = None, stdin: BinaryIO | None = None) -> list[str]:
    """Lines saying how ``path`` will be read: its format and header position, then one line per column."""
    from schoon.ingest import read  # the reader entry point lives in the package

    opts = options or ReadOptions()
    log = ReadLog()
    reading = read(path, opts, log=log, stdin=stdin)
    try:
        first = next(reading, None)
    finally:
        reading.close()
    name = reading.name
    if reading.format == "nmap-xml":
        return [f"{name}: nmap-xml: fields come from each host's addresses, ports, services and scripts "
                "(see docs/ingest.md); no columns"]
    if reading.format == "jsonl":
        return _json_keys(name, first)
    layout = log.layout
    if layout is None:
        raise DataError("no header row", file=name)
    where = f"sheet {printable(layout.sheet)!r}, row" if layout.sheet is not None else "line"
    how = f", delimiter {_DELIMITER_NAMES.get(layout.delimiter, repr(layout.delimiter))}" if layout.delimiter else ""
    lines = [f"{name}: {reading.format}, header on {where} {layout.header_line}{how}"
             + (f" ({log.above_header} row(s) above it skipped)" if log.above_header else "")]
    width = min(max((len(c.name) for c in layout.columns), default=0), 40)
    for column in layout.columns:
        target = column.field if column.field is not None else "extra"
        lines.append(f"  {printable(column.name)[:200]:<{width}}  -> {target}")
    return lines


def _json_keys(name: str, first: object) -> list[str]:
    lines = [f"{name}: jsonl: keys that are canonical field names (or --map targets) are fields, other keys go "
             "to extra"]
    if isinstance(first, Observation):
        lines[0] += "; in the first record:"
        lines += [f"  {field}  -> {field}" for field in first.evidence_fields()]
        lines += [f"  {printable(key)[:200]}  -> extra" for key in first.extra]
    return lines
