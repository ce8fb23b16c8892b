"""Lifecycle moves: the allowed ones apply and are logged; the senseless ones are refused, nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from schoon.audit import AuditError, Store, apply, apply_file, import_snapshot, make_move
from schoon.audit.lifecycle import overdue
from schoon.audit.schema import lifecycle_events
from schoon.errors import DataError
from schoon.identify import Engine
from tests.audit.test_import import FIRST, HQ


@pytest.fixture
def imported(ministry: Store, engine: Engine) -> Store:
    import_snapshot(ministry, engine, "mvz", FIRST, site=HQ, taken_on="2026-03-02")
    return ministry


def _state(store: Store, ref: str) -> tuple[object, ...]:
    org, asset = ref.split("/")
    [device] = [d for d in store.devices(org) if d["asset_id"] == asset]
    return device["state"], device["state_date"], device["replaced_by"], device["exempt_reason"]


def test_schedule_replace_exempt(imported: Store) -> None:
    apply(imported, [make_move("mvz/MVZ-0001", "scheduled", "2026-05-01")], today="2026-04-01")
    assert _state(imported, "mvz/MVZ-0001")[:2] == ("scheduled", "2026-05-01")
    apply(imported, [make_move("mvz/MVZ-0001", "replaced", "2026-05-02", replaced_by="Axis P3265")],
          today="2026-06-01")
    assert _state(imported, "mvz/MVZ-0001")[:3] == ("replaced", "2026-05-02", "Axis P3265")
    apply(imported, [make_move("mvz/MVZ-0002", "exempted", reason="evidence archive", approver="SG",
                               review="2027-03-01")], today="2026-06-01")
    assert _state(imported, "mvz/MVZ-0002")[3] == "evidence archive"
    with imported.read() as conn:
        moves = conn.execute(sa.select(lifecycle_events.c.from_state, lifecycle_events.c.to_state)
                             .where(lifecycle_events.c.actor.is_(None))).all()
    assert [tuple(m) for m in moves] == [("in_use", "scheduled"), ("scheduled", "replaced"), ("in_use", "exempted")]


@pytest.mark.parametrize(("move", "message"), [
    (("mvz/MVZ-0005", "replaced", "2026-05-01"), "is not flagged"),  # an Axis camera
    (("mvz/MVZ-0001", "replaced", "2027-01-01"), "in the future"),
    (("mvz/MVZ-0001", "replaced", None), "needs the date"),
    (("mvz/MVZ-0001", "exempted", None), "needs a reason, an approver and a review date"),
    (("mvz/MVZ-9999", "scheduled", "2026-05-01"), "unknown device mvz/MVZ-9999"),
    (("mvz/MVZ-0001", "retired", "2026-05-01"), "unknown state 'retired'"),
])
def test_senseless_moves_are_refused(imported: Store, move: tuple[str, str, str | None], message: str) -> None:
    before = _state(imported, "mvz/MVZ-0001")
    with pytest.raises(AuditError, match=message):
        apply(imported, [make_move(*move)], today="2026-06-01")
    assert _state(imported, "mvz/MVZ-0001") == before


def test_replaced_can_only_go_back_to_in_use(imported: Store) -> None:
    apply(imported, [make_move("mvz/MVZ-0001", "replaced", "2026-05-02")], today="2026-06-01")
    with pytest.raises(AuditError, match="is replaced: it cannot move to scheduled"):
        apply(imported, [make_move("mvz/MVZ-0001", "scheduled", "2026-07-01")], today="2026-06-01")


def test_bad_dates_and_ids() -> None:
    with pytest.raises(AuditError, match="date: not a date"):
        make_move("1", "scheduled", "next week")
    with pytest.raises(AuditError, match="not a device id"):
        make_move("camera one", "scheduled", "2026-01-01")


def test_bulk_is_all_or_nothing(imported: Store, tmp_path: Path) -> None:
    moves = tmp_path / "moves.csv"
    moves.write_text("device,state,date\nmvz/MVZ-0001,replaced,2026-05-02\nmvz/MVZ-0002,scheduled,2026-07-01\n"
                     "mvz/MVZ-0005,replaced,2026-05-02\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        apply_file(imported, moves, today="2026-06-01")
    assert info.value.line == 4 and "is not flagged" in info.value.message
    assert _state(imported, "mvz/MVZ-0001")[0] == "in_use"
    assert _state(imported, "mvz/MVZ-0002")[0] == "in_use"
    moves.write_text("device,state,date\nmvz/MVZ-0001,replaced,2026-05-02\nmvz/MVZ-0002,scheduled,nope\n",
                     encoding="utf-8")
    with pytest.raises(DataError) as info:
        apply_file(imported, moves, today="2026-06-01")
    assert info.value.line == 3 and "not a date" in info.value.message


def test_overdue_rule() -> None:
    assert overdue("2026-06-30", "in_use", "2026-07-01")
    assert overdue("2026-06-30", "scheduled", "2026-07-01")
    assert not overdue("2026-06-30", "exempted", "2026-07-01")
    assert not overdue("2026-06-30", "in_use", "2026-06-30")
    assert not overdue(None, "in_use", "2030-01-01")
