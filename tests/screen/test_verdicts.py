"""Screening answers the question: a match carries the verdict under the policy, the listings and the dated
ownership path; creditor columns are found on their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoon.registry import Registry, load_registry
from schoon.registry.policy import load_policy
from schoon.screen import MATCH, NO_MATCH, NO_NAME, Screener, read_ledger, screen_rows


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(layers=[])


def _screener(registry: Registry, policy: str = "default", as_of: str = "2026-11-28") -> Screener:
    return Screener(registry, policy=load_policy(policy), as_of=as_of)


def test_holding_company_screens_as_its_group(registry: Registry) -> None:
    result = _screener(registry).screen("Huawei Investment & Holding Co., Ltd.")
    assert (result.status, result.entity_id, result.group_id) == (MATCH, "huawei-holding", "huawei")
    record = result.record()
    assert record["verdict"] == "flagged" and set(record["listings"]) >= {"us-dod-1260h"}  # type: ignore[arg-type]
    assert str(record["relation"]).startswith("holding company of the Huawei group")


def test_former_subsidiary_reads_as_such(registry: Registry) -> None:
    record = _screener(registry).screen("Dahua Technology USA Inc.").record()
    assert record["verdict"] == "clear" and record["listings"] == []
    assert record["relation"] == "former Dahua subsidiary, sold 2024-01; not listed itself"
    assert record["verdict_explanation"] == ("clear under 'default': former Dahua subsidiary, sold 2024-01; "
                                             "not listed itself")
    (former,) = record["ownership"]  # type: ignore[misc]
    assert (former["relation"], former["other_id"], former["end"], former["status"]) == (
        "former-parent", "dahua", "2024-01", "ended")
    assert former["source"]["date"] == "2024-04-17"


def test_the_same_name_judged_before_the_sale_is_flagged_through_its_owner(registry: Registry) -> None:
    record = _screener(registry, as_of="2023-06-01").screen("Dahua Technology USA Inc.").record()
    assert record["verdict"] == "flagged" and record["as_of"] == "2023-06-01"
    assert "Dahua subsidiary at the time" in str(record["relation"])
    assert "through its owner Zhejiang Dahua Technology Co., Ltd.: " in str(record["verdict_explanation"])
    assert all(b["inherited"] for b in record["basis"])  # type: ignore[union-attr]


def test_subsidiary_verdict_depends_on_the_policy(registry: Registry) -> None:
    default = _screener(registry).screen("Hangzhou EZVIZ Network Co., Ltd.").record()
    assert default["entity_id"] == "ezviz" and default["verdict"] == "flagged"
    assert str(default["relation"]).startswith("Hikvision subsidiary (48%)")
    assert str(default["relation"]).endswith("not listed itself")
    bis = _screener(registry, "us-bis-entity-list").screen("Hangzhou EZVIZ Network Co., Ltd.").record()
    assert bis["verdict"] == "clear" and bis["policy"] == "us-bis-entity-list" and bis["listings"] == []


def test_announced_sale_is_stated_with_its_status(registry: Registry) -> None:
    record = _screener(registry).screen("Hangzhou Huacheng Network Technology Co., Ltd.").record()
    assert record["verdict"] == "flagged"
    assert "announced 2025-03-03, completion not confirmed" in str(record["relation"])


def test_listed_company_says_where_it_is_listed(registry: Registry) -> None:
    record = _screener(registry).screen("Yixin Science and Technology Co. Ltd.").record()
    assert record["verdict"] == "flagged" and record["listings"] == ["us-bis-entity-list"]
    assert record["relation"] == "top of the Yixin group; listed itself: BIS Entity List (2019-10-09)"


def test_no_match_and_no_name(registry: Registry) -> None:
    screener = _screener(registry)
    none = screener.screen("Axis Communications AB").record()
    assert none["status"] == NO_MATCH and none["verdict"] == "clear" and none["ownership"] == []
    assert "not a clearance" in str(none["verdict_explanation"])
    empty = screener.screen("   ").record()
    assert empty["status"] == NO_NAME and empty["verdict"] is None


@pytest.mark.parametrize("header", ["Crediteurnaam", "Crediteur", "Leverancier", "Leveranciersnaam", "Vendor name",
                                    "Supplier name", "Naam crediteur", "Creditor name", "Relatienaam",
                                    "Naam leverancier"])
def test_creditor_columns_are_found_and_need_nothing_else(tmp_path: Path, registry: Registry, header: str) -> None:
    path = tmp_path / "creditors.csv"
    path.write_text(f"{header}\nHikvision Europe B.V.\nAxis Communications AB\n", encoding="utf-8")
    results = [r for _, r in screen_rows(_screener(registry), read_ledger(path))]
    assert [(r.status, r.group_id) for r in results] == [(MATCH, "hikvision"), (NO_MATCH, None)]


def test_a_creditor_number_is_not_the_name(tmp_path: Path, registry: Registry) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Crediteur;Crediteurnaam;Factuurnummer;Bedrag\n10023;Dahua Technology USA Inc.;F-1;10\n"
                    "10024;Axis Communications AB;F-2;20\n", encoding="utf-8")
    rows = list(screen_rows(_screener(registry), read_ledger(path)))
    assert [row.name for row, _ in rows] == ["Dahua Technology USA Inc.", "Axis Communications AB"]
    assert rows[0][1].record()["relation"] == "former Dahua subsidiary, sold 2024-01; not listed itself"


def test_judgements_are_cached_per_entity(registry: Registry) -> None:
    screener = _screener(registry)
    first = screener.screen("Hikvision Europe B.V.").judgement
    assert first is not None and screener.screen("HIKVISION EUROPE BV").judgement is first


def test_lists_the_policy_does_not_count_are_named_not_hidden(registry: Registry) -> None:
    record = _screener(registry).screen("Zhejiang Uniview Technologies Co., Ltd.").record()
    assert record["verdict"] == "clear" and record["listings"] == []
    assert record["relation"] == ("top of the Uniview group; no listing that 'default' counts; listed itself on "
                                  "Texas Prohibited Technologies List (state devices and networks) (2026-01-26)")
    hik = _screener(registry).screen("Hangzhou Hikvision Digital Technology Co., Ltd.").record()
    assert "also on list(s) that 'default' does not count: Texas Prohibited Technologies List" in str(hik["relation"])
