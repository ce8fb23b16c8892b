"""Site keys keep every script; one device per MAC and organisation.

Site keys were built by keeping only ``a-z0-9``: every site named in Cyrillic, Greek, Chinese ... had the key
``site`` (so they were one site), and ``Zürich`` was ``z-rich``. Keys now come from :func:`schoon.slug.slug`.
A site whose key was made from its name gets the new key of that name; a site added with a key of its own
keeps it (that key is ASCII and unchanged by the new rule). When the new key is already another site's, the
site keeps its old key: the migration never merges two sites (merge them by hand if they are one place).

Devices stored twice by concurrent imports (the same MAC twice in one organisation) are joined into the one
seen last; their history (observations, findings, lifecycle events, discrepancies) moves with them. Then a
unique index makes a second copy impossible.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

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


def _rekey_sites(bind: sa.Connection) -> None:
    sites = sa.table("sites", sa.column("id", sa.Integer), sa.column("org_id", sa.String),
                     sa.column("key", sa.String), sa.column("name", sa.Text))
    changes = new_site_keys(list(bind.execute(sa.select(sites.c.id, sites.c.org_id, sites.c.key, sites.c.name))))
    for site_id in changes:  # two steps: no intermediate state breaks the unique (org, key)
        bind.execute(sites.update().where(sites.c.id == site_id).values(key=f"~migrating-{site_id}"))
    for site_id, key in changes.items():
        bind.execute(sites.update().where(sites.c.id == site_id).values(key=key))


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
    _rekey_sites(bind)
    _join_duplicate_devices(bind)
    with op.batch_alter_table("devices") as batch:
        batch.drop_index("ix_devices_org_mac")
        batch.create_index("uq_devices_org_mac", ["org_id", "mac"], unique=True)


def downgrade() -> None:
    """The unique index goes; site keys stay as they are (the old rule could not tell them apart)."""
    with op.batch_alter_table("devices") as batch:
        batch.drop_index("uq_devices_org_mac")
        batch.create_index("ix_devices_org_mac", ["org_id", "mac"])
