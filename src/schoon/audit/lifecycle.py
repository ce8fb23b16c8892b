"""The life of a flagged device: in use → scheduled → replaced, or exempted with a reason and a review date.

    in_use ──▶ scheduled (date) ──▶ replaced (date, by what)
       │            │                  ▲
       └────────────┴──▶ exempted (reason, approver, review date)

Only flagged devices have a lifecycle; a move that makes no sense (replacing a device that is not flagged,
a replacement dated in the future, an exemption without a reason) is refused with one clear error and
nothing changes. A bulk of moves from a CSV file is validated whole before any is applied.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from schoon.audit.db import lock_org
from schoon.audit.schema import devices, lifecycle_events
from schoon.audit.store import AuditError, Store, now, parse_date
from schoon.errors import DataError
from schoon.files import MAX_MOVES_BYTES, read_text

STATES = ("in_use", "scheduled", "replaced", "exempted")
ALLOWED: dict[str, set[str]] = {
    "in_use": {"scheduled", "replaced", "exempted"},
    "scheduled": {"in_use", "scheduled", "replaced", "exempted"},
    "exempted": {"in_use", "scheduled", "replaced", "exempted"},
    "replaced": {"in_use"},
}


@dataclass(frozen=True)
class Move:
    """One requested lifecycle move; the device is its id, or ``ORG/ASSET`` (the register's inventory number)."""

    device: str
    state: str
    on_date: str | None = None
    replaced_by: str | None = None
    reason: str | None = None
    approver: str | None = None
    review: str | None = None
    actor: str | None = None


def check(move: Move, device: Any, today: str) -> None:
    """Refuse a move that makes no sense for this device; return quietly if it is fine."""
    ref = move.device
    if move.state not in STATES:
        raise AuditError(f"unknown state {move.state!r}: use one of {', '.join(STATES)}")
    if device.state is None:
        raise AuditError(f"device {ref} is not flagged (verdict {device.verdict}): it has no lifecycle")
    if move.state not in ALLOWED[device.state]:
        raise AuditError(f"device {ref} is {device.state}: it cannot move to {move.state}")
    if move.state == "scheduled" and move.on_date is None:
        raise AuditError(f"device {ref}: scheduling needs a date")
    if move.state == "replaced":
        if move.on_date is None:
            raise AuditError(f"device {ref}: a replacement needs the date it happened")
        if move.on_date > today:
            raise AuditError(f"device {ref}: replacement date {move.on_date} is in the future")
    if move.state == "exempted" and not (move.reason and move.approver and move.review):
        raise AuditError(f"device {ref}: an exemption needs a reason, an approver and a review date")


def _find(conn: sa.Connection, ref: str) -> Any:
    if ref.isdigit():
        device = conn.execute(sa.select(devices).where(devices.c.id == int(ref))).first()
    else:
        org_id, _, asset = ref.partition("/")
        rows = conn.execute(sa.select(devices).where(devices.c.org_id == org_id, devices.c.asset_id == asset)).all()
        if len(rows) > 1:
            raise AuditError(f"device {ref}: {len(rows)} devices carry that inventory number; use the device id")
        device = rows[0] if rows else None
    if device is None:
        raise AuditError(f"unknown device {ref} (see 'schoon audit devices')")
    return device


def _org_of(conn: sa.Connection, ref: str) -> str:
    """The organisation a device reference names (``""`` for an unknown device id: :func:`_find` says so)."""
    if not ref.isdigit():
        return ref.partition("/")[0]
    return str(conn.execute(sa.select(devices.c.org_id).where(devices.c.id == int(ref))).scalar() or "")


def _values(move: Move) -> dict[str, Any]:
    values: dict[str, Any] = {"state": move.state, "state_date": move.on_date, "replaced_by": None,
                              "exempt_reason": None, "exempt_approver": None, "exempt_review": None,
                              "replacement_confirmed": False}
    if move.state == "replaced":
        values["replaced_by"] = move.replaced_by
    if move.state == "exempted":
        values.update(exempt_reason=move.reason, exempt_approver=move.approver, exempt_review=move.review)
    return values


def _detail(move: Move) -> str | None:
    parts = [f"by {move.replaced_by}" if move.replaced_by else None,
             f"reason: {move.reason}" if move.reason else None,
             f"approved by {move.approver}" if move.approver else None,
             f"review {move.review}" if move.review else None]
    return "; ".join(p for p in parts if p) or None


def apply(store: Store, moves: Sequence[Move], today: str | None = None) -> int:
    """Apply moves in one transaction after checking all of them; return how many were applied."""
    day = today or dt.date.today().isoformat()
    with store.write() as conn:
        for org_id in sorted({_org_of(conn, move.device) for move in moves}):  # in order: no deadlock
            lock_org(conn, org_id)  # an import of the same organisation waits, and so do we
        for move in moves:
            device = _find(conn, move.device)
            check(move, device, day)
            conn.execute(devices.update().where(devices.c.id == device.id).values(_values(move)))
            conn.execute(lifecycle_events.insert().values(
                device_id=device.id, at=now(), from_state=device.state, to_state=move.state,
                on_date=move.on_date, detail=_detail(move), actor=move.actor))
    return len(moves)


def make_move(device: str, state: str, on_date: str | None = None, replaced_by: str | None = None,
              reason: str | None = None, approver: str | None = None, review: str | None = None,
              actor: str | None = None) -> Move:
    """A Move from user input, with ids and dates checked."""
    ref = str(device).strip().removeprefix("#")
    if not ref.isdigit() and "/" not in ref:
        raise AuditError(f"not a device id or ORG/INVENTORY-NUMBER: {device!r}")
    return Move(ref, state.strip(), parse_date(on_date, "date"), replaced_by or None, reason or None,
                approver or None, parse_date(review, "review date"), actor or None)


BULK_COLUMNS = ("device", "state", "date", "replaced_by", "reason", "approver", "review")


def read_moves(path: Path, actor: str | None = None) -> list[Move]:
    """Moves from a CSV file (columns device, state, date, replaced_by, reason, approver, review)."""
    text = read_text(path, "moves file", MAX_MOVES_BYTES)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    moves = []
    try:
        missing = {"device", "state"} - set(reader.fieldnames or [])
        if missing:
            raise DataError(f"missing column(s): {', '.join(sorted(missing))}", file=str(path), line=1)
        for row in reader:
            line = reader.line_num
            if None in row:
                raise DataError("row has more cells than the header", file=str(path), line=line)
            try:
                moves.append(make_move(row.get("device") or "", row.get("state") or "", row.get("date"),
                                       row.get("replaced_by"), row.get("reason"), row.get("approver"),
                                       row.get("review"), actor))
            except AuditError as exc:
                raise DataError(str(exc), file=str(path), line=line) from None
    except csv.Error as exc:
        raise DataError(f"malformed CSV: {exc}", file=str(path), line=reader.line_num) from None
    return moves


def apply_file(store: Store, path: Path, actor: str | None = None, today: str | None = None) -> int:
    """Apply every move of a CSV file, all or nothing; an error names the file and row."""
    moves = read_moves(path, actor)
    try:
        return apply(store, moves, today)
    except AuditError as exc:
        index = next((i for i, m in enumerate(moves) if f"device {m.device} " in f"{exc} "
                      or f"device {m.device}:" in str(exc)), None)
        raise DataError(str(exc), file=str(path), line=None if index is None else index + 2) from None


def overdue(deadline: str | None, state: str | None, as_of: str) -> bool:
    """Whether a flagged device has missed its deadline: not replaced or exempted when the deadline passed."""
    return deadline is not None and state in ("in_use", "scheduled") and deadline < as_of
