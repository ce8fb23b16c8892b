"""Group membership of holding companies, announced sales, dated relations and model-pattern examples.

Built on a copy of the mini registry with a holding company and an announced sale added, so that each rule is
checked on data of our own, independent of the bundled facts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schoon.errors import DataError
from schoon.registry import Registry, load_registry
from schoon.registry.ieee import IeeeRegistry
from schoon.registry.ownership import relations, summary
from schoon.registry.policy import decide, load_policy

HOLDING = """  - id: acme-holding
    name: Acme Investment & Holding Co., Ltd.
    kind: company
    member_of: {group: acme, relation: holding, source: wiki}
    sources: [wiki]
  - id: acme-cloud
    name: Acme Cloud Co., Ltd.
    kind: subsidiary
    parent: acme
    ownership: {percentage: 40, source: wiki}
    announced_sale: {announced: 2025-03-03, buyer: Zeta Partners, stake: 40, status_checked: 2026-11-28, source: report}
    sources: [wiki]
"""


def _with(folder: Path, entities: str, listings: str = "") -> Path:
    path = folder / "groups" / "acme.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("listings:\n", entities + "listings:\n" + listings, 1)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def held(minireg_dir: Path, mini_ieee: IeeeRegistry) -> Registry:
    _with(minireg_dir, HOLDING, "  - {list: test-list, entity: acme-holding, date: 2020-01-01, source: wiki}\n")
    return load_registry(minireg_dir, layers=[], ieee=mini_ieee)


def test_a_holding_company_belongs_to_the_group_it_owns(held: Registry) -> None:
    assert held.group_of("acme-holding") == "acme"
    assert held.get("acme-holding").parent is None
    assert "acme-holding" in {e.id for e in held.members("acme")}
    assert [e.id for e in held.holdings_of("acme")] == ["acme-holding"]
    assert "acme-holding" not in held.groups()


def test_the_group_top_inherits_its_holdings_listing(held: Registry) -> None:
    policy = load_policy("any-listing")
    basis = decide(policy, held, "acme-home", "2026-11-28").basis
    assert {(b.entity_id, b.reference) for b in basis} >= {("acme", "test-list"), ("acme-holding", "test-list")}


def test_holding_relations_read_as_such(held: Registry) -> None:
    assert summary(held, "acme-holding", "2026-11-28", ["Test list (2020-01-01)"]) == (
        "holding company of the Acme group (owns Acme Vision Technology Co., Ltd.); "
        "listed itself: Test list (2020-01-01)")
    assert summary(held, "acme", "2026-11-28").startswith("owned by its holding company Acme Investment")


def test_an_announced_sale_keeps_the_parent_and_says_so(held: Registry) -> None:
    assert held.group_of("acme-cloud") == "acme"
    (parent,) = [r for r in relations(held, "acme-cloud", "2026-11-28") if r.kind == "parent"]
    assert parent.status == "sale-announced" and parent.announced == "2025-03-03" and parent.percentage == 40
    assert parent.text(held) == ("Acme subsidiary (40%); sale of the stake to Zeta Partners announced 2025-03-03, "
                                 "completion not confirmed (checked 2026-11-28)")


@pytest.mark.parametrize(("day", "text"), [
    ("2026-11-28", "former Acme subsidiary from 2018-02, sold 2022-11-24"),
    ("2020-06-01", "Acme subsidiary at the time (2018-02 to 2022-11-24)"),
])
def test_a_former_parent_is_dated(mini: Registry, day: str, text: str) -> None:
    former = [r.text(mini) for r in relations(mini, "lenso", day) if r.kind == "former-parent"]
    assert former == [text]


def test_before_the_acquisition_there_is_no_relation_to_tell(mini: Registry) -> None:
    assert "Acme subsidiary" not in summary(mini, "lenso", "2017-01-01")
    assert summary(mini, "lenso", "2026-11-28").endswith("; not listed itself")


def test_relation_records_carry_dates_and_sources(mini: Registry) -> None:
    records = [r.record(mini) for r in relations(mini, "lenso", "2026-11-28")]
    former = next(r for r in records if r["relation"] == "former-parent")
    assert (former["start"], former["end"], former["status"]) == ("2018-02", "2022-11-24", "ended")
    assert former["source"] == {"title": "A report", "url": None, "date": "2021"}


MEMBERSHIP_ERRORS = [
    ("member_of: {group: nobody, relation: holding, source: wiki}", "unknown group 'nobody'"),
    ("member_of: {group: acme-home, relation: holding, source: wiki}", "not the top entity of a group"),
    ("member_of: {group: acme, relation: owner, source: wiki}", "holding"),
    ("member_of: {group: acme, relation: holding, source: nowhere}", "unknown source 'nowhere'"),
]


@pytest.mark.parametrize(("line", "message"), MEMBERSHIP_ERRORS)
def test_bad_membership_is_one_located_error(minireg_dir: Path, mini_ieee: IeeeRegistry, line: str,
                                             message: str) -> None:
    path = _with(minireg_dir, HOLDING.replace("member_of: {group: acme, relation: holding, source: wiki}", line))
    with pytest.raises(DataError) as info:
        load_registry(minireg_dir, layers=[], ieee=mini_ieee)
    assert info.value.file == str(path) and message in str(info.value)


def test_member_of_is_only_for_a_top_entity(minireg_dir: Path, mini_ieee: IeeeRegistry) -> None:
    _with(minireg_dir, HOLDING.replace("    member_of:", "    parent: acme\n    member_of:"))
    with pytest.raises(DataError, match="member_of is for a top entity"):
        load_registry(minireg_dir, layers=[], ieee=mini_ieee)


def test_an_announced_sale_needs_a_parent(minireg_dir: Path, mini_ieee: IeeeRegistry) -> None:
    _with(minireg_dir, HOLDING.replace("    parent: acme\n    ownership: {percentage: 40, source: wiki}\n", ""))
    with pytest.raises(DataError, match="announced_sale needs a current parent"):
        load_registry(minireg_dir, layers=[], ieee=mini_ieee)


@pytest.mark.parametrize(("change", "message"), [
    ("examples: [AC-12, XAC-1]", "does not match its example(s) XAC-1"),
    ("counterexamples: [AC-7]", "matches its counterexample(s) AC-7"),
])
def test_model_examples_are_checked_on_load(minireg_dir: Path, mini_ieee: IeeeRegistry, change: str,
                                            message: str) -> None:
    path = minireg_dir / "groups" / "acme.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("device_type: camera, source: wiki}", f"device_type: camera, source: wiki, {change}}}"),
                    encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_registry(minireg_dir, layers=[], ieee=mini_ieee)
    assert message in str(info.value) and info.value.field == "entities.0.identifiers.models.0"
