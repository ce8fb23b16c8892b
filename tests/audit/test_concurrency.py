"""Concurrent imports into one organisation (separate processes, on SQLite and PostgreSQL): writers of an
organisation are serialised, so overlapping imports store every device once, and the same file imported twice
at once is imported once and reported "already imported" by the other."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from schoon.audit import Store, db, import_snapshot
from schoon.audit.schema import organisations
from schoon.identify import Engine
from tests.audit.test_faults import _schoon

SPAN = 1_000  # devices per file; file k holds devices k*STEP .. k*STEP+SPAN-1, so neighbours overlap by half
STEP = 500


def _register(path: Path, first: int) -> Path:
    lines = ["Inventarisnummer;Merk;Typenummer;MAC-adres;IP-adres;Locatie"]
    for n in range(first, first + SPAN):
        vendor, model, oui = ("Hikvision", "DS-2CD2386G2-IU", "44:19:b6") if n % 3 else ("Axis", "P3245-LVE",
                                                                                        "ac:cc:8e")
        lines.append(f"C-{n:06d};{vendor};{model};{oui}:{(n >> 16) & 255:02x}:{(n >> 8) & 255:02x}:{n & 255:02x};"
                     f"10.1.{(n >> 8) & 255}.{n & 255};Locatie {n % 5}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _add_org(db_url: str, org_id: str) -> None:
    store = Store.open(db_url)
    try:
        store.add_org(org_id)
    finally:
        store.close()


def _run_all(runs: list[subprocess.Popen[str]]) -> list[str]:
    outputs = []
    for run in runs:
        out, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
        assert "Traceback" not in err and "IntegrityError" not in err, err
        outputs.append(out)
    return outputs


@pytest.mark.parametrize("imports", [2, 4])
def test_simultaneous_overlapping_imports_store_each_device_once(db_url: str, tmp_path: Path, imports: int) -> None:
    _add_org(db_url, "ovl")
    files = [_register(tmp_path / f"part-{k}.csv", k * STEP) for k in range(imports)]
    runs = [_schoon("audit", "import", "--org", "ovl", "--date", "2026-01-05", str(f), db_url=db_url)
            for f in files]
    _run_all(runs)
    store = Store.open(db_url)
    try:
        found = store.devices("ovl")
        expected = {f"C-{n:06d}" for n in range((imports - 1) * STEP + SPAN)}
        assert Counter(str(d["asset_id"]) for d in found) == Counter(expected)  # each device exactly once
        assert len({d["mac"] for d in found}) == len(found)
        assert len(store.snapshots("ovl")) == imports
        assert len(store.sites("ovl")) == 5
        flagged = sum(1 for d in found if d["verdict"] == "flagged")
        assert flagged == sum(1 for n in range(len(expected)) if n % 3)
    finally:
        store.close()


def test_the_same_file_twice_at_once_is_imported_once(db_url: str, tmp_path: Path) -> None:
    _add_org(db_url, "twice")
    register = _register(tmp_path / "same.csv", 0)
    runs = [_schoon("audit", "import", "--org", "twice", "--date", "2026-01-05", str(register), db_url=db_url)
            for _ in range(2)]
    outputs = _run_all(runs)
    assert sorted(o.split()[0] for o in outputs) == ["already", "snapshot"], outputs
    assert "already imported as snapshot" in "".join(outputs)
    store = Store.open(db_url)
    try:
        assert len(store.snapshots("twice")) == 1 and len(store.devices("twice")) == SPAN
    finally:
        store.close()


def test_a_writer_that_waits_too_long_gives_one_line(db_url: str, tmp_path: Path, engine: Engine,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Another writer holds the organisation (PostgreSQL: its row lock; SQLite: the write lock) longer than the
    timeout: the import stops with one StoreError line and writes nothing."""
    _add_org(db_url, "busy")
    monkeypatch.setattr(db, "LOCK_TIMEOUT_S", 1)
    store = Store.open(db_url)
    blocker = Store.open(db_url)
    try:
        with blocker.write() as held:
            held.execute(sa.select(organisations.c.id).where(organisations.c.id == "busy").with_for_update())
            with pytest.raises(db.StoreError, match="nothing was written"):
                import_snapshot(store, engine, "busy", [str(_register(tmp_path / "b.csv", 0))],
                                taken_on="2026-01-05")
        assert store.snapshots("busy") == [] and store.devices("busy") == []
    finally:
        store.close()
        blocker.close()
