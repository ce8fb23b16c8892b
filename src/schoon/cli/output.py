"""Shared output for the CLI: consoles that never read data as markup, tables, progress and output files.

- :data:`console` (stdout) and :data:`err_console` (stderr) have markup off: data in a message is text, so a
  device named ``[/bold]`` or ``[link=http://x]y[/link]`` is printed as it is spelled. :func:`say` and
  :func:`warn` also show control characters as escapes (:func:`schoon.safe.visible`); :func:`m` makes data
  safe inside a message that uses markup on purpose.
- :class:`DataTable`: a Rich table on a terminal, plain tab-separated values (one header line, one line per
  row, never cut to the terminal's width) when standard output is a pipe or a file.
- :func:`progress`: a bar with percentage and time left on standard error, only when it is a terminal.
- :func:`open_output`: ``schoon.outfile.open_output`` (``-`` is standard output; files are written whole or
  not at all, and never over an input).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from schoon.outfile import is_stdout, open_output
from schoon.safe import visible

console = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)

_STEP = 64  # records between updates of the bar: cheap on a million rows, smooth to the eye

__all__ = ["DataTable", "console", "err_console", "is_stdout", "m", "open_output", "progress", "say", "say_json",
           "warn"]


def say(text: str) -> None:
    """Print one line of text (data included) on standard output, control characters escaped."""
    console.print(visible(text))


def warn(text: str) -> None:
    """Print one line of text (data included) on standard error, control characters escaped."""
    err_console.print(visible(text))


def say_json(data: object) -> None:
    """Print ``data`` as indented JSON on standard output (non-ASCII kept; control characters are escaped by
    JSON itself)."""
    console.file.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def m(value: object) -> str:
    """``value`` as text safe to put inside a Rich markup string: escapes shown, ``[`` not a tag."""
    return escape(visible(str(value)))


def cell(value: object) -> Text:
    """A table cell: the value as plain text (never markup), control characters escaped; None is ``-``."""
    return Text("-" if value is None else visible(str(value)))


class DataTable:
    """Rows for the terminal (a Rich table) or for a pipe (tab-separated values, header first).

    Columns are names, or ``(name, options)`` with Rich column options used on a terminal only.
    """

    def __init__(self, *columns: str | tuple[str, dict[str, Any]], **table_options: Any) -> None:
        self.names = [c if isinstance(c, str) else c[0] for c in columns]
        self._options = [{} if isinstance(c, str) else c[1] for c in columns]
        self._table_options = table_options
        self.rows: list[list[object]] = []

    def add_row(self, *values: object) -> None:
        """Add one row (one value per column)."""
        self.rows.append(list(values))

    def show(self, out: Console | IO[str] | None = None) -> None:
        """Print the rows: a table on a terminal console, TSV otherwise (a pipe, a file, a file handle)."""
        target = out or console
        if not isinstance(target, Console) or not target.is_terminal:
            stream = target.file if isinstance(target, Console) else target
            stream.write("\t".join(self.names) + "\n")
            for row in self.rows:
                stream.write("\t".join("" if v is None else visible(str(v)) for v in row) + "\n")
            stream.flush()
            return
        table = Table(**self._table_options)
        for name, options in zip(self.names, self._options, strict=True):
            table.add_column(name, **options)
        for row in self.rows:
            table.add_row(*(cell(v) for v in row))
        target.print(table)


@contextmanager
def progress(what: str, total: int | None, *, enabled: bool = True) -> Iterator[Any]:
    """A progress bar on standard error while the block runs; yields ``advance(n=1)``.

    With a ``total`` it shows the bar, percentage, count and time left; without, a spinner, count and time
    spent. Nothing is drawn when standard error is not a terminal or ``enabled`` is false.
    """
    shown = enabled and err_console.is_terminal
    columns: list[Any]
    if total:
        columns = [TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), MofNCompleteColumn(),
                   TextColumn("eta"), TimeRemainingColumn()]
    else:
        columns = [SpinnerColumn(), TextColumn("{task.description}"), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err_console, transient=True, disable=not shown) as bar:
        task = bar.add_task(what, total=total or None)
        pending = [0]

        def advance(n: int = 1) -> None:
            pending[0] += n
            if pending[0] >= _STEP:
                bar.advance(task, pending[0])
                pending[0] = 0

        yield advance
        bar.advance(task, pending[0])


def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal (tables are drawn) or a pipe or file (TSV)."""
    return console.is_terminal and sys.stdout.isatty()
