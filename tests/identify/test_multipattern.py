"""Hyperscan and the re fallback give identical answers on every shipped rule's examples and counterexamples."""

from __future__ import annotations

import pytest

from schoon.identify import load_rulebook
from schoon.identify.multipattern import Pattern, PatternSet, hyperscan_available
from schoon.registry import load_registry

pytestmark = pytest.mark.skipif(not hyperscan_available(), reason="the hyperscan package has no wheel here")


def test_backends_agree_on_every_rule_example() -> None:
    registry = load_registry(layers=[])
    fast = load_rulebook(registry, backend="hyperscan")
    plain = load_rulebook(registry, backend="re")
    assert fast.backend == "hyperscan" and plain.backend == "re"
    texts = [t for loaded in fast.rules for t in (*loaded.rule.examples, *loaded.rule.counterexamples)]
    checked = 0
    for field, pattern_set in fast.pattern_sets.items():
        for text in texts:
            ours = [(i, m.span()) for i, m in pattern_set.search(text)]
            theirs = [(i, m.span()) for i, m in plain.pattern_sets[field].search(text)]
            assert ours == theirs, (field, text)
            checked += 1
    assert checked > 1000


def test_patterns_hyperscan_cannot_compile_still_match() -> None:
    patterns = [Pattern(r"(ab)\1"), Pattern(r"(?<=x)y"), Pattern(r"^Dahua Rtsp Server$")]
    fast, plain = PatternSet(patterns, backend="hyperscan"), PatternSet(patterns, backend="re")
    for text in ("abab", "xy", "Dahua Rtsp Server", "nothing"):
        assert [i for i, _ in fast.search(text)] == [i for i, _ in plain.search(text)]
    assert [i for i, _ in fast.search("abab xy")] == [0, 1]
