"""``schoon serve --demo``: the demo estate of ``make demo`` in a fresh SQLite file, with a demo user per role.

The data are the fictional Ministerie van Voorbeeldzaken (with its agency Dienst Voorbeeldtoezicht) over two
snapshots six months apart, with replacements, an exemption and a scheduled move, and a second institution
(Gemeente Voorbeeldstad: a small fictional register of ours and its procurement export) whose viewer must
never see the ministry's data.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from schoon.accounts.passwords import PasswordError, check_password
from schoon.accounts.service import Accounts
from schoon.audit import Store, apply_file, import_snapshot
from schoon.audit.capabilities import import_capabilities
from schoon.errors import SchoonError
from schoon.identify import Engine
from schoon.registry import default_registry
from schoon.registry.policy import load_policy

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
DEMODATA = Path(__file__).resolve().parent / "demodata"  # the municipality's fictional register (ours)


@dataclass(frozen=True)
class DemoUser:
    """A demo account and its one-time password."""

    email: str
    org_id: str
    role: str
    password: str


DEMO_USERS: tuple[tuple[str, str, str], ...] = (
    ("coordinator@demo.schoon.test", "bzk", "coordinator"),
    ("beheer@mvz.demo.schoon.test", "mvz", "org-admin"),
    ("bewerker@mvz.demo.schoon.test", "mvz", "editor"),
    ("lezer@mvz.demo.schoon.test", "mvz", "viewer"),
    ("lezer@voorbeeldstad.demo.schoon.test", "voorbeeldstad", "viewer"),
)


def examples_dir() -> Path:
    """The folder of demo files (``examples/`` of a source checkout); missing is one clear error."""
    if not (EXAMPLES / "voorbeeldzaken" / "register.csv").is_file():
        raise SchoonError(f"the demo needs the examples folder of a schoon source checkout; not found at {EXAMPLES}")
    return EXAMPLES


def build_demo(store: Store, accounts: Accounts) -> list[DemoUser]:
    """Fill an empty store with the demo estate and create the demo users; return them with their passwords."""
    base = examples_dir()
    demo = base / "voorbeeldzaken"
    registry = default_registry()
    policy = load_policy("default")
    store.add_org("bzk", "Coördinatie (demo)")
    store.add_org("mvz", "Ministerie van Voorbeeldzaken", deadline="2026-06-30")
    store.add_org("dvt", "Dienst Voorbeeldtoezicht", parent="mvz")
    store.add_org("voorbeeldstad", "Gemeente Voorbeeldstad", deadline="2027-12-31")
    for org, name, sensitivity in (("mvz", "Den Haag Hoofdkantoor", "high"), ("mvz", "Utrecht Archief", "normal"),
                                   ("mvz", "Zwolle Datacentrum", "high"), ("voorbeeldstad", "Stadhuis", "public")):
        store.add_site(org, name, name, sensitivity=sensitivity)
    store.add_site("dvt", "Rotterdam Kantoor", "Rotterdam Kantoor", sensitivity="normal", owner_kind="landlord",
                   owner_name="Vastgoed Zuid B.V.")

    def run(org: str, day: str, files: list[Path], site: str | None = None) -> None:
        import_snapshot(store, Engine(registry, policy=policy, as_of=day), org, [str(f) for f in files],
                        site=site, taken_on=day)

    run("mvz", "2026-03-02", [demo / "register.csv", demo / "camera-vlan.xml", demo / "inkoop.csv"],
        "Den Haag Hoofdkantoor")
    run("dvt", "2026-03-09", [demo / "dvt-register.csv"])
    apply_file(store, demo / "moves-2026-06.csv", actor="CISO MVZ")
    run("mvz", "2026-09-14", [demo / "register-2026-09.csv", demo / "camera-vlan-2026-09.xml"],
        "Den Haag Hoofdkantoor")
    run("dvt", "2026-09-21", [demo / "dvt-register.csv", demo / "dvt-toegang.csv"])
    import_capabilities(store, "mvz", [demo / "capabilities"])
    run("voorbeeldstad", "2026-10-01", [DEMODATA / "voorbeeldstad-register.csv",
                                         base / "gemeente" / "inkoop-2024.csv"], "Stadhuis")
    users = []
    for email, org, role in DEMO_USERS:
        password = _random_password(email)
        accounts.add_user(email, org, role, password)
        users.append(DemoUser(email, org, role, password))
    return users


def _random_password(email: str) -> str:
    """A random demo password that the password rules accept (a random one can, rarely, contain a part of the
    email address or spell a refused word: draw again then)."""
    while True:
        password = secrets.token_urlsafe(12)
        try:
            check_password(password, email)
        except PasswordError:
            continue
        return password
