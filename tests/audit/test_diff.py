"""``schoon audit diff``: what changed between two snapshots (new, gone, replaced, verdict, lifecycle)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from schoon.audit import AuditError, Store, apply_file, import_snapshot
from schoon.audit.diff import COLUMNS, diff
from schoon.identify import Engine
from tests.audit.conftest import DEMO
from tests.audit.test_import import FIRST, HQ, SECOND
from tests.cli.helpers import run


def _demo(store: Store, engine: Engine) -> None:
    import_snapshot(store, engine, "mvz", FIRST, site=HQ, taken_on="2026-03-02")
    apply_file(store, DEMO / "moves-2026-06.csv", actor="test", today="2026-07-01")
    import_snapshot(store, engine, "mvz", SECOND, site=HQ, taken_on="2026-09-14")


def test_the_demo_between_march_and_september(ministry: Store, engine: Engine) -> None:
    _demo(ministry, engine)
    result = diff(ministry, "mvz")
    assert (result.before.taken_on, result.after.taken_on) == ("2026-03-02", "2026-09-14")
    assert result.counts() == {"new": 1, "gone": 0, "replaced": 2, "verdict": 0, "lifecycle": 2}
    lines = [(c.change, c.asset_id, c.before, c.after) for c in result.changes]
    assert lines == [
        ("new", "MVZ-0017", None, "clear"),
        ("replaced", "MVZ-0001", "in_use", "replaced on 2026-06-03"),
        ("replaced", "MVZ-0003", "in_use", "replaced on 2026-06-10"),
        ("lifecycle", "MVZ-0002", "in_use", "exempted"),
        ("lifecycle", "MVZ-0006", "in_use", "scheduled on 2026-10-15"),
    ]
    assert result.changes[1].detail == "by Axis P3265-LVE (MVZ-0017)"
    # The same two snapshots chosen by id and by date.
    ids = [s["id"] for s in ministry.snapshots("mvz")]
    by_id = diff(ministry, "mvz", str(ids[0]), str(ids[1]))
    by_date = diff(ministry, "mvz", "2026-03-31", "2026-12-31")
    assert by_id.changes == result.changes == by_date.changes


def _register(path: Path, lines: list[str]) -> str:
    path.write_text("Inventarisnummer;Locatie;Merk;Typenummer;MAC-adres;IP-adres\n" + "\n".join(lines) + "\n",
                    encoding="utf-8")
    return str(path)


def test_gone_and_verdict_changes(store: Store, engine: Engine, tmp_path: Path) -> None:
    store.add_org("gem")
    first = _register(tmp_path / "a.csv", ["G-1;Raadhuis;Axis;P3245-LVE;;10.0.0.1",
                                           "G-2;Raadhuis;Axis;P3245-LVE;;10.0.0.2",
                                           "G-3;Raadhuis;Bosch;NDE-3502-AL;;10.0.0.3"])
    # G-1 turns out to be a Hikvision (its MAC block says so), G-2 is gone, G-4 is new.
    second = _register(tmp_path / "b.csv", ["G-1;Raadhuis;Axis;P3245-LVE;44:19:b6:00:00:01;10.0.0.1",
                                            "G-3;Raadhuis;Bosch;NDE-3502-AL;;10.0.0.3",
                                            "G-4;Raadhuis;Hikvision;DS-2CD2386G2-IU;;10.0.0.4"])
    import_snapshot(store, engine, "gem", [first], taken_on="2026-01-10")
    import_snapshot(store, engine, "gem", [second], taken_on="2026-02-10")
    result = diff(store, "gem")
    assert [(c.change, c.asset_id, c.before, c.after) for c in result.changes] == [
        ("new", "G-4", None, "flagged (hikvision)"),
        ("gone", "G-2", "clear", None),
        ("verdict", "G-1", "clear", "flagged (hikvision)"),
    ]
    assert result.changes[0].site == "Raadhuis"


def test_choosing_snapshots(store: Store, engine: Engine, tmp_path: Path) -> None:
    store.add_org("gem")
    with pytest.raises(AuditError, match="has 0 snapshots: a diff needs two"):
        diff(store, "gem")
    for n, day in enumerate(["2026-01-10", "2026-02-10", "2026-03-10"]):
        register = _register(tmp_path / f"{n}.csv", [f"G-{k};Raadhuis;Axis;P3245-LVE;;10.0.0.{k}"
                                                      for k in range(n + 1)])
        import_snapshot(store, engine, "gem", [register], taken_on=day)
    ids = [s["id"] for s in store.snapshots("gem")]
    assert (diff(store, "gem").before.id, diff(store, "gem").after.id) == (ids[1], ids[2])
    assert diff(store, "gem", after="2026-02-28").before.id == ids[0]  # --to alone: the one before it
    assert diff(store, "gem", before=str(ids[0])).after.id == ids[2]  # --from alone: up to the latest
    assert [c.asset_id for c in diff(store, "gem", before="2026-01-10").changes] == ["G-1", "G-2"]
    for before, after, message in [
        (str(ids[2]), str(ids[0]), "is later than --to"),
        ("2026-02-10", "2026-02-11", "same snapshot"),
        ("2025-12-31", None, "no snapshot taken on or before 2025-12-31"),
        ("999", None, "--from: no snapshot 999 of 'gem'"),
        ("last week", None, "--from: not a date"),
        (None, str(ids[0]), "is the first of 'gem'"),
    ]:
        with pytest.raises(AuditError, match=message):
            diff(store, "gem", before, after)


def test_command_formats(ministry: Store, engine: Engine, db_url: str) -> None:
    _demo(ministry, engine)
    table = run("audit", "diff", "--org", "mvz", "--db", db_url)
    assert table.code == 0, table.err
    assert "1 new, 0 gone, 2 replaced, 0 verdict, 2 lifecycle" in table.out
    jsonl = run("audit", "diff", "--org", "mvz", "--format", "jsonl", "--db", db_url)
    records = [json.loads(line) for line in jsonl.out.splitlines()]
    assert [r["change"] for r in records] == ["new", "replaced", "replaced", "lifecycle", "lifecycle"]
    assert list(records[0]) == list(COLUMNS) and records[0]["mac"] == "ac:cc:8e:00:a1:17"
    rows = list(csv.DictReader(io.StringIO(run("audit", "diff", "--org", "mvz", "-f", "csv", "--db", db_url).out)))
    assert [r["asset_id"] for r in rows] == [r["asset_id"] for r in records]
    assert rows[0]["group_id"] == "" and rows[1]["after"] == "replaced on 2026-06-03"
    bad = run("audit", "diff", "--org", "mvz", "--from", "03/02/2026", "--db", db_url)
    assert bad.code == 2 and "not a date" in bad.err and "Traceback" not in bad.err
