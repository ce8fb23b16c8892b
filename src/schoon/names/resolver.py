"""The seam through which declared vendors and supplier names become registry entities, served by the matcher.

:class:`NameHit` and the :class:`NameResolver` protocol live here, on the names floor, so the identify engine
(a higher floor) depends on names and never the other way round. ``MatcherNameResolver(registry)`` (or
``MatcherNameResolver(matcher)``) implements the protocol: ``resolve(text)`` returns the best registry entity at
or above the matcher's threshold as a :class:`NameHit` (score and a one-line explanation), or None;
``short_name(text)`` returns the entities of which ``text`` is no more than a registered weak alias (a short
name such as "UNV" or "LTS", which screening rightly refuses to match on its own). The matcher is built once per
registry version and process (:meth:`NameMatcher.for_registry`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from schoon.names.matcher import NameMatcher
from schoon.registry.registry import Registry


@dataclass(frozen=True)
class NameHit:
    """A name that resolved to a registry entity, with a score in 0..1 and an explanation."""

    entity_id: str
    score: float
    matched_name: str
    explanation: str


class NameResolver(Protocol):
    """The seam through which declared vendors and suppliers become registry entities."""

    def resolve(self, text: str) -> NameHit | None:
        """The best registry entity for ``text``, or None."""

    def short_name(self, text: str) -> list[str]:
        """The entities of which ``text`` is exactly a registered short (weak) alias, or []."""


class MatcherNameResolver:
    """Resolve declared vendors and supplier names with :class:`NameMatcher` (weak aliases, false friends and
    the threshold apply exactly as in ``schoon screen``)."""

    def __init__(self, registry_or_matcher: Registry | NameMatcher) -> None:
        if isinstance(registry_or_matcher, NameMatcher):
            self.matcher = registry_or_matcher
        else:
            self.matcher = NameMatcher.for_registry(registry_or_matcher)

    def resolve(self, text: str) -> NameHit | None:
        """The best entity for ``text`` at or above the threshold, or None (also for an unusable name)."""
        if not text or not text.strip():
            return None
        found = self.matcher.best(text)
        if found is None:
            return None
        return NameHit(found.entity_id, found.score, found.matched_name, found.explanation())

    def short_name(self, text: str) -> list[str]:
        """The entities of which ``text`` is exactly a registered weak alias ("UNV", "LTS", "HIK"), sorted."""
        if not text or not text.strip():
            return []
        return self.matcher.weak_alias_of(text)
