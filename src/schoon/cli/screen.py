"""``schoon screen``: screen one name or every name of a ledger against the registry, explained.

    schoon screen --name "Hikvision Europe B.V." [--policy default] [--as-of 2026-01-01]
    schoon screen ledger.csv [--column NAME] [--format table|jsonl|csv] [--fail-on match|flagged] [--output FILE]
    schoon screen decide "Hikari Trading" --is-not hikvision --by "J. Jansen" --note "Japanese trading house"
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table
from typer.core import TyperGroup

from schoon.cli.output import console, err_console, open_output
from schoon.errors import SchoonError
from schoon.registry import default_registry
from schoon.registry.policy import load_policy
from schoon.screen import (
    REJECTED,
    LedgerRow,
    Screener,
    ScreenResult,
    Summary,
    append_decision,
    default_path,
    load_decisions,
    read_ledger,
    screen_rows,
)
from schoon.screen.parallel import screen_rows_parallel
from schoon.screen.writers import JsonlWriter
from schoon.workers import auto_jobs

EXIT_OK, EXIT_FAIL_ON = 0, 1
RESULT_COLUMNS = ["source", "line", "name", "status", "group_id", "entity_id", "score", "matched_name",
                  "explanation", "verdict", "policy", "as_of", "listings", "relation", "verdict_explanation"]


class _DefaultGroup(TyperGroup):
    """``schoon screen FILE`` and ``schoon screen --name X`` run the hidden ``run`` command; ``decide`` is a
    subcommand."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=_DefaultGroup, help="Screen supplier and counterparty names against the registry: "
                  "schoon screen --name NAME | schoon screen FILE [options] (the 'run' command, which is the "
                  "default: see 'schoon screen run --help') | schoon screen decide NAME ...",
                  no_args_is_help=False)


class OutputFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class FailOn(StrEnum):
    match = "match"
    flagged = "flagged"


def _as_of(text: str | None) -> str | None:
    """An ISO date (2026-01-31) or a Dutch one (31-01-2026) as ISO; anything else is one error line."""
    if text is None:
        return None
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date().isoformat()
        except ValueError:
            continue
    raise SchoonError(f"--as-of must be a date (YYYY-MM-DD or DD-MM-YYYY), got {text!r}")


def _screener(decisions: Path | None, threshold: float | None, policy: str, as_of: str | None) -> Screener:
    path = decisions if decisions is not None else default_path()
    return Screener(default_registry(), load_decisions(path, missing_ok=decisions is None), threshold,
                    policy=load_policy(policy), as_of=_as_of(as_of))


def _record(row: LedgerRow | None, result: ScreenResult) -> dict[str, Any]:
    record: dict[str, Any] = result.record()
    if row is not None:
        record = {"source": row.source, "line": row.line, **record, "input": row.columns}
    return record


@app.command("run")
def run(
    file: str = typer.Argument(None, help="A CSV, XLSX or JSON-lines ledger; '-' reads standard input."),
    name: str = typer.Option(None, "--name", "-n", help="Screen this one name."),
    column: str = typer.Option(None, "--column", "-c", help="The column holding the names (default: the supplier "
                               "column, or one named name/naam/supplier/leverancier/counterparty/company ...)."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, jsonl or csv."),
    fail_on: FailOn = typer.Option(None, "--fail-on", help="'match': exit 1 if any name is a possible match; "
                                   "'flagged': exit 1 if any match is flagged under the policy."),
    threshold: float = typer.Option(None, "--threshold", help="Score for a possible match (default 0.70)."),
    decisions: Path = typer.Option(None, "--decisions", help="Analyst decisions file (default "
                                   "<data_dir>/decisions.csv)."),
    input_format: str = typer.Option(None, "--input-format", help="Override format detection."),
    output: Path = typer.Option(None, "--output", "-o", help="Write results here instead of stdout."),
    policy: str = typer.Option("default", "--policy", "-p", help="Judge matches under this policy (a built-in "
                               "name, see 'schoon registry policies', or a YAML file)."),
    as_of: str = typer.Option(None, "--as-of", help="Judge as on this date (YYYY-MM-DD or DD-MM-YYYY); default "
                              "today."),
    jobs: int = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes for a FILE (default: every core "
                             "for files of 8 MB or more, else 1); output stays in input order."),
) -> None:
    """Screen one name (--name) or every name of FILE; each match says its verdict under the policy, its listings
    and its ownership path with dates. A summary goes to stderr.

    Example: schoon screen crediteuren.csv --policy default -f csv -o screening.csv
    """
    if (name is None) == (file is None):
        raise SchoonError("give either --name NAME or a FILE ('-' for standard input), not both or neither")
    if name is not None and not name.strip():
        raise SchoonError("--name is empty")
    screener = _screener(decisions, threshold, policy, as_of)
    summary = Summary()
    if name is not None:
        results: Any = iter([(None, screener.screen(name))])
    else:
        rows = read_ledger(file, column=column, input_format=input_format)
        workers = jobs or auto_jobs([file])
        results = (screen_rows_parallel(screener, rows, workers) if workers > 1
                   else screen_rows(screener, rows))
    to_file = output is not None and str(output) != "-"
    table = Table(box=None, header_style="bold", pad_edge=False)
    for label in ("line", "name", "status", "group", "entity", "score", "verdict"):
        table.add_column(label, no_wrap=label != "name", max_width=40 if label == "name" else None)
    table.add_column("why", ratio=1, min_width=20)
    with open_output(output) as out, Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err_console,
                                              transient=True, disable=not to_file or not sys.stderr.isatty()) as bar:
        task = bar.add_task("screening", total=None)
        writer: csv.DictWriter[str] | None = None
        jsonl = JsonlWriter(out)
        for row, result in results:
            summary.add(result)
            if result.status == REJECTED:
                err_console.print(f"schoon: {result.explanation}", markup=False, soft_wrap=True)
            if (summary.names + summary.rejected) % 1000 == 0:
                bar.update(task, description=f"screened {summary.names:,} names")
            if fmt is OutputFormat.jsonl:
                jsonl.write(row, result)
            elif fmt is OutputFormat.csv:
                record = _record(row, result)
                flat = {k: v for k, v in record.items() if k not in ("input", "ownership", "basis")}
                flat["listings"] = " ".join(record["listings"])
                own = {k: v for k, v in record.get("input", {}).items() if k not in flat}
                if writer is None:
                    writer = csv.DictWriter(out, fieldnames=[*RESULT_COLUMNS, *own], extrasaction="ignore")
                    writer.writeheader()
                writer.writerow({**flat, **{k: v if isinstance(v, str) else json.dumps(v) for k, v in own.items()}})
            else:
                score = "" if result.score is None else f"{result.score:.2f}"
                why = result.explanation if result.judgement is None else \
                    f"{result.judgement.explanation} (match: {result.explanation})"
                table.add_row("" if row is None else str(row.line or ""), result.name or "", result.status,
                              result.group_id or "-", result.entity_id or "-", score, result.verdict or "-", why)
        if fmt is OutputFormat.table:
            console.print(table)
    for line in summary.lines(screener.threshold):
        err_console.print(line, markup=False, soft_wrap=True)
    failed = (fail_on is FailOn.match and sum(summary.matches.values()) > 0) or \
        (fail_on is FailOn.flagged and summary.flagged > 0)
    raise typer.Exit(EXIT_FAIL_ON if failed else EXIT_OK)


@app.command("decide")
def decide(
    name: str = typer.Argument(..., help="The name as it appears in ledgers."),
    is_: str = typer.Option(None, "--is", help="The name IS this registry entity."),
    is_not: str = typer.Option(None, "--is-not", help="The name is NOT this registry entity."),
    by: str = typer.Option(..., "--by", help="Who decides (name or initials)."),
    note: str = typer.Option("", "--note", help="Why, in one line."),
    decisions: Path = typer.Option(None, "--decisions", help="Decisions file (default <data_dir>/decisions.csv)."),
) -> None:
    """Record an analyst decision: NAME is (or is not) an entity; applied before scoring from then on."""
    if (is_ is None) == (is_not is None):
        raise SchoonError("give exactly one of --is ENTITY or --is-not ENTITY")
    entity = is_ if is_ is not None else is_not
    registry = default_registry()
    if entity not in registry.entities:
        raise SchoonError(f"unknown entity {entity!r} (see schoon registry search)")
    path = decisions if decisions is not None else default_path()
    load_decisions(path)  # refuse to append to a file that is already broken
    decision = append_decision(path, name, entity, is_match=is_ is not None, by=by, note=note)
    verb = "is" if decision.is_match else "is not"
    err_console.print(f"recorded in {path}: '{decision.name}' {verb} {entity} (by {decision.by}, {decision.date})",
                      markup=False)
