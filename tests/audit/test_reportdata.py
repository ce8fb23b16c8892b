"""Report figures computed from the store after the demo's two snapshots."""

from __future__ import annotations

from typing import Any

import pytest

from schoon.audit import Store, apply, apply_file, import_snapshot, make_move
from schoon.audit.reportdata import build
from schoon.identify import Engine
from schoon.registry import default_registry
from schoon.registry.policy import load_policy
from schoon.report.model import ReportData
from tests.audit.conftest import DEMO
from tests.audit.test_import import FIRST, HQ, SECOND


@pytest.fixture
def audited(ministry: Store, engine: Engine) -> Store:
    import_snapshot(ministry, engine, "mvz", FIRST, site=HQ, taken_on="2026-03-02")
    import_snapshot(ministry, engine, "dvt", [str(DEMO / "dvt-register.csv")], taken_on="2026-03-09")
    apply_file(ministry, DEMO / "moves-2026-06.csv", today="2026-07-01")
    import_snapshot(ministry, engine, "mvz", SECOND, site=HQ, taken_on="2026-09-14")
    apply(ministry, [make_move("mvz/MVZ-0016", "scheduled", "2026-12-15")], today="2026-10-01")
    return ministry


def _national(store: Store, **kwargs: Any) -> dict[str, Any]:
    return build(store, default_registry(), load_policy("default"), as_of="2026-11-28", **kwargs)


def test_national_totals(audited: Store) -> None:
    data = _national(audited)
    assert data["totals"] == {"devices": 20, "flagged": 10, "clear": 7, "unknown": 1, "in_use": 7,
                              "scheduled": 2, "replaced": 2, "exempted": 1, "overdue": 9}
    rows = {r["org_id"]: r for r in data["by_institution"]}
    assert (rows["mvz"]["flagged"], rows["dvt"]["flagged"]) == (8, 2)
    assert rows["dvt"]["deadline"] == "2026-06-30" and rows["dvt"]["parent_org"] == "Ministerie van Voorbeeldzaken"
    assert {r["sensitivity"]: r["flagged"] for r in data["by_sensitivity"]} == {"high": 7, "normal": 3}
    assert {r["group_id"]: r["flagged"] for r in data["by_group"]}["hikvision"] == 4


def test_exemptions_overdue_discrepancies_landlords(audited: Store) -> None:
    data = _national(audited)
    [exemption] = data["exemptions"]
    assert exemption["approver"] == "Secretaris-generaal" and exemption["review_date"] == "2027-03-01"
    assert all(item["days_overdue"] == 151 for item in data["overdue"])
    assert {d["kind"] for d in data["discrepancies"]} == {"label-vs-evidence", "replaced-but-seen"}
    [landlord] = data["landlord_cases"]
    assert landlord["owner"] == "Vastgoed Zuid B.V. (landlord)" and landlord["device_count"] == 2


def test_trend_over_snapshots(audited: Store) -> None:
    trend = _national(audited)["trend"]
    assert [(p["date"], p["outstanding"], p["replaced"]) for p in trend] == [
        ("2026-03-02", 10, 0), ("2026-03-09", 12, 0), ("2026-09-14", 10, 2)]


def test_institution_report_has_the_evidence_appendix(audited: Store) -> None:
    data = build(audited, default_registry(), load_policy("default"), org_id="mvz", as_of="2026-11-28",
                 language="nl")
    assert data["scope"]["organisations"] == ["Ministerie van Voorbeeldzaken", "Dienst Voorbeeldtoezicht"]
    appendix = {d["device_id"]: d for d in data["devices"]}
    assert all(d["verdict"] != "clear" for d in appendix.values())
    first = appendix["MVZ-0001"]
    assert first["state"] == "replaced" and any("4419B6" in e for e in first["evidence"])
    assert any("register: " in s for s in first["sources"]) and any("netwerkscan: " in s for s in first["sources"])
    assert data["title"].startswith("Ministerie van Voorbeeldzaken:")
    assert "gemarkeerd" in data["caveats"][1]
    ReportData.from_dict(data)  # the renderers' model accepts it


def test_policy_changes_the_basis(audited: Store) -> None:
    data = build(audited, default_registry(), load_policy("us-ndaa-889"), as_of="2026-11-28")
    assert data["policy"]["id"] == "us-ndaa-889"


def test_policy_deadline_applies_where_an_organisation_sets_none(audited: Store) -> None:
    audited.set_deadline("mvz", None)
    plain = build(audited, default_registry(), load_policy("default"), as_of="2026-11-28")
    assert plain["totals"]["overdue"] == 0
    strict = load_policy("default").model_copy(update={"deadline": "2026-09-30"})
    data = build(audited, default_registry(), strict, as_of="2026-11-28")
    assert data["totals"]["overdue"] == 9
    assert {r["deadline"] for r in data["by_institution"]} == {"2026-09-30"}
