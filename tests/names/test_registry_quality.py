"""The matcher over the bundled registry: the required cases and the labelled supplier set (quality, not speed)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from schoon.names import NameMatcher
from tests.names.test_matcher import CASES

LABELLED = Path(__file__).parent / "labelled_suppliers.csv"


@pytest.fixture(scope="module")
def real() -> NameMatcher:
    from schoon.registry import load_registry

    return NameMatcher.from_registry(load_registry(layers=[]))


@pytest.mark.parametrize(("query", "group", "forbidden", "why"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_required_cases_on_real_registry(real: NameMatcher, query: str, group: str | None, forbidden: str | None,
                                         why: str) -> None:
    found = real.best(query)
    if group is None:
        assert found is None, f"{why}: got {found and found.explanation()}"
        return
    assert found is not None, f"{why}: no match"
    # Dahua Technology USA was sold in 2024: the registry keeps it as its own group with a former parent.
    ok = found.group_id == group or (group == "dahua" and found.entity_id == "dahua-usa")
    assert ok, f"{why}: {found.explanation()}"
    if forbidden is not None:
        assert all(m.entity_id != forbidden for m in real.match(query)), why


def labelled_rows() -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_labelled_set_is_big_enough() -> None:
    rows = labelled_rows()
    positives = [r for r in rows if r["expected_group"]]
    assert len(rows) >= 150
    assert len(positives) >= 75 and len(rows) - len(positives) >= 75
    assert all(r["why"] for r in rows)


def test_labelled_set_quality(real: NameMatcher) -> None:
    """Recall >= 0.98 on the positives and no false match (a wrong group counts as both a miss and a false
    match)."""
    rows = labelled_rows()
    missed, false = [], []
    for row in rows:
        found = real.best(row["name"])
        got = found.group_id if found else ""
        if row["expected_group"] and got != row["expected_group"]:
            missed.append((row["name"], got))
        if got and got != row["expected_group"]:
            false.append((row["name"], got, found.explanation() if found else ""))
    positives = sum(1 for r in rows if r["expected_group"])
    recall = 1 - len(missed) / positives
    assert recall >= 0.98, missed
    assert not false, false
