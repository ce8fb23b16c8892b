"""Normalisation and alignment fixes found on the nomenklatura company pairs (each a general rule)."""

from __future__ import annotations

import pytest

from schoon.names import compare, normalise

# (name, expected tokens, expected legal forms)
NORMALISED: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("Brigade Forty-Four", ("brigade", "44"), ()),
    ("Brigade Forty 4", ("brigade", "44"), ()),
    ("Brigade Fourty-four", ("brigade", "44"), ()),
    ("1st International Bank", ("1", "international", "bank"), ()),
    ("First International Bank", ("1", "international", "bank"), ()),
    ("Three Percenters", ("3", "percenters"), ()),
    ("Citigroup Capital Trust XV", ("citigroup", "holding", "trust", "15"), ()),
    ("V Star", ("v", "new"), ()),  # a Roman numeral only after the first word
    ("TACTICAL MISSILES CORPORATION JOYNT STOCK COMPANY", ("tactical", "missiles"), ("corp", "jsc")),
    ("TACTICAL MISSILES CORPORATION JOINT STOCK COMPAN", ("tactical", "missiles"), ("corp", "jsc")),
    ("Siemens Aktiengeselschaft", ("siemens",), ("ag",)),
    ('ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "БАЙКАЛ"', ("баикал",), ("ooo (ru)",)),
]


@pytest.mark.parametrize(("text", "tokens", "legal"), NORMALISED, ids=[n[0] for n in NORMALISED])
def test_normalised(text: str, tokens: tuple[str, ...], legal: tuple[str, ...]) -> None:
    name = normalise(text)
    assert name.tokens == tokens
    assert name.legal_forms == legal


# (name1, name2, same?, why)
PAIRS: list[tuple[str, str, bool, str]] = [
    ("SiemensAG", "Siemens AG", True, "legal form glued to the name"),
    ("PLA", "People's Liberation Army", True, "acronym of every word"),
    ("PLA China", "People's Liberation Army", True, "acronym plus a qualifier"),
    ("Brigade Forty-Four", "Brigade 44", True, "number words = digits"),
    ("Blackstone Real Estate Partners V L.P.", "Blackstone Real Estate Partners VI L.P.", True,
     "series numbers weigh like generic words"),
    ("Trafalgura Group Pte. Ltd.", "Trafigura Group Pte. Ltd.", True, "two edits in a long, still alike word"),
    ("Mercedes-Benn Group AG", "Mercedes-Benz Group AG", True, "short word typo next to an exact word"),
    ("Andrang Heta", "'Ndrangheta", True, "typo against two joined words, both directions"),
    ("Cloudwick Technologies", "CloudWalk Technology Co., Ltd.", False, "two edits, not alike enough"),
    ("CVC", "CVS", False, "a short word alone never matches with a typo"),
    ('ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "БАЙ"', 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "БАЙКАЛ"', False,
     "the Russian legal form is not the name"),
    ("ABC", "Alpha Beta", False, "an acronym must cover every word"),
]


@pytest.mark.parametrize(("a", "b", "same", "why"), PAIRS, ids=[p[3] for p in PAIRS])
def test_pairs(a: str, b: str, same: bool, why: str) -> None:
    assert (compare(a, b) >= 0.7) is same, why
