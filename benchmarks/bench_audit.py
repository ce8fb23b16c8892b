"""Audit store throughput: import a 100,000-device estate as 12 snapshots, then build and render the
national report and the diff of the last two snapshots, on SQLite and (when a URL is given) PostgreSQL.

    .venv/bin/python benchmarks/bench_audit.py                                  # SQLite, 100,000 x 12
    .venv/bin/python benchmarks/bench_audit.py --pg postgresql://...            # and PostgreSQL
    .venv/bin/python benchmarks/bench_audit.py --devices 20000 --snapshots 3    # quicker

Each snapshot is one register CSV of the whole estate (200 sites; a tenth of the devices from flagged makers);
between snapshots 2% of the flagged devices are replaced (new MAC, new maker) and marked so. Prints one JSON
line per database. Nothing is asserted: the figures go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from schoon.audit import Store, apply, import_snapshot, make_move
from schoon.audit.db import normalise_url
from schoon.audit.diff import diff
from schoon.audit.reportdata import build
from schoon.identify import Engine
from schoon.registry import load_registry
from schoon.registry.policy import load_policy
from schoon.report import render
from schoon.report.model import ReportData

FLAGGED = [("Hikvision", "DS-2CD2386G2-IU", "4419B6"), ("Dahua", "IPC-HFW2431S-S-S2", "3CEF8C"),
           ("Hikvision", "DS-7608NXI-I2/8P/S", "BC5E33")]
CLEAN = [("Axis", "P3245-LVE", "ACCC8E"), ("Bosch", "NDE-3502-AL", "00075F"), ("Hanwha Vision", "XNV-6080R", "000918")]


def estate(devices: int, seed: int = 11) -> list[dict[str, str]]:
    """The devices of the estate: inventory number, site, maker, model, MAC, IP."""
    rng = random.Random(seed)
    rows = []
    for n in range(devices):
        vendor, model, oui = rng.choice(FLAGGED) if n % 10 == 0 else rng.choice(CLEAN)
        rows.append({"id": f"R-{n:07d}", "site": f"Locatie {n % 200:03d}", "vendor": vendor, "model": model,
                     "mac": oui + f"{n:06X}", "ip": f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}"})
    return rows


def write_register(rows: list[dict[str, str]], path: Path) -> Path:
    lines = ["Inventarisnummer;Locatie;Merk;Typenummer;MAC-adres;IP-adres"]
    lines += [f"{r['id']};{r['site']};{r['vendor']};{r['model']};{r['mac']};{r['ip']}" for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(url: str, devices: int, snapshots: int, workdir: Path) -> dict[str, object]:
    registry = load_registry(layers=[])
    engine = Engine(registry, as_of="2026-11-28")
    store = Store.open(url)
    store.add_org("rijk", "Rijksoverheid (benchmark)", deadline="2026-06-30")
    rows = estate(devices)
    rng = random.Random(5)
    times: list[float] = []
    cpu_times: list[float] = []  # this process only: on a shared machine closer to the unloaded time (SQLite)
    day = dt.date(2025, 12, 1)
    for snapshot in range(snapshots):
        register = write_register(rows, workdir / f"register-{snapshot:02d}.csv")
        start, cpu = time.perf_counter(), time.process_time()
        import_snapshot(store, engine, "rijk", [str(register)], taken_on=day.isoformat())
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu)
        flagged = [r for r in rows if r["vendor"] in ("Hikvision", "Dahua")]
        replaced = rng.sample(flagged, max(1, len(flagged) // 50))
        moves = [make_move(f"rijk/{r['id']}", "replaced", day.isoformat(), replaced_by="Axis P3245-LVE")
                 for r in replaced]
        apply(store, moves, today=day.isoformat())
        for r in replaced:
            r.update(vendor="Axis", model="P3245-LVE", mac="ACCC8E" + r["mac"][6:])
        day += dt.timedelta(days=30)
    start = time.perf_counter()
    changes = diff(store, "rijk")
    diffed = time.perf_counter() - start
    start = time.perf_counter()
    data = ReportData.from_dict(build(store, registry, load_policy("default"), as_of="2026-11-28", language="nl"))
    built = time.perf_counter() - start
    report = workdir / "national.html"
    render(data, "html", report)
    rendered = time.perf_counter() - start
    with store.read() as conn:
        counted = conn.execute(sa.text("select count(*) from findings")).scalar()
    store.close()
    return {"benchmark": "audit", "database": sa.make_url(normalise_url(url)).get_backend_name(),
            "devices": devices, "snapshots": snapshots, "findings_stored": counted,
            "first_import_s": round(times[0], 2), "first_import_cpu_s": round(cpu_times[0], 2),
            "first_import_devices_per_s": round(devices / times[0]),
            "later_import_s_median": round(sorted(times[1:])[len(times[1:]) // 2], 2) if len(times) > 1 else None,
            "later_import_cpu_s_median": (round(sorted(cpu_times[1:])[len(cpu_times[1:]) // 2], 2)
                                          if len(cpu_times) > 1 else None),
            "slowest_import_s": round(max(times), 2),
            "diff_last_two_s": round(diffed, 2), "diff_changes": changes.counts(),
            "national_report_build_s": round(built, 2),
            "national_report_build_and_html_s": round(rendered, 2), "html_bytes": report.stat().st_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=100_000)
    parser.add_argument("--snapshots", type=int, default=12)
    parser.add_argument("--pg", help="PostgreSQL URL of an empty database to use as well")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        urls = [f"sqlite:///{workdir / 'bench.db'}"] + ([args.pg] if args.pg else [])
        for url in urls:
            print(json.dumps(run(url, args.devices, args.snapshots, workdir)), flush=True)


if __name__ == "__main__":
    main()
