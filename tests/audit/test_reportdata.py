"""Report figures computed from the store after the demo's two snapshots."""

from __future__ import annotations

import io
import json
import re
from html import unescape
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from schoon.audit import Store, apply, apply_file, import_snapshot, make_move
from schoon.audit.reconcile import describe
from schoon.audit.reportdata import build
from schoon.audit.schema import discrepancies
from schoon.identify import Engine
from schoon.registry import default_registry
from schoon.registry.policy import load_policy
from schoon.report import render_bytes
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
    assert landlord["owner_kind"] == "landlord"


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


#: Phrases our own English templates write; none may appear in a Dutch report (source titles may be English).
ENGLISH = ("the label says", "but the evidence says", "marked replaced", "still seen", "is assigned to",
           "follows the model numbering", "is documented to sell", "Documented human-rights evidence", "(landlord)",
           "(contractor)", "; source:", "Listed, or implicated", "Counts are devices", "default port",
           "evidence also points", "has no such device", "confidence)", "Maker not established", "parent company",
           "network scan", "Basis for every device", "was not seen by the scan", "chain of custody")
#: And phrases of the Dutch templates, which the English report must not show.
DUTCH = ("op het label staat", "wijst op", "verhuurder", "sinds ", "bron:", "Gedocumenteerd", " apparaten",
         "toegewezen aan", "netwerkscan", "november 2026", "Grondslag", "vervangen gemeld")


def _visible_text(html: str) -> str:
    body = html.split("<body", 1)[1]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.mark.parametrize(("language", "foreign"), [("nl", ENGLISH), ("en", DUTCH)])
def test_the_report_speaks_one_language(audited: Store, language: str, foreign: tuple[str, ...]) -> None:
    """The institution report on the demo estate (two snapshots, agency, landlord, relabels, discrepancies)."""
    raw = build(audited, default_registry(), load_policy("default"), org_id="mvz", as_of="2026-11-28",
                language=language)
    data = ReportData.from_dict(raw)
    text = _visible_text(render_bytes(data, "html").decode())
    book = load_workbook(io.BytesIO(render_bytes(data, "xlsx")))
    cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
                     if isinstance(c.value, str))
    for phrase in foreign:
        assert phrase not in text, (phrase, text[max(0, text.find(phrase) - 80): text.find(phrase) + 80])
        assert phrase not in cells, phrase
    if language == "nl":
        assert "28 november 2026" in text and "verhuurder" in text and "Op het label" not in text
        assert "op het label staat 'Axis', maar het bewijs wijst op Hangzhou Hikvision" in text
        assert "(officieel: FCC Covered List)" in text  # the official name beside the Dutch one
        assert "MAC-blok 4419B6 is door de IEEE toegewezen aan" in cells  # full evidence lines in the workbook
        assert "bewaarketen van het bewijs" in text  # the demo's exemption reason, user text, in Dutch


def test_devices_are_named_by_their_asset_number_everywhere(audited: Store) -> None:
    data = build(audited, default_registry(), load_policy("default"), org_id="mvz", as_of="2026-11-28")
    named = [d["device_id"] for d in data["devices"]] + [e["device_id"] for e in data["exemptions"]]
    named += [o["device_id"] for o in data["overdue"]] + [d["device_id"] for d in data["discrepancies"]]
    assert named and all(re.fullmatch(r"(MVZ|DVT)-\d{3,4}", n) for n in named), named
    assert all(d["store_id"] and d["store_id"].isdigit() for d in data["devices"])


def test_discrepancies_are_stored_as_codes_and_old_text_still_reads(audited: Store) -> None:
    with audited.read() as conn:
        stored = [r.detail for r in conn.execute(sa.select(discrepancies.c.detail))]
    assert stored and all(json.loads(d)["code"] for d in stored)
    label = next(d for d in stored if json.loads(d)["code"] == "label-vs-evidence")
    assert json.loads(label)["label"] == "Axis"
    assert describe(label, "nl").startswith("op het label staat 'Axis', maar het bewijs wijst op Hangzhou")
    assert describe(label, "en").startswith("the label says 'Axis' but the evidence says Hangzhou")
    old = "marked replaced on 2026-06-10 but still seen (register, scan)"
    assert describe(old, "nl") == "op 10 juni 2026 als vervangen gemeld, maar nog steeds gezien (register, netwerkscan)"
    assert describe("a free text nobody wrote a pattern for", "nl") == "a free text nobody wrote a pattern for"
    assert describe("register entry A-1 (no label) was not seen by the scan of its site", "nl") == \
        "registerregel A-1 (geen merk) is niet gezien bij de scan van de locatie"


def test_the_basis_is_stated_once_per_group(audited: Store) -> None:
    data = build(audited, default_registry(), load_policy("default"), org_id="mvz", as_of="2026-11-28",
                 language="nl")
    groups = {g["group_id"]: g for g in data["group_basis"]}
    hik = groups["hikvision"]
    assert hik["devices"] == sum(1 for d in data["devices"] if d["group_id"] == "hikvision"
                                 and d["verdict"] == "flagged")
    assert hik["makers"] == ["Hangzhou Hikvision Digital Technology Co., Ltd."]
    assert any(line.startswith("FCC-lijst van verboden communicatieapparatuur") and "sinds 12 maart 2021"
               in line for line in hik["basis"])
    assert len(hik["basis"]) == len(set(hik["basis"]))
    assert groups[None]["basis"] == [] and groups[None]["group"] == "Fabrikant niet vastgesteld"


def test_institution_trend_sums_each_organisations_latest_state(audited: Store) -> None:
    """mvz imports on 03-02 and 09-14, its agency dvt on 03-09: dvt's import must not drop mvz's devices."""
    data = build(audited, default_registry(), load_policy("default"), org_id="mvz", as_of="2026-11-28")
    assert [(p["date"], p["flagged"], p["outstanding"]) for p in data["trend"]] == [
        ("2026-03-02", 10, 10), ("2026-03-09", 12, 12), ("2026-09-14", 12, 10)]
