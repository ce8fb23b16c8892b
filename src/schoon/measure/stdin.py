"""Standard input as a measurement input (``schoon measure -``): spooled once to a private temporary file.

Partitions are byte ranges of files that every worker opens itself, so a stream that can be read only once is
first copied, in 1 MiB blocks (never held in memory), to a file in a private temporary folder; gzipped input
(recognised by its magic bytes, not a name) is decompressed on the way, so the copy can be cut into byte-range
partitions like any plain file. The copy is removed when the run ends. A local Dask cluster reads the copy from
this machine's disk; a remote cluster cannot, so ``-`` with ``--scheduler ADDRESS`` is refused.
"""

from __future__ import annotations

import gzip
import shutil
import sys
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from schoon.errors import DataError, SchoonError
from schoon.ingest.scan.lines import GZIP_MAGIC

STDIN = "-"
SPOOL_NAME = "stdin.jsonl"
BLOCK = 1024 * 1024


class _Prefixed:
    """A binary stream with a few bytes already read put back in front (to sniff gzip's magic bytes)."""

    def __init__(self, first: bytes, rest: BinaryIO) -> None:
        self._first = first
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if self._first:
            out, self._first = self._first, b""
            return out + (self._rest.read(size - len(out)) if size > len(out) else b"")
        return self._rest.read(size)


def spool(stream: BinaryIO, target: Path) -> int:
    """Copy ``stream`` (decompressed when gzipped) to ``target``; the bytes written."""
    first = stream.read(2)
    source: _Prefixed | gzip.GzipFile = _Prefixed(first, stream)
    if first == GZIP_MAGIC:
        source = gzip.GzipFile(fileobj=source, mode="rb")  # type: ignore[arg-type]
    written = 0
    try:
        with target.open("wb") as out:
            while block := source.read(BLOCK):
                out.write(block)
                written += len(block)
    except (OSError, EOFError, zlib.error) as err:
        raise DataError(f"cannot read standard input (after {written:,} bytes): {err}", file=STDIN) from None
    return written


@contextmanager
def stdin_files(files: Sequence[str | Path], *, remote: bool, stream: BinaryIO | None = None
                ) -> Iterator[tuple[list[str], dict[str, str]]]:
    """``files`` with ``-`` replaced by a spooled copy of standard input, and {copy path: ``-``} for messages."""
    names = [str(f) for f in files]
    if STDIN not in names:
        yield names, {}
        return
    if names.count(STDIN) > 1:
        raise SchoonError("standard input (-) can be given once")
    if remote:
        raise SchoonError("standard input (-) cannot be read by a remote Dask cluster: write it to a file on a "
                          "shared file system and give that file")
    folder = Path(tempfile.mkdtemp(prefix="schoon-measure-stdin-"))
    try:
        target = folder / SPOOL_NAME
        spool(stream if stream is not None else sys.stdin.buffer, target)
        yield [str(target) if n == STDIN else n for n in names], {str(target): STDIN}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
