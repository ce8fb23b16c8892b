"""Normalisation: legal forms, generic words, qualifiers, Han script and pinyin."""

from __future__ import annotations

import pytest

from schoon.names import normalise

# (text, distinctive, generic, qualifiers, legal forms)
CASES: list[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = [
    ("Hikvision Europe B.V.", ("hikvision",), (), ("eu",), ("bv",)),
    ("Hikvision USA Inc", ("hikvision",), (), ("us",), ("inc",)),
    ("ZHEJIANG DAHUA TECHNOLOGY CO.,LTD", ("dahua",), ("technology",), ("zhejiang",), ("ltd",)),
    ("Dahua Technology Co Ltd", ("dahua",), ("technology",), (), ("ltd",)),
    ("Dahua Technology Limited", ("dahua",), ("technology",), (), ("ltd",)),
    ("Axis Communications AB", ("axis",), ("communication",), (), ("ab",)),
    ("AB Electronics Ltd", ("ab",), ("electronics",), (), ("ltd",)),
    ("Intelbras S/A", ("intelbras",), (), (), ("sa",)),
    ("Swann Communications Pty Ltd", ("swann",), ("communication",), (), ("pty ltd",)),
    ("Siemens Aktiengesellschaft", ("siemens",), (), (), ("ag",)),
    ("Foo S.p.A.", ("foo",), (), (), ("spa",)),
    ("Hikvision Hong Kong Ltd", ("hikvision",), (), ("hk",), ("ltd",)),
    ("SZ DJI Technology Co., Ltd.", ("dji",), ("technology",), ("shenzhen",), ("ltd",)),
    ("杭州海康威视数字技术股份有限公司", ("海康威视",), ("digital", "technology"), ("hangzhou",), ("jsc (cn)",)),
    ("浙江大华技术股份有限公司", ("大华",), ("technology",), ("zhejiang",), ("jsc (cn)",)),
    ("Hangzhou Haikang Weishi Shuzi Jishu Gufen Youxian Gongsi", ("haikang", "weishi"), ("digital", "technology"),
     ("hangzhou",), ("jsc (cn)",)),
    ("Pishan Haishi Yong'an Electronic Technology Co., Ltd.", ("pishan", "haishi", "yongan"),
     ("electronics", "technology"), (), ("ltd",)),
    ("Digital Technology Company", ("digital", "technology"), (), (), ("co",)),
]


@pytest.mark.parametrize(("text", "distinctive", "generic", "qualifiers", "legal"), CASES, ids=[c[0] for c in CASES])
def test_normalise(text: str, distinctive: tuple[str, ...], generic: tuple[str, ...], qualifiers: tuple[str, ...],
                   legal: tuple[str, ...]) -> None:
    name = normalise(text)
    assert name.distinctive == distinctive
    assert name.generic == generic
    assert name.qualifiers == qualifiers
    assert name.legal_forms == legal


def test_script() -> None:
    assert normalise("海康威视").script == "han"
    assert normalise("Hikvision 海康威视").script == "mixed"
    assert normalise("Hikvision").script == "latin"
    assert normalise("...").script == "none"


def test_generic_only_name_is_promoted() -> None:
    name = normalise("Digital Technology Company")
    assert name.categories == "PP"
    assert name.usable


def test_nothing_usable() -> None:
    assert not normalise("Co., Ltd.").usable
    assert not normalise("").usable
