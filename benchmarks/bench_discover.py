"""``schoon discover --identify`` against ``nmap -sV`` on the emulated estate, and a silent /20.

Starts the emulated estate of ``tests/discover/estate.py`` (devices on 127.51.0.x; traffic stays on loopback),
then on the same addresses and TCP ports runs

- ``schoon discover --identify`` (its default TCP ports plus the UDP discovery protocols, SNMP with the estate's
  community), and
- ``nmap -sV -Pn`` (Debian's nmap; TCP version detection, nmap's default intensity), whose XML is then read by
  ``schoon``'s own nmap reader and identified by the same engine (so nmap gets schoon's rules too), and also
  judged by nmap's own product strings.

For each it prints the wall time, the target devices whose maker is named correctly and the non-targets wrongly
named. Then it times ``schoon discover`` over a /20 of silent loopback addresses (127.52.0.0/20).

    .venv/bin/python benchmarks/bench_discover.py [--silent-rate 5000] [--no-nmap]

Nothing is asserted: the figures go into docs/performance.md. Only 127.0.0.0/8 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.discover.estate import (  # noqa: E402
    SNMP_COMMUNITY,
    TRIPWIRE_EXCLUDED,
    TRIPWIRE_OUTSIDE,
    Device,
    Estate,
    devices,
)

from schoon.identify import Engine  # noqa: E402
from schoon.ingest import read  # noqa: E402
from schoon.observation import Observation  # noqa: E402
from schoon.registry import default_registry  # noqa: E402
from schoon.registry.policy import load_policy  # noqa: E402

SCHOON = [sys.executable, "-m", "schoon"]


def _score(named: dict[str, str | None], estate: list[Device]) -> dict[str, object]:
    """Targets named correctly, non-targets wrongly named, and the misses."""
    right, wrong, missed = 0, 0, []
    targets = [d for d in estate if d.maker]
    for dev in estate:
        got = named.get(dev.address)
        if dev.maker:
            if got == dev.maker:
                right += 1
            else:
                missed.append(dev.name)
        elif got:
            wrong += 1
    return {"targets": len(targets), "named_correctly": right, "non_targets_wrongly_named": wrong,
            "missed": missed}


NAMED_AT = 0.5  # a maker counts as named at this confidence or more ("possibly made by" does not count)


def _named_group(record: dict[str, object]) -> str | None:
    confident = float(str(record.get("confidence") or 0)) >= NAMED_AT
    return str(record["group_id"]) if record.get("group_id") and confident else None


def run_schoon(addresses: list[str], folder: Path) -> tuple[float, dict[str, str | None], float]:
    """Wall time of ``schoon discover --identify`` and the group it names per address; also probe-only time."""
    out = folder / "schoon.jsonl"
    start = time.monotonic()
    subprocess.run([*SCHOON, "discover", *addresses, "--identify", "--snmp-community", SNMP_COMMUNITY, "-o", str(out)],
                   check=True, capture_output=True)
    wall = time.monotonic() - start
    named = {str(r["id"]): _named_group(r) for r in map(json.loads, out.read_text().splitlines())}
    start = time.monotonic()
    subprocess.run([*SCHOON, "discover", *addresses, "--snmp-community", SNMP_COMMUNITY, "-o", str(folder / "o.jsonl")],
                   check=True, capture_output=True)
    return wall, named, time.monotonic() - start


def scan_in_process(addresses: list[str], ports: list[int]) -> tuple[float, int]:
    """The probing alone (no interpreter start, no imports, no identify): seconds and hosts found."""
    from schoon.discover import Settings, discover
    from schoon.discover.scope import Scope

    scope = Scope.build(addresses)
    settings = Settings(ports=tuple(ports), snmp_community=SNMP_COMMUNITY)

    async def go() -> int:
        return len([r async for r in discover(scope, settings)])

    start = time.monotonic()
    found = asyncio.run(go())
    return time.monotonic() - start, found


NMAP_MAKERS = {"hikvision": ("hikvision",), "dahua": ("dahua",), "huawei": ("huawei",), "uniview": ("uniview",)}


def run_nmap(addresses: list[str], ports: list[int], folder: Path) -> tuple[float, dict[str, str | None],
                                                                           dict[str, str | None]]:
    """Wall time of ``nmap -sV``; groups named by schoon's engine on its XML, and by nmap's own product strings."""
    xml = folder / "nmap.xml"
    start = time.monotonic()
    subprocess.run(["nmap", "-sV", "-Pn", "-n", "-p", ",".join(map(str, ports)), "-oX", str(xml), *addresses],
                   check=True, capture_output=True)
    wall = time.monotonic() - start
    registry = default_registry()
    engine = Engine(registry, policy=load_policy("default"))
    by_engine: dict[str, str | None] = {}
    for obs in read(str(xml)):
        if isinstance(obs, Observation) and obs.ip:
            finding = engine.run(obs)
            ident = finding.identification
            by_engine[obs.ip] = ident.group_id if ident.confidence >= NAMED_AT else None
    by_product: dict[str, str | None] = {}
    text = xml.read_text()
    for chunk in text.split("<host ")[1:]:
        address = chunk.split('addr="', 1)[1].split('"', 1)[0]
        products = " ".join(part.split('"', 1)[0] for part in chunk.split('product="')[1:]).lower()
        by_product[address] = next((g for g, words in NMAP_MAKERS.items() if any(w in products for w in words)), None)
    return wall, by_engine, by_product


def silent_block(rate: float, audit_log: Path | None = None) -> tuple[float, str]:
    """Wall time of ``schoon discover`` over 127.52.0.0/20 (4,096 silent loopback addresses), with or without
    the audit log."""
    log_args = ["--audit-log", str(audit_log)] if audit_log is not None else ["--no-audit-log"]
    start = time.monotonic()
    done = subprocess.run([*SCHOON, "discover", "127.52.0.0/20", "--rate", str(rate), "-o", "/dev/null", *log_args],
                          check=True, capture_output=True, text=True)
    summary = next(line for line in done.stderr.splitlines() if "packets sent" in line)
    return time.monotonic() - start, summary


def main() -> None:
    """Run the comparison and print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--silent-rate", type=float, default=5000.0, help="--rate for the silent /20")
    parser.add_argument("--no-nmap", action="store_true", help="skip nmap even when installed")
    args = parser.parse_args()
    estate = [d for d in devices() if d.address not in (TRIPWIRE_EXCLUDED, TRIPWIRE_OUTSIDE)]
    addresses = [d.address for d in estate]
    from schoon.discover.ports import DEFAULT_PORTS

    ports = sorted({*DEFAULT_PORTS, *(p for d in estate for p in d.tcp_ports)})
    report: dict[str, object] = {"devices": len(estate), "addresses": addresses, "tcp_ports": ports}
    data = tempfile.TemporaryDirectory()
    os.environ["SCHOON_DATA_DIR"] = data.name  # the runs' default audit logs: never the user's data folder
    with tempfile.TemporaryDirectory() as tmp, Estate(devices(), Path(tmp)):
        folder = Path(tmp)
        wall, named, probe_only = run_schoon([*addresses, "--ports", ",".join(map(str, ports))], folder)
        scan_s, found = scan_in_process(addresses, ports)
        report["schoon"] = {"wall_s": round(wall, 2), "without_identify_wall_s": round(probe_only, 2),
                            "scan_in_process_s": round(scan_s, 2), "hosts_found": found, **_score(named, estate)}
        if shutil.which("nmap") and not args.no_nmap:
            wall, by_engine, by_product = run_nmap(addresses, ports, folder)
            report["nmap_sV"] = {"wall_s": round(wall, 2),
                                 "by_nmap_product": _score(by_product, estate),
                                 "by_schoon_engine_on_nmap_xml": _score(by_engine, estate)}
        else:
            report["nmap_sV"] = "nmap not installed (Debian package nmap)"
    wall, summary = silent_block(args.silent_rate, Path(data.name) / "silent.jsonl")
    log_mib = (Path(data.name) / "silent.jsonl").stat().st_size / 2**20
    bare, _ = silent_block(args.silent_rate)
    report["silent_slash20"] = {"addresses": 4096, "rate": args.silent_rate, "wall_s": round(wall, 2),
                                "wall_s_no_audit_log": round(bare, 2), "audit_log_mib": round(log_mib, 1),
                                "summary": summary}
    data.cleanup()
    report["load_average_1m_at_end"] = round(os.getloadavg()[0], 1)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
