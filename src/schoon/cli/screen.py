"""``schoon screen``: screen one name or every name of a ledger against the registry, explained.

    schoon screen --name "Hikvision Europe B.V." [--policy default] [--as-of 28-11-2026]
    schoon screen ledger.csv [--column NAME] [--format table|jsonl|csv] [--fail-on match|flagged] [--output FILE]
    schoon screen decide "Hikari Trading" --is-not hikvision --by "J. Jansen" --note "Japanese trading house"
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from schoon.cli import readopts
from schoon.cli.options import (
    csv_dialect,
    csv_dialect_option,
    date_option,
    excel_nl_option,
    policy_option,
)
from schoon.cli.output import DataTable, is_stdout, open_output, progress, stdout_is_terminal, warn
from schoon.csvout import CsvDialect, CsvValue, CsvWriter
from schoon.errors import SchoonError
from schoon.estimate import estimate_total
from schoon.outfile import check_output
from schoon.registry import default_registry
from schoon.registry.policy import load_policy
from schoon.screen import (
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


def _screener(decisions: Path | None, threshold: float | None, policy: str, as_of: str | None) -> Screener:
    path = decisions if decisions is not None else default_path()
    return Screener(default_registry(), load_decisions(path, missing_ok=decisions is None), threshold,
                    policy=load_policy(policy), as_of=as_of)


def _record(row: LedgerRow | None, result: ScreenResult) -> dict[str, Any]:
    record: dict[str, Any] = result.record()
    if row is not None:
        record = {"source": row.source, "line": row.line, **record, "input": row.columns}
    return record


@app.command("run")
def run(
    file: str = typer.Argument(None, metavar="FILE", help="A CSV, XLSX or JSON-lines ledger; '-' reads standard "
                               "input."),
    name: str = typer.Option(None, "--name", "-n", metavar="NAME", help="Screen this one name."),
    column: str = typer.Option(None, "--column", "-c", metavar="COLUMN", help="The column holding the names "
                               "(default: the supplier column, or one named name/naam/supplier/leverancier/"
                               "counterparty/company ...)."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f",
                                     help="table (TSV when the output is not a terminal), jsonl or csv."),
    fail_on: FailOn = typer.Option(None, "--fail-on", help="'match': exit 1 if any name is a possible match; "
                                   "'flagged': exit 1 if any match is flagged under the policy."),
    threshold: float = typer.Option(None, "--threshold", metavar="SCORE", min=0.0, max=1.0,
                                    help="Score (0 to 1) for a possible match (default 0.70)."),
    decisions: Path = typer.Option(None, "--decisions", metavar="FILE", help="Analyst decisions file (default "
                                   "<data_dir>/decisions.csv)."),
    input_format: str = readopts.InputFormatOption,
    column_map: list[str] = readopts.MapOption,
    sheet: str = readopts.SheetOption,
    header_row: int = readopts.HeaderRowOption,
    delimiter: str = readopts.DelimiterOption,
    encoding: str = readopts.EncodingOption,
    show_columns: bool = readopts.ShowColumnsOption,
    output: str = typer.Option(None, "--output", "-o", metavar="FILE",
                               help="Write results here instead of standard output ('-')."),
    policy: str = policy_option(),
    as_of: str = date_option("--as-of", help="Judge as on this date; default today"),
    dialect: str = csv_dialect_option(),
    excel_nl: bool = excel_nl_option(),
    jobs: int = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes for a FILE (default: every core "
                             "for files of 8 MB or more, else 1); output stays in input order."),
) -> None:
    """Screen one name (--name) or every name of FILE; each match says its verdict under the policy, its listings
    and its ownership path with dates. A summary goes to stderr.

    Example: schoon screen crediteuren.xlsx --column Crediteurnaam --format csv --excel-nl -o screened.csv
    """
    if (name is None) == (file is None):
        raise SchoonError("give either --name NAME or a FILE ('-' for standard input), not both or neither")
    if name is not None and not name.strip():
        raise SchoonError("--name is empty")
    options = readopts.read_options(input_format, column_map, sheet, header_row, delimiter, encoding)
    if show_columns:
        if file is None:
            raise SchoonError("--show-columns needs a FILE")
        readopts.show_columns([file], options)
    problems = readopts.problems()
    log = problems.log()
    csv_style = csv_dialect(dialect, excel_nl) or CsvDialect.standard
    inputs: list[str | Path | None] = [file, decisions]
    if not is_stdout(output):
        check_output(output, inputs)  # before any work
    screener = _screener(decisions, threshold, policy, as_of)
    summary = Summary()
    if name is not None:
        results: Any = iter([(None, screener.screen(name))])
    else:
        rows = read_ledger(file, column=column, options=options, log=log)
        workers = jobs or auto_jobs([file])
        results = (screen_rows_parallel(screener, rows, workers) if workers > 1
                   else screen_rows(screener, rows))
    table = DataTable("line", ("name", {"max_width": 40}), ("status", {"no_wrap": True}),
                      ("group", {"no_wrap": True}), ("entity", {"no_wrap": True}), ("score", {"no_wrap": True}),
                      ("verdict", {"no_wrap": True}), ("why", {"ratio": 1, "min_width": 20}), box=None,
                      header_style="bold", pad_edge=False)
    streaming_to_terminal = is_stdout(output) and fmt is not OutputFormat.table and stdout_is_terminal()
    with open_output(output, inputs=inputs) as out, progress(
            "screening", None if file is None else estimate_total([file]),
            enabled=not streaming_to_terminal and file is not None) as advance:
        writer: CsvWriter | None = None
        columns: list[str] = []
        jsonl = JsonlWriter(out)
        for row, result in results:
            advance()
            summary.add(result)
            if fmt is OutputFormat.jsonl:
                jsonl.write(row, result)
            elif fmt is OutputFormat.csv:
                record = _record(row, result)
                flat = {k: v for k, v in record.items() if k not in ("input", "ownership", "basis")}
                flat["listings"] = " ".join(record["listings"])
                own = {k: v for k, v in record.get("input", {}).items() if k not in flat}
                if writer is None:
                    writer = CsvWriter(out, csv_style)
                    columns = [*RESULT_COLUMNS, *own]
                    writer.row(columns)
                values = {**flat, **{k: v if isinstance(v, str) else json.dumps(v) for k, v in own.items()}}
                writer.row([_csv_cell(values.get(c)) for c in columns])
            else:
                score = "" if result.score is None else f"{result.score:.2f}"
                why = result.explanation if result.judgement is None else \
                    f"{result.judgement.explanation} (match: {result.explanation})"
                table.add_row("" if row is None else str(row.line or ""), result.name or "", result.status,
                              result.group_id or "-", result.entity_id or "-", score, result.verdict or "-", why)
        if fmt is OutputFormat.table:
            table.show(None if is_stdout(output) else out)
    lines = [f"{file}: {log.summary()}"] if file is not None else []
    for line in [*lines, *problems.lines(), *summary.lines(screener.threshold)]:
        warn(line)
    failed = (fail_on is FailOn.match and sum(summary.matches.values()) > 0) or \
        (fail_on is FailOn.flagged and summary.flagged > 0)
    raise typer.Exit(EXIT_FAIL_ON if failed else EXIT_OK)


def _csv_cell(value: Any) -> CsvValue:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False)


@app.command("decide")
def decide(
    name: str = typer.Argument(..., metavar="NAME", help="The name as it appears in ledgers."),
    is_: str = typer.Option(None, "--is", metavar="ENTITY", help="The name IS this registry entity."),
    is_not: str = typer.Option(None, "--is-not", metavar="ENTITY", help="The name is NOT this registry entity."),
    by: str = typer.Option(..., "--by", metavar="WHO", help="Who decides (name or initials)."),
    note: str = typer.Option("", "--note", metavar="NOTE", help="Why, in one line."),
    decisions: Path = typer.Option(None, "--decisions", metavar="FILE",
                                   help="Decisions file (default <data_dir>/decisions.csv)."),
) -> None:
    """Record an analyst decision: NAME is (or is not) an entity; applied before scoring from then on.

    Example: schoon screen decide "Hikari Trading" --is-not hikvision --by "J. Jansen" --note "Japanese trader"
    """
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
    warn(f"recorded in {path}: '{decision.name}' {verb} {entity} (by {decision.by}, {decision.date})")
