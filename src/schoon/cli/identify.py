"""``schoon identify``: name the true maker of every record, judge it under a policy, explain why."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import ExitStack
from enum import StrEnum
from typing import IO, Any

import typer

from schoon.cli import readopts
from schoon.cli.options import (
    csv_dialect,
    csv_dialect_option,
    date_option,
    excel_nl_option,
    policy_option,
)
from schoon.cli.output import DataTable, console, is_stdout, open_output, progress, stdout_is_terminal, warn
from schoon.csvout import CsvDialect, CsvWriter
from schoon.errors import SchoonError
from schoon.estimate import estimate_total
from schoon.identify import Engine
from schoon.identify.parallel import EngineSpec, auto_jobs, identify_parallel
from schoon.identify.repeats import Repeats
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
from schoon.ingest.problems import COLUMNS as PROBLEM_COLUMNS
from schoon.observation import Observation
from schoon.outfile import check_output
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


def _reject(summary: Summary) -> None:
    summary.rejects += 1  # the reading's log has passed it on (rejects file or stderr) and counted it


def _write_parallel(records: Iterable[Observation | Reject], spec: EngineSpec, jobs: int, fmt: str,
                    out: IO[str], summary: Summary, only_flagged: bool, explain_chain: bool, advance: Any) -> None:
    """The record loop of :func:`identify` over ``jobs`` worker processes (jsonl and csv output)."""
    for item in identify_parallel(records, spec, jobs, fmt, explain_chain):
        advance()
        if isinstance(item, Reject):
            _reject(summary)
            continue
        summary.count(item.verdict, item.group_id, item.device_type, item.relabel)
        if only_flagged and item.verdict != "flagged":
            continue
        out.write(item.text)
        for line in item.explained:
            warn(line)


def _repeat_writer(repeats: Repeats, out: IO[str], summary: Summary, only_flagged: bool,
                   advance: Any) -> Callable[[str, str, int], bool]:
    """The reader's shortcut (``schoon.ingest.jsonl``): a repeated record is counted and its line copied."""
    find, count, write = repeats.find, summary.count, out.write

    def shortcut(ident: str, rest: str, row: int) -> bool:
        template = find(ident, rest, row)
        if template is None:
            return False
        advance()
        count(template.verdict, template.group_id, template.device_type, template.relabel)
        if not only_flagged or template.verdict == "flagged":
            write(template.line(f'"{ident}"', row))
        return True

    return shortcut


def identify(
    files: list[str] = typer.Argument(..., metavar="FILE", help="Input files; '-' reads standard input."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f",
                                     help="table (TSV when the output is not a terminal), jsonl or csv."),
    policy: str = policy_option(),
    only_flagged: bool = typer.Option(False, "--only-flagged", help="Output flagged records only."),
    explain_chain: bool = typer.Option(False, "--explain", help="Print each record's evidence chain in words."),
    fail_on: list[FailOn] = typer.Option([], "--fail-on", help="Exit 1 if any record is flagged / unknown / "
                                         "rejected (repeatable)."),
    input_format: str = readopts.InputFormatOption,
    column_map: list[str] = readopts.MapOption,
    sheet: str = readopts.SheetOption,
    header_row: int = readopts.HeaderRowOption,
    delimiter: str = readopts.DelimiterOption,
    encoding: str = readopts.EncodingOption,
    show_columns: bool = readopts.ShowColumnsOption,
    rejects: str = readopts.RejectsOption,
    output: str = typer.Option(None, "--output", "-o", metavar="FILE",
                               help="Write records here instead of standard output ('-')."),
    as_of: str = date_option("--as-of", help="Judge as on this date; default today"),
    dialect: str = csv_dialect_option(),
    excel_nl: bool = excel_nl_option(),
    jobs: int = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes for jsonl/csv output (default: "
                             "every core for inputs of 8 MB or more, else 1); output stays in input order."),
) -> None:
    """Identify the true maker of every record in FILES and judge it under a policy.

    Example: schoon identify register.csv scan.xml --format csv --excel-nl -o findings.csv
    """
    options = readopts.read_options(input_format, column_map, sheet, header_row, delimiter, encoding)
    if show_columns:
        readopts.show_columns(files, options)
    csv_style = csv_dialect(dialect, excel_nl) or CsvDialect.standard
    if is_stdout(output) and rejects is not None and is_stdout(rejects):
        raise SchoonError("--rejects - and the records would both go to standard output; give one a file")
    if not is_stdout(output):
        check_output(output, files)  # before any work
    if rejects is not None and not is_stdout(rejects):
        check_output(rejects, [*files, output])
    registry = default_registry()
    chosen = load_policy(policy)
    check_policy(chosen, registry)
    engine = Engine(registry, policy=chosen, as_of=as_of)
    summary = Summary()
    wide = not stdout_is_terminal() or console.width >= 120  # TSV for a pipe or a file has every column
    columns: list[str | tuple[str, dict[str, Any]]] = [
        ("id", {"no_wrap": True, "max_width": 24}), "verdict", ("maker", {"max_width": 22})]
    if wide:
        columns += [("brand", {"max_width": 16}), ("model", {"max_width": 20, "overflow": "fold"})]
    columns += [("type", {"no_wrap": True}), ("conf.", {"no_wrap": True, "justify": "right"}),
                ("why", {"ratio": 1, "min_width": 16})]
    table = DataTable(*columns, box=None, header_style="bold", pad_edge=False)
    streaming_to_terminal = is_stdout(output) and fmt is not OutputFormat.table and stdout_is_terminal()
    with ExitStack() as stack:
        out = stack.enter_context(open_output(output, inputs=files))
        reject_out = None if rejects is None else stack.enter_context(open_output(rejects, inputs=files))
        advance = stack.enter_context(progress("identifying", estimate_total(files),
                                               enabled=not streaming_to_terminal))
        writer = CsvWriter(out, csv_style) if fmt is OutputFormat.csv else None
        if writer is not None:
            writer.row(CSV_COLUMNS)
        reject_writer = None if reject_out is None else CsvWriter(reject_out, csv_style)
        if reject_writer is not None:
            reject_writer.row(PROBLEM_COLUMNS)
        problems = readopts.problems(None if reject_writer is None else reject_writer.row, rejects)
        readings: list[str] = []
        jsonl = JsonlWriter(out)
        workers = 1 if fmt is OutputFormat.table else (jobs or auto_jobs(files))
        for path in files:
            log = problems.log()
            # JSON lines out without --explain: a record that repeats an earlier one but for its id is copied
            repeats = (Repeats(jsonl, log) if fmt is OutputFormat.jsonl and not explain_chain and workers == 1
                       else None)
            shortcut = None if repeats is None else _repeat_writer(repeats, out, summary, only_flagged, advance)
            records = read(path, options, log=log, shortcut=shortcut)
            if workers > 1:
                parallel_format = fmt.value if fmt is OutputFormat.jsonl else f"csv:{csv_style.value}"
                _write_parallel(records, EngineSpec(policy, as_of), workers, parallel_format, out, summary,
                                only_flagged, explain_chain, advance)
                readings.append(f"{records.name}: {records.log.summary()}")
                continue
            for item in records:
                advance()
                if isinstance(item, Reject):
                    _reject(summary)
                    continue
                finding = engine.run(item)
                summary.add(finding)
                if only_flagged and finding.verdict != "flagged":
                    if repeats is not None:
                        repeats.line(finding)  # learnt all the same: its repeats are counted without the engine
                    continue
                if repeats is not None:
                    out.write(repeats.line(finding))
                elif fmt is OutputFormat.jsonl:
                    jsonl.write(finding)
                elif writer is not None:
                    writer.row(finding_row(finding))
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
                        warn(line)
            readings.append(f"{records.name}: {records.log.summary()}")
        if fmt is OutputFormat.table:
            table.show(None if is_stdout(output) else out)
    for line in [*readings, *problems.lines(), *summary.lines()]:
        warn(line)
    failed = ((FailOn.flagged in fail_on and summary.verdicts["flagged"] > 0)
              or (FailOn.unknown in fail_on and summary.verdicts["unknown"] > 0)
              or (FailOn.reject in fail_on and summary.rejects > 0))
    raise typer.Exit(EXIT_FAIL_ON if failed else EXIT_OK)
