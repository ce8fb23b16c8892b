"""The dashboard's aggregate figures (:mod:`schoon.audit.dashboard`) equal the report's (reportdata.build) for the
same caller: on the demo estate and on the two-tree world, for the coordinator and an institution user, with the
long lists cut to the limit in the report's order and their full counts beside them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from schoon.accounts.principal import make_principal
from schoon.accounts.scope import ScopedStore
from schoon.audit import Store
from schoon.audit.lifecycle import make_move
from schoon.audit.schema import organisations
from schoon.registry import default_registry
from schoon.registry.policy import load_policy
from schoon.report.answer import answer_details, answer_sentence
from schoon.report.model import ReportData
from schoon.web.demo import DemoUser
from schoon.web.pages import home
from tests.audit.conftest import db_url  # noqa: F401  (the fixture: SQLite and PostgreSQL)
from tests.web.conftest import Web
from tests.web.world import build_world

LISTS = ("overdue", "exemptions", "discrepancies")
SAME = ("kind", "language", "title", "as_of", "policy", "registry_version", "scope", "totals", "by_institution",
        "by_sensitivity", "by_device_type", "by_group", "by_basis", "trend", "landlord_cases", "caveats",
        "capabilities", "capability_documents", "capability_unmatched", "face_detection_only")


def scoped(store: Store, org_id: str, role: str) -> ScopedStore:
    with store.read() as conn:
        parents = [(r.id, r.parent_id) for r in conn.execute(sa.select(organisations.c.id,
                                                                        organisations.c.parent_id))]
    return ScopedStore(store, make_principal(1, f"{role}@test.example", org_id, role, parents))  # type: ignore[arg-type]


def compare(view: ScopedStore, as_of: str, language: str, limit: int) -> dict[str, Any]:
    """Assert that the fast figures equal the report's; return the report for further checks."""
    registry, policy = default_registry(), load_policy("default")
    report = view.report(registry, policy, as_of=as_of, language=language)
    fast = view.dashboard(registry, policy, as_of=as_of, language=language, limit=limit)
    for key in SAME:
        assert fast.data[key] == report[key], key
    for key in LISTS:
        assert fast.data[key] == report[key][:limit], key
    assert fast.overdue_total == len(report["overdue"])
    assert fast.exemptions_total == len(report["exemptions"])
    assert fast.discrepancies_total == len(report["discrepancies"])
    slow_data, fast_data = ReportData.from_dict(report), ReportData.from_dict(fast.data)
    assert answer_sentence(fast_data) == answer_sentence(slow_data)
    assert answer_details(fast_data, discrepancies=fast.discrepancies_total) == answer_details(slow_data)
    return report


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("org_id", "role"), [("bzk", "coordinator"), ("mvz", "viewer"), ("dvt", "editor")])
def test_demo_estate(demo_template: tuple[Path, dict[str, DemoUser]], org_id: str, role: str,
                     language: str) -> None:
    store = Store.open(f"sqlite:///{demo_template[0]}")
    try:
        view = scoped(store, org_id, role)
        for as_of, limit in (("2026-11-29", 50), ("2028-01-01", 2), ("2028-01-01", 0)):
            report = compare(view, as_of, language, limit)
        assert report["totals"]["flagged"] > 0
        assert report["overdue"], "the demo estate past every deadline has overdue devices"
        if role == "coordinator":  # so that the limits cut every list (0) and the overdue one (2)
            assert {key: len(report[key]) > (2 if key == "overdue" else 0) for key in LISTS} == dict.fromkeys(
                LISTS, True)
        if role == "coordinator":
            assert report["landlord_cases"] and report["trend"]
        if role in ("coordinator", "viewer"):  # the ministry's capability documents (national, mvz's tree)
            assert any(row["devices"] for row in report["capabilities"])
    finally:
        store.close()


@pytest.mark.parametrize(("org_id", "role"), [("coord", "coordinator"), ("alfa-org", "org-admin"),
                                              ("bravo-org-dienst", "viewer")])
def test_generated_world(tmp_path: Path, db_url: str, org_id: str, role: str) -> None:  # noqa: F811
    world = build_world(db_url, tmp_path)
    store = Store.open(world.url)
    try:
        admin = scoped(store, "coord", "coordinator")
        for tree in ("alfa", "bravo"):
            first, second, third = [d["id"] for d in store.devices(f"{tree}-org") if d["state"]][:3]
            editor = scoped(store, f"{tree}-org", "org-admin")
            editor.apply_moves([make_move(str(first), "replaced", "2026-10-20", "Axis P3245", None, None, None),
                                make_move(str(second), "exempted", None, None, "Forensic use", "CISO",
                                          "2027-01-15"),
                                make_move(str(third), "scheduled", "2027-03-01", None, None, None, None)],
                               today="2026-11-01")
        assert admin.dashboard(default_registry(), load_policy("default"), as_of="2028-01-01").overdue_total > 0
        view = scoped(store, org_id, role)
        for as_of, limit in (("2026-11-29", 50), ("2028-01-01", 3)):
            report = compare(view, as_of, "nl", limit)
            names = set(report["scope"]["organisations"])
            other = "bravo" if org_id.startswith("alfa") else "alfa"
            if role != "coordinator":
                assert not any(other in name for name in names)
    finally:
        store.close()


def test_dashboard_page_shows_the_first_rows_and_the_total(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a limit of one row, the coordinator's overdue list shows one device and says how many there are."""
    monkeypatch.setattr(home, "LIST_LIMIT", 1)
    client = web.login("coordinator")
    page = client.get("/?lang=en")
    assert page.status_code == 200
    registry, policy = web.state.registry, web.state.policy
    store = web.state.store
    total = len(scoped(store, "bzk", "coordinator").report(registry, policy, language="en")["overdue"])
    assert total > 1
    assert f"The first 1 of {total}." in page.text
