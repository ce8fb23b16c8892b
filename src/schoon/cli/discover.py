"""``schoon discover``: identify-only probing of an authorised scope (a thin adapter over schoon.discover)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from schoon.cli.output import DataTable, err_console, open_output
from schoon.csvout import CsvWriter
from schoon.errors import SchoonError
from schoon.observation import CANONICAL_FIELDS


class DiscoverFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"
    csv = "csv"


def discover(
    targets: list[str] = typer.Argument(None, help="Addresses, CIDR blocks (10.0.0.0/24), ranges (10.0.0.5-40) "
                                        "or host names; default: the scope file's ranges."),
    exclude: list[str] = typer.Option([], "--exclude", "-x", help="Never contact these (repeatable)."),
    scope_file: Path = typer.Option(None, "--scope-file", help="Scope YAML: ranges, exclude, owner, contact, "
                                    "valid_from, valid_until (recorded with the results)."),
    ports: str = typer.Option(None, "--ports", "-p", help="TCP ports: 80,443,8000-8010; '+N' adds to the "
                              "curated list (default)."),
    rate: float = typer.Option(300.0, "--rate", help="Packets (connections + datagrams) per second, whole scan."),
    timeout: float = typer.Option(2.0, "--timeout", help="Seconds per probe step."),
    snmp_community: str = typer.Option(None, "--snmp-community", help="SNMP v2c community to use (none by "
                                       "default: no SNMP is sent)."),
    no_udp: bool = typer.Option(False, "--no-udp", help="Skip UDP discovery (SADP, DHIP, WS-Discovery, SSDP)."),
    gentle: bool = typer.Option(False, "--gentle", help="Fragile devices: no UDP discovery, half the rate and "
                                "concurrency."),
    list_only: bool = typer.Option(False, "--list", help="Print the targets in scope and send nothing."),
    identify: bool = typer.Option(False, "--identify", help="Write `schoon identify` records instead of "
                                  "observations."),
    fmt: DiscoverFormat = typer.Option(DiscoverFormat.jsonl, "--format", "-f", help="jsonl, table or csv."),
    output: Path = typer.Option(None, "--output", "-o", help="Write results here instead of stdout."),
    audit_log: Path = typer.Option(None, "--audit-log", help="Audit log (JSON lines, one per probe); default: "
                                   "discover-logs/<UTC time>.jsonl in the user data folder."),
    no_audit_log: bool = typer.Option(False, "--no-audit-log", help="Keep no audit log (discouraged)."),
    capabilities: bool = typer.Option(False, "--capabilities", help="Also fetch the capability documents (ISAPI, "
                                      "Dahua video analytics) of identified Hikvision/Dahua devices, with "
                                      "--credentials (off by default)."),
    credentials: Path = typer.Option(None, "--credentials", help="Credentials TOML (chmod 600): target, maker, "
                                     "username, password or password_env; see docs/discover.md."),
    capabilities_dir: Path = typer.Option(None, "--capabilities-dir", help="Folder for the documents and "
                                          "manifest.csv; default: schoon-capabilities-<UTC time>."),
) -> None:
    """Probe an authorised scope, identify-only, and write one observation per responsive host.

    Example: schoon discover 10.20.0.0/24 --exclude 10.20.0.1 --gentle -o camera-vlan.jsonl
    """
    from schoon.discover import ProbeLog, Settings, load_scope_file, make_context, parse_ports
    from schoon.discover.probelog import default_path
    from schoon.discover.scope import Scope

    if credentials is not None and not capabilities:
        raise SchoonError("--credentials is only used with --capabilities")
    if capabilities and credentials is None:
        raise SchoonError("--capabilities needs --credentials FILE (see docs/discover.md)")
    if capabilities_dir is not None and not capabilities:
        raise SchoonError("--capabilities-dir is only used with --capabilities")

    if rate <= 0 or timeout <= 0:
        raise SchoonError("--rate and --timeout must be positive")
    file = load_scope_file(scope_file) if scope_file is not None else None
    scope = Scope.build(targets or [], exclude, file)
    if list_only:
        with open_output(output) as out:
            for address in scope:
                out.write(address + "\n")
        return
    entries = _credentials(scope, credentials) if capabilities else None  # refused here, before anything is sent
    if capabilities and capabilities_dir is None:
        capabilities_dir = Path(f"schoon-capabilities-{dt.datetime.now(dt.UTC).strftime('%Y-%m-%dT%H-%M-%SZ')}")
    settings = Settings(ports=parse_ports(ports), rate=rate, timeout=timeout, udp=not no_udp,
                        snmp_community=snmp_community)
    if gentle:
        settings = settings.gentle()
    if audit_log is not None and no_audit_log:
        raise SchoonError("--audit-log and --no-audit-log exclude each other")
    log = None if no_audit_log else (ProbeLog(audit_log) if audit_log is not None
                                     else ProbeLog(default_path(), create_folder=True))
    if log is not None:
        log.header({"targets": list(targets or []), "exclude": list(exclude), "addresses": scope.size(),
                    "file": file.record() if file else None,
                    "file_ranges": list(file.ranges) if file else None,
                    "file_exclude": list(file.exclude) if file else None},
                   {"ports": list(settings.ports), "rate": settings.rate, "timeout": settings.timeout,
                    "per_host": settings.per_host, "max_hosts": settings.max_hosts, "udp": settings.udp,
                    "gentle": gentle, "snmp_community": settings.snmp_community, "identify": identify,
                    "format": fmt.value, "output": str(output) if output is not None else None,
                    "capabilities": capabilities, "credentials_file": str(credentials) if credentials else None,
                    "capabilities_dir": str(capabilities_dir) if capabilities else None})
    collector = None
    try:
        if entries is not None and capabilities_dir is not None:
            from schoon.discover.capabilities import CapabilityCollector, CapabilityStore

            collector = CapabilityCollector(entries, CapabilityStore(capabilities_dir))
        _scan(scope, settings, make_context(scope, settings, log), file.record() if file else {}, fmt, identify,
              output, collector)
    finally:
        if collector is not None:
            collector.store.close()
            err_console.print(f"schoon discover: {collector.store.files:,} capability documents from "
                              f"{len({o.address for o in collector.outcomes if o.file}):,} devices in "
                              f"{collector.store.folder}", markup=False)
        if log is not None:
            log.close()
            err_console.print(f"schoon discover: audit log ({log.probes:,} probes): {log.path}", markup=False)


def _credentials(scope: Any, credentials: Path | None) -> Any:
    """The credentials, each checked against the scope (a CredentialError before anything is sent)."""
    from schoon.discover.credentials import Credentials, load_credentials

    assert credentials is not None
    return Credentials(tuple(load_credentials(credentials, scope)))


def _scan(scope: Any, settings: Any, ctx: Any, recorded: dict[str, str], fmt: DiscoverFormat, identify: bool,
          output: Path | None, collector: Any = None) -> None:
    """Run the scan and write the results (the part of the command that sends packets)."""
    from schoon.discover import discover as run_discover

    writer = _Writer(fmt, identify)
    engine: Any = writer.engine if writer.engine is not None else (_engine() if collector is not None else None)
    total = scope.size()
    to_file = output is not None and str(output) != "-"
    show = sys.stderr.isatty() and (to_file or fmt is not DiscoverFormat.table) and total > 1
    with open_output(output) as out, Progress(TextColumn("discover"), BarColumn(), MofNCompleteColumn(),
                                              TimeElapsedColumn(), console=err_console, transient=True,
                                              disable=not show) as progress:
        task = progress.add_task("hosts", total=total)
        writer.start(out)

        async def main() -> int:
            found = 0
            async for result in run_discover(scope, settings, context=ctx,
                                             on_host=lambda: progress.advance(task)):
                stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                obs = result.observation({**recorded, "probed_at": stamp})
                if collector is not None:
                    ident = engine.run(obs).identification
                    if await collector.collect(ctx, result, ident.group_id, ident.confidence, serial=obs.serial,
                                               mac=obs.mac):
                        obs = result.observation({**recorded, "probed_at": stamp})
                writer.write(out, obs)
                out.flush()
                found += 1
            return found

        interrupted = False
        try:
            found = asyncio.run(main())
        except KeyboardInterrupt:
            interrupted = True  # the block ends normally, so the output file keeps the hosts written so far
        writer.finish(out)
    if interrupted:
        err_console.print(f"schoon discover: interrupted after {ctx.limiter.sent:,} packets; the hosts "
                          "written so far are complete", markup=False)
        raise typer.Exit(130)
    err_console.print(f"schoon discover: {total:,} addresses, {found:,} responsive, "
                      f"{ctx.limiter.sent:,} packets sent", markup=False)


def _engine() -> Any:
    """The identification engine under the default policy (built once per command)."""
    from schoon.identify import Engine
    from schoon.registry import default_registry
    from schoon.registry.policy import check_policy, load_policy

    registry = default_registry()
    policy = load_policy("default")
    check_policy(policy, registry)
    return Engine(registry, policy=policy)


class _Writer:
    """Writes observations (or identify records) in the chosen format, streaming."""

    def __init__(self, fmt: DiscoverFormat, identify: bool) -> None:
        self.fmt = fmt
        self.engine: Any = None
        self.csv: CsvWriter | None = None
        self.columns: list[str] = []
        self.table: DataTable | None = None
        if identify:
            self.engine = _engine()

    def start(self, out: IO[str]) -> None:
        """Write a header where the format has one."""
        if self.fmt is DiscoverFormat.csv:
            from schoon.identify.report import CSV_COLUMNS

            self.columns = list(CSV_COLUMNS) if self.engine else [*CANONICAL_FIELDS, "protocols"]
            self.csv = CsvWriter(out)
            self.csv.row(self.columns)
        elif self.fmt is DiscoverFormat.table:
            heads = (("address", "verdict", "maker", "model", "conf.", "why") if self.engine
                     else ("address", "ports", "protocols", "says", "model"))
            self.table = DataTable(*((head, {"overflow": "fold"}) for head in heads), box=None, header_style="bold",
                                   pad_edge=False)

    def write(self, out: IO[str], obs: Any) -> None:
        """Write one host."""
        from schoon.identify.report import finding_record, finding_row, short_reason

        if self.engine is not None:
            finding = self.engine.run(obs)
            if self.fmt is DiscoverFormat.jsonl:
                out.write(json.dumps(finding_record(finding), ensure_ascii=False) + "\n")
            elif self.csv is not None:
                self.csv.row(finding_row(finding))
            elif self.table is not None:
                ident = finding.identification
                maker = self.engine.display_name(ident.manufacturer_id) if ident.manufacturer_id else (
                    ident.manufacturer or "-")
                self.table.add_row(obs.id, finding.verdict, maker, ident.model or "-", f"{ident.confidence:.2f}",
                                   short_reason(finding))
            return
        data = {**obs.to_dict(), **obs.extra}
        if self.fmt is DiscoverFormat.jsonl:
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        elif self.csv is not None:
            flat = {k: (" ".join(map(str, v)) if isinstance(v, list | tuple) else v) for k, v in data.items()}
            self.csv.row([flat.get(c) for c in self.columns])
        elif self.table is not None:
            says = (obs.http_server or obs.rtsp_server or obs.onvif_manufacturer or obs.upnp_manufacturer
                    or obs.declared_vendor or obs.ssh_banner or obs.telnet_banner or obs.http_title or "-")
            self.table.add_row(obs.id, ",".join(map(str, obs.ports)) or "-", obs.extra.get("protocols") or "-",
                               says[:60], obs.model or obs.onvif_model or obs.upnp_model or "-")

    def finish(self, out: IO[str]) -> None:
        """Print the table, if any (a table on a terminal; TSV to a file or a pipe)."""
        if self.table is not None:
            self.table.show(None if out is sys.stdout else out)
