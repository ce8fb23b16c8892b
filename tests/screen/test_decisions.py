"""Analyst decisions: applied before scoring, kept across runs, bad rows named by file and row."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoon.errors import DataError
from schoon.registry import load_registry
from schoon.screen import MATCH, NO_MATCH, Screener, append_decision, decision_key, load_decisions


@pytest.fixture(scope="module")
def registry():  # type: ignore[no-untyped-def]
    return load_registry(layers=[])


def test_keys_use_the_matcher_normalisation() -> None:
    assert decision_key("Hikari Trading Co., Ltd.") == decision_key("HIKARI  TRADING")
    assert decision_key("Hikvision Europe B.V.") != decision_key("Hikvision")


def test_is_not_clears_a_false_positive_for_good(tmp_path: Path, registry) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "decisions.csv"
    before = Screener(registry).screen("Hikvision Europe B.V.")
    assert before.status == MATCH
    append_decision(path, "HIKVISION EUROPE BV", before.entity_id or "", is_match=False, by="JJ", note="checked")
    after = Screener(registry, load_decisions(path)).screen("Hikvision Europe B.V.")
    assert after.entity_id != before.entity_id
    again = Screener(registry, load_decisions(path)).screen("hikvision europe b.v.")
    assert again.entity_id == after.entity_id


def test_is_returns_the_entity_with_score_one(tmp_path: Path, registry) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "decisions.csv"
    assert Screener(registry).screen("Acme Cameras Import").status == NO_MATCH
    append_decision(path, "Acme Cameras Import", "hikvision", is_match=True, by="W", date="2026-01-02")
    result = Screener(registry, load_decisions(path)).screen("ACME cameras import")
    assert (result.status, result.entity_id, result.group_id, result.score) == (MATCH, "hikvision", "hikvision", 1.0)
    assert result.explanation.startswith("analyst decision by W on 2026-01-02")


def test_later_row_overrides(tmp_path: Path, registry) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "d.csv"
    append_decision(path, "Acme", "hikvision", is_match=True, by="A")
    append_decision(path, "Acme", "hikvision", is_match=False, by="B")
    assert Screener(registry, load_decisions(path)).screen("Acme").status == NO_MATCH


def test_yaml_decisions(tmp_path: Path, registry) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "d.yaml"
    path.write_text("- {name: Acme, decision: is, entity_id: dahua, by: X, date: 2026-03-04, note: n}\n")
    assert Screener(registry, load_decisions(path)).screen("Acme B.V.").group_id == "dahua"


BAD: list[tuple[str, str]] = [
    ("name,decision,entity_id,by,date,note\nAcme,maybe,hikvision,W,2026-01-01,\n", ":2: decision: "),
    ("name,decision,entity_id,by,date,note\nAcme,is,hikvision,W,yesterday,\n", ":2: date: "),
    ("name,decision,entity_id,by,date,note\n,is,hikvision,W,2026-01-01,\n", ":2: name: "),
    ("name,decision,entity_id,by,date,note\nAcme,is,hikvision,,2026-01-01,\n", ":2: by: "),
    ("name,entity_id\nAcme,hikvision\n", "missing column"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_rows_name_file_and_row(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text(text)
    with pytest.raises(DataError) as err:
        load_decisions(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_unknown_entity_is_an_error(tmp_path: Path, registry) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "decisions.csv"
    append_decision(path, "Acme", "no-such-entity", is_match=True, by="W")
    with pytest.raises(DataError, match=r"decisions.csv:2: entity_id: decision names unknown entity"):
        Screener(registry, load_decisions(path))
