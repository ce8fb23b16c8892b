"""Policies decide what is flagged, and every decision carries its basis."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoon.errors import DataError, PolicyError
from schoon.registry import Registry
from schoon.registry.policy import Policy, check_policy, decide, load_policy


def policy(**fields: object) -> Policy:
    base: dict[str, object] = {"id": "t", "title": "t", "description": "t"}
    return Policy.model_validate({**base, **fields})


def test_own_listing_flags_with_dated_sourced_basis(mini: Registry) -> None:
    decision = decide(policy(lists=["test-list"]), mini, "acme", as_of="2025-01-01")
    assert decision.verdict == "flagged"
    [basis] = decision.basis
    assert (basis.kind, basis.reference, basis.date, basis.via) == ("listing", "test-list", "2021-03-12", None)
    assert basis.source_url == "https://example.org/acme"
    assert "Test List since 2021-03-12" in basis.describe(mini)


def test_listing_not_yet_in_force_does_not_count(mini: Registry) -> None:
    assert decide(policy(lists=["test-list"]), mini, "acme", as_of="2020-12-31").verdict == "clear"


def test_subsidiary_inherits_only_with_affiliates(mini: Registry) -> None:
    inherited = decide(policy(lists=["test-list"]), mini, "acme-home", as_of="2025-01-01")
    assert inherited.verdict == "flagged"
    assert inherited.basis[0].entity_id == "acme" and inherited.basis[0].via == "acme-home"
    assert "(parent company)" in inherited.basis[0].describe(mini)
    alone = decide(policy(lists=["test-list"], affiliates=False), mini, "acme-home", as_of="2025-01-01")
    assert alone.verdict == "clear"


def test_former_parent_counts_only_within_its_period(mini: Registry) -> None:
    rule = policy(lists=["test-list"])
    assert decide(rule, mini, "lenso", as_of="2022-01-01").verdict == "flagged"
    assert decide(rule, mini, "lenso", as_of="2022-11-24").verdict == "clear"
    assert decide(rule, mini, "lenso", as_of="2017-12-31").verdict == "clear"


def test_evidence_counts_only_when_the_policy_says_so(mini: Registry) -> None:
    assert decide(policy(evidence=False), mini, "beta").verdict == "clear"
    with_evidence = decide(policy(evidence=True), mini, "beta")
    assert with_evidence.verdict == "flagged"
    assert with_evidence.basis[0].kind == "evidence"


def test_min_confidence_drops_weak_facts(mini: Registry) -> None:
    assert decide(policy(evidence=True, min_confidence="medium"), mini, "beta").verdict == "clear"


def test_advisory_lists_count_only_when_admitted(mini: Registry) -> None:
    legal_only = decide(policy(lists="any"), mini, "acme", as_of="2023-01-01")
    assert legal_only.listings == ["test-list"]
    both = decide(policy(lists="any", list_kinds=["legal", "advisory"]), mini, "acme", as_of="2023-01-01")
    assert both.listings == ["test-list", "test-advice"]


def test_unknown_maker_is_unknown(mini: Registry) -> None:
    assert decide(policy(), mini, None).verdict == "unknown"


def test_builtin_policies_load_and_match_the_bundled_lists(bundled: Registry) -> None:
    for name in ("default", "us-ndaa-889", "us-fcc-covered", "us-bis-entity-list", "any-listing"):
        check_policy(load_policy(name), bundled)


def test_user_policy_file(tmp_path: Path, mini: Registry) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("id: mine\ntitle: Mine\ndescription: Only the test list.\nlists: [test-list]\n")
    mine = load_policy(str(path))
    assert decide(mine, mini, "acme", as_of="2025-01-01").verdict == "flagged"


def test_bad_user_policy_is_located(tmp_path: Path, mini: Registry) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: bad\ntitle: Bad\ndescription: x\nevidense: true\n")
    with pytest.raises(DataError) as info:
        load_policy(str(path))
    assert info.value.line == 4 and info.value.field == "evidense"
    unknown_list = tmp_path / "unknown.yaml"
    unknown_list.write_text("id: u\ntitle: U\ndescription: x\nlists: [no-such-list]\n")
    with pytest.raises(PolicyError, match="no-such-list"):
        check_policy(load_policy(str(unknown_list)), mini)
    with pytest.raises(PolicyError, match="not a built-in"):
        load_policy("no-such-policy")
