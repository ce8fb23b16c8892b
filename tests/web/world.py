"""Two institution trees and a coordinator, for the isolation matrix, Schemathesis and the security tests.

Every name and cell of tree *alfa* carries the marker ``alfa-leak`` and every one of tree *bravo* the marker
``bravo-leak`` (organisation names, site names, inventory numbers, hostnames, supplier, e-mail addresses), and
the organisation ids are ``alfa-org``/``alfa-org-dienst`` and ``bravo-org``/``bravo-org-dienst``, so a response
that shows anything of the other tree is found by a case-insensitive search for the other tree's marker and ids. Each tree has a root organisation and an agency below it; the coordinator belongs to a
third organisation (``coord``). Users: one per role and tree, each with an API token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from schoon.accounts.service import Accounts
from schoon.audit import Store, import_snapshot
from schoon.identify import Engine
from schoon.registry import default_registry

PASSWORD = "Corr3ct-Horse-Battery-Staple-2026"
TREES = ("alfa", "bravo")
ROLES = ("org-admin", "editor", "viewer")
MAKERS = [("Hikvision", "DS-2CD2386G2-IU", "44:19:b6"), ("Dahua", "IPC-HFW2431S-S-S2", "3c:ef:8c"),
          ("Axis", "P3245-LVE", "ac:cc:8e"), ("Huawei", "S5735-L24T4S-A1", "00:e0:fc")]


@dataclass(frozen=True)
class Account:
    """A user of the world: e-mail, organisation, role, password and API token."""

    email: str
    org_id: str
    role: str
    tree: str | None  # None for the coordinator
    token: str
    token_id: str


@dataclass
class World:
    """The built world: its store URL, the accounts, and what each tree holds."""

    url: str
    accounts: dict[str, Account] = field(default_factory=dict)  # key: "alfa/editor", "coordinator"
    orgs: dict[str, list[str]] = field(default_factory=dict)  # tree -> its organisation ids
    device_ids: dict[str, list[int]] = field(default_factory=dict)  # tree -> its device ids
    snapshot_ids: dict[str, list[int]] = field(default_factory=dict)  # tree -> its snapshot ids
    site_ids: dict[str, list[int]] = field(default_factory=dict)  # tree -> its site ids

    @staticmethod
    def marker(tree: str) -> str:
        """The text every name of ``tree`` contains."""
        return f"{tree}-leak"

    def device_count(self, tree: str | None) -> int:
        """How many devices ``tree`` holds now (None: both trees, what the coordinator sees)."""
        orgs = [o for t, ids in self.orgs.items() if tree is None or t == tree for o in ids]
        store = Store.open(self.url)
        try:
            return sum(len(store.devices(org)) for org in orgs)
        finally:
            store.close()

    def fingerprint(self) -> tuple[object, ...]:
        """What no probe may change: device states, organisations, sites, active users and tokens."""
        store = Store.open(self.url)
        try:
            with store.read() as conn:
                return tuple(tuple(tuple(r) for r in conn.execute(sa.text(query)))
                             for query in ("select id, state, state_date from devices order by id",
                                           "select id, parent_id, deadline from organisations order by id",
                                           "select org_id, key from sites order by org_id, key",
                                           "select email, disabled, org_id, role from users where email not like 'nobody%@nowhere.test' order by email",
                                           "select id, revoked_at from api_tokens order by id"))
        finally:
            store.close()

    def terms(self, tree: str) -> list[str]:
        """What must not appear in an answer to someone outside ``tree``: its marker and organisation ids."""
        return [self.marker(tree), *self.orgs[tree]]

    def other(self, tree: str) -> str:
        """The other institution tree."""
        return "bravo" if tree == "alfa" else "alfa"


def register(tree: str, path: Path, first_mac: int, count: int = 6) -> Path:
    """A register CSV whose every identifying cell carries the tree's marker."""
    marker = World.marker(tree)
    lines = ["Inventarisnummer;Locatie;Hostnaam;Merk;Typenummer;MAC-adres;IP-adres;Leverancier"]
    for n in range(count):
        vendor, model, oui = MAKERS[n % len(MAKERS)]
        mac = f"{oui}:{(first_mac + n) >> 16 & 255:02x}:{(first_mac + n) >> 8 & 255:02x}:{(first_mac + n) & 255:02x}"
        lines.append(f"{marker.upper()}-{n:03d};{marker} hoofdkantoor;{marker}-cam-{n:02d};{vendor};{model};{mac};"
                     f"192.0.2.{first_mac % 100 + n};Leverancier {marker} B.V.")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build_world(url: str, workdir: Path) -> World:
    """Fill the empty store at ``url`` with both trees, the coordinator and every account."""
    store = Store.open(url)
    world = World(url)
    engine = Engine(default_registry(), as_of="2026-11-01")
    store.add_org("coord", "Coördinatie")
    for number, tree in enumerate(TREES):
        marker = World.marker(tree)
        root, agency = f"{tree}-org", f"{tree}-org-dienst"
        store.add_org(root, f"Ministerie {marker}", deadline="2027-06-30")
        store.add_org(agency, f"Dienst {marker}", parent=root)
        store.add_site(root, f"{marker} hoofdkantoor", sensitivity="high")
        world.orgs[tree] = [root, agency]
        import_snapshot(store, engine, root, [str(register(tree, workdir / f"{tree}.csv", 1000 * number + 1))],
                        taken_on="2026-10-01")
        import_snapshot(store, engine, agency,
                        [str(register(tree, workdir / f"{tree}-dienst.csv", 1000 * number + 500, count=3))],
                        taken_on="2026-10-02")
        world.device_ids[tree] = [int(d["id"]) for org in (root, agency) for d in store.devices(org)]
        world.snapshot_ids[tree] = [int(s["id"]) for org in (root, agency) for s in store.snapshots(org)]
        world.site_ids[tree] = [s.id for org in (root, agency) for s in store.sites(org)]
    accounts = Accounts(store)

    def add(key: str, email: str, org: str, role: str, tree: str | None) -> None:
        accounts.add_user(email, org, role, PASSWORD)
        token_id, token = accounts.create_token(email, 30)
        world.accounts[key] = Account(email, org, role, tree, token, token_id)

    add("coordinator", "coordinator@coord.test", "coord", "coordinator", None)
    for tree in TREES:
        for role in ROLES:
            add(f"{tree}/{role}", f"{role}@{World.marker(tree)}.test", f"{tree}-org", role, tree)
    store.close()
    return world
