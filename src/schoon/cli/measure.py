"""``schoon measure``: the national count of exposed equipment from internet-scan data, locally or on Dask."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from schoon.cli.output import err_console, open_output
from schoon.errors import SchoonError

MAX_REJECT_LINES = 20


class MeasureFormat(StrEnum):
    json = "json"
    csv = "csv"
    html = "html"


def measure(
    files: list[Path] = typer.Argument(..., help="Scan files (Shodan, Censys, zgrab2, masscan -oJ, schoon discover "
                                       "JSON lines; gzip or not), or identified-records Parquet files / folders; "
                                       "- reads standard input."),
    prefixes: Path = typer.Option(None, "--prefixes", help="Prefix table CSV: cidr, sector, institution, "
                                  "municipality (longest prefix wins)."),
    since: str = typer.Option(None, "--since", help="First day of the window (YYYY-MM-DD)."),
    until: str = typer.Option(None, "--until", help="Last day of the window (YYYY-MM-DD, inclusive)."),
    scheduler: str = typer.Option("local", "--scheduler", help="'local' (in-process) or the address of a Dask "
                                  "scheduler, e.g. tcp://10.0.0.5:8786."),
    workers: int = typer.Option(None, "--workers", min=1, help="Start a local Dask cluster of N worker processes."),
    fmt: MeasureFormat = typer.Option(MeasureFormat.json, "--format", "-f", help="json, csv or html."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
    per_address: bool = typer.Option(False, "--per-address", help="Also list every counted address (for notifying "
                                     "owners; not for publication)."),
    previous: Path = typer.Option(None, "--previous", help="An earlier run's JSON output: report the change."),
    parquet: Path = typer.Option(None, "--parquet", help="Also write the identified records as Parquet here."),
    input_format: str = typer.Option(None, "--input-format", help="shodan, censys, zgrab2, masscan, discover or "
                                     "identified-parquet (default: detected)."),
    policy: str = typer.Option("default", "--policy", "-p", help="Built-in policy name or a policy YAML file."),
    as_of: str = typer.Option(None, "--as-of", help="Judge as on this date (YYYY-MM-DD); default today."),
    lang: str = typer.Option("nl", "--lang", help="Language of the HTML output: nl or en."),
) -> None:
    """Count exposed devices of listed makers in scan data: aggregates only, small cells as <5.

    Example: schoon measure shodan-nl.json.gz --prefixes prefixes.csv --since 2026-01-01 --until 2026-03-31 -o q1.json
    """
    from schoon.measure import Settings, Window, group_names, run
    from schoon.measure.prefixes import PrefixTable
    from schoon.measure.render import to_csv, to_html
    from schoon.measure.result import build, load_previous

    if lang not in ("nl", "en"):
        raise SchoonError(f"--lang must be nl or en, got {lang!r}")
    if workers and scheduler not in ("", "local"):
        raise SchoonError("give --workers (start a local cluster) or --scheduler ADDRESS (use one), not both")
    window = Window.parse(since, until)
    table = PrefixTable.load(prefixes) if prefixes else None
    earlier = load_previous(previous) if previous else None
    settings = Settings(policy, as_of, window, 1, str(parquet) if parquet else None)
    totals = run([str(f) for f in files], settings=settings, table=table, workers=workers, scheduler=scheduler,
                 per_address=per_address, input_format=input_format)
    for item in totals.rejects[:MAX_REJECT_LINES]:
        err_console.print(f"schoon: rejected {item.source}:{item.row}: {item.message}", markup=False)
    if totals.reject_count > MAX_REJECT_LINES:
        err_console.print(f"schoon: ... and {totals.reject_count - MAX_REJECT_LINES:,} more rejected lines",
                          markup=False)
    result = build(totals, window, names=group_names(), previous=earlier, per_address=per_address,
                   prefixes=str(prefixes) if prefixes else None)
    if fmt is MeasureFormat.json:
        text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    elif fmt is MeasureFormat.csv:
        text = to_csv(result)
    else:
        text = to_html(result, lang)
    with open_output(output) as out:
        out.write(text)
    if per_address:
        err_console.print("schoon: this output lists addresses: for notifying owners only, not for publication",
                          markup=False)
    err_console.print(f"schoon: {totals.records:,} records, {totals.counts.devices:,} devices "
                      f"({totals.execution}, {totals.partitions} partitions)", markup=False)
