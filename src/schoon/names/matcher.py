"""Screen a supplier or counterparty name against the registry's names: retrieval, scoring, explanation.

Build a :class:`NameMatcher` once (from the registry or from :class:`NameRecord` rows) and reuse it.
``match(text)`` returns the entities whose best name scores at least :data:`THRESHOLD`, best first.
A score is a ranking aid for review, not a probability: at or above the threshold means "possible match for
review", below it means "no possible match found", never "cleared".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from schoon.names import features as F
from schoon.names.features import Feature
from schoon.names.index import CANDIDATES, NameIndex
from schoon.names.normalise import NormalisedName, normalise

if TYPE_CHECKING:
    from schoon.registry.registry import Registry

THRESHOLD = 0.70
FALSE_FRIEND = "false_friend"  # NameRecord.kind of a name known to belong to someone else


@dataclass(frozen=True, slots=True)
class NameRecord:
    """One name of one entity. ``kind`` is an alias kind (legal, common, short, former, pinyin, brand, weak,
    translation) or ``false_friend`` for a name that looks like ours and belongs to someone else."""

    entity_id: str
    group_id: str
    name: str
    kind: str = "common"
    script: str = "latin"


@dataclass(frozen=True)
class NameMatch:
    """A possible match: the entity, its group, the score, the name that matched, and why."""

    entity_id: str
    group_id: str
    score: float
    matched_name: str
    features: tuple[Feature, ...]

    def explanation(self) -> str:
        """One line for people: the features that said something, strongest first."""
        parts = [f.detail for f in self.features if f.detail]
        return f"{self.score:.2f} vs '{self.matched_name}': " + "; ".join(parts)


@dataclass(frozen=True)
class MatchResult:
    """Matches for a query, and the false friend that overruled them if there was one."""

    query: str
    matches: list[NameMatch]
    false_friend: NameMatch | None = None

    def explanation(self) -> str:
        """One line: the best match, or why there is none."""
        if self.matches:
            return self.matches[0].explanation()
        if self.false_friend is not None:
            return (f"no match: '{self.query}' is closest to '{self.false_friend.matched_name}', a different company "
                    f"whose name resembles a registry entity (false friend, {self.false_friend.score:.2f})")
        return f"no possible match found for '{self.query}' (this is not a clearance)"


def weak_key(name: NormalisedName) -> tuple[str, ...]:
    """What a name says apart from qualifiers and legal forms: compared to decide whether a query is no more
    than a weak alias."""
    return name.of("DGP")


def score_pair(query: NormalisedName, stored: NormalisedName, kind: str, threshold: float,
               weight: F.Weight, df: Callable[[str], int] | None) -> tuple[float, tuple[Feature, ...]]:
    """Score one query against one stored name with every feature; returns the score and the features.
    ``kind`` "weak" caps the score below the threshold (see :func:`features.weak_alias`)."""
    al = F.align(query, stored)
    feats = [
        F.distinctive_tokens(al, weight, df), F.fuzzy_similarity(al), F.unexplained_query_words(al, weight),
        F.generic_words(al), F.qualifiers(al), F.legal_form(al), F.rarity(al, df), F.script(al, kind),
    ]
    raw = sum(f.value for f in feats)
    feats.append(F.generic_only(al, raw))
    raw = sum(f.value for f in feats)
    feats.append(F.weak_alias(raw, kind, threshold, stored.text))
    raw = sum(f.value for f in feats)
    return max(0.0, min(1.0, raw)), tuple(feats)


class NameMatcher:
    """An index of registry names and the scorer; build once, query many times."""

    threshold: float = THRESHOLD

    def __init__(self, records: list[NameRecord], names: list[NormalisedName], index: NameIndex,
                 threshold: float = THRESHOLD) -> None:
        self._records = records
        self._names = names
        self._index = index
        self.threshold = threshold
        weak: dict[str, set[tuple[str, ...]]] = {}
        strong: dict[str, set[tuple[str, ...]]] = {}
        for record, name in zip(records, names, strict=True):
            (weak if record.kind == "weak" else strong).setdefault(record.entity_id, set()).add(weak_key(name))
        # entity -> queries that are no more than one of its weak aliases ("HIK", "Keda", "UNV")
        self._weak = {e: keys - strong.get(e, set()) for e, keys in weak.items() if keys - strong.get(e, set())}

    @classmethod
    def build(cls, records: Iterable[NameRecord], threshold: float = THRESHOLD) -> NameMatcher:
        """Normalise and index the records (token index, rarity, typo neighbourhood)."""
        kept: list[NameRecord] = []
        names: list[NormalisedName] = []
        index = NameIndex()
        entity_numbers: dict[str, int] = {}
        for record in records:
            name = normalise(record.name)
            if not name.usable:
                continue
            number = entity_numbers.setdefault(record.entity_id, len(entity_numbers))
            index.add(len(kept), number, name)
            kept.append(record)
            names.append(name)
        index.freeze(names)
        return cls(kept, names, index, threshold)

    @classmethod
    def from_registry(cls, registry: Registry, threshold: float = THRESHOLD) -> NameMatcher:
        """Every name of every entity (group = top of its current corporate tree), plus the false friends."""
        records: list[NameRecord] = []
        for entity in registry.entities.values():
            group = registry.group_of(entity.id)
            for alias in entity.all_names():
                records.append(NameRecord(entity.id, group, alias.name, alias.kind, alias.script))
        for number, friend in enumerate(registry.false_friends):
            records.append(NameRecord(f"false-friend-{number}", "", friend.name, FALSE_FRIEND))
        return cls.build(records, threshold)

    def __len__(self) -> int:
        return len(self._records)

    def normalise(self, text: str) -> NormalisedName:
        """The normalised form of a name (tokens, distinctive tokens, qualifiers, legal forms, script)."""
        return normalise(text)

    def lookup(self, text: str, limit: int = 5, threshold: float | None = None) -> MatchResult:
        """Matches at or above the threshold, best first, one per entity, with the false friend that
        overruled them if a false friend's name fits the query at least as well as the best entity."""
        cut = self.threshold if threshold is None else threshold
        query = normalise(text)
        if not query.usable:
            return MatchResult(text, [])
        best: dict[str, NameMatch] = {}
        index = self._index
        # distinctive_tokens (0.80 x coverage) + fuzzy_similarity (at most 0.20) must reach the cut
        min_cover = max(0.0, (cut - F.W_FUZZY) / F.W_DISTINCTIVE - 0.1)
        for entry in index.candidates(query, CANDIDATES, min_cover):
            record = self._records[entry]
            weak = record.kind == "weak" or weak_key(query) in self._weak.get(record.entity_id, ())
            score, feats = score_pair(query, self._names[entry], "weak" if weak else record.kind, self.threshold,
                                      index.weight, index.entity_count)
            current = best.get(record.entity_id)
            if current is None or score > current.score:
                best[record.entity_id] = NameMatch(record.entity_id, record.group_id, round(score, 4),
                                                   record.name, feats)
        ranked = sorted(best.values(), key=lambda m: (-m.score, m.entity_id))
        friend = next((m for m in ranked if m.entity_id.startswith("false-friend-")), None)
        entities = [m for m in ranked if not m.entity_id.startswith("false-friend-")]
        if friend is not None:
            overruled = friend.score >= cut and (not entities or entities[0].score <= friend.score)
            entities = [m for m in entities if m.score > friend.score]
            if not overruled:
                friend = None
        return MatchResult(text, [m for m in entities if m.score >= cut][:limit], friend)

    def match(self, text: str, limit: int = 5) -> list[NameMatch]:
        """Entities whose best name scores at least the threshold, best first; [] for no usable name."""
        return self.lookup(text, limit).matches

    def best(self, text: str) -> NameMatch | None:
        """The best match at or above the threshold, or None."""
        found = self.match(text, 1)
        return found[0] if found else None


def _uniform(_token: str) -> float:
    return 1.0


def compare(name1: str, name2: str) -> float:
    """Pairwise score of two names with the same features (every distinctive token weighs the same, since
    there is no registry to measure rarity in). Symmetric: the lower of the two directions."""
    a, b = normalise(name1), normalise(name2)
    if not a.usable or not b.usable:
        return 0.0
    one, _ = score_pair(a, b, "common", THRESHOLD, _uniform, None)
    two, _ = score_pair(b, a, "common", THRESHOLD, _uniform, None)
    return min(one, two)
