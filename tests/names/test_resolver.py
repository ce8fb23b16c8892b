"""One matcher for all: the identify seam served by the screening matcher."""

from __future__ import annotations

import pytest

from schoon.names import NameMatcher
from schoon.names.resolver import MatcherNameResolver, NameHit
from schoon.registry import load_registry


@pytest.fixture(scope="module")
def resolver() -> MatcherNameResolver:
    return MatcherNameResolver(load_registry(layers=[]))


@pytest.mark.parametrize(("text", "group"), [
    ("Hikvision Europe B.V.", "hikvision"),
    ("Axis Communications AB", None),
    ("", None),
    ("HIK", None),
])
def test_resolve(resolver: MatcherNameResolver, text: str, group: str | None) -> None:
    hit = resolver.resolve(text)
    if group is None:
        assert hit is None
        return
    assert isinstance(hit, NameHit)
    registry = load_registry(layers=[])
    assert registry.group_of(hit.entity_id) == group
    assert 0.7 <= hit.score <= 1.0
    assert hit.explanation and "\n" not in hit.explanation


def test_matcher_is_built_once_per_registry_version() -> None:
    registry = load_registry(layers=[])
    assert NameMatcher.for_registry(registry) is NameMatcher.for_registry(load_registry(layers=[]))
    assert MatcherNameResolver(NameMatcher.for_registry(registry)).matcher is NameMatcher.for_registry(registry)
