"""``schoon report``: the national answer to parliament and the per-institution report."""

from __future__ import annotations

import typer

from schoon.audit import Store
from schoon.audit.reportdata import build
from schoon.cli.options import (
    csv_dialect,
    csv_dialect_option,
    date_option,
    db_option,
    excel_nl_option,
    lang_option,
    policy_option,
    report_format_option,
)
from schoon.cli.output import is_stdout, open_output, say, stdout_is_terminal
from schoon.errors import SchoonError
from schoon.outfile import check_output
from schoon.registry import default_registry
from schoon.registry.policy import check_policy, load_policy
from schoon.report import render_bytes
from schoon.report.model import ReportData
from schoon.settings import DbUse, check_db_url, sqlite_path

app = typer.Typer(help="Reports: the national answer and per-institution reports.", no_args_is_help=True)

FormatOption = report_format_option()
OutputOption = typer.Option(..., "--output", "-o", metavar="FILE",
                            help="File to write ('-': standard output; PDF and XLSX need a file or a pipe).")
LangOption = lang_option()
PolicyOption = policy_option()
AsOfOption = date_option("--as-of", help="Report as on this date; default today")
DbOption = db_option()
TEXT_FORMATS = ("html", "csv", "json")
DialectOption = csv_dialect_option("excel-nl for --lang nl, standard for en")
ExcelNlOption = excel_nl_option()


def _write(org: str | None, fmt: str, output: str, lang: str, policy: str, as_of: str | None,
           db: str | None, dialect: str | None, excel_nl: bool) -> None:
    chosen_dialect = csv_dialect(dialect, excel_nl)
    url = check_db_url(db, DbUse.READ)
    database = sqlite_path(url)
    inputs = [database] if database else []
    if not is_stdout(output):
        check_output(output, inputs)  # refuse a bad output before the work, not after
    elif fmt not in TEXT_FORMATS and stdout_is_terminal():
        raise SchoonError(f"a {fmt} report is binary: give a file with --output, or pipe it")
    registry = default_registry()
    chosen = load_policy(policy)
    check_policy(chosen, registry)
    store = Store.open(url)
    if org is not None:
        store.org(org)
    data = ReportData.from_dict(build(store, registry, chosen, org_id=org, as_of=as_of, language=lang))
    payload = render_bytes(data, fmt, None if chosen_dialect is None else chosen_dialect.value)
    if fmt in TEXT_FORMATS:
        with open_output(output, inputs) as text:
            text.write(payload.decode("utf-8"))
    else:
        with open_output(output, inputs, binary=True) as handle:
            handle.write(payload)
    if not is_stdout(output):
        say(f"wrote {output}")


@app.command()
def national(fmt: str = FormatOption, output: str = OutputOption, lang: str = LangOption,
             policy: str = PolicyOption, as_of: str = AsOfOption, db: str = DbOption,
             dialect: str = DialectOption, excel_nl: bool = ExcelNlOption) -> None:
    """The national answer: flagged devices across all institutions, replacement progress, exemptions.

    Example: schoon report national --format pdf --lang nl --as-of 28-11-2026 -o antwoord-kamer.pdf
    """
    _write(None, fmt, output, lang, policy, as_of, db, dialect, excel_nl)


@app.command()
def institution(org: str = typer.Argument(..., metavar="ORG", help="Organisation id."), fmt: str = FormatOption,
                output: str = OutputOption, lang: str = LangOption, policy: str = PolicyOption,
                as_of: str = AsOfOption, db: str = DbOption, dialect: str = DialectOption,
                excel_nl: bool = ExcelNlOption) -> None:
    """One institution (with its agencies): its devices, progress and the evidence appendix.

    Example: schoon report institution mvz --format xlsx --lang nl -o mvz.xlsx
    """
    _write(org, fmt, output, lang, policy, as_of, db, dialect, excel_nl)
