"""The facts added for issue 13 (registry part): each is loaded, sourced, dated and resolvable by name or id."""

from __future__ import annotations

import re

import pytest

from schoon.registry import Registry
from schoon.registry.model import MODEL_FLAGS
from schoon.registry.ownership import summary
from schoon.registry.policy import Policy, decide, load_policy

DAY = "2026-11-28"


def _listing(registry: Registry, entity_id: str, list_id: str) -> list[str]:
    return sorted(li.date for li in registry.listings_of(entity_id) if li.list == list_id)


TEXAS_2026_ADDITIONS = ["sensetime", "megvii", "cloudwalk", "autel", "yitu", "iflytek", "uniview"]
TEXAS_EARLIER = ["huawei", "zte", "dahua", "hikvision", "hytera", "dji"]


@pytest.mark.parametrize("entity_id", TEXAS_2026_ADDITIONS + TEXAS_EARLIER)
def test_texas_prohibited_technologies_list_2026(bundled: Registry, entity_id: str) -> None:
    assert _listing(bundled, entity_id, "us-tx-prohibited-technologies") == ["2026-01-26"]
    listing = next(li for li in bundled.listings_of(entity_id) if li.list == "us-tx-prohibited-technologies")
    source = bundled.source(listing.source)
    assert source.url and source.date.startswith("2026-01")
    assert bundled.lists["us-tx-prohibited-technologies"].kind == "advisory"


def test_uniview_is_listed_in_texas_but_not_flagged_by_the_legal_policies(bundled: Registry) -> None:
    assert decide(load_policy("default"), bundled, "uniview", DAY).verdict == "clear"
    advisory = Policy(id="with-advisory", title="t", description="d", list_kinds=["legal", "advisory"])
    decision = decide(advisory, bundled, "uniview", DAY)
    assert decision.verdict == "flagged" and decision.listings == ["us-tx-prohibited-technologies"]
    assert "opindia" in (bundled.get("uniview").note or "").lower() or any(
        "opindia" in key for key in bundled.get("uniview").sources)


def test_yixin_the_eighth_company_of_the_2019_tranche(bundled: Registry) -> None:
    (entity,) = bundled.find_by_name("Yixin Science and Technology Co. Ltd.")
    assert entity.id == "yixin" and bundled.group_of("yixin") == "yixin"
    assert _listing(bundled, "yixin", "us-bis-entity-list") == ["2019-10-09"]
    tranche = {li.entity for li in bundled.listings if li.list == "us-bis-entity-list" and li.date == "2019-10-09"}
    assert tranche >= {"hikvision", "dahua", "iflytek", "megvii", "sensetime", "meiya-pico", "yitu", "yixin"}
    assert not bundled.find_by_name("Yixin")  # a bare "Yixin" is someone else (car finance and others)


def test_autel_on_the_entity_list(bundled: Registry) -> None:
    assert _listing(bundled, "autel", "us-bis-entity-list") == ["2024-06"]
    assert decide(load_policy("us-bis-entity-list"), bundled, "autel", DAY).verdict == "flagged"
    assert bundled.group_of("autel-intelligent") == "autel"


def test_hikmicro_legal_entity_and_group(bundled: Registry) -> None:
    assert bundled.get("hikmicro").parent == "hangzhou-microimage"
    assert bundled.get("hangzhou-microimage").parent == "hikvision"
    assert bundled.group_of("hikmicro") == bundled.group_of("hangzhou-microimage") == "hikvision"
    assert [e.id for e in bundled.find_by_name("Hangzhou Microimage Software Co., Ltd.")] == ["hangzhou-microimage"]
    assert bundled.get("hangzhou-microimage").confidence == "high"
    assert summary(bundled, "hikmicro", DAY, []).startswith("brand of Microimage Software, a Hikvision subsidiary")


def test_ezviz_ownership_since_its_listing(bundled: Registry) -> None:
    ownership = bundled.get("ezviz").ownership
    assert ownership is not None and ownership.percentage == 48 and ownership.confidence == "high"
    assert bundled.source(ownership.source).date == "2022-12-28"


def test_huacheng_sale_is_announced_not_completed(bundled: Registry) -> None:
    huacheng = bundled.get("huacheng")
    sale = huacheng.announced_sale
    assert huacheng.parent == "dahua" and sale is not None
    assert (sale.announced, sale.stake, sale.status_checked) == ("2025-03-03", 32.7321, DAY)
    assert "completion not confirmed" in summary(bundled, "huacheng", DAY)
    assert bundled.source(sale.source).url


def test_lorex_and_dahua_usa_relations(bundled: Registry) -> None:
    (lorex_former,) = bundled.get("lorex").former_parents
    assert (lorex_former.start, lorex_former.end) == ("2018-02", "2022-11-24")
    assert "2012" in (lorex_former.note or "") and "FLIR" in (lorex_former.note or "")
    (usa_former,) = bundled.get("dahua-usa").former_parents
    assert usa_former.end == "2024-01"
    assert summary(bundled, "dahua-usa", DAY) == "former Dahua subsidiary, sold 2024-01; not listed itself"


def test_huawei_holding_belongs_to_the_huawei_group(bundled: Registry) -> None:
    assert bundled.group_of("huawei-holding") == "huawei"
    assert "huawei-holding" not in bundled.groups()
    assert "huawei-holding" in {e.id for e in bundled.members("huawei")}


@pytest.mark.parametrize("number", [40297, 46055, 58597])
def test_hytera_enterprise_numbers(bundled: Registry, number: int) -> None:
    entity = bundled.entity_for_enterprise_number(number)
    assert entity is not None and bundled.group_of(entity) == "hytera"


MEASURES = ["nl-rijk-offensive-cyber-tenders", "nl-municipal-phase-outs", "eu-parliament-hikvision-removal",
            "eu-dual-use-cyber-surveillance"]


@pytest.mark.parametrize("list_id", MEASURES)
def test_dutch_and_eu_measures_are_sourced_and_dated(bundled: Registry, list_id: str) -> None:
    definition = bundled.lists[list_id]
    source = bundled.source(definition.source)
    assert definition.jurisdiction in ("nl", "eu") and definition.url and source.url and source.date


def test_unconfirmed_measures_say_so(bundled: Registry) -> None:
    note = bundled.lists["nl-rijk-offensive-cyber-tenders"].note or ""
    assert "UNCONFIRMED" in note and "26643-1440" in note
    assert "UNCONFIRMED" in (bundled.source("lists/nl-kst-26643-1440").note or "")


def test_dutch_grounds_policy(bundled: Registry) -> None:
    policy = load_policy("nl-eu-measures")
    assert decide(policy, bundled, "hikvision", DAY).listings == ["nl-municipal-phase-outs",
                                                                  "eu-parliament-hikvision-removal"]
    assert decide(policy, bundled, "ezviz", DAY).verdict == "flagged"  # inherits from Hikvision
    assert decide(policy, bundled, "dahua", DAY).verdict == "flagged"
    for clear in ("huawei", "uniview", "dji"):
        assert decide(policy, bundled, clear, DAY).verdict == "clear", clear
    # before Amsterdam's decision and the NOS survey, only the European Parliament's removal counts
    assert decide(policy, bundled, "dahua", "2021-12-31").verdict == "clear"


# --- model patterns: every example belongs to exactly its own entity's patterns --------------------------------

NEW_FAMILIES = {  # entity -> examples that must be recognised as that entity's (and no other's)
    "hikvision": ["DS-2TD2117-10/PAI", "DS-2TP31B-3AUF", "DS-2TP23"],
    "hangzhou-microimage": ["HM-TD1018-1/QR", "HM-TD2628-3/G1/T3A", "HM-TD2C68E-25/Q"],
    "tiandy": ["TC-C34XN", "TC-H324S", "TC-NC9300X3"],
}


def _owners(registry: Registry, model: str) -> set[str]:
    return {e.id for e in registry.entities.values() for m in e.identifiers.models
            if re.search(m.pattern, model, MODEL_FLAGS)}


@pytest.mark.parametrize(("entity_id", "model"), [(e, m) for e, ms in NEW_FAMILIES.items() for m in ms])
def test_new_model_families_resolve_to_their_maker_only(bundled: Registry, entity_id: str, model: str) -> None:
    assert _owners(bundled, model) == {entity_id}


def test_every_pattern_example_is_its_own_and_no_counterexample_is_its_own(bundled: Registry) -> None:
    checked = 0
    for entity in bundled.entities.values():
        for pattern in entity.identifiers.models:
            compiled = re.compile(pattern.pattern, MODEL_FLAGS)
            for example in pattern.examples:
                assert compiled.search(example), (entity.id, pattern.pattern, example)
                assert entity.id in _owners(bundled, example)
                checked += 1
            for counter in pattern.counterexamples:
                assert not compiled.search(counter), (entity.id, pattern.pattern, counter)
                checked += 1
    assert checked >= 35


def test_the_unsourced_ds_2tb_family_is_gone(bundled: Registry) -> None:
    assert _owners(bundled, "DS-2TB1234") == set()
