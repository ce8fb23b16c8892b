"""``schoon report``: the national answer to parliament and the per-institution report."""

from __future__ import annotations

from pathlib import Path

import typer

from schoon.audit import Store
from schoon.audit.reportdata import build
from schoon.cli.output import console
from schoon.errors import SchoonError
from schoon.registry import default_registry
from schoon.registry.policy import check_policy, load_policy
from schoon.report import FORMATS, render
from schoon.report.model import ReportData

app = typer.Typer(help="Reports: the national answer and per-institution reports.", no_args_is_help=True)

FormatOption = typer.Option("html", "--format", "-f", help=f"One of {', '.join(FORMATS)}.")
OutputOption = typer.Option(..., "--output", "-o", help="File to write.")
LangOption = typer.Option("nl", "--lang", help="nl or en.")
PolicyOption = typer.Option("default", "--policy", "-p", help="Built-in policy name or a policy YAML file.")
AsOfOption = typer.Option(None, "--as-of", help="Report as on this date (YYYY-MM-DD); default today.")
DbOption = typer.Option(None, "--db", help="Database URL (default: the SCHOON_DB_URL setting).")


def _write(org: str | None, fmt: str, output: Path, lang: str, policy: str, as_of: str | None,
           db: str | None) -> None:
    if fmt not in FORMATS:
        raise SchoonError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if lang not in ("nl", "en"):
        raise SchoonError(f"unknown language {lang!r}: use nl or en")
    registry = default_registry()
    chosen = load_policy(policy)
    check_policy(chosen, registry)
    store = Store.open(db)
    if org is not None:
        store.org(org)
    data = ReportData.from_dict(build(store, registry, chosen, org_id=org, as_of=as_of, language=lang))
    output.parent.mkdir(parents=True, exist_ok=True)
    render(data, fmt, output)
    console.print(f"wrote {output}")


@app.command()
def national(fmt: str = FormatOption, output: Path = OutputOption, lang: str = LangOption,
             policy: str = PolicyOption, as_of: str = AsOfOption, db: str = DbOption) -> None:
    """The national answer: flagged devices across all institutions, replacement progress, exemptions."""
    _write(None, fmt, output, lang, policy, as_of, db)


@app.command()
def institution(org: str = typer.Argument(..., help="Organisation id."), fmt: str = FormatOption,
                output: Path = OutputOption, lang: str = LangOption, policy: str = PolicyOption,
                as_of: str = AsOfOption, db: str = DbOption) -> None:
    """One institution (with its agencies): its devices, progress and the evidence appendix."""
    _write(org, fmt, output, lang, policy, as_of, db)
