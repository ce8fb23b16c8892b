"""Shared output helpers for the CLI: the console, and opening an output file or stdout."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from rich.console import Console

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False)


@contextmanager
def open_output(path: Path | None) -> Iterator[IO[str]]:
    """The file at ``path`` for writing (UTF-8), or stdout when ``path`` is None or '-'."""
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    with path.open("w", encoding="utf-8", newline="") as handle:
        yield handle
