"""The cost of scoping: device pages, counts, search, deep cursors, one device and the overdue list through
ScopedStore over 200 organisations and 100,000 devices, on SQLite and (when a URL is given) PostgreSQL as the
owner and as the application role (row-level security on top of the Python scope).

    .venv/bin/python benchmarks/bench_scope.py                                 # SQLite, 100,000 devices
    .venv/bin/python benchmarks/bench_scope.py --pg postgresql://postgres@127.0.0.1:40005/postgres
    .venv/bin/python benchmarks/bench_scope.py --devices 20000 --repeat 10     # quicker

The estate: 20 ministries with 9 agencies each, 500 devices per organisation, a tenth flagged. Each operation
runs ``--repeat`` times as a ministry's org-admin (a tree of 10 organisations, 5,000 devices) and as the
coordinator (all); prints one JSON line per database and role with p50/p95 wall milliseconds and the process CPU
seconds of the whole run. Nothing is asserted: the figures go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from schoon.accounts.pgroles import create_app_role
from schoon.accounts.principal import make_principal
from schoon.accounts.scope import ScopedStore
from schoon.audit import Store
from schoon.audit.db import normalise_url
from schoon.audit.devicequery import DeviceFilter
from schoon.audit.schema import devices, organisations, sites, snapshots

MINISTRIES, AGENCIES = 20, 9


def seed(store: Store, per_org: int) -> list[tuple[str, str | None]]:
    """Organisations, one site each, one snapshot each and ``per_org`` devices each, inserted in bulk."""
    parents: list[tuple[str, str | None]] = []
    for m in range(MINISTRIES):
        parents.append((f"min-{m:02d}", None))
        parents += [(f"min-{m:02d}-ag-{a}", f"min-{m:02d}") for a in range(AGENCIES)]
    with store.write() as conn:
        conn.execute(organisations.insert(), [{"id": o, "name": o.upper(), "parent_id": p,
                                               "deadline": "2026-06-30" if p is None else None,
                                               "created_at": "2026-01-01T00:00:00"} for o, p in parents])
        conn.execute(sites.insert(), [{"id": i + 1, "org_id": o, "key": "hq", "name": f"{o} HQ",
                                       "sensitivity": ("high", "normal", "public")[i % 3]}
                                      for i, (o, _) in enumerate(parents)])
        conn.execute(snapshots.insert(), [{"id": i + 1, "org_id": o, "taken_on": "2026-03-01", "imported_at": "x",
                                           "content_hash": o, "policy_id": "default", "registry_version": "1",
                                           "records": per_org, "rejects": 0, "flagged": per_org // 10, "replaced": 0,
                                           "outstanding": per_org // 10} for i, (o, _) in enumerate(parents)])
        batch: list[dict[str, Any]] = []
        number = 0
        for i, (org, _) in enumerate(parents):
            for _ in range(per_org):
                number += 1
                flagged = number % 10 == 0
                batch.append({"org_id": org, "site_id": i + 1, "mac": f"02:00:{number >> 16 & 255:02x}:"
                              f"{number >> 8 & 255:02x}:{number & 255:02x}:01", "ip": f"10.{i}.{number % 250}.1",
                              "asset_id": f"DEV-{number:06d}", "label": "Hikvision" if flagged else "Axis",
                              "model": "DS-2CD2386G2-IU" if flagged else "P3245-LVE", "first_seen": "2026-03-01",
                              "last_seen": f"2026-03-{1 + number % 28:02d}", "last_snapshot_id": i + 1,
                              "group_id": "hikvision" if flagged else None, "device_type": "camera",
                              "confidence": (number % 100) / 100, "verdict": "flagged" if flagged else "clear",
                              "state": "in_use" if flagged else None})
                if len(batch) == 5_000:
                    conn.execute(devices.insert(), batch)
                    batch = []
        if batch:
            conn.execute(devices.insert(), batch)
    return parents


def timed(call: Callable[[], Any], repeat: int) -> dict[str, float]:
    """p50 and p95 wall milliseconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[min(len(times), math.ceil(0.95 * len(times))) - 1], 2)}


def measure(store: Store, parents: list[tuple[str, str | None]], role: str, repeat: int) -> dict[str, Any]:
    """The operations for one principal."""
    principal = make_principal(1, "bench@example.org", "min-07", role, parents)  # type: ignore[arg-type]
    scoped = ScopedStore(store, principal)
    own = scoped.devices(limit=1).items[0]["id"]
    deep = None
    for _ in range(20):
        deep = scoped.devices(sort="-last_seen", cursor=deep, limit=50).next_cursor
    return {
        "visible_devices": scoped.devices(limit=1).total,
        "first_page": timed(lambda: scoped.devices(limit=50), repeat),
        "flagged_by_last_seen": timed(lambda: scoped.devices(DeviceFilter(verdict="flagged"), sort="-last_seen",
                                                             limit=50), repeat),
        "high_sensitivity": timed(lambda: scoped.devices(DeviceFilter(sensitivity="high"), limit=50), repeat),
        "search": timed(lambda: scoped.devices(DeviceFilter(search="DEV-0355"), limit=50), repeat),
        "page_21": timed(lambda: scoped.devices(sort="-last_seen", cursor=deep, limit=50), repeat),
        "device": timed(lambda: scoped.device(own), repeat),
        "overdue": timed(lambda: scoped.overdue(as_of="2026-11-29"), max(1, repeat // 5)),
    }


def run(label: str, store: Store, parents: list[tuple[str, str | None]], repeat: int) -> None:
    for role in ("org-admin", "coordinator"):
        cpu = time.process_time()
        wall = time.perf_counter()
        figures = measure(store, parents, role, repeat)
        print(json.dumps({"database": label, "role": role, **figures,
                          "wall_s": round(time.perf_counter() - wall, 2),
                          "cpu_s": round(time.process_time() - cpu, 2)}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--pg", help="PostgreSQL server URL (a database is created and dropped)")
    args = parser.parse_args()
    per_org = max(1, args.devices // (MINISTRIES * (AGENCIES + 1)))
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{Path(folder) / 'bench.db'}")
        started = time.perf_counter()
        parents = seed(store, per_org)
        print(json.dumps({"database": "sqlite", "seeded_devices": per_org * len(parents),
                          "seed_s": round(time.perf_counter() - started, 1)}), flush=True)
        run("sqlite", store, parents, args.repeat)
        store.close()
    if args.pg:
        name = f"bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(normalise_url(args.pg), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        base = args.pg.rsplit("/", 1)[0]
        role = f"{name}_app"
        try:
            store = Store.open(f"{base}/{name}")
            parents = seed(store, per_org)
            with store.engine.begin() as conn:
                conn.execute(sa.text("ANALYZE"))
            run("postgresql-owner", store, parents, args.repeat)
            create_app_role(store.engine, role, "bench")
            rest = f"{base}/{name}".partition("://")[2].partition("@")[2]
            app = Store.open(f"postgresql://{role}:bench@{rest}", migrate=False)
            run("postgresql-app-role", app, parents, args.repeat)
            app.close()
            with store.engine.begin() as conn:
                conn.execute(sa.text(f'DROP OWNED BY "{role}"'))
            store.close()
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                conn.execute(sa.text(f'DROP ROLE IF EXISTS "{role}"'))
            admin.dispose()


if __name__ == "__main__":
    main()
