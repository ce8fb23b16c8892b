"""Faults at process boundaries: an import killed mid-write leaves the store as it was; concurrent imports
into different organisations do not interfere."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from schoon.audit import Store

ROWS = 20_000


def _register(path: Path, rows: int, prefix: str) -> Path:
    lines = ["Inventarisnummer;Merk;Typenummer;MAC-adres;IP-adres;Locatie"]
    for n in range(rows):
        mac = f"44:19:b6:{(n >> 16) & 255:02x}:{(n >> 8) & 255:02x}:{n & 255:02x}"
        lines.append(f"{prefix}-{n:06d};Hikvision;DS-2CD2386G2-IU;{mac};10.{n >> 16}.{(n >> 8) & 255}.{n & 255};"
                     f"Site {n % 7}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _schoon(*args: str, db_url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SCHOON_DB_URL": db_url, "COLUMNS": "200"}
    return subprocess.Popen([sys.executable, "-m", "schoon", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _counts(db_url: str) -> tuple[int, int]:
    store = Store.open(db_url)
    try:
        return len(store.snapshots()), len(store.devices())
    finally:
        store.close()


def test_killed_import_leaves_nothing_and_the_next_one_works(db_url: str, tmp_path: Path) -> None:
    store = Store.open(db_url)
    store.add_org("big")
    store.close()
    register = _register(tmp_path / "big.csv", ROWS, "B")
    process = _schoon("audit", "import", "--org", "big", "--date", "2026-01-05", str(register), db_url=db_url)
    assert process.stderr is not None
    for line in process.stderr:  # wait until the write transaction is open, then kill without warning
        if line.startswith("writing the snapshot"):
            time.sleep(0.3)
            break
    assert process.poll() is None, "the import finished before it could be killed: make the input larger"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stderr.close()
    assert process.stdout is not None
    process.stdout.close()
    assert _counts(db_url) == (0, 0)
    again = _schoon("audit", "import", "--org", "big", "--date", "2026-01-05", str(register), db_url=db_url)
    _out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert _counts(db_url) == (1, ROWS)


def test_concurrent_imports_into_different_organisations(db_url: str, tmp_path: Path) -> None:
    store = Store.open(db_url)
    store.add_org("one")
    store.add_org("two")
    store.close()
    first = _register(tmp_path / "one.csv", 3_000, "ONE")
    second = _register(tmp_path / "two.csv", 3_000, "TWO")
    runs = [_schoon("audit", "import", "--org", org, "--date", "2026-01-05", str(path), db_url=db_url)
            for org, path in (("one", first), ("two", second))]
    for run in runs:
        _out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    store = Store.open(db_url)
    try:
        assert len(store.devices("one")) == 3_000 and len(store.devices("two")) == 3_000
        assert {s["org_id"] for s in store.snapshots()} == {"one", "two"}
    finally:
        store.close()
