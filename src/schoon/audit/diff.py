"""What changed between two snapshots of an organisation: new and gone devices, replacements, verdict and
lifecycle changes.

A device is *in* a snapshot when that snapshot's import saw it (it has a finding in it). Between snapshot A
(earlier) and B (later):

- ``new``: in B, not in A;
- ``gone``: in A, not in B, and not replaced in between;
- ``replaced``: moved to ``replaced`` in between (the move was recorded after A was imported and no later than
  B was, or its replacement date lies after A was taken and on or before B was taken);
- ``verdict``: in both, judged differently (``before`` and ``after`` give verdict and maker group);
- ``lifecycle``: any other lifecycle move in between (scheduled, exempted, back in use), as ``from → to``.
  The import's own "found flagged" entry is not repeated: it is the ``new`` or ``verdict`` line.

Snapshots are compared as recorded: when B covers less than A (one site's scan after a full register), the
devices it did not look at show as gone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from schoon.audit.db import INSERT_BATCH_ROWS
from schoon.audit.schema import devices, findings, lifecycle_events, sites, snapshots
from schoon.audit.store import AuditError, Store, parse_date

CHANGES = ("new", "gone", "replaced", "verdict", "lifecycle")


@dataclass(frozen=True)
class SnapshotRef:
    """One side of a diff: the snapshot's id and the day it was taken."""

    id: int
    taken_on: str
    imported_at: str


@dataclass(frozen=True)
class Change:
    """One changed device. ``before``/``after`` are short texts (verdict and group, or lifecycle states)."""

    change: str
    device_id: int
    asset_id: str | None
    site: str | None
    mac: str | None
    ip: str | None
    group_id: str | None
    model: str | None
    before: str | None
    after: str | None
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The change as a flat record (the jsonl and csv columns, in :data:`COLUMNS` order)."""
        return asdict(self)


COLUMNS = ("change", "device_id", "asset_id", "site", "mac", "ip", "group_id", "model", "before", "after", "detail")


@dataclass
class SnapshotDiff:
    """The changes between two snapshots of one organisation, in :data:`CHANGES` order, then by device."""

    org_id: str
    before: SnapshotRef
    after: SnapshotRef
    changes: list[Change] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many changes of each kind (every kind present, zero when none)."""
        out = dict.fromkeys(CHANGES, 0)
        for change in self.changes:
            out[change.change] += 1
        return out


def _pick(rows: list[Any], ref: str, what: str, org_id: str) -> Any:
    text = ref.strip()
    if text.isdigit():
        for row in rows:
            if row.id == int(text):
                return row
        raise AuditError(f"{what}: no snapshot {text} of {org_id!r} (see 'schoon audit snapshots --org {org_id}')")
    day = parse_date(text, what)
    earlier = [row for row in rows if row.taken_on <= str(day)]
    if not earlier:
        raise AuditError(f"{what}: {org_id!r} has no snapshot taken on or before {day}")
    return earlier[-1]


def choose(store: Store, org_id: str, before: str | None = None, after: str | None = None) -> tuple[Any, Any]:
    """The two snapshot rows to compare. A reference is a snapshot id, or a date (the organisation's last
    snapshot taken on or before it). Defaults: ``after`` the latest, ``before`` the one before ``after``."""
    store.org(org_id)
    with store.read() as conn:
        rows = list(conn.execute(sa.select(snapshots.c.id, snapshots.c.taken_on, snapshots.c.imported_at)
                                 .where(snapshots.c.org_id == org_id)
                                 .order_by(snapshots.c.taken_on, snapshots.c.id)))
    if len(rows) < 2:
        raise AuditError(f"{org_id!r} has {len(rows)} snapshot{'s' if len(rows) != 1 else ''}: "
                         "a diff needs two")
    to_row = _pick(rows, after, "--to", org_id) if after else rows[-1]
    if before:
        from_row = _pick(rows, before, "--from", org_id)
    else:
        position = rows.index(to_row)
        if position == 0:
            raise AuditError(f"snapshot {to_row.id} is the first of {org_id!r}: nothing before it to compare with")
        from_row = rows[position - 1]
    if from_row.id == to_row.id:
        raise AuditError(f"--from and --to are the same snapshot ({from_row.id})")
    if rows.index(from_row) > rows.index(to_row):
        raise AuditError(f"--from snapshot {from_row.id} ({from_row.taken_on}) is later than --to snapshot "
                         f"{to_row.id} ({to_row.taken_on})")
    return from_row, to_row


def _findings(conn: sa.Connection, snapshot_id: int) -> dict[int, Any]:
    query = sa.select(findings.c.device_id, findings.c.verdict, findings.c.group_id).where(
        findings.c.snapshot_id == snapshot_id)
    return {int(row.device_id): row for row in conn.execute(query)}


def _devices(conn: sa.Connection, ids: list[int]) -> dict[int, Any]:
    out: dict[int, Any] = {}
    for start in range(0, len(ids), INSERT_BATCH_ROWS):
        chunk = ids[start: start + INSERT_BATCH_ROWS]
        query = (sa.select(devices, sites.c.name.label("site_name"))
                 .select_from(devices.outerjoin(sites, sites.c.id == devices.c.site_id))
                 .where(devices.c.id.in_(chunk)))
        for row in conn.execute(query):
            out[int(row.id)] = row
    return out


def _moves(conn: sa.Connection, org_id: str, before: Any, after: Any) -> Iterator[Any]:
    recorded = sa.and_(lifecycle_events.c.at >= before.imported_at, lifecycle_events.c.at <= after.imported_at)
    dated = sa.and_(lifecycle_events.c.to_state == "replaced", lifecycle_events.c.on_date > before.taken_on,
                    lifecycle_events.c.on_date <= after.taken_on)
    query = (sa.select(lifecycle_events).join(devices, devices.c.id == lifecycle_events.c.device_id)
             .where(devices.c.org_id == org_id, sa.or_(recorded, dated),
                    sa.or_(lifecycle_events.c.actor.is_(None), lifecycle_events.c.actor != "import"))
             .order_by(lifecycle_events.c.id))
    yield from conn.execute(query)


def _judged(row: Any) -> str:
    return f"{row.verdict} ({row.group_id})" if row.group_id else str(row.verdict)


def diff(store: Store, org_id: str, before: str | None = None, after: str | None = None) -> SnapshotDiff:
    """What changed in ``org_id`` between two snapshots (see the module text; references as in :func:`choose`)."""
    from_row, to_row = choose(store, org_id, before, after)
    result = SnapshotDiff(org_id, SnapshotRef(int(from_row.id), from_row.taken_on, from_row.imported_at),
                          SnapshotRef(int(to_row.id), to_row.taken_on, to_row.imported_at))
    with store.read() as conn:
        old, new = _findings(conn, from_row.id), _findings(conn, to_row.id)
        moves = list(_moves(conn, org_id, from_row, to_row))
        replaced = {int(m.device_id) for m in moves if m.to_state == "replaced"}
        rows: list[tuple[str, int, str | None, str | None, str | None]] = []
        rows += [("new", d, None, _judged(new[d]), None) for d in sorted(new.keys() - old.keys())]
        rows += [("gone", d, _judged(old[d]), None, None) for d in sorted(old.keys() - new.keys() - replaced)]
        for move in moves:
            kind = "replaced" if move.to_state == "replaced" else "lifecycle"
            when = f" on {move.on_date}" if move.on_date else ""
            rows.append((kind, int(move.device_id), move.from_state, move.to_state + when, move.detail))
        rows += [("verdict", d, _judged(old[d]), _judged(new[d]), None)
                 for d in sorted(old.keys() & new.keys()) if old[d].verdict != new[d].verdict]
        known = _devices(conn, sorted({r[1] for r in rows}))
    order = {name: n for n, name in enumerate(CHANGES)}
    for kind, device_id, was, now_is, detail in sorted(rows, key=lambda r: (order[r[0]], r[1])):
        device: Mapping[str, Any] = known[device_id]._mapping
        result.changes.append(Change(kind, device_id, device["asset_id"], device["site_name"], device["mac"],
                                     device["ip"], device["group_id"], device["model"], was, now_is, detail))
    return result
