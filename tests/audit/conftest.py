"""Every audit test runs against SQLite and against a real PostgreSQL server (SCHOON_TEST_PG_URL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from schoon.audit import Store
from schoon.audit.db import normalise_url
from schoon.identify import Engine
from schoon.registry import default_registry

PG_URL = os.environ.get("SCHOON_TEST_PG_URL")
DEMO = Path(__file__).resolve().parents[2] / "examples" / "voorbeeldzaken"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'audit.db'}"
        return
    if not PG_URL:
        pytest.skip("no PostgreSQL server: set SCHOON_TEST_PG_URL (make test starts one with "
                    "scripts/pg-test-server.sh)")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    base = PG_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine(default_registry(), as_of="2026-11-28")


@pytest.fixture
def ministry(store: Store) -> Store:
    """The demo ministry and its agency with their sites, before any import."""
    store.add_org("mvz", "Ministerie van Voorbeeldzaken", deadline="2026-06-30")
    store.add_org("dvt", "Dienst Voorbeeldtoezicht", parent="mvz")
    store.add_site("mvz", "Den Haag Hoofdkantoor", sensitivity="high")
    store.add_site("mvz", "Utrecht Archief", sensitivity="normal")
    store.add_site("mvz", "Zwolle Datacentrum", sensitivity="high")
    store.add_site("dvt", "Rotterdam Kantoor", sensitivity="normal", owner_kind="landlord",
                   owner_name="Vastgoed Zuid B.V.")
    return store
