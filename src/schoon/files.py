"""Reading small input files (policies, decisions, lifecycle moves, registry layers) safely.

A path given by a user may name anything: ``/dev/zero`` (which never ends), a FIFO (which blocks, and can be
read only once), a directory, or a file of gigabytes where a few kilobytes are expected. Before reading,
:func:`check_file` makes sure it is a regular file no larger than the limit of its kind; :func:`read_text`
then reads it as UTF-8 (a BOM is dropped). Every failure is one :class:`~schoon.errors.DataError` naming the
file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from schoon.errors import DataError

KIB, MIB = 1024, 1024 * 1024
MAX_POLICY_BYTES = 1 * MIB
MAX_YAML_BYTES = 16 * MIB
MAX_DECISIONS_BYTES = 64 * MIB
MAX_MOVES_BYTES = 64 * MIB


def check_file(path: Path, what: str, max_bytes: int | None) -> int:
    """The size of ``path`` after checking that it is a regular file of at most ``max_bytes`` (None: any size)."""
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DataError(f"{what} not found", file=name) from None
    except (OSError, ValueError) as err:
        raise DataError(f"cannot read the {what}: {getattr(err, 'strerror', None) or err}", file=name) from None
    if stat.S_ISDIR(info.st_mode):
        raise DataError(f"the {what} is a directory, not a file", file=name)
    if not stat.S_ISREG(info.st_mode):
        raise DataError(f"the {what} is not a regular file (a device, pipe or socket); give a file", file=name)
    if max_bytes is not None and info.st_size > max_bytes:
        raise DataError(f"the {what} is {info.st_size:,} bytes; at most {max_bytes:,} are read", file=name)
    return info.st_size


def read_text(path: Path, what: str, max_bytes: int) -> str:
    """The text of a regular UTF-8 file of at most ``max_bytes`` (see :func:`check_file`)."""
    check_file(path, what, max_bytes)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        raise DataError(f"cannot read the {what}: {err.strerror or err}", file=str(path)) from None
    if len(data) > max_bytes:
        raise DataError(f"the {what} grew beyond {max_bytes:,} bytes while being read", file=str(path))
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DataError(f"the {what} is not UTF-8 text (byte {err.start + 1})", file=str(path), line=line) from None
