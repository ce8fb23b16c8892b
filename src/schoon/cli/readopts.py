"""The reader options every command that reads input files takes, defined once (thin: the meaning lives in
:class:`schoon.ingest.ReadOptions` and :class:`schoon.ingest.problems.Problems`)."""

from __future__ import annotations

from collections.abc import Callable

import typer

from schoon.cli.options import choice, choices_metavar
from schoon.cli.output import say, warn
from schoon.ingest import FORMATS, ReadOptions
from schoon.ingest.columns import describe_columns
from schoon.ingest.problems import Problems

InputFormatOption = typer.Option(None, "--input-format", metavar=choices_metavar(FORMATS),
                                 parser=choice("input format", FORMATS), help="Override format detection.")
MapOption = typer.Option([], "--map", metavar="COLUMN=FIELD", help="Map an input column to a field: COLUMN=FIELD.")
RejectsOption = typer.Option(None, "--rejects", metavar="FILE", help="Write rejected rows and dropped cells to this "
                             "CSV file; stderr then gets only the counts.")
SheetOption = typer.Option(None, "--sheet", help="xlsx: the sheet to read, by name or number (default: the first).")
HeaderRowOption = typer.Option(None, "--header-row", min=1, help="The line (xlsx: row) of the header; rows above "
                               "it are skipped (default: found, below any title rows).")
DelimiterOption = typer.Option(None, "--delimiter", help="Delimited text: the delimiter (';', ',', tab, '|'); "
                               "default: detected.")
EncodingOption = typer.Option(None, "--encoding", help="Delimited text: the encoding (utf-8, cp1252, utf-16 ...); "
                              "default: detected.")
ShowColumnsOption = typer.Option(False, "--show-columns", help="Print how each column of each file will be read "
                                 "(column -> field or extra) and stop; identifies nothing.")


def column_map(pairs: list[str]) -> dict[str, str]:
    """``--map COLUMN=FIELD`` pairs as a mapping; a pair without ``=`` is an error."""
    from schoon.errors import SchoonError

    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        if not sep or not column.strip() or not target.strip():
            raise SchoonError(f"--map expects COLUMN=FIELD, got {pair!r}")
        mapping[column.strip()] = target.strip()
    return mapping


def read_options(input_format: str | None = None, pairs: list[str] | None = None, sheet: str | None = None,
                 header_row: int | None = None, delimiter: str | None = None,
                 encoding: str | None = None) -> ReadOptions:
    """One :class:`ReadOptions` from the command line's reader options (validated there)."""
    fmt = getattr(input_format, "value", input_format)
    return ReadOptions(input_format=fmt, column_map=column_map(pairs or []) or None, sheet=sheet,
                       header_row=header_row, delimiter=delimiter, encoding=encoding)


def show_columns(files: list[str], options: ReadOptions) -> None:
    """Print how each file's columns will be read, then stop (exit 0)."""
    for path in files:
        for line in describe_columns(path, options):
            say(line)
    raise typer.Exit(0)


def problems(write: Callable[[list[str]], None] | None = None, where: str | None = None) -> Problems:
    """Where rejects and dropped cells go: ``write`` (a rows writer for the ``--rejects`` file, header included
    by the caller as :data:`schoon.ingest.problems.COLUMNS`), or the first few to stderr."""
    return Problems(warn, write, where)
