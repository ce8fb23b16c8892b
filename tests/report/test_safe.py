"""Formula injection is neutralised the OWASP way: a leading quote on text a spreadsheet would evaluate."""

from __future__ import annotations

import pytest

from schoon.report.safe import neutralise
from tests.report.factory import HOSTILE_TEXTS


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_formula_starts_get_a_quote(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Hikvision", "", "31 70", "'already quoted", "a=b", "Huawei -5"])
def test_other_text_is_unchanged(text: str) -> None:
    assert neutralise(text) == text
