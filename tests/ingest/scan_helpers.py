"""Helpers for the scan reader tests: write lines (optionally gzipped) and read them back."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from schoon.ingest.scan import Reject, ScanRecord, read_scan


def write_lines(path: Path, items: list[object], *, gz: bool = False) -> Path:
    """Each item as one line (dicts as JSON, strings as they are)."""
    text = "".join((item if isinstance(item, str) else json.dumps(item)) + "\n" for item in items)
    path.write_bytes(gzip.compress(text.encode()) if gz else text.encode())
    return path


def read_all(path: Path, fmt: str | None = None) -> tuple[list[ScanRecord], list[Reject]]:
    """The records and rejects of a file."""
    records: list[ScanRecord] = []
    rejects: list[Reject] = []
    for item in read_scan(path, input_format=fmt):
        (rejects if isinstance(item, Reject) else records).append(item)  # type: ignore[arg-type]
    return records, rejects
