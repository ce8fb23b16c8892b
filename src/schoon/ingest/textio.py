"""Opening an input (a file or stdin), peeking at its head, guessing its text encoding, and reading lines.

Registers come as UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text", with a BOM) or Latin-1/cp1252.
UTF-8 is tried first, line by line; a line that is not valid UTF-8 is read as cp1252 (and as Latin-1 in the
rare case it is not valid cp1252 either), so one odd line does not spoil the file and nothing is read twice.
Lines are read one at a time; a line longer than :data:`MAX_LINE_BYTES` is cut and marked, never held whole.
"""

from __future__ import annotations

import codecs
import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from schoon.errors import DataError

HEAD_BYTES = 64 * 1024
MAX_LINE_BYTES = 32 * 1024 * 1024
STDIN_NAME = "<stdin>"
UTF8_FALLBACK = "utf-8/cp1252"


@dataclass(frozen=True)
class Line:
    """One physical line: its decoded text (line ending kept) and whether it was cut at the length limit."""

    text: str
    overlong: bool = False


@dataclass
class Input:
    """An input to read: its display name, its first bytes, and a way to open it (from the start) as binary."""

    name: str
    head: bytes
    opener: Callable[[], BinaryIO]
    path: Path | None = None


def open_input(path: str | Path, stdin: BinaryIO | None = None) -> Input:
    """An :class:`Input` for a path, or for stdin when the path is ``-``; raises DataError when it cannot be read."""
    if str(path) == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        head = _read_up_to(stream, HEAD_BYTES)
        return Input(name=STDIN_NAME, head=head, opener=lambda: _prefixed(head, stream))
    name = str(path)
    file = Path(path)
    try:
        with file.open("rb") as handle:
            head = _read_up_to(handle, HEAD_BYTES)
    except FileNotFoundError:
        raise DataError("file not found", file=name) from None
    except IsADirectoryError:
        raise DataError("is a directory, not a file", file=name) from None
    except OSError as err:
        raise DataError(f"cannot read: {err.strerror or err}", file=name) from None
    return Input(name=name, head=head, opener=lambda: file.open("rb"), path=file)


def _read_up_to(stream: BinaryIO, size: int) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


class _PrefixedRaw(io.RawIOBase):
    """The already-read head, then the rest of a stream that cannot seek back (stdin); never closes the stream."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = memoryview(head)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _prefixed(head: bytes, stream: BinaryIO) -> BinaryIO:
    return io.BufferedReader(_PrefixedRaw(head, stream))


def detect_encoding(head: bytes) -> str:
    """The text encoding of a file from its first bytes: a BOM, UTF-16 without BOM (NUL pattern), else UTF-8/cp1252."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4 and sample.count(0) * 3 >= len(sample):
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > even * 4:
            return "utf-16-le"
        if even > odd * 4:
            return "utf-16-be"
    return UTF8_FALLBACK


def decode_line(data: bytes) -> str:
    """One line of a UTF-8 file, or cp1252 (then Latin-1) when it is not valid UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def decode_head(head: bytes) -> str:
    """The head of a file as text, for format detection (undecodable bytes replaced, a partial last line kept)."""
    encoding = detect_encoding(head)
    if encoding == UTF8_FALLBACK:
        return "".join(decode_line(line) for line in head.splitlines(keepends=True))
    return head.decode(encoding, errors="replace").lstrip("\ufeff")


def iter_lines(stream: BinaryIO, head: bytes) -> Iterator[Line]:
    """The physical lines of a text stream whose first bytes are ``head``, decoded; the first line loses its BOM.

    Lines end at ``\n`` (or ``\r\n``); a file with bare ``\r`` endings only (old Mac exports) is split at ``\r``.
    """
    encoding = detect_encoding(head)
    if encoding == UTF8_FALLBACK:
        cr_only = b"\r" in head and b"\n" not in head
        yield from _utf8_lines(_cr_lines(stream) if cr_only else _lf_lines(stream))
        return
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    try:
        yield from _text_lines(text)
    finally:
        text.detach()  # the caller owns (and closes) the binary stream


def _text_lines(text: io.TextIOWrapper) -> Iterator[Line]:
    limit = MAX_LINE_BYTES // 2
    first = True
    while True:
        chunk = text.readline(limit)
        if not chunk:
            return
        overlong = len(chunk) >= limit and not chunk.endswith(("\n", "\r"))
        if overlong:
            while (rest := text.readline(limit)) and not rest.endswith(("\n", "\r")):
                pass
        if first:
            chunk, first = chunk.lstrip("\ufeff"), False
        yield Line(chunk, overlong)


def _lf_lines(stream: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    while True:
        data = stream.readline(MAX_LINE_BYTES)
        if not data:
            return
        overlong = len(data) >= MAX_LINE_BYTES and not data.endswith(b"\n")
        if overlong:
            while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
        yield data, overlong


def _cr_lines(stream: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    pending = b""
    skipping = False
    while chunk := stream.read(HEAD_BYTES):
        parts = (pending + chunk).split(b"\r")
        pending = parts.pop()
        for part in parts:
            if skipping:
                skipping = False
                continue
            yield part + b"\r", False
        if len(pending) >= MAX_LINE_BYTES:
            if not skipping:
                yield pending[:MAX_LINE_BYTES], True
            pending, skipping = b"", True
    if pending and not skipping:
        yield pending, False


def _utf8_lines(lines: Iterator[tuple[bytes, bool]]) -> Iterator[Line]:
    first = True
    for data, overlong in lines:
        if first:
            data, first = data.removeprefix(codecs.BOM_UTF8), False
        yield Line(decode_line(data), overlong)
