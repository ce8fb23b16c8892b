"""Web service under load: 200 organisations and 100,000 devices, 50 concurrent users, 60 seconds.

    .venv/bin/python benchmarks/bench_web.py                                  # build, serve, load (defaults)
    .venv/bin/python benchmarks/bench_web.py --users 20 --duration 20         # shorter
    .venv/bin/python benchmarks/bench_web.py --store /tmp/bench-web.db        # keep (and reuse) the store
    .venv/bin/python benchmarks/bench_web.py --db postgresql://...            # an empty PostgreSQL database

The store is built through the library (``import_snapshot`` per organisation: one register CSV each, a tenth
of the devices from flagged makers) under a tree of 20 ministries with 9 agencies each. Users: one in five is
a coordinator (the national view: all 100,000 devices), the others sign in to a ministry as viewers (its
tree: 5,000 devices). ``schoon serve`` runs as its own process on 127.0.0.1; an httpx async script keeps
``--users`` sessions busy, each choosing at random: dashboard (30%), device list with a filter (35%), one
device page (30%), a filtered CSV export (5%). Printed: per kind p50/p95/p99 (ms), requests/s, errors, and
the server's CPU time over the run (its share of the 2 cores says how loaded it was). Nothing is asserted;
the figures go into docs/performance.md. Goals: dashboard and device list p95 < 200 ms, device page < 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from schoon.accounts.service import Accounts
from schoon.audit import Store, import_snapshot
from schoon.identify import Engine
from schoon.registry import load_registry

FLAGGED = [("Hikvision", "DS-2CD2386G2-IU", "4419B6"), ("Dahua", "IPC-HFW2431S-S-S2", "3CEF8C")]
CLEAN = [("Axis", "P3245-LVE", "ACCC8E"), ("Bosch", "NDE-3502-AL", "00075F"), ("Hanwha Vision", "XNV-6080R", "000918")]
PASSWORD = "Vijftig-Gebruikers-Tegelijk-2026"
MINISTRIES = 20
TIMEOUT = [60.0]  # seconds; --timeout


def org_ids(orgs: int) -> list[tuple[str, str | None]]:
    """(id, parent) of ``orgs`` organisations: ministries first, then their agencies round-robin."""
    ministries = min(MINISTRIES, orgs)
    tree: list[tuple[str, str | None]] = [(f"min-{m:02d}", None) for m in range(ministries)]
    for n in range(orgs - ministries):
        tree.append((f"min-{n % ministries:02d}-ag-{n // ministries:02d}", f"min-{n % ministries:02d}"))
    return tree


def write_register(org: str, first: int, count: int, path: Path) -> Path:
    """One organisation's register CSV (Dutch headers, as institutions export them)."""
    rng = random.Random(first)
    lines = ["Inventarisnummer;Locatie;Merk;Typenummer;MAC-adres;IP-adres"]
    for n in range(first, first + count):
        vendor, model, oui = rng.choice(FLAGGED) if n % 10 == 0 else rng.choice(CLEAN)
        lines.append(f"R-{n:07d};{org} locatie {n % 7};{vendor};{model};{oui}{n:06X};"
                     f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build_store(url: str, orgs: int, devices: int, workdir: Path) -> dict[str, float]:
    """Fill an empty store with the organisations, their devices and the bench users."""
    start, cpu = time.perf_counter(), time.process_time()
    engine = Engine(load_registry(layers=[]), as_of="2026-11-28")
    store = Store.open(url)
    tree = org_ids(orgs)
    for org, parent in tree:
        store.add_org(org, f"Organisatie {org}", parent=parent, deadline="2027-06-30")
    per_org = devices // len(tree)
    for index, (org, _parent) in enumerate(tree):
        register = write_register(org, index * per_org, per_org, workdir / f"{org}.csv")
        import_snapshot(store, engine, org, [str(register)], taken_on="2026-11-01")
        register.unlink()
    store.close()
    ensure_users(url, orgs)
    return {"build_s": round(time.perf_counter() - start, 1), "build_cpu_s": round(time.process_time() - cpu, 1)}


def ensure_users(url: str, orgs: int) -> None:
    """The bench users (a coordinator, a viewer per ministry), added when missing."""
    store = Store.open(url)
    accounts = Accounts(store)
    wanted = [("coordinator@bench.example", "min-00", "coordinator")] + [
        (f"viewer{m:02d}@bench.example", f"min-{m:02d}", "viewer") for m in range(min(MINISTRIES, orgs))]
    known = {u.email for u in accounts.users()}
    for email, org, role in wanted:
        if email not in known:
            accounts.add_user(email, org, role, PASSWORD)
    store.close()


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    """``schoon serve`` on 127.0.0.1:port, waited for until it answers."""
    env = dict(os.environ, SCHOON_DB_URL=url)
    proc = subprocess.Popen([sys.executable, "-m", "schoon", "serve", "--db", url, "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"schoon serve stopped: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code < 500:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("schoon serve did not answer within 120 s")


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Tally:
    """Latencies (s) per kind of request, and errors."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)


async def sign_in(client: httpx.AsyncClient, email: str) -> None:
    """Sign in through the login form (CSRF token from the page)."""
    page = await client.get("/login")
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    data = {"email": email, "password": PASSWORD, "next": "/"}
    if match:
        data["csrf"] = match.group(1)
    answer = await client.post("/login", data=data)
    if answer.status_code >= 400 or answer.url.path == "/login":
        raise SystemExit(f"sign-in of {email} failed: HTTP {answer.status_code}")


async def session_of(base: str, email: str) -> httpx.Cookies:
    """The cookies of a fresh sign-in of ``email``."""
    async with httpx.AsyncClient(base_url=base, follow_redirects=True, timeout=120) as client:
        await sign_in(client, email)
        return client.cookies


async def user_loop(base: str, cookies: httpx.Cookies, device_ids: list[int], until: float, tally: Tally,
                    seed: int, role: str) -> None:
    """One user: request pages until ``until`` with a signed-in session; kinds are tallied per role."""
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, follow_redirects=True, timeout=TIMEOUT[0], cookies=cookies) as client:
        while time.monotonic() < until:
            roll = rng.random()
            if roll < 0.30:
                kind, path = "dashboard", "/"
            elif roll < 0.65:
                verdict = rng.choice(["flagged", "clear", "unknown"])
                sort = rng.choice(["id", "-last_seen", "model"])
                kind, path = "device list", f"/devices?verdict={verdict}&sort={sort}"
            elif roll < 0.95:
                kind, path = "device page", f"/devices/{rng.choice(device_ids)}"
            else:
                kind, path = "export", f"/devices/export.csv?verdict=flagged&group={rng.choice(['hikvision', 'dahua'])}"
            kind = f"{kind} ({role})"
            start = time.perf_counter()
            try:
                answer = await client.get(path)
                ok = answer.status_code == 200
            except httpx.HTTPError as exc:
                ok, answer = False, None
                tally.examples.append(f"{kind} {path}: {type(exc).__name__}")
            tally.times[kind].append(time.perf_counter() - start)
            if not ok:
                tally.errors[kind] += 1
                if answer is not None and len(tally.examples) < 5:
                    tally.examples.append(f"{kind} {path}: HTTP {answer.status_code}")


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile of ``values`` in milliseconds (nearest rank)."""
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def device_ids_of(url: str) -> tuple[list[int], dict[str, list[int]]]:
    """All device ids, and per ministry the ids its viewer may see (the others answer 404)."""
    store = Store.open(url)
    by_ministry: dict[str, list[int]] = defaultdict(list)
    for row in store.devices():
        by_ministry[str(row["org_id"])[:6]].append(int(row["id"]))
    store.close()
    return [i for ids in by_ministry.values() for i in ids], by_ministry


async def load(base: str, users: int, duration: float, url: str, pid: int) -> tuple[Tally, float, float]:
    """Run ``users`` concurrent users for ``duration`` seconds; the tally, the wall time and the server's CPU
    seconds of the load phase (sign-ins excluded)."""
    everything, by_ministry = device_ids_of(url)
    tally = Tally()
    plan = []
    for n in range(users):
        if n % 5 == 0:
            plan.append(("coordinator@bench.example", everything))
        else:
            ministry = (n - n // 5 - 1) % MINISTRIES
            plan.append((f"viewer{ministry:02d}@bench.example", by_ministry[f"min-{ministry:02d}"] or everything))
    # Sign-ins one after the other, before the clock starts: argon2id takes 64 MiB and most of a core each, and
    # sign-in is not what this bench measures. Users of the same account share its session.
    sessions = {email: await session_of(base, email) for email in dict.fromkeys(email for email, _ in plan)}
    cpu_before, wall_before = cpu_seconds(pid), time.perf_counter()
    until = time.monotonic() + duration
    await asyncio.gather(*(user_loop(base, sessions[email], ids, until, tally, seed=n,
                                     role="coordinator" if email.startswith("coordinator") else "viewer")
                           for n, (email, ids) in enumerate(plan)))
    return tally, time.perf_counter() - wall_before, cpu_seconds(pid) - cpu_before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=200)
    parser.add_argument("--devices", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--store", type=Path, help="SQLite file to build once and reuse")
    parser.add_argument("--db", help="URL of an empty PostgreSQL database instead of SQLite")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a request counts as an error")
    args = parser.parse_args()
    TIMEOUT[0] = args.timeout
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = args.db or f"sqlite:///{args.store or workdir / 'bench-web.db'}"
        built: dict[str, float] = {}
        if args.db or not (args.store and args.store.exists()):
            built = build_store(url, args.orgs, args.devices, workdir)
        else:
            ensure_users(url, args.orgs)
        port = args.port or free_port()
        server = start_server(url, port)
        try:
            tally, wall, server_cpu = asyncio.run(load(f"http://127.0.0.1:{port}", args.users, args.duration, url,
                                                       server.pid))
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(30)
    total = sum(len(v) for v in tally.times.values())
    result = {"benchmark": "web", "database": url.split(":", 1)[0], "orgs": args.orgs, "devices": args.devices,
              "users": args.users, "duration_s": round(wall, 1), "requests": total,
              "requests_per_s": round(total / wall, 1), "errors": sum(tally.errors.values()),
              "server_cpu_s": round(server_cpu, 1), "server_cpu_share_of_one_core": round(server_cpu / wall, 2),
              "load_average_1min": round(os.getloadavg()[0], 2), **built,
              "by_kind": {kind: {"n": len(times), "p50_ms": percentile(times, 0.50),
                                 "p95_ms": percentile(times, 0.95), "p99_ms": percentile(times, 0.99),
                                 "mean_ms": round(1000 * statistics.fmean(times), 1),
                                 "errors": tally.errors.get(kind, 0)}
                          for kind, times in sorted(tally.times.items())},
              "error_examples": tally.examples[:5]}
    print(json.dumps(result, indent=1), flush=True)


if __name__ == "__main__":
    main()
