"""The dashboard's figures, one request at a time: the whole report (``ScopedStore.report``, what the dashboard
built before) against the aggregate figures (``ScopedStore.dashboard``), for the coordinator (national) and a
ministry's viewer (a tree of 10 organisations), over bench_web.py's store of 200 organisations and 100,000
devices.

    .venv/bin/python benchmarks/bench_dashboard.py --store /tmp/dash100k.db          # builds it when missing
    .venv/bin/python benchmarks/bench_dashboard.py --store /tmp/dash100k.db --skip-report --repeat 20

Prints one JSON line per role and method with wall and process-CPU milliseconds (min and median of
``--repeat``). Nothing is asserted: the figures go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent))

from bench_web import build_store

from schoon.accounts.principal import make_principal
from schoon.accounts.scope import ScopedStore
from schoon.audit import Store
from schoon.audit.schema import organisations
from schoon.registry import default_registry
from schoon.registry.policy import load_policy


def timed(run: Callable[[], Any], repeat: int) -> dict[str, float]:
    """Wall and CPU milliseconds of ``repeat`` calls: the minimum and the median."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(1000 * (time.perf_counter() - start))
        cpus.append(1000 * (time.process_time() - cpu))
    return {"wall_ms_min": round(min(walls), 1), "wall_ms_median": round(statistics.median(walls), 1),
            "cpu_ms_min": round(min(cpus), 1), "cpu_ms_median": round(statistics.median(cpus), 1)}


def main() -> None:
    """Build (or reuse) the store and time both ways for both roles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="SQLite file, built when missing")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-report", action="store_true", help="time only the aggregate figures")
    parser.add_argument("--as-of", default="2028-01-01", help="a day past the deadlines, so overdue is filled")
    args = parser.parse_args()
    url = f"sqlite:///{args.store}"
    if not args.store.exists():
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(build_store(url, 200, 100_000, Path(tmp))), flush=True)
    store = Store.open(url)
    registry, policy = default_registry(), load_policy("default")
    with store.read() as conn:
        parents = [(r.id, r.parent_id) for r in conn.execute(sa.select(organisations.c.id, organisations.c.parent_id))]
    roles = {"coordinator": make_principal(1, "c@bench.example", "min-00", "coordinator", parents),
             "viewer": make_principal(2, "v@bench.example", "min-00", "viewer", parents)}
    for role, principal in roles.items():
        view = ScopedStore(store, principal)
        runs: dict[str, Callable[[], Any]] = {
            "dashboard": lambda view=view: view.dashboard(registry, policy, as_of=args.as_of, language="nl"),
            "overdue_list_50": lambda view=view: view.overdue(as_of=args.as_of)[:50],
        }
        if not args.skip_report:
            runs["report"] = lambda view=view: view.report(registry, policy, as_of=args.as_of, language="nl")
        for name, run in runs.items():
            repeat = 1 if name == "report" and role == "coordinator" else args.repeat
            print(json.dumps({"benchmark": "dashboard", "role": role, "method": name, "repeat": repeat,
                              **timed(run, repeat)}), flush=True)
    store.close()


if __name__ == "__main__":
    main()
