"""The one slug rule: keys keep every script, never merge different names, and fold only what is the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schoon.registry.ftm import read_ftm_layer
from schoon.slug import MAX_LENGTH, ascii_slug, is_ascii_slug, slug


@pytest.mark.parametrize(("text", "key"), [
    ("Den Haag Hoofdkantoor", "den-haag-hoofdkantoor"),
    ("Locatie 007", "locatie-007"),
    ("Zürich", "zurich"), ("ZÜRICH", "zurich"), ("Zurich", "zurich"),  # Latin diacritics fold
    ("Ελλάδα", "ελλαδα"), ("ΕΛΛΆΔΑ", "ελλαδα"),  # Greek accents and case fold
    ("Москва", "москва"), ("МОСКВА", "москва"),
    ("北京", "北京"), ("東京", "東京"),
    ("Tokyo 東京 office", "tokyo-東京-office"),
    ("Straße", "strasse"), ("ＡＢＣ ２", "abc-2"), ("ﬁle", "file"),
    ("  a -- b / c  ", "a-b-c"),
])
def test_keys(text: str, key: str) -> None:
    assert slug(text) == key


@pytest.mark.parametrize("names", [
    ["Москва", "北京", "東京", "东京", "Ελλάδα", "Αθήνα", "서울", "القاهرة", "תל אביב", "दिल्ली", "site", "Site 1"],
    ["Мой", "Мои"],  # Cyrillic keeps its marks: й is a letter of its own
    ["Site ★", "Site ☆", "Site"],
    ["---", "--", "()"],  # nothing to keep: still different
    ["क्ष", "कष"],  # a virama is not a diacritic
    ["x" * 200 + "a", "x" * 200 + "b"],  # long keys keep a hash of the whole
])
def test_different_names_never_share_a_key(names: list[str]) -> None:
    keys = [slug(n) for n in names]
    assert len(set(keys)) == len(names), keys
    asciis = [ascii_slug(n) for n in names]
    assert len(set(asciis)) == len(names), asciis
    assert all(is_ascii_slug(k) for k in asciis)


def test_bounds_and_blanks() -> None:
    assert slug("") == "" and slug("   ") == ""
    assert ascii_slug("") == "x" and ascii_slug("", empty="site") == "site"
    assert len(slug("a" * 1000)) <= MAX_LENGTH
    assert slug("a" * 1000) == slug("A" * 1000)


def test_ascii_ids_are_unchanged() -> None:
    for key in ("hikvision", "mvz", "nk-2cnrw", "a-b-c"):
        assert ascii_slug(key) == key and slug(key) == key
    assert ascii_slug("Zürich") == "zurich"
    assert ascii_slug("Tokyo 東京").startswith("tokyo-u")


def test_ftm_ids_in_other_scripts_stay_apart(tmp_path: Path) -> None:
    """FtM ids are made into registry ids by the same rule: ids in Chinese no longer all become 'x'."""
    lines = [{"id": ident, "schema": "Company", "properties": {"name": [name]}}
             for ident, name in (("北京-公司", "Beijing Co"), ("上海-公司", "Shanghai Co"), ("co-1", "Plain Co"))]
    path = tmp_path / "layer.ftm.json"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    layer = read_ftm_layer(path, known_lists={})
    ids = [entity.id for _, entity in layer.entities]
    assert len(set(ids)) == 3 and "co-1" in ids
    assert all(is_ascii_slug(i) for i in ids)
