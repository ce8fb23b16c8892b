"""Verdicts rest on evidence (issue 13): labels that name nothing, relabel brands and short names alone, the
maker's own abbreviations, suppliers of the maker's group, descriptions, and what nmap found beyond `product`.

Runs on the bundled registry and rules, as a user's records would, with cases of our own.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from schoon.identify import Engine
from schoon.identify.labels import CompanyNames, OwnNames, is_own_name, judge_label, label_discrepancy, names_nothing
from schoon.identify.report import finding_record, record_id
from schoon.identify.rules import default_rulebook
from schoon.identify.signals import description_of
from schoon.ingest import read
from schoon.observation import Observation
from schoon.registry import Registry, load_registry
from schoon.registry.ieee import IeeeRegistry

ROOT = Path(__file__).parents[2]
INKOOP = ROOT / "examples" / "gemeente" / "inkoop-2024.csv"
SCAN = ROOT / "tests" / "ingest" / "fixtures" / "gemeente-scan.xml"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(layers=[])


@pytest.fixture(scope="module")
def engine(registry: Registry) -> Engine:
    return Engine(registry, as_of="2026-11-28")


def run(engine: Engine, **fields: object) -> tuple[str, float, str | None, str]:
    finding = engine.run(Observation.from_mapping(fields, source="t", row=1))
    ident = finding.identification
    return finding.verdict, ident.confidence, ident.group_id, finding.reason


# ---------------------------------------------------------------- a label must name a real company to clear
@pytest.mark.parametrize("label", [
    "onbekend", "n.v.t.", "?", "Diverse", "Zie factuur", "-", "zie bijlage 3", "camera", "IP-camera", "NVR",
    "Beveiligingscamera", "3", "Foo Bar", "Camera Systemen", "merkloos",
])
def test_a_label_that_names_no_company_is_unknown_not_clear(engine: Engine, label: str) -> None:
    verdict, confidence, group, _ = run(engine, declared_vendor=label)
    assert (verdict, confidence, group) == ("unknown", 0.0, None)


@pytest.mark.parametrize(("label", "basis", "maker"), [
    ("Axis", "known-maker", "Axis Communications"),
    ("Axis Communications AB", "known-maker", "Axis Communications"),
    ("BOSCH", "known-maker", "Bosch Security Systems"),
    ("Hanwha Vision", "known-maker", "Hanwha Vision"),
    ("2N", "known-maker", "2N Telekomunikace"),  # too short for the IEEE test, hence on the list
    ("Vivotek", "known-maker", "Vivotek"),
    ("Mobotix AG", "known-maker", "Mobotix"),
    ("Camerabouw Friesland B.V.", "legal-form", "Camerabouw Friesland B.V."),
])
def test_a_label_naming_a_real_company_clears(engine: Engine, label: str, basis: str, maker: str) -> None:
    found = CompanyNames(default_rulebook().makers).evidence(label)
    assert found is not None and (found.basis, found.name) == (basis, maker)
    verdict, confidence, group, reason = run(engine, declared_vendor=label)
    assert (verdict, confidence, group) == ("clear", 0.5, None)
    assert "not in the registry" in reason


def test_an_installed_ieee_assignee_names_a_company() -> None:
    """With IEEE's CSV files installed (``schoon registry update-ieee``) every assignee's name counts; the
    shipped aiooui data can only be looked up by prefix, so without them the known makers and legal forms do."""
    names = CompanyNames([], assignees=lambda: (("EC71DB", "Reolink Innovation Limited"),))
    found = names.evidence("Reolink")
    assert found is not None and (found.basis, found.name) == ("ieee-assignee", "Reolink Innovation Limited")
    assert "EC71DB" in found.detail
    assert CompanyNames([], assignees=lambda: ()).evidence("Reolink") is None


def test_the_company_test_refuses_short_ieee_keys_and_device_words() -> None:
    names = CompanyNames([], assignees=lambda: (("AABBCC", "IP Video Networks Inc"), ("DDEEFF", "Acme Ltd")))
    assert names.evidence("IP") is None  # "IP Video Networks" reduces to "ip": too short to be a name
    acme = names.evidence("Acme")
    assert acme is not None and acme.basis == "ieee-assignee"
    assert names.evidence("camera B.V.") is None  # a legal form after a device word names nobody
    assert names_nothing("IP-camera 3") and not names_nothing("Acme")


def test_every_known_maker_block_is_assigned_to_that_maker_in_the_shipped_ieee_data() -> None:
    ieee = IeeeRegistry.shipped()
    makers = default_rulebook().makers
    pinned = [m for m in makers if m.ieee]
    assert len(pinned) >= 50

    def assignee(prefix: str) -> str:
        found = ieee.lookup(prefix + "000000")
        return found.assignee if found is not None else ""

    wrong = [(m.name, m.ieee, assignee(str(m.ieee))) for m in pinned
             if str(m.assignee).casefold() not in assignee(str(m.ieee)).casefold()]
    assert wrong == []
    unpinned = [m for m in makers if not m.ieee]
    assert all(m.source == "company-sites" for m in unpinned)  # marked unconfirmed in makers.yaml


# ---------------------------------------------------------------- relabel brands and short names
def test_a_relabel_brand_alone_says_probably_made_by_its_maker(engine: Engine) -> None:
    lts = run(engine, declared_vendor="LTS")  # a registered short name of LT Security, a Hikvision relabel
    annke = run(engine, declared_vendor="Annke")
    for verdict, confidence, group, reason in (lts, annke):
        assert (verdict, group, confidence) == ("unknown", "hikvision", 0.4)  # the relabel's (medium) weight
        assert reason.startswith("probably made by Hikvision:") and reason.endswith("verify")
    assert "LT Security" in lts[3]


@pytest.mark.parametrize("label", ["Hik", "HIK", "hik.", "Hikv", "HIKVISION", "Hikvision"])
def test_the_makers_abbreviation_never_lowers_the_model_number(engine: Engine, label: str) -> None:
    alone = run(engine, model="DS-2CD2143G2-I")
    verdict, confidence, group, _ = run(engine, declared_vendor=label, model="DS-2CD2143G2-I")
    assert (verdict, group) == ("flagged", "hikvision")
    assert confidence >= alone[1]
    finding = engine.run(Observation.from_mapping({"declared_vendor": label, "model": "DS-2CD2143G2-I"}))
    assert label_discrepancy(finding.identification) is None
    assert not any("label says" in c for c in finding.identification.conflicts)


def test_a_makers_own_short_name_is_no_discrepancy(engine: Engine, registry: Registry) -> None:
    finding = engine.run(Observation.from_mapping({"declared_vendor": "UNV", "model": "IPC2124LB-SF28KM-G"}))
    assert finding.identification.group_id == "uniview" and finding.identification.confidence >= 0.6
    assert label_discrepancy(finding.identification) is None
    assert is_own_name(registry, "UNV", "uniview") and is_own_name(registry, "Uni", "uniview")
    assert is_own_name(registry, "EZVIZ", "hikvision") and is_own_name(registry, "Hikvision", "ezviz")
    assert not is_own_name(registry, "Axis", "hikvision") and not is_own_name(registry, "Hi", "hikvision")


def test_a_label_of_another_maker_is_a_discrepancy(engine: Engine, registry: Registry) -> None:
    axis = engine.run(Observation.from_mapping({"declared_vendor": "Axis", "mac": "bc:5e:33:00:00:01"}))
    found = label_discrepancy(axis.identification)
    assert found is not None and found.label == "Axis" and "Hikvision" in found.maker
    assert found.describe().startswith("the label says 'Axis' but the evidence says")
    own = OwnNames(registry)
    hik = registry.get("hikvision").name
    assert judge_label(registry, "Dahua", "dahua", "hikvision", hik, own) is not None  # a registry rival
    assert judge_label(registry, "Annke", "annke", "hikvision", hik, own) is None  # documented relabel
    assert judge_label(registry, "IP-camera", None, "hikvision", hik, own) is None  # names no company
    assert judge_label(registry, "Hanwha Vision", None, None, "SAMSUNG TECHWIN CO.,LTD", own) is None  # not ours
    assert judge_label(registry, "Hikvision", "hikvision", None, "Axis Communications AB", own) is not None


# ---------------------------------------------------------------- procurement: suppliers and descriptions
@pytest.mark.parametrize(("supplier", "group"), [
    ("Hikvision Europe B.V.", "hikvision"), ("Dahua Technology Netherlands B.V.", "dahua"),
])
def test_bought_from_the_makers_group_is_strong_evidence(engine: Engine, supplier: str, group: str) -> None:
    verdict, confidence, found, _ = run(engine, supplier=supplier)
    assert (verdict, found) == ("flagged", group) and confidence >= 0.75


def test_a_reseller_alone_is_no_evidence_and_a_known_maker_supplier_is(engine: Engine) -> None:
    assert run(engine, supplier="Coolblue B.V.")[:3] == ("unknown", 0.0, None)
    assert run(engine, supplier="Axis Communications BV")[:3] == ("clear", 0.5, None)


@pytest.mark.parametrize(("text", "verdict", "group"), [
    ("Hikvision DS-2CD2143G2-I 4MP dome camera", "flagged", "hikvision"),
    ("EZVIZ C6N binnencamera 1080p", "flagged", "hikvision"),
    ("Imou Ranger 2 IP-camera wifi", "flagged", "dahua"),
    ("DS-2CD2386G2-IU 8MP turret", "flagged", "hikvision"),  # a model number alone among the words
    ("ANNKE C800 4K PoE camera (set van 4)", "unknown", "hikvision"),  # relabel: probably, verify
    ("AXIS M3106-L Mk II netwerkcamera", "clear", None),
    ("Kopieerpapier A4 80 grams, 5 dozen", "unknown", None),
    ("Installatie camera's raadzaal, arbeid 12 uur", "unknown", None),
])
def test_brands_and_models_in_a_description_are_evidence(engine: Engine, text: str, verdict: str,
                                                         group: str | None) -> None:
    obs = Observation.from_mapping({"supplier": "Bol.com B.V."}, extra={"Omschrijving": text})
    finding = engine.run(obs)
    assert (finding.verdict, finding.identification.group_id) == (verdict, group)


def test_description_columns_are_found_by_their_header() -> None:
    assert description_of({"Artikelomschrijving": "EZVIZ C6N", "Bedrag": "1,00"}) == "EZVIZ C6N"
    assert description_of({"Item description": "a", "Description": "b"}) == "a | b"
    assert description_of({"Opmerking": "Hikvision"}) is None  # a remark is not a description


def _counts(engine: Engine, path: Path) -> Counter[str]:
    return Counter(engine.run(r).verdict for r in read(path) if isinstance(r, Observation))


def test_the_dutch_procurement_fixture(engine: Engine, tmp_path: Path) -> None:
    """20 lines from Dutch Excel (cp1252, `;`, decimal comma): before issue 13, 0 flagged and 20 unknown."""
    expected = Counter({"flagged": 10, "clear": 3, "unknown": 7})
    assert _counts(engine, INKOOP) == expected
    bom = tmp_path / "inkoop-utf8.csv"  # the same file saved as "CSV UTF-8" by Excel: BOM, UTF-8
    bom.write_bytes(b"\xef\xbb\xbf" + INKOOP.read_bytes().decode("cp1252").encode("utf-8"))
    assert _counts(engine, bom) == expected


def test_procurement_record_explains_itself(engine: Engine) -> None:
    records = [r for r in read(INKOOP) if isinstance(r, Observation)]
    first = finding_record(engine.run(records[0]))
    assert first["verdict"] == "flagged" and first["group_id"] == "hikvision"
    signals = {e["signal"] for e in first["evidence"] if e["weight"] > 0}
    assert signals == {"supplier", "description", "model-number"}
    assert json.loads(json.dumps(first))["input"]["Omschrijving"].startswith("Hikvision DS-2CD2143G2-I")


# ---------------------------------------------------------------- nmap: beyond `product`
def test_what_nmap_found_beyond_product_is_identified(engine: Engine) -> None:
    """Before issue 13 this scan gave 0 flagged, 1 clear, 5 unknown; the Dahua RTSP server in a fingerprint, the
    'Hikvision Web Client - Login' title and the Huawei SSH servers each scored 0."""
    findings = {record_id(f): f for f in (engine.run(r) for r in read(SCAN) if isinstance(r, Observation))}
    assert sorted(findings) == ["10.20.0.11", "10.20.0.12", "10.20.0.50", "10.20.1.1", "10.20.1.2"]  # by address
    groups = {k: (f.verdict, f.identification.group_id) for k, f in findings.items()}
    assert groups == {
        "10.20.0.11": ("flagged", "dahua"),  # Server: Dahua Rtsp Server, only inside servicefp
        "10.20.0.12": ("flagged", "hikvision"),  # http-title
        "10.20.1.1": ("flagged", "huawei"),  # -sV product "Huawei VRP sshd"
        "10.20.1.2": ("flagged", "huawei"),  # SSH-2.0-HUAWEI-1.5 inside servicefp
        "10.20.0.50": ("unknown", None),  # a printer page names nobody
    }


def test_a_record_without_id_is_named_by_its_address_else_by_file_and_row(engine: Engine) -> None:
    def name(**fields: object) -> str:
        return record_id(engine.run(Observation.from_mapping(fields, source="dir/reg.csv", row=7)))

    assert name(id="MVZ-1", ip="192.0.2.1") == "MVZ-1"
    assert name(ip="192.0.2.1", mac="bc:5e:33:00:00:01") == "192.0.2.1"
    assert name(mac="bc:5e:33:00:00:01") == "bc:5e:33:00:00:01"
    assert name(declared_vendor="Axis") == "reg.csv:7"


def test_a_register_of_labels(engine: Engine) -> None:
    """Our register of label cases. Before issue 13 (placeholders already read as empty): 2 flagged, 9 clear,
    9 unknown, with "zie bijlage 3", "IP-camera", "camera", "LTS" and "Foo Bar" `clear` at 0.50, and "Hik" and
    "UNV" lowering the model number to `unknown` at 0.35."""
    path = Path(__file__).parent / "fixtures" / "labels-register.csv"
    findings = {record_id(f): f for f in (engine.run(r) for r in read(path) if isinstance(r, Observation))}
    verdicts = {k: f.verdict for k, f in findings.items()}
    uniview = findings.pop("GV-014").identification  # its verdict follows Uniview's listings, not this issue
    assert (uniview.group_id, uniview.confidence) == ("uniview", pytest.approx(0.78, abs=0.01))
    assert [k for k, f in findings.items() if f.verdict == "clear"] == ["GV-015", "GV-016", "GV-017", "GV-018"]
    assert [k for k, f in findings.items() if f.verdict == "flagged"] == ["GV-012", "GV-013", "GV-020"]
    assert Counter(f.verdict for f in findings.values()) == Counter({"unknown": 12, "clear": 4, "flagged": 3})
    assert findings["GV-010"].reason.startswith("probably made by Hikvision")
    assert label_discrepancy(findings["GV-020"].identification) is not None  # Axis label, Hikvision MAC
    assert label_discrepancy(findings["GV-012"].identification) is None
    assert verdicts["GV-012"] == "flagged" and findings["GV-012"].identification.confidence >= 0.6


def test_descriptions_give_the_same_answers_with_and_without_the_caches(registry: Registry) -> None:
    records = [r for r in read(INKOOP) if isinstance(r, Observation)] * 2
    cached, uncached, tiny = (Engine(registry, as_of="2026-11-28", cache_limit=n) for n in (200_000, 0, 3))

    def answers(engine: Engine) -> list[tuple[str, float, str | None]]:
        return [(f.verdict, f.identification.confidence, f.identification.group_id) for f in engine.run_many(records)]

    assert answers(cached) == answers(uncached) == answers(tiny)
