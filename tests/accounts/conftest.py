"""Accounts tests run on SQLite and PostgreSQL (the audit fixtures), over two organisation trees.

    tree A: mvz (ministry) ── dvt (its agency)        tree B: mob (another ministry)
    coordinator: every organisation
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from schoon.accounts.principal import Principal
from schoon.accounts.service import Accounts
from schoon.audit import Store, import_snapshot
from schoon.identify import Engine
from tests.audit.conftest import DEMO, db_url, engine, ministry, store  # noqa: F401  (fixtures)

PASSWORD = "tulp fiets lamp negen"
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
