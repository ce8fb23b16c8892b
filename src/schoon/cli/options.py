"""Options shared by the commands, each parsed and validated before a command runs.

Dates go through :func:`schoon.dates.parse_date` (ISO or Dutch, nothing else) and reach the library as ISO
strings; choices are checked against the library's own lists, so a typo is refused with the valid choices;
the database URL and output paths are checked by :mod:`schoon.settings` and :mod:`schoon.outfile`. Every
refusal is one line (``schoon: error: ...``, exit 2). Metavars say what to type (``DATE``, ``FILE``, ``URL``),
never an internal type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import typer

from schoon.csvout import CsvDialect
from schoon.dates import DATE_FORMS, DateError, parse_date

LANGUAGES = ("nl", "en")
VERDICTS = ("flagged", "clear", "unknown")


def choices_metavar(choices: Sequence[str]) -> str:
    """``[a|b|c]``: the metavar of an option that takes one of ``choices``."""
    return "[" + "|".join(choices) + "]"


def choice(what: str, choices: Sequence[str] | Callable[[], Sequence[str]]) -> Callable[[str], str]:
    """A parser accepting one of ``choices`` (exactly, or ignoring case); anything else is refused with the
    list. ``choices`` may be a function, for lists that grow at run time."""

    def parse(value: str) -> str:
        options = list(choices() if callable(choices) else choices)
        text = value.strip()
        if text in options:
            return text
        folded = {o.lower(): o for o in options}
        if text.lower() in folded:
            return folded[text.lower()]
        raise typer.BadParameter(f"{value!r} is not a {what}; choose one of {', '.join(options)}")

    return parse


def iso_date(value: str) -> str:
    """Parser for date options: ``2026-11-28`` or ``28-11-2026`` as ``"2026-11-28"``; else refused."""
    try:
        return parse_date(value, "date").isoformat()
    except DateError as exc:
        raise typer.BadParameter(exc.reason) from None


def date_option(*names: str, help: str) -> Any:
    """An optional date option (``--as-of``, ``--date``, ...) parsed by :func:`iso_date`."""
    return typer.Option(None, *names, metavar="DATE", parser=iso_date, help=f"{help} ({DATE_FORMS}).")


def db_option() -> Any:
    """The ``--db URL`` option (checked by :func:`schoon.settings.check_db_url` when the store opens)."""
    return typer.Option(None, "--db", metavar="URL",
                        help="Database URL, e.g. sqlite:///audit.db or postgresql://host/db "
                             "(default: the SCHOON_DB_URL setting).")


def policy_option() -> Any:
    """The ``--policy`` option: a built-in policy name or a policy YAML file."""
    return typer.Option("default", "--policy", "-p", metavar="POLICY",
                        help="Built-in policy name (see 'schoon registry policies') or a policy YAML file.")


def lang_option(default: str = "nl") -> Any:
    """The ``--lang`` option of reports."""
    return typer.Option(default, "--lang", metavar=choices_metavar(LANGUAGES), parser=choice("language", LANGUAGES),
                        help="Language of the report.")


def report_format_option() -> Any:
    """The ``--format`` option of reports."""
    from schoon.report import FORMATS  # here: the report package (pydantic models) is no cost for other verbs

    return typer.Option("html", "--format", "-f", metavar=choices_metavar(FORMATS),
                        parser=choice("report format", FORMATS), help="Report format.")


def csv_dialect_option(default_help: str = "standard") -> Any:
    """``--csv-dialect``: ``standard`` (``,``) or ``excel-nl`` (``;``, BOM, decimal comma); ``--excel-nl`` is
    short for the latter (see :func:`csv_dialect`)."""
    return typer.Option(None, "--csv-dialect", metavar=choices_metavar([d.value for d in CsvDialect]),
                        parser=choice("CSV dialect", [d.value for d in CsvDialect]),
                        help=f"CSV for scripts (standard: ',') or for Dutch Excel (excel-nl: ';', UTF-8 with "
                             f"BOM, decimal comma); default {default_help}.")


def excel_nl_option() -> Any:
    """``--excel-nl``: the same as ``--csv-dialect excel-nl``."""
    return typer.Option(False, "--excel-nl", help="Short for --csv-dialect excel-nl.")


def csv_dialect(chosen: str | None, excel_nl: bool) -> CsvDialect | None:
    """The dialect asked for by ``--csv-dialect`` and ``--excel-nl`` (None: the command's default)."""
    if excel_nl and chosen not in (None, CsvDialect.excel_nl.value):
        raise typer.BadParameter(f"--excel-nl and --csv-dialect {chosen} contradict each other")
    if excel_nl:
        return CsvDialect.excel_nl
    return None if chosen is None else CsvDialect(chosen)
