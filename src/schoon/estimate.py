"""How many records an input holds, roughly and cheaply, for progress bars (never for answers).

Line-based inputs (CSV, JSON lines) hold about one record per line, so counting newlines (at disk speed, a few
hundred MB/s) gives the total for a bar with a percentage and time left. XLSX (a zip) and XML have no such
relation, and standard input or a pipe cannot be read twice: for those the answer is None (a spinner instead).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

_CHUNK = 1 << 20


def estimate_records(path: str | os.PathLike[str]) -> int | None:
    """About how many records the file at ``path`` holds (lines minus a header), or None when unknowable."""
    if str(path) == "-":
        return None
    file = Path(path)
    try:
        if not stat.S_ISREG(file.stat().st_mode):
            return None
        with file.open("rb") as handle:
            head = handle.read(_CHUNK)
            if head.startswith(b"PK") or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                return None
            lines = head.count(b"\n")
            last = head[-1:] if head else b""
            while chunk := handle.read(_CHUNK):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return None
    if last and last != b"\n":
        lines += 1
    return max(lines - 1, 0) if lines > 1 else lines


def estimate_total(paths: Iterable[str | os.PathLike[str]]) -> int | None:
    """The sum of :func:`estimate_records` over ``paths``, or None when any of them is unknowable."""
    total = 0
    for path in paths:
        count = estimate_records(path)
        if count is None:
            return None
        total += count
    return total
