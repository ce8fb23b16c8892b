"""Site keys keep every script; one device per MAC and organisation.

Site keys were built by keeping only ``a-z0-9``: every site named in Cyrillic, Greek, Chinese ... had the key
``site`` (so they were one site), and ``Zürich`` was ``z-rich``. Keys now come from :func:`schoon.slug.slug`.
A site whose key was made from its name gets the new key of that name; a site added with a key of its own
keeps it (that key is ASCII and unchanged by the new rule). When the new key is already another site's, the
site keeps its old key: the migration never merges two sites (merge them by hand if they are one place).

The old rule also put devices of different places on one site (every Cyrillic or Chinese name was ``site``).
A device whose records in its last snapshot all name one place, which the new rule tells apart from its site's
name while the old rule did not, moves to that place's site (created with default settings when missing).
A device that the old rule merged from records of several places stays where it is: one row cannot be split.

Devices stored twice by concurrent imports (the same MAC twice in one organisation) are joined into the one
seen last; their history (observations, findings, lifecycle events, discrepancies) moves with them. Then a
unique index makes a second copy impossible.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import json
import re
from typing import Any

import sqlalchemy as sa
from alembic import op

from schoon.slug import slug

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_OLD_SLUG = re.compile(r"[^a-z0-9]+")


def old_site_key(text: str) -> str:
    """The site key of revisions 0001-0002 (frozen here: the rule the stored keys were made with)."""
    return _OLD_SLUG.sub("-", text.lower()).strip("-") or "site"


def new_site_keys(rows: list[Any]) -> dict[int, str]:
    """Site id → new key, for the sites (id, org_id, key, name) whose key changes."""
    by_org: dict[str, list[Any]] = {}
    for row in rows:
        by_org.setdefault(row.org_id, []).append(row)
    changes: dict[int, str] = {}
    for org_rows in by_org.values():
        targets: dict[int, str] = {}
        for row in org_rows:
            made_from_name = old_site_key(row.name) == row.key
            target = slug(row.name) if made_from_name else row.key
            if target and target != row.key:
                targets[row.id] = target
        taken = {row.key for row in org_rows if row.id not in targets}
        for row in sorted(org_rows, key=lambda r: r.id):
            if row.id not in targets:
                continue
            key = targets[row.id]
            if key in taken:
                key = row.key if row.key not in taken else f"{row.key}-{row.id}"
            taken.add(key)
            if key != row.key:
                changes[row.id] = key
    return changes


_SITES = sa.table("sites", sa.column("id", sa.Integer), sa.column("org_id", sa.String),
                  sa.column("key", sa.String), sa.column("name", sa.Text))


def _rekey_sites(bind: sa.Connection) -> dict[int, str]:
    """Give sites their new keys; return every site's old key."""
    rows = list(bind.execute(sa.select(_SITES.c.id, _SITES.c.org_id, _SITES.c.key, _SITES.c.name)))
    changes = new_site_keys(rows)
    for site_id in changes:  # two steps: no intermediate state breaks the unique (org, key)
        bind.execute(_SITES.update().where(_SITES.c.id == site_id).values(key=f"~migrating-{site_id}"))
    for site_id, key in changes.items():
        bind.execute(_SITES.update().where(_SITES.c.id == site_id).values(key=key))
    return {int(row.id): str(row.key) for row in rows}


def _place_devices(bind: sa.Connection, old_keys: dict[int, str]) -> None:
    """Move devices that the old rule put on another place's site to their own place's site."""
    devices = sa.table("devices", sa.column("id", sa.Integer), sa.column("org_id", sa.String),
                       sa.column("site_id", sa.Integer), sa.column("last_snapshot_id", sa.Integer))
    observations = sa.table("observations", sa.column("device_id", sa.Integer),
                            sa.column("snapshot_id", sa.Integer), sa.column("data", sa.Text))
    current = {int(r.id): r for r in bind.execute(sa.select(_SITES))}
    by_key = {(r.org_id, r.key): int(r.id) for r in current.values()}
    query = (sa.select(devices.c.id, devices.c.org_id, devices.c.site_id, observations.c.data)
             .join(observations, sa.and_(observations.c.device_id == devices.c.id,
                                         observations.c.snapshot_id == devices.c.last_snapshot_id))
             .where(devices.c.site_id.is_not(None), observations.c.data.like('%"site":%')))
    named: dict[int, tuple[str, int, set[str]]] = {}
    for row in bind.execute(query):
        value = json.loads(row.data).get("site")
        if isinstance(value, str) and value.strip():
            named.setdefault(int(row.id), (row.org_id, int(row.site_id), set()))[2].add(value)
    for device_id, (org_id, site_id, names) in sorted(named.items()):
        keys = {slug(name) for name in names}
        site = current[site_id]
        if len(keys) != 1 or site_id not in old_keys:
            continue  # records of several places: the old rule merged them into one device; cannot split
        key = next(iter(keys))
        if key == site.key or slug(site.name) == key:
            continue  # its own site, or a site kept apart on purpose (Zürich next to Zurich)
        if any(old_site_key(name) != old_keys[site_id] for name in names):
            continue  # not put here by the old rule
        target = by_key.get((org_id, key))
        if target is None:
            target = int(bind.execute(_SITES.insert().values(org_id=org_id, key=key, name=sorted(names)[0])
                                      .returning(_SITES.c.id)).scalar_one())
            by_key[(org_id, key)] = target
            current[target] = next(iter(bind.execute(sa.select(_SITES).where(_SITES.c.id == target))))
        bind.execute(devices.update().where(devices.c.id == device_id).values(site_id=target))


def _join_duplicate_devices(bind: sa.Connection) -> None:
    devices = sa.table("devices", sa.column("id", sa.Integer), sa.column("org_id", sa.String),
                       sa.column("mac", sa.String), sa.column("first_seen", sa.String),
                       sa.column("last_snapshot_id", sa.Integer))
    dupes = (sa.select(devices.c.org_id, devices.c.mac).where(devices.c.mac.is_not(None))
             .group_by(devices.c.org_id, devices.c.mac).having(sa.func.count() > 1))
    for org_id, mac in list(bind.execute(dupes)):
        rows = list(bind.execute(sa.select(devices).where(devices.c.org_id == org_id, devices.c.mac == mac)
                                 .order_by(devices.c.last_snapshot_id.desc(), devices.c.id)))
        keep, others = rows[0], [r.id for r in rows[1:]]
        for table in ("observations", "findings", "lifecycle_events", "discrepancies"):
            history = sa.table(table, sa.column("device_id", sa.Integer))
            bind.execute(history.update().where(history.c.device_id.in_(others)).values(device_id=keep.id))
        bind.execute(devices.update().where(devices.c.id == keep.id)
                     .values(first_seen=min(r.first_seen for r in rows)))
        bind.execute(devices.delete().where(devices.c.id.in_(others)))


def upgrade() -> None:
    bind = op.get_bind()
    _place_devices(bind, _rekey_sites(bind))
    _join_duplicate_devices(bind)
    with op.batch_alter_table("devices") as batch:
        batch.drop_index("ix_devices_org_mac")
        batch.create_index("uq_devices_org_mac", ["org_id", "mac"], unique=True)


def downgrade() -> None:
    """The unique index goes; site keys stay as they are (the old rule could not tell them apart)."""
    with op.batch_alter_table("devices") as batch:
        batch.drop_index("uq_devices_org_mac")
        batch.create_index("ix_devices_org_mac", ["org_id", "mac"])
