"""The matcher on a small hand-built record list: the required behaviour, table-driven, with the reason."""

from __future__ import annotations

import pytest

from schoon.names import NameMatcher, compare
from tests.names.records import records


@pytest.fixture(scope="module")
def matcher() -> NameMatcher:
    return NameMatcher.build(records())


# (query, expected group or None, entity that must NOT be returned or None, why)
CASES: list[tuple[str, str | None, str | None, str]] = [
    ("Hikvision Europe B.V.", "hikvision", None, "brand + region qualifier + Dutch legal form"),
    ("Hikvision USA Inc", "hikvision", None, "subsidiary: either hikvision-usa or hikvision, same group"),
    ("Dahua Technology USA Inc.", "dahua", None, "logic-v2 paired 'usa' with 'dahua' and missed this"),
    ("HIK VISION DIGITAL TECHNOLOGY CO LTD", "hikvision", None, "split brand token, all caps, Co Ltd"),
    ("Hik-Vision", "hikvision", None, "hyphenated brand"),
    ("ＨＩＫＶＩＳＩＯＮ", "hikvision", None, "full-width letters (NFKC)"),
    ("杭州海康威视数字技术股份有限公司", "hikvision", None, "Han legal name, compared as Han"),
    ("海康威视（美国）", "hikvision", None, "Han short name with a Han place qualifier"),
    ("Hai Kang Wei Shi", "hikvision", None, "syllable-split pinyin = joined pinyin alias"),
    ("HAIKANGWEISHI", "hikvision", None, "fully joined pinyin"),
    ("Hangzhou Hai Kang Wei Shi Shu Zi Ji Shu Gu Fen You Xian Gong Si", "hikvision", None,
     "split pinyin with pinyin generic words and legal form"),
    ("Hikvison", "hikvision", None, "one-edit typo in a long distinctive token"),
    ("Dahau", "dahua", None, "transposition typo"),
    ("Hik Vison", "hikvision", None, "split brand with a typo"),
    ("ZTE USA Inc", "zte", None, "three-letter token, exact, with qualifier"),
    ("ZTE Corp", "zte", None, "legal-form variant"),
    ("DJI Europe B.V.", "dji", None, "three-letter common alias + qualifier"),
    ("Face++", "megvii", None, "brand alias with punctuation"),
    ("Lorex Technology Inc", "lorex", "megvii", "the relabel itself is right; never Megvii via 'technology'"),
    ("Prama Hikvision India Pvt. Ltd.", "hikvision", None, "subsidiary with Indian legal form"),
    ("China Electronics Technology Group Co Ltd", "cetc", None, "all-generic name matches the same words"),
    # negatives
    ("Shanghai Dahua Scale Factory", None, None, "registry false friend: a different company"),
    ("Honor Device Co., Ltd.", None, "huawei-device", "former Huawei unit; 'device' is generic"),
    ("Hikari Trading", None, None, "prefix 'hik' only; Hikari is a false friend"),
    ("Digital Technology Company", None, None, "generic words only"),
    ("REOLINK EZTECH DIGITAL", None, None, "'zte' inside 'eztech' must not match ZTE"),
    ("Axis Communications AB", None, None, "other vendor; 'communications' generic"),
    ("Bosch Security Systems B.V.", None, None, "other vendor; generic words only overlap"),
    ("Hanwha Vision Co., Ltd.", None, None, "other vendor"),
    ("Motorola Solutions", None, None, "other vendor"),
    ("HIK", None, None, "weak alias alone is not enough"),
    ("UNV", None, None, "weak alias alone is not enough"),
    ("Dahua Hotel Management", None, None, "a rare registry token plus an unexplained distinctive word"),
    ("", None, None, "empty query"),
    ("Co., Ltd.", None, None, "legal form only"),
]


@pytest.mark.parametrize(("query", "group", "forbidden", "why"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_required_behaviour(matcher: NameMatcher, query: str, group: str | None, forbidden: str | None,
                            why: str) -> None:
    found = matcher.best(query)
    if group is None:
        assert found is None, f"{why}: got {found and found.explanation()}"
    else:
        assert found is not None, f"{why}: no match"
        assert found.group_id == group, f"{why}: {found.explanation()}"
        assert 0.7 <= found.score <= 1.0
    if forbidden is not None:
        assert all(m.entity_id != forbidden for m in matcher.match(query)), why


def test_lorex_never_another_group(matcher: NameMatcher) -> None:
    assert {m.group_id for m in matcher.match("Lorex Technology Inc", limit=10)} == {"lorex"}


def test_false_friend_explained(matcher: NameMatcher) -> None:
    result = matcher.lookup("Shanghai Dahua Scale Factory")
    assert result.matches == []
    assert result.false_friend is not None
    assert "false friend" in result.explanation()


def test_subsidiary_beats_parent_with_matching_qualifier(matcher: NameMatcher) -> None:
    found = matcher.match("Hikvision USA Inc")
    assert found[0].entity_id == "hikvision-usa"
    assert found[1].entity_id == "hikvision"


def test_explanation_names_features(matcher: NameMatcher) -> None:
    found = matcher.best("Hikvision Europe B.V.")
    assert found is not None
    text = found.explanation()
    assert "distinctive token 'hikvision'" in text and "matched exactly" in text
    assert "'eu' ignored" in text
    names = {f.name for f in found.features}
    assert {"distinctive_tokens", "fuzzy_similarity", "qualifiers", "legal_form"} <= names


def test_typo_scores_lower_than_exact(matcher: NameMatcher) -> None:
    exact, typo = matcher.best("Hikvision"), matcher.best("Hikvison")
    assert exact is not None and typo is not None
    assert typo.score < exact.score


def test_weak_alias_visible_below_threshold(matcher: NameMatcher) -> None:
    result = matcher.lookup("HIK", threshold=0.0)
    assert result.matches and result.matches[0].entity_id == "hikvision"
    assert result.matches[0].score < matcher.threshold


def test_results_one_per_entity_sorted(matcher: NameMatcher) -> None:
    found = matcher.lookup("Hikvision", limit=10, threshold=0.0).matches
    ids = [m.entity_id for m in found]
    assert len(ids) == len(set(ids))
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_compare_pairwise() -> None:
    assert compare("Siemens Aktiengesellschaft", "Siemens AG") == 1.0
    assert compare("Hikvision Digital Technology Co., Ltd.", "HIKVISION DIGITAL TECH CO LTD") >= 0.95
    assert compare("Volkswagen Aktiengesellschaft", "Siemens Aktiengesellschaft") < 0.7
    assert compare("Digital Technology Company", "Digital Technology Co") >= 0.7
    assert compare("Digital Technology Company", "Hikvision Digital Technology") < 0.7


def test_a_huge_name_costs_linear_memory_and_still_matches_exactly() -> None:
    """A 60 KB one-token name (issue 14, class 5) gets no typo neighbourhood: indexing and querying stay cheap."""
    import tracemalloc

    from schoon.names.index import TOKEN_MAX_LEN, NameIndex
    from schoon.names.normalise import normalise

    huge = "x" * 60_000
    index = NameIndex()
    tracemalloc.start()
    index.add(0, 0, normalise(huge))
    index.add(1, 1, normalise("Hikvision"))
    index.freeze([normalise(huge), normalise("Hikvision")])
    keys = index.keys(normalise(huge))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert huge in keys  # the long token still matches itself exactly
    assert index.similar_tokens("y" + "x" * (TOKEN_MAX_LEN + 1)) == []
    assert "hikvision" in index.keys(normalise("Hikvison"))  # short tokens keep their typo tolerance


def test_a_pickled_matcher_answers_as_the_one_it_was_made_from(matcher: NameMatcher) -> None:
    """The build cache's form (records and names as plain tuples, built again on first use) gives the same
    matches, scores and explanations; pickled again, it keeps that form."""
    import pickle

    loaded = pickle.loads(pickle.dumps(matcher))
    again = pickle.loads(pickle.dumps(loaded))
    assert len(loaded) == len(matcher) == len(again)
    for text in ("Hikvision Europe B.V.", "Hik Vison", "Zhejiang Dahua Technology", "Hikari Trading", "ZTE",
                 "Unrelated Bakery Ltd"):
        want = matcher.lookup(text)
        for other in (loaded, again):
            got = other.lookup(text)
            assert got.explanation() == want.explanation()
            assert [(m.entity_id, m.score, m.matched_name) for m in got.matches] == \
                [(m.entity_id, m.score, m.matched_name) for m in want.matches]
    assert list(loaded._records) == list(matcher._records)
    assert list(loaded._names) == list(matcher._names)
