"""Importing snapshots: one device per physical device, reconciliation, idempotency, history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from schoon.audit import AuditError, Store, apply_file, import_snapshot
from schoon.audit.schema import findings, lifecycle_events, observations
from schoon.identify import Engine
from tests.audit.conftest import DEMO

FIRST = [str(DEMO / "register.csv"), str(DEMO / "camera-vlan.xml"), str(DEMO / "inkoop.csv")]
SECOND = [str(DEMO / "register-2026-09.csv"), str(DEMO / "camera-vlan-2026-09.xml")]
HQ = "Den Haag Hoofdkantoor"


def _by_asset(store: Store) -> dict[str, dict[str, object]]:
    return {str(d["asset_id"]): dict(d) for d in store.devices("mvz") if d["asset_id"]}


def test_first_snapshot(ministry: Store, engine: Engine) -> None:
    result = import_snapshot(ministry, engine, "mvz", FIRST, site=HQ, taken_on="2026-03-02")
    assert (result.records, result.devices_seen, result.devices_new, result.flagged) == (28, 16, 16, 10)
    assert result.procurement_lines == 7 and result.rejects == []
    kinds = sorted((d.kind, d.device_id) for d in result.discrepancies)
    devices = _by_asset(ministry)
    assert kinds == [("label-vs-evidence", devices["MVZ-0004"]["id"]), ("not-in-register", 16)]
    # The register line and the scan result of one camera are one device, seen by both.
    assert devices["MVZ-0001"]["sources"] == "register,scan"
    assert devices["MVZ-0001"]["state"] == "in_use" and devices["MVZ-0005"]["state"] is None
    with ministry.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(observations)).scalar() == 21
        assert conn.execute(sa.select(sa.func.count()).select_from(findings)).scalar() == 16
        events = conn.execute(sa.select(lifecycle_events.c.to_state)).scalars().all()
    assert events == ["in_use"] * 10


def test_same_files_again_is_idempotent(ministry: Store, engine: Engine) -> None:
    first = import_snapshot(ministry, engine, "mvz", FIRST, site=HQ, taken_on="2026-03-02")
    again = import_snapshot(ministry, engine, "mvz", list(reversed(FIRST)), site=HQ, taken_on="2026-03-05")
    assert again.already_imported and again.snapshot_id == first.snapshot_id
    assert len(ministry.snapshots()) == 1 and len(ministry.devices()) == 16


def test_second_snapshot_tracks_replacement(ministry: Store, engine: Engine) -> None:
    import_snapshot(ministry, engine, "mvz", FIRST, site=HQ, taken_on="2026-03-02")
    apply_file(ministry, DEMO / "moves-2026-06.csv", actor="test", today="2026-07-01")
    result = import_snapshot(ministry, engine, "mvz", SECOND, site=HQ, taken_on="2026-09-14")
    devices = _by_asset(ministry)
    assert result.devices_new == 1  # MVZ-0017, the Axis camera that replaced MVZ-0001 on the same IP
    assert devices["MVZ-0017"]["verdict"] == "clear" and devices["MVZ-0017"]["id"] != devices["MVZ-0001"]["id"]
    assert result.confirmed_replaced == 1 and devices["MVZ-0001"]["replacement_confirmed"] is True
    assert devices["MVZ-0001"]["last_seen"] == "2026-03-02"
    alarms = [d for d in result.discrepancies if d.kind == "replaced-but-seen"]
    assert [a.device_id for a in alarms] == [devices["MVZ-0003"]["id"]]
    # The unregistered Dahua of March is in the September register: same device (by MAC), now with its number.
    assert devices["MVZ-0016"]["id"] == 16 and devices["MVZ-0016"]["first_seen"] == "2026-03-02"
    assert devices["MVZ-0012"]["first_seen"] == "2026-03-02"  # a radio: found again by inventory number
    snapshots = ministry.snapshots("mvz")
    assert [(s["outstanding"], s["replaced"]) for s in snapshots] == [(10, 0), (8, 2)]


def test_sites_come_from_the_records(ministry: Store, engine: Engine) -> None:
    import_snapshot(ministry, engine, "mvz", FIRST, site=HQ, taken_on="2026-03-02")
    sites = {s.id: s.key for s in ministry.sites("mvz")}
    devices = _by_asset(ministry)
    assert sites[devices["MVZ-0006"]["site_id"]] == "utrecht-archief"  # type: ignore[index]
    assert sites[devices["MVZ-0011"]["site_id"]] == "zwolle-datacentrum"  # type: ignore[index]


def test_finding_history_keeps_the_evidence(ministry: Store, engine: Engine) -> None:
    import_snapshot(ministry, engine, "mvz", FIRST, site=HQ, taken_on="2026-03-02")
    import_snapshot(ministry, engine, "mvz", SECOND, site=HQ, taken_on="2026-09-14")
    device = _by_asset(ministry)["MVZ-0002"]["id"]
    with ministry.read() as conn:
        rows = conn.execute(sa.select(findings).where(findings.c.device_id == device)
                            .order_by(findings.c.snapshot_id)).all()
    assert [r.verdict for r in rows] == ["flagged", "flagged"]
    assert any("MAC block 4419B6" in line for line in json.loads(rows[0].evidence))
    assert "us-fcc-covered" in json.loads(rows[0].listings)


def test_bad_requests_change_nothing(ministry: Store, engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(AuditError, match="unknown organisation 'nope'"):
        import_snapshot(ministry, engine, "nope", FIRST)
    with pytest.raises(AuditError, match="no such file"):
        import_snapshot(ministry, engine, "mvz", [str(tmp_path / "missing.csv")])
    with pytest.raises(AuditError, match="date: not a date"):
        import_snapshot(ministry, engine, "mvz", FIRST, taken_on="yesterday")
    assert ministry.snapshots() == [] and ministry.devices() == []


def test_rejected_rows_are_counted_not_lost(ministry: Store, engine: Engine, tmp_path: Path) -> None:
    register = tmp_path / "reg.csv"
    register.write_text("Inventarisnummer;Merk;MAC-adres\nA1;Hikvision;44:19:b6:00:00:01\nA2;Dahua;zz-zz;extra\n",
                        encoding="utf-8")  # a row with more cells than the header is rejected
    result = import_snapshot(ministry, engine, "mvz", [str(register)], site=HQ, taken_on="2026-03-02")
    assert result.records == 1 and [r.row for r in result.rejects] == [3]
    assert ministry.snapshots()[0]["rejects"] == 1
