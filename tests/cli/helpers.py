"""Run the ``schoon`` command in-process, as a user would, capturing exit code and both streams."""

from __future__ import annotations

import io
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

from schoon.cli import main


@dataclass
class Run:
    code: int
    out: str
    err: str


def run(*args: str, stdin: str | bytes | None = None) -> Run:
    """Invoke ``schoon ARGS``; stdin may be given as text or bytes."""
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    if stdin is not None:
        raw = stdin.encode() if isinstance(stdin, str) else stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    code = 0
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exc:
                code = int(exc.code or 0) if not isinstance(exc.code, str) else 1
    finally:
        sys.stdin = old_stdin
    return Run(code, out.getvalue(), err.getvalue())
