"""Reading scan files line by line, gzip-aware, in byte-range chunks that partition the work.

Scan data comes as large JSON-lines files, often gzipped (``shodan download`` writes ``.json.gz``). A plain file
is cut into :class:`Chunk` byte ranges that each own the lines *starting* inside them, so chunks can be read
independently (on different Dask workers) and together read every line exactly once. A gzip file cannot be
entered in the middle and is one chunk. Line numbers inside a chunk are counted from 1; a chunk reports how
many lines it owned, so absolute line numbers follow by adding the counts of the file's earlier chunks.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from schoon.errors import DataError

GZIP_MAGIC = b"\x1f\x8b"
MAX_LINE_BYTES = 32 * 1024 * 1024
DEFAULT_CHUNK_BYTES = 64 * 1024 * 1024
HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class Chunk:
    """A part of one input file: the lines that start in ``[start, end)`` (gzip: the whole file)."""

    path: str
    index: int  # the chunk's position within its file, from 0
    start: int
    end: int | None  # None: to the end of the file
    gzipped: bool


def is_gzip(path: str | Path) -> bool:
    """Whether the file starts with the gzip magic bytes (whatever its name)."""
    with Path(path).open("rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def check_file(path: str | Path) -> None:
    """Raise DataError (one line naming the file) when ``path`` cannot be read as a file."""
    name = str(path)
    try:
        with Path(path).open("rb") as handle:
            handle.read(1)
    except FileNotFoundError:
        raise DataError("file not found", file=name) from None
    except IsADirectoryError:
        raise DataError("is a directory, not a file", file=name) from None
    except OSError as err:
        raise DataError(f"cannot read: {err.strerror or err}", file=name) from None


def head(path: str | Path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes of the file's content, decompressed when it is gzipped."""
    check_file(path)
    try:
        with open_binary(path) as stream:
            return stream.read(size)
    except (OSError, EOFError) as err:
        raise DataError(f"cannot read: {err}", file=str(path)) from None


def open_binary(path: str | Path) -> BinaryIO:
    """The file's content as a binary stream, decompressed when it is gzipped."""
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return Path(path).open("rb")


def chunks(path: str | Path, chunk_bytes: int = DEFAULT_CHUNK_BYTES) -> list[Chunk]:
    """The chunks of one file: byte ranges of about ``chunk_bytes`` each; one chunk for a gzip file."""
    check_file(path)
    name = str(path)
    if is_gzip(path):
        return [Chunk(name, 0, 0, None, True)]
    size = Path(path).stat().st_size
    if size <= chunk_bytes:
        return [Chunk(name, 0, 0, None, False)]
    starts = list(range(0, size, chunk_bytes))
    return [Chunk(name, i, start, starts[i + 1] if i + 1 < len(starts) else None, False)
            for i, start in enumerate(starts)]


def chunk_lines(chunk: Chunk) -> Iterator[tuple[int, bytes, bool]]:
    """``(line number within the chunk, line bytes, overlong)`` for every line the chunk owns.

    An overlong line (over :data:`MAX_LINE_BYTES`) is cut and flagged, never held whole. Gzip errors (a truncated
    download) raise DataError naming the file and the last good line.
    """
    number = 0
    try:
        with open_binary(chunk.path) as stream:
            position = _seek_line_start(stream, chunk.start) if chunk.start else 0
            end = chunk.end
            while end is None or position < end:
                data = stream.readline(MAX_LINE_BYTES)
                if not data:
                    return
                position += len(data)
                overlong = len(data) >= MAX_LINE_BYTES and not data.endswith(b"\n")
                if overlong:
                    while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                        position += len(rest)
                    position += len(rest)
                number += 1
                yield number, data, overlong
    except (OSError, EOFError) as err:
        where = f"after line {number} of this part" if chunk.index else f"after line {number}"
        raise DataError(f"cannot read ({where}): {err}", file=chunk.path) from None


def _seek_line_start(stream: BinaryIO, start: int) -> int:
    """Position the stream at the first line that starts at or after ``start``; return that position."""
    stream.seek(start - 1)
    if stream.read(1) == b"\n":
        return start
    position = start
    while True:
        data = stream.readline(MAX_LINE_BYTES)
        position += len(data)
        if not data or data.endswith(b"\n"):
            return position
