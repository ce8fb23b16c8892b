"""The ``schoon`` command: a thin adapter over the library, one module per verb."""

from __future__ import annotations

import sys

import typer

from schoon import __version__
from schoon.cli import audit as audit_cli
from schoon.cli import identify as identify_cli
from schoon.cli import registry as registry_cli
from schoon.cli import report as report_cli
from schoon.errors import SchoonError

app = typer.Typer(
    name="schoon",
    help="Find, prove and phase out equipment made by companies implicated in human-rights abuses.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(registry_cli.app, name="registry")
app.command("identify")(identify_cli.identify)
app.add_typer(__import__("schoon.cli.screen", fromlist=["app"]).app, name="screen")
app.add_typer(audit_cli.app, name="audit")
app.add_typer(report_cli.app, name="report")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"schoon {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Find, prove and phase out equipment made by companies implicated in human-rights abuses."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app; a SchoonError becomes one line on stderr and exit code 2."""
    try:
        app(args=argv)
    except SchoonError as exc:
        print(f"schoon: error: {exc}", file=sys.stderr)
        sys.exit(2)
