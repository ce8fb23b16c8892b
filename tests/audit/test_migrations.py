"""The migrations create exactly the tables the code declares (no drift between schema.py and versions/), and
stores made by older revisions keep working after the upgrade."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from schoon.audit import Store, db, import_snapshot
from schoon.audit.db import current_revision, head_revision
from schoon.audit.schema import (
    devices,
    findings,
    lifecycle_events,
    metadata,
    observations,
    organisations,
    sites,
    snapshots,
)
from schoon.identify import Engine


def test_no_drift(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def _store_at(url: str, revision: str) -> sa.Engine:
    engine = db.create(url)
    with engine.begin() as conn:
        command.upgrade(db._alembic_config(conn), revision)
    return engine


def test_upgrade_rekeys_sites_and_joins_devices_stored_twice(db_url: str, engine: Engine, tmp_path: Path) -> None:
    """A store made by revision 0002 (old ASCII-only site keys; a device stored twice by concurrent imports)
    opens under the new code: keys keep every script, no site is merged, the twin devices become one."""
    old = _store_at(db_url, "0002")
    with old.begin() as conn:
        conn.execute(organisations.insert().values(id="ext", name="Posten", created_at="2026-01-01T00:00:00"))
        conn.execute(sites.insert(), [
            {"id": 1, "org_id": "ext", "key": "site", "name": "Москва"},  # the old rule's key for any non-Latin
            {"id": 2, "org_id": "ext", "key": "zurich", "name": "Zurich"},
            {"id": 3, "org_id": "ext", "key": "z-rich", "name": "Zürich"},  # would become 'zurich': kept apart
            {"id": 4, "org_id": "ext", "key": "dh", "name": "Den Haag"},  # a key given by hand
            {"id": 5, "org_id": "ext", "key": "athen", "name": "Αθήνα"},  # likewise (the old rule gave 'site')
        ])
        snapshot = {"org_id": "ext", "imported_at": "x", "policy_id": "default", "registry_version": "1",
                    "records": 1, "rejects": 0, "flagged": 1, "replaced": 0, "outstanding": 1}
        conn.execute(snapshots.insert(), [{**snapshot, "id": 1, "taken_on": "2026-01-05", "content_hash": "a"},
                                          {**snapshot, "id": 2, "taken_on": "2026-01-05", "content_hash": "b"}])
        device = {"org_id": "ext", "site_id": 1, "mac": "44:19:b6:00:00:01", "ip": "10.0.0.1", "asset_id": "P-1",
                  "last_seen": "2026-01-05", "verdict": "flagged", "state": "in_use"}
        conn.execute(devices.insert(), [{**device, "id": 7, "first_seen": "2026-01-05", "last_snapshot_id": 1},
                                        {**device, "id": 8, "first_seen": "2026-01-04", "last_snapshot_id": 2},
                                        {**device, "id": 9, "mac": None, "asset_id": "P-2", "first_seen": "2026-01-05",
                                         "last_snapshot_id": 2},
                                        {**device, "id": 10, "site_id": 3, "mac": None, "asset_id": "P-4",
                                         "first_seen": "2026-01-05", "last_snapshot_id": 2}])
        seen = {"snapshot_id": 2, "kind": "register", "source": "r.csv"}
        conn.execute(observations.insert(), [  # what the records said: P-2 is in Beijing, not in Moscow
            {**seen, "device_id": 8, "row": 2, "data": json.dumps({"site": "Москва"}, ensure_ascii=False)},
            {**seen, "device_id": 9, "row": 3, "data": json.dumps({"site": "北京"}, ensure_ascii=False)},
            {**seen, "device_id": 10, "row": 4, "data": json.dumps({"site": "Zürich"}, ensure_ascii=False)}])
        finding = {"group_id": "hikvision", "confidence": 1.0, "verdict": "flagged", "listings": "[]",
                   "evidence": "[]", "basis": "[]", "reason": "r", "policy_id": "default", "registry_version": "1"}
        conn.execute(findings.insert(), [{**finding, "snapshot_id": 1, "device_id": 7},
                                         {**finding, "snapshot_id": 2, "device_id": 8}])
        conn.execute(lifecycle_events.insert(), [{"device_id": 7, "at": "x", "to_state": "in_use"},
                                                 {"device_id": 8, "at": "y", "to_state": "in_use"}])
        if conn.dialect.name == "postgresql":  # rows were given ids: move the sequences past them
            for table in ("sites", "snapshots", "devices"):
                conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))"))
    old.dispose()

    store = Store.open(db_url)
    try:
        assert current_revision(store.engine) == head_revision()
        assert {s.id: s.key for s in store.sites("ext") if s.id <= 5} == {1: "москва", 2: "zurich", 3: "z-rich",
                                                                          4: "dh", 5: "athen"}
        sites_now = {s.key: s.id for s in store.sites("ext")}
        assert set(sites_now) == {"москва", "zurich", "z-rich", "dh", "athen", "北京"}
        kept = store.devices("ext")
        assert [(d["id"], d["first_seen"], d["site_id"]) for d in kept] == [
            (8, "2026-01-04", 1), (9, "2026-01-05", sites_now["北京"]), (10, "2026-01-05", 3)]
        with store.read() as conn:
            assert sorted(conn.execute(sa.select(findings.c.device_id)).scalars()) == [8, 8]
            assert sorted(conn.execute(sa.select(lifecycle_events.c.device_id)).scalars()) == [8, 8]
        # The store keeps working: a register naming the sites finds them, and a device is stored only once.
        register = tmp_path / "posten.csv"
        register.write_text("Inventarisnummer;Locatie;Merk;MAC-adres;IP-adres\n"
                            "P-1;МОСКВА;Hikvision;44:19:B6:00:00:01;10.0.0.1\n"
                            "P-3;Den Haag;Axis;;10.0.0.3\n", encoding="utf-8")
        result = import_snapshot(store, engine, "ext", [str(register)], taken_on="2026-02-01")
        assert (result.devices_new, result.devices_seen) == (1, 2)
        assert store.device(8)["last_seen"] == "2026-02-01" and store.device(8)["site_id"] == 1
        assert {d["site_id"] for d in store.devices("ext") if d["asset_id"] == "P-3"} != {4}  # 'den-haag' != 'dh'
        with pytest.raises(db.StoreError, match="conflicts"), store.write() as conn:
            conn.execute(devices.insert().values(**{**device, "first_seen": "x", "last_snapshot_id": 1}))
    finally:
        store.close()


def test_accounts_revision_goes_down_and_up_again(db_url: str) -> None:
    """0004 adds the accounts tables (and, on PostgreSQL, row-level security); going down to 0003 removes them
    with the policies and functions, and the store upgrades again to a working head."""
    engine = _store_at(db_url, "head")
    accounts_tables = {"users", "api_tokens", "sessions", "login_attempts", "audit_events", "jobs"}
    try:
        assert accounts_tables <= set(sa.inspect(engine).get_table_names())
        with engine.begin() as conn:
            conn.execute(organisations.insert().values(id="mvz", name="M", created_at="x"))
            command.downgrade(db._alembic_config(conn), "0003")
        assert current_revision(engine) == "0003"
        assert not accounts_tables & set(sa.inspect(engine).get_table_names())
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                assert conn.execute(sa.text("SELECT count(*) FROM pg_policies")).scalar() == 0
                assert conn.execute(sa.text("SELECT count(*) FROM pg_proc WHERE proname LIKE 'schoon_%'")
                                    ).scalar() == 0
                assert not conn.execute(sa.text("SELECT relrowsecurity OR relforcerowsecurity FROM pg_class "
                                                "WHERE relname = 'devices'")).scalar()
        with engine.begin() as conn:
            command.upgrade(db._alembic_config(conn), "head")
        assert current_revision(engine) == head_revision()
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                forced = conn.execute(sa.text("SELECT relname FROM pg_class WHERE relforcerowsecurity "
                                              "AND relrowsecurity")).scalars().all()
            assert {"devices", "observations", "users", "jobs", "organisations"} <= set(forced)
    finally:
        engine.dispose()
    store = Store.open(db_url)
    try:
        assert [o.id for o in store.orgs()] == ["mvz"]
    finally:
        store.close()


def test_open_without_migrating_needs_the_newest_schema(db_url: str) -> None:
    """The web service's application role may not migrate: an older store is one line asking for the upgrade."""
    _store_at(db_url, "0003").dispose()
    with pytest.raises(db.StoreError, match=rf"at schema 0003, this schoon needs {head_revision()}: upgrade it first"):
        Store.open(db_url, migrate=False)
    Store.open(db_url).close()
    Store.open(db_url, migrate=False).close()


def test_0005_adds_the_capability_tables_and_its_downgrade_removes_them(db_url: str) -> None:
    """A store at 0003 (before capabilities) upgrades to the capability tables; 0005's downgrade drops them."""
    old = _store_at(db_url, "0003")
    assert "capability_findings" not in sa.inspect(old).get_table_names()
    old.dispose()
    store = Store.open(db_url)
    try:
        tables = set(sa.inspect(store.engine).get_table_names())
        assert {"capability_documents", "capability_findings"} <= tables
        indexes = {i["name"] for i in sa.inspect(store.engine).get_indexes("capability_findings")}
        assert indexes == {"ix_capability_findings_device_snapshot", "ix_capability_findings_document"}
        with store.engine.begin() as conn:
            command.downgrade(db._alembic_config(conn), "0003")
        assert "capability_findings" not in sa.inspect(store.engine).get_table_names()
        assert "capability_documents" not in sa.inspect(store.engine).get_table_names()
    finally:
        store.close()


def test_0006_adds_the_dashboard_indexes_and_its_downgrade_removes_them(db_url: str) -> None:
    """A store at 0005 gets the two device indexes of the dashboard; 0006's downgrade drops them again."""
    wanted = {"ix_devices_org_state_verdict", "ix_devices_state_org"}
    old = _store_at(db_url, "0005")
    assert not wanted & {i["name"] for i in sa.inspect(old).get_indexes("devices")}
    old.dispose()
    store = Store.open(db_url)
    try:
        assert wanted <= {i["name"] for i in sa.inspect(store.engine).get_indexes("devices")}
        with store.engine.begin() as conn:
            command.downgrade(db._alembic_config(conn), "0005")
        assert not wanted & {i["name"] for i in sa.inspect(store.engine).get_indexes("devices")}
    finally:
        store.close()
