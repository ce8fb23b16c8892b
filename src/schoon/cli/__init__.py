"""The ``schoon`` command: a thin adapter over the library, one module per verb.

The verbs are loaded lazily: ``schoon identify ...`` imports the identify module only (not the audit store's
SQLAlchemy, the report renderers or openpyxl), and ``schoon --help`` imports none of them (its command list
comes from :data:`VERBS`; a test checks that each summary is the verb's own help).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import typer
from typer._click import exceptions as click_errors  # Typer's own copy of Click: its usage errors
from typer.core import TyperCommand, TyperGroup

from schoon import __version__
from schoon.cli import coerce
from schoon.cli.helptext import install
from schoon.errors import SchoonError
from schoon.safe import visible

# verb -> (module, attribute, one-line summary for ``schoon --help``); the attribute is a Typer app (a group of
# subcommands) or a command function.
VERBS: dict[str, tuple[str, str, str]] = {
    "registry": ("schoon.cli.registry", "app",
                 "The registry of companies, brands, relabels, listings and evidence."),
    "identify": ("schoon.cli.identify", "identify",
                 "Identify the true maker of every record in FILES and judge it under a policy."),
    "screen": ("schoon.cli.screen", "app", "Screen supplier and counterparty names against the registry: "
               "schoon screen --name NAME | schoon screen FILE [options] (the 'run' command, which is the default: "
               "see 'schoon screen run --help') | schoon screen decide NAME ..."),
    "audit": ("schoon.cli.audit", "app", "Institutions, sites, snapshots, devices and their replacement."),
    "report": ("schoon.cli.report", "app", "Reports: the national answer and per-institution reports."),
    "discover": ("schoon.cli.discover", "discover",
                 "Probe an authorised scope, identify-only, and write one observation per responsive host."),
    "capabilities": ("schoon.cli.capabilities", "capabilities", "Classify capability documents (Hikvision ISAPI "
                     "XML, Dahua exports) into face and people-analytics findings."),
    "measure": ("schoon.cli.measure", "measure",
                "Count exposed devices of listed makers in scan data: aggregates only, small cells as <5."),
    "user": ("schoon.cli.accounts", "user_app",
             "Users of the web service: add, list, disable, enable, set a password, unlock."),
    "token": ("schoon.cli.accounts", "token_app",
              "API tokens (Authorization: Bearer) of the web service: create, list, revoke."),
    "db": ("schoon.cli.accounts", "db_app",
           "Database roles: the web service's application role (PostgreSQL row-level security)."),
    "serve": ("schoon.cli.serve", "serve",
              "Serve the web pages and the API (/api/v1, OpenAPI at /api/v1/openapi.json)."),
}


def verb_command(name: str) -> Any:
    """The click command of one verb, built from its module (imported now)."""
    module_name, attribute, _ = VERBS[name]
    target = getattr(importlib.import_module(module_name), attribute)
    if isinstance(target, typer.Typer):
        return typer.main.get_group(target)
    single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    single.command(name)(target)
    return typer.main.get_command(single)


class LazyGroup(TyperGroup):
    """The root group: lists the verbs from :data:`VERBS` and imports a verb's module only when it runs."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(VERBS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in VERBS:
            return None
        if self._listing:  # the help page only needs names and summaries
            return TyperCommand(name=cmd_name, help=VERBS[cmd_name][2])
        command = self.commands.get(cmd_name)
        if command is None:
            command = self.commands[cmd_name] = verb_command(cmd_name)
            command.name = cmd_name
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    cls=LazyGroup,
    name="schoon",
    help="Find, prove and phase out equipment made by companies implicated in human-rights abuses.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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


def command() -> Any:
    """The Click command tree of the app, with readable metavars (see :mod:`schoon.cli.helptext`)."""
    install()
    coerce.install()
    return typer.main.get_command(app)


def _usage_line(exc: click_errors.UsageError) -> str:
    hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
    return f"{exc.format_message()}{hint}"


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app. A SchoonError or a refused option becomes one line on stderr and exit code 2;
    a closed pipe (``schoon ... | head``) ends quietly."""
    try:
        code = command().main(args=argv, prog_name="schoon", standalone_mode=False)
    except click_errors.NoArgsIsHelpError as exc:
        print(exc.ctx.get_help())
        code = 0
    except click_errors.UsageError as exc:
        print(f"schoon: error: {visible(_usage_line(exc))}", file=sys.stderr)
        code = 2
    except click_errors.ClickException as exc:
        print(f"schoon: error: {visible(exc.format_message())}", file=sys.stderr)
        code = exc.exit_code or 2
    except typer.Abort:
        print("schoon: aborted", file=sys.stderr)
        code = 1
    except SchoonError as exc:
        print(f"schoon: error: {visible(str(exc))}", file=sys.stderr)
        code = 2
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes stdout at exit
        code = 1
    sys.exit(code if isinstance(code, int) else 0)
