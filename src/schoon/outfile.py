"""Writing output files without ever destroying input or leaving half a file.

Every file schoon writes (records, rejects, reports, exports) goes through :func:`open_output` or
:func:`write_bytes`:

- ``-`` (or no path) means standard output;
- a path that is also one of the command's inputs (the same file by inode, or the same real path) is refused,
  so ``schoon identify register.csv -o register.csv`` cannot empty the register;
- the output is written to a temporary file in the same folder and renamed over the target only when it is
  complete, so a full disk, an error or a crash leaves the old file (or none), never a partial one;
- a folder, a missing folder, or a full or read-only device is one :class:`OutputError` line.

A target that exists and is not a regular file (``/dev/null``, a named pipe) is written directly: renaming
over it would replace the device.

    with open_output(Path("out.csv"), inputs=["register.csv"]) as out:
        out.write("...")
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from schoon.errors import SchoonError

STDOUT = "-"
PathLike = str | os.PathLike[str]
_DEVICE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO}


class OutputError(SchoonError):
    """An output that cannot or must not be written."""


def is_stdout(path: PathLike | None) -> bool:
    """Whether ``path`` means standard output (None or ``-``)."""
    return path is None or str(path) == STDOUT


def expand(path: PathLike) -> Path:
    """``path`` with a leading ``~`` expanded (left as it is when there is no such user)."""
    try:
        return Path(path).expanduser()
    except RuntimeError:
        return Path(path)


def _same_file(target: Path, other: Path) -> bool:
    try:
        if target.exists() and other.exists():
            return os.path.samefile(target, other)
    except OSError:
        pass
    return os.path.realpath(target) == os.path.realpath(other)


def check_output(path: PathLike, inputs: Iterable[PathLike | None] = ()) -> Path:
    """``path`` as a Path if it can be written and is none of ``inputs``; else one :class:`OutputError` line."""
    if "\x00" in str(path) or not str(path).strip():
        raise OutputError(f"cannot write {str(path)!r}: not a file name")
    target = expand(path)
    if target.is_dir():
        raise OutputError(f"cannot write {str(path)!r}: it is a folder; give a file name")
    folder = target.parent
    if not folder.exists():
        raise OutputError(f"cannot write {str(path)!r}: folder {str(folder)!r} does not exist")
    if not folder.is_dir():
        raise OutputError(f"cannot write {str(path)!r}: {str(folder)!r} is not a folder")
    for item in inputs:
        if item is None or is_stdout(item):
            continue
        if _same_file(target, expand(item)):
            raise OutputError(f"refusing to write {str(path)!r}: it is also an input ({str(item)!r}); "
                              "choose another output file")
    return target


def _is_special(target: Path) -> bool:
    try:
        return not stat.S_ISREG(target.stat().st_mode)
    except FileNotFoundError:
        return False


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _open_fd(fd: int, binary: bool) -> IO[Any]:
    if binary:
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


def _device_error(path: PathLike, exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc)
    return OutputError(f"cannot write {str(path)!r}: {reason}; nothing was written")


@contextmanager
def open_output(path: PathLike | None, inputs: Iterable[PathLike | None] = (), *,
                binary: bool = False) -> Iterator[IO[Any]]:
    """A handle to write ``path`` (UTF-8 text, or bytes with ``binary``); ``-`` or None is standard output.

    The file appears, complete, when the block ends without an exception; otherwise nothing changes.
    """
    if is_stdout(path):
        stream: IO[Any] = sys.stdout.buffer if binary and hasattr(sys.stdout, "buffer") else sys.stdout
        if binary and stream is sys.stdout:
            raise OutputError("this output is binary: give a file with --output, not standard output")
        if stream is not sys.stdout:
            sys.stdout.flush()
        yield stream
        stream.flush()
        return
    assert path is not None
    target = check_output(path, inputs)
    if _is_special(target):
        try:
            with _open_fd(os.open(target, os.O_WRONLY | os.O_TRUNC), binary) as handle:
                yield handle
        except OSError as exc:
            if exc.errno in _DEVICE_ERRORS or exc.filename in (None, str(target)):
                raise _device_error(path, exc) from None
            raise
        return
    mode = _mode_for(target)
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise _device_error(path, exc) from None
    temp = Path(temp_name)
    try:
        with _open_fd(fd, binary) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        if exc.errno in _DEVICE_ERRORS or exc.filename in (temp_name, str(target)):
            raise _device_error(path, exc) from None
        raise
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_bytes(path: PathLike | None, payload: bytes, inputs: Iterable[PathLike | None] = ()) -> None:
    """Write ``payload`` to ``path`` whole or not at all (``-`` or None: standard output)."""
    with open_output(path, inputs, binary=True) as handle:
        handle.write(payload)


def write_text(path: PathLike | None, text: str, inputs: Iterable[PathLike | None] = ()) -> None:
    """Write ``text`` (UTF-8) to ``path`` whole or not at all (``-`` or None: standard output)."""
    with open_output(path, inputs) as handle:
        handle.write(text)
