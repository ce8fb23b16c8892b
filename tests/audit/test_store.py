"""Organisations and sites: created, listed, validated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from schoon.audit import AuditError, Store, db
from schoon.audit.db import StoreError, current_revision, head_revision


def test_schema_is_at_head(store: Store) -> None:
    assert current_revision(store.engine) == head_revision()


def test_reopening_is_harmless(db_url: str) -> None:
    first = Store.open(db_url)
    first.add_org("a")
    first.close()
    again = Store.open(db_url)
    assert [o.id for o in again.orgs()] == ["a"]
    again.close()


def test_organisations_and_deadline_inheritance(ministry: Store) -> None:
    assert [o.id for o in ministry.orgs()] == ["dvt", "mvz"]
    assert ministry.deadline_of("dvt") == "2026-06-30"
    ministry.set_deadline("dvt", "2027-01-01")
    assert ministry.deadline_of("dvt") == "2027-01-01"


@pytest.mark.parametrize(("args", "message"), [
    (("Bad Id",), "lowercase slug"),
    (("x", "X", "nope"), "unknown parent organisation 'nope'"),
    (("x", "X", None, "31-12-2026"), "deadline: not a date"),
])
def test_bad_organisations(store: Store, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(AuditError, match=message):
        store.add_org(*args)
    assert store.orgs() == []


def test_duplicate_organisation(ministry: Store) -> None:
    with pytest.raises(AuditError, match="exists already"):
        ministry.add_org("mvz")


def test_sites(ministry: Store) -> None:
    site = ministry.site("mvz", "Den Haag Hoofdkantoor")
    assert (site.key, site.sensitivity, site.owner_kind) == ("den-haag-hoofdkantoor", "high", "own")
    landlord = ministry.site("dvt", "rotterdam-kantoor")
    assert (landlord.owner_kind, landlord.owner_name) == ("landlord", "Vastgoed Zuid B.V.")
    with pytest.raises(AuditError, match="sensitivity must be one of"):
        ministry.add_site("mvz", "Elders", sensitivity="secret")
    with pytest.raises(AuditError, match="unknown organisation 'nope'"):
        ministry.add_site("nope", "Elders")
    with pytest.raises(AuditError, match="exists already"):
        ministry.add_site("mvz", "den haag hoofdkantoor")


def test_a_locked_database_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite: a writer that cannot get the lock in time fails with one line, and writes nothing."""
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    store = Store.open(url)
    blocker = sqlite3.connect(tmp_path / "locked.db", timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        monkeypatch.setattr(db, "LOCK_TIMEOUT_S", 0)
        impatient = Store.open(url)
        with pytest.raises(StoreError, match="nothing was written: database is locked"):
            impatient.add_org("x")
    finally:
        blocker.rollback()
        blocker.close()
    assert store.orgs() == []
