"""Accounts tests run on SQLite and PostgreSQL (the audit fixtures), over two organisation trees.

    tree A: mvz (ministry) ── dvt (its agency)        tree B: mob (another ministry)
    coordinator: every organisation
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from schoon.accounts import passwords
from schoon.accounts.pgroles import create_app_role
from schoon.accounts.principal import Principal
from schoon.accounts.service import Accounts
from schoon.audit import Store, import_snapshot
from schoon.identify import Engine
from tests.audit.conftest import DEMO, db_url, engine, ministry, store  # noqa: F401  (fixtures)

PASSWORD = "tulp fiets lamp negen"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
B_REGISTER = ("Inventarisnummer;Locatie;Merk;Typenummer;MAC-adres;IP-adres\n"
              "MOB-1;Groningen Depot;Hikvision;DS-2CD2386G2-IU;44:19:b6:99:00:01;203.0.113.1\n"
              "MOB-2;Groningen Depot;Dahua;IPC-HFW2431S;3c:ef:8c:99:00:02;203.0.113.2\n"
              "MOB-3;Groningen Depot;Axis;P3265;00:40:8c:99:00:03;203.0.113.3\n")


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with small parameters: the same code path, a hundred times faster (production keeps RFC 9106's)."""
    monkeypatch.setattr(passwords, "_HASHER", CHEAP)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def orgs(ministry: Store) -> Store:  # noqa: F811
    """Tree A (mvz with its agency dvt) and tree B (mob), no devices yet."""
    ministry.add_org("mob", "Ministerie van Overige Belangen", deadline="2026-01-31")
    ministry.add_site("mob", "Groningen Depot", sensitivity="normal")
    return ministry


@pytest.fixture
def two_trees(orgs: Store, engine: Engine, tmp_path: Path) -> Store:  # noqa: F811
    """Tree A (mvz with its agency dvt) and tree B (mob), each with imported devices."""
    register_b = tmp_path / "mob.csv"
    register_b.write_text(B_REGISTER, encoding="utf-8")
    import_snapshot(orgs, engine, "mvz", [str(DEMO / "register.csv"), str(DEMO / "camera-vlan.xml")],
                    site="Den Haag Hoofdkantoor", taken_on="2026-03-02")
    import_snapshot(orgs, engine, "dvt", [str(DEMO / "dvt-register.csv")], taken_on="2026-03-03")
    import_snapshot(orgs, engine, "mob", [str(register_b)], taken_on="2026-03-04")
    return orgs


@pytest.fixture
def app_url(two_trees: Store, db_url: str) -> Iterator[str]:  # noqa: F811
    """PostgreSQL: the URL of a fresh application role (row-level security applies to it) on the test database."""
    if not db_url.startswith("postgresql"):
        pytest.skip("row-level security exists on PostgreSQL only (SQLite has the Python scope alone)")
    name = f"app_{uuid.uuid4().hex[:10]}"
    create_app_role(two_trees.engine, name, "app-secret")
    rest = db_url.partition("://")[2].partition("@")[2]
    yield f"postgresql://{name}:app-secret@{rest}"
    with two_trees.engine.begin() as conn:  # the role's grants go; the database is dropped by its fixture
        conn.execute(sa.text(f'DROP OWNED BY "{name}"'))
    two_trees.engine.dispose()
    with two_trees.engine.connect() as conn:
        conn.execute(sa.text(f'DROP ROLE IF EXISTS "{name}"'))
        conn.commit()


@pytest.fixture
def app_store(two_trees: Store, db_url: str, request: pytest.FixtureRequest) -> Iterator[Store]:  # noqa: F811
    """The store as the web service opens it: on PostgreSQL as the application role (both walls), on SQLite the
    same store (the Python scope is the only wall there)."""
    if not db_url.startswith("postgresql"):
        yield two_trees
        return
    app = Store.open(request.getfixturevalue("app_url"), migrate=False)
    yield app
    app.close()


@pytest.fixture
def accounts(orgs: Store, clock: Clock) -> Accounts:
    return Accounts(orgs, clock=clock)


@pytest.fixture
def people(accounts: Accounts) -> Callable[[str], Principal]:
    """One user per (role, tree): a_admin, a_editor, a_viewer, agency_editor (dvt), b_editor, b_viewer, coord."""
    spec = {"a_admin": ("mvz", "org-admin"), "a_editor": ("mvz", "editor"), "a_viewer": ("mvz", "viewer"),
            "agency_editor": ("dvt", "editor"), "b_admin": ("mob", "org-admin"), "b_editor": ("mob", "editor"),
            "b_viewer": ("mob", "viewer"), "coord": ("mvz", "coordinator")}
    for name, (org, role) in spec.items():
        accounts.add_user(f"{name}@example.org", org, role, PASSWORD)

    def get(name: str) -> Principal:
        principal = accounts.principal_for_email(f"{name}@example.org")
        assert principal is not None
        return principal
    return get
