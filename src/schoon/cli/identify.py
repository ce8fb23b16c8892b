"""``schoon identify``: name the true maker of every record, judge it under a policy, explain why."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import IO

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from schoon.cli.output import console, err_console, open_output
from schoon.errors import SchoonError
from schoon.identify import Engine
from schoon.identify.parallel import EngineSpec, auto_jobs, identify_parallel
from schoon.identify.report import (
    CSV_COLUMNS,
    Summary,
    explain,
    finding_row,
    record_id,
    short_reason,
)
from schoon.identify.writers import JsonlWriter
from schoon.ingest import Reject, read
from schoon.observation import Observation
from schoon.registry import default_registry
from schoon.registry.policy import check_policy, load_policy

EXIT_OK, EXIT_FAIL_ON, EXIT_ERROR = 0, 1, 2


class OutputFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class FailOn(StrEnum):
    flagged = "flagged"
    unknown = "unknown"
    reject = "reject"


def _column_map(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        if not sep or not column.strip() or not target.strip():
            raise SchoonError(f"--map expects COLUMN=FIELD, got {pair!r}")
        mapping[column.strip()] = target.strip()
    return mapping


def _write_parallel(records: Iterable[Observation | Reject], spec: EngineSpec, jobs: int, fmt: OutputFormat,
                    out: IO[str], summary: Summary, reject_rows: list[Reject], only_flagged: bool,
                    explain_chain: bool) -> None:
    """The record loop of :func:`identify` over ``jobs`` worker processes (jsonl and csv output)."""
    for item in identify_parallel(records, spec, jobs, fmt.value, explain_chain):
        if isinstance(item, Reject):
            summary.rejects += 1
            reject_rows.append(item)
            err_console.print(f"schoon: rejected {item.source}:{item.row}: {item.message}", markup=False)
            continue
        summary.count(item.verdict, item.group_id, item.device_type, item.relabel)
        if only_flagged and item.verdict != "flagged":
            continue
        out.write(item.text)
        for line in item.explained:
            err_console.print(line, markup=False)


def identify(
    files: list[str] = typer.Argument(..., help="Input files; '-' reads standard input."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, jsonl or csv."),
    policy: str = typer.Option("default", "--policy", "-p", help="Built-in policy name or a policy YAML file."),
    only_flagged: bool = typer.Option(False, "--only-flagged", help="Output flagged records only."),
    explain_chain: bool = typer.Option(False, "--explain", help="Print each record's evidence chain in words."),
    fail_on: list[FailOn] = typer.Option([], "--fail-on", help="Exit 1 if any record is flagged / unknown / "
                                         "rejected (repeatable)."),
    input_format: str = typer.Option(None, "--input-format", help="Override format detection."),
    column_map: list[str] = typer.Option([], "--map", help="Map an input column to a field: COLUMN=FIELD."),
    rejects: Path = typer.Option(None, "--rejects", help="Write rejected rows to this CSV file."),
    output: Path = typer.Option(None, "--output", "-o", help="Write records here instead of stdout."),
    as_of: str = typer.Option(None, "--as-of", help="Judge as on this date (YYYY-MM-DD); default today."),
    jobs: int = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes for jsonl/csv output (default: "
                             "every core for inputs of 8 MB or more, else 1); output stays in input order."),
) -> None:
    """Identify the true maker of every record in FILES and judge it under a policy."""
    registry = default_registry()
    chosen = load_policy(policy)
    check_policy(chosen, registry)
    engine = Engine(registry, policy=chosen, as_of=as_of)
    mapping = _column_map(column_map)
    summary = Summary()
    reject_rows: list[Reject] = []
    wide = console.width >= 120
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("id", no_wrap=True, max_width=24)
    table.add_column("verdict", no_wrap=True)
    table.add_column("maker", max_width=22)
    if wide:
        table.add_column("brand", max_width=16)
        table.add_column("model", max_width=20, overflow="fold")
    table.add_column("type", no_wrap=True)
    table.add_column("conf.", no_wrap=True, justify="right")
    table.add_column("why", ratio=1, min_width=16)
    to_file = output is not None and str(output) != "-"
    with open_output(output) as out, Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                              console=err_console, transient=True,
                                              disable=not to_file or not sys.stderr.isatty()) as progress:
        task = progress.add_task("identifying", total=None)
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS) if fmt is OutputFormat.csv else None
        if writer is not None:
            writer.writeheader()
        jsonl = JsonlWriter(out)
        workers = 1 if fmt is OutputFormat.table else (jobs or auto_jobs(files))
        for path in files:
            records = read(path, input_format=input_format, column_map=mapping)
            if workers > 1:
                _write_parallel(records, EngineSpec(policy, as_of), workers, fmt, out, summary, reject_rows,
                                only_flagged, explain_chain)
                continue
            for item in records:
                if isinstance(item, Reject):
                    summary.rejects += 1
                    reject_rows.append(item)
                    err_console.print(f"schoon: rejected {item.source}:{item.row}: {item.message}", markup=False)
                    continue
                finding = engine.run(item)
                summary.add(finding)
                if summary.records % 1000 == 0:
                    progress.update(task, description=f"identified {summary.records:,} records")
                if only_flagged and finding.verdict != "flagged":
                    continue
                if fmt is OutputFormat.jsonl:
                    jsonl.write(finding)
                elif writer is not None:
                    writer.writerow(finding_row(finding))
                else:
                    ident = finding.identification
                    maker = ident.manufacturer or "-"
                    if ident.manufacturer_id:
                        maker = engine.display_name(ident.manufacturer_id)
                    label = [ident.brand or "-", ident.model or "-"] if wide else []
                    table.add_row(record_id(finding), finding.verdict, maker, *label, ident.device_type or "-",
                                  f"{ident.confidence:.2f}", short_reason(finding))
                if explain_chain:
                    for line in explain(finding):
                        err_console.print(line, markup=False)
        if fmt is OutputFormat.table:
            console.print(table)
    if rejects is not None:
        with rejects.open("w", encoding="utf-8", newline="") as handle:
            rejects_writer = csv.writer(handle)
            rejects_writer.writerow(["source", "row", "message", "raw"])
            for rej in reject_rows:
                rejects_writer.writerow([rej.source, rej.row or "", rej.message, rej.raw or ""])
    for line in summary.lines():
        err_console.print(line, markup=False)
    failed = ((FailOn.flagged in fail_on and summary.verdicts["flagged"] > 0)
              or (FailOn.unknown in fail_on and summary.verdicts["unknown"] > 0)
              or (FailOn.reject in fail_on and summary.rejects > 0))
    raise typer.Exit(EXIT_FAIL_ON if failed else EXIT_OK)
