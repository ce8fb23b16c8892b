"""Opening an input (a file or stdin), peeking at its head, guessing its text encoding, and reading lines.

Registers come as UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text", with a BOM) or Latin-1/cp1252.
UTF-8 is tried first, line by line; a line that is not valid UTF-8 is read as cp1252 (and as Latin-1 in the
rare case it is not valid cp1252 either), so one odd line does not spoil the file and nothing is read twice.
Lines are read one at a time; a line longer than :data:`MAX_LINE_BYTES` is cut and marked, never held whole.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import stat
import sys
from collections.abc import Callable, Generator, Iterator
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
    """An input to read: its display name, its first bytes, and a way to open it (from the start) as binary.

    A regular file can be opened again (``path`` is set); anything else (stdin, a pipe, a FIFO, process
    substitution, a device) is read from the one handle that read its head: ``opener`` may then be called once.
    """

    name: str
    head: bytes
    opener: Callable[[], BinaryIO]
    path: Path | None = None
    encoding: str | None = None
    close: Callable[[], None] = lambda: None  # releases a kept handle when the input is refused before reading


def open_input(path: str | Path, stdin: BinaryIO | None = None, encoding: str | None = None) -> Input:
    """An :class:`Input` for a path, or for stdin when the path is ``-``; raises DataError when it cannot be read.

    ``encoding`` overrides the detected text encoding.
    """
    if str(path) == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        head = _read_up_to(stream, HEAD_BYTES)
        return Input(name=STDIN_NAME, head=head, opener=_once(head, stream, owned=False), encoding=encoding)
    name = str(path)
    file = Path(path)
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise DataError("file not found", file=name) from None
    except IsADirectoryError:
        raise DataError("is a directory, not a file", file=name) from None
    except OSError as err:
        raise DataError(f"cannot read: {err.strerror or err}", file=name) from None
    except ValueError:  # a NUL byte or a lone surrogate in the name: no file can have it
        raise DataError("not a valid file name", file=name.encode("utf-8", "backslashreplace").decode()) from None
    try:
        regular = stat.S_ISREG(os.fstat(handle.fileno()).st_mode)
        head = _read_up_to(handle, HEAD_BYTES)
    except OSError as err:
        handle.close()
        if err.errno == errno.EISDIR:
            raise DataError("is a directory, not a file", file=name) from None
        raise DataError(f"cannot read: {err.strerror or err}", file=name) from None
    if not regular:  # a pipe or FIFO cannot be opened twice: what was read is gone, so keep this handle
        return Input(name=name, head=head, opener=_once(head, handle, owned=True), encoding=encoding,
                     close=handle.close)
    handle.close()
    return Input(name=name, head=head, opener=lambda: file.open("rb"), path=file, encoding=encoding)


def _once(head: bytes, stream: BinaryIO, *, owned: bool) -> Callable[[], BinaryIO]:
    """An opener that gives the head and then the rest of ``stream``, once (a second call is a DataError)."""
    used = False

    def opener() -> BinaryIO:
        nonlocal used
        if used:
            raise DataError("a pipe or standard input can be read only once")
        used = True
        return io.BufferedReader(_PrefixedRaw(head, stream, owned=owned))

    return opener


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
    """The already-read head, then the rest of a stream that cannot seek back (stdin, a pipe); closes the stream
    only when it owns it (never stdin)."""

    def __init__(self, head: bytes, stream: BinaryIO, *, owned: bool = False) -> None:
        self._head = memoryview(head)
        self._stream = stream
        self._owned = owned

    def close(self) -> None:
        if self._owned and not self.closed:
            self._stream.close()
        super().close()

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


def decode_head(head: bytes, encoding: str | None = None) -> str:
    """The head of a file as text, for format detection (undecodable bytes replaced, a partial last line kept)."""
    encoding = encoding or detect_encoding(head)
    if encoding == UTF8_FALLBACK:
        return "".join(decode_line(line) for line in head.splitlines(keepends=True))
    return head.decode(encoding, errors="replace").lstrip("\ufeff")


def iter_lines(stream: BinaryIO, head: bytes, encoding: str | None = None) -> Generator[Line, None, None]:
    """The physical lines of a text stream whose first bytes are ``head``, decoded; the first line loses its BOM.

    Lines end at ``\n``, ``\r\n`` or a bare ``\r`` (old Mac exports), in linear time whatever the endings.
    ``encoding`` overrides detection (undecodable bytes then become U+FFFD, visibly).
    """
    encoding = encoding or detect_encoding(head)
    if encoding == UTF8_FALLBACK:
        yield from _utf8_lines(_binary_lines(stream))
        return
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    try:
        yield from _text_lines(text)
    finally:
        with contextlib.suppress(ValueError):  # already closed with its stream: nothing left to release
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


class _LineSplitter:
    """Splits binary chunks into lines ending at ``\n``, ``\r\n`` or ``\r``; a line over
    :data:`MAX_LINE_BYTES` is cut (and marked) and its rest skipped. Pieces are joined once per line: linear."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []
        self.size = 0
        self.skipping = False

    def add(self, piece: bytes) -> None:
        self.pieces.append(piece)
        self.size += len(piece)

    def finish(self) -> tuple[bytes, bool] | None:
        """The line held so far (None when it is the skipped rest of a cut line); then start a new one."""
        line = b"".join(self.pieces)
        self.pieces, self.size = [], 0
        if self.skipping:
            self.skipping = False
            return None
        if len(line) > MAX_LINE_BYTES:
            return line[:MAX_LINE_BYTES], True
        return line, False

    def cut_if_long(self) -> tuple[bytes, bool] | None:
        """The cut line when the unfinished line has grown past the limit (once per long line)."""
        if self.size < MAX_LINE_BYTES:
            return None
        first = None if self.skipping else (b"".join(self.pieces)[:MAX_LINE_BYTES], True)
        self.pieces, self.size, self.skipping = [], 0, True
        return first


def _binary_lines(stream: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    split = _LineSplitter()
    held_cr = False  # the held line ended in "\r" at a chunk's end: a "\n" may follow in the next chunk
    while chunk := stream.read(HEAD_BYTES):
        if held_cr:
            held_cr = False
            if chunk.startswith(b"\n"):
                split.add(b"\n")
                chunk = chunk[1:]
            if (done := split.finish()) is not None:
                yield done
            if not chunk:
                continue
        parts = chunk.splitlines(keepends=True)
        for part in parts[:-1]:
            split.add(part)
            if (done := split.finish()) is not None:
                yield done
        last = parts[-1]
        split.add(last)
        if last.endswith(b"\n"):
            if (done := split.finish()) is not None:
                yield done
        elif last.endswith(b"\r"):
            held_cr = True
        elif (cut := split.cut_if_long()) is not None:
            yield cut
    if split.pieces and (done := split.finish()) is not None:
        yield done


def _utf8_lines(lines: Iterator[tuple[bytes, bool]]) -> Iterator[Line]:
    first = True
    for data, overlong in lines:
        if first:
            data, first = data.removeprefix(codecs.BOM_UTF8), False
        yield Line(decode_line(data), overlong)
