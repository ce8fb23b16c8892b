"""The identify engine's name seam, served by the screening matcher: one matcher for all.

``MatcherNameResolver(registry)`` (or ``MatcherNameResolver(matcher)``) implements
:class:`schoon.identify.signals.NameResolver`: ``resolve(text)`` returns the best registry entity at or above
the matcher's threshold as a :class:`~schoon.identify.signals.NameHit` (score and a one-line explanation),
or None. The matcher is built once per registry version and process (:meth:`NameMatcher.for_registry`).
"""

from __future__ import annotations

from schoon.identify.signals import NameHit
from schoon.names.matcher import NameMatcher
from schoon.registry.registry import Registry


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
