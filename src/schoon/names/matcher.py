"""Screen a supplier or counterparty name against the registry's names: retrieval, scoring, explanation.

Build a :class:`NameMatcher` once (from the registry or from :class:`NameRecord` rows) and reuse it.
``match(text)`` returns the entities whose best name scores at least :data:`THRESHOLD`, best first.
A score is a ranking aid for review, not a probability: at or above the threshold means "possible match for
review", below it means "no possible match found", never "cleared".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

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

    def __reduce__(self) -> tuple[type[NameRecord], tuple[str, str, str, str, str]]:
        # pickled as a constructor call: the build cache (schoon.cache) holds a million of these, and the
        # dataclass default for slots walks every field by reflection, several times slower to load
        return NameRecord, (self.entity_id, self.group_id, self.name, self.kind, self.script)


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
               weight: F.Weight, df: Callable[[str], int] | None, *, explain: bool = True,
               spans: F.Spans | None = None) -> tuple[float, tuple[Feature, ...]]:
    """Score one query against one stored name with every feature; returns the score and the features.
    ``kind`` "weak" caps the score below the threshold (see :func:`features.weak_alias`). With
    ``explain=False`` the features carry no detail text (the matcher explains only what it returns)."""
    al = F.align(query, stored, spans)
    feats = [
        F.distinctive_tokens(al, weight, df, explain), F.fuzzy_similarity(al, explain),
        F.unexplained_query_words(al, weight, explain),
        F.generic_words(al), F.qualifiers(al), F.legal_form(al), F.rarity(al, df), F.script(al, kind),
    ]
    raw = sum(f.value for f in feats)
    feats.append(F.generic_only(al, raw))
    raw = sum(f.value for f in feats)
    feats.append(F.weak_alias(raw, kind, threshold, stored.text))
    raw = sum(f.value for f in feats)
    return max(0.0, min(1.0, raw)), tuple(feats)


_T = TypeVar("_T")


class _Built(Sequence[_T], Generic[_T]):
    """A list whose items are kept as plain tuples and built on first access (the matcher of a registry with a
    million imported names loads from the build cache as tuples, and builds only the names a query reaches)."""

    __slots__ = ("_built", "_make", "_raw")

    def __init__(self, raw: list[tuple[Any, ...]], make: Callable[..., _T]) -> None:
        self._raw = raw
        self._built: list[_T | None] = [None] * len(raw)
        self._make = make

    @overload
    def __getitem__(self, index: int) -> _T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[_T]: ...

    def __getitem__(self, index: int | slice) -> _T | Sequence[_T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._raw)))]
        item = self._built[index]
        if item is None:
            item = self._built[index] = self._make(*self._raw[index])
        return item

    def __len__(self) -> int:
        return len(self._raw)

    def raw(self) -> list[tuple[Any, ...]]:
        """The items as plain tuples (what was loaded)."""
        return self._raw

    def __iter__(self) -> Iterator[_T]:
        return (self[i] for i in range(len(self._raw)))


def _record_fields(record: NameRecord) -> tuple[str, str, str, str, str]:
    return record.entity_id, record.group_id, record.name, record.kind, record.script


def _name_fields(name: NormalisedName) -> tuple[object, ...]:
    return name.text, name.tokens, name.categories, name.legal_forms, name.script, name.surface


class NameMatcher:
    """An index of registry names and the scorer; build once, query many times."""

    threshold: float = THRESHOLD

    def __init__(self, records: Sequence[NameRecord], names: Sequence[NormalisedName], index: NameIndex,
                 threshold: float = THRESHOLD) -> None:
        self._records = records
        self._names = names
        self._index = index
        self._spans: dict[int, F.Spans] = {}  # joined spans of stored names, filled as they are scored
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

    @classmethod
    def for_registry(cls, registry: Registry) -> NameMatcher:
        """The matcher of a registry, built once per registry version and process and then reused (a registry
        with a million imported FtM names takes tens of seconds to index; screening should not pay it twice)."""
        key = registry.version
        found = _BY_VERSION.get(key)
        if found is None:
            from schoon import cache

            # and once per registry version on this machine: loaded from the build cache after the first run
            found = cache.cached("names", cache.key("names", key, cls.__qualname__),
                                 lambda: cls.from_registry(registry))
            while len(_BY_VERSION) >= _CACHED_VERSIONS:
                _BY_VERSION.pop(next(iter(_BY_VERSION)))
            _BY_VERSION[key] = found
        return found

    def __len__(self) -> int:
        return len(self._records)

    def __getstate__(self) -> dict[str, Any]:
        # the build cache's form: records and normalised names as plain tuples (several times faster to load than
        # a million objects), built again one by one when a query reaches them; the spans start empty again
        state = dict(self.__dict__)
        records, names = self._records, self._names
        state["_records"] = records.raw() if isinstance(records, _Built) else [_record_fields(r) for r in records]
        state["_names"] = names.raw() if isinstance(names, _Built) else [_name_fields(n) for n in names]
        state["_spans"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["_records"] = _Built(state["_records"], NameRecord)
        state["_names"] = _Built(state["_names"], NormalisedName)
        self.__dict__.update(state)

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
        best: dict[str, tuple[float, int, str]] = {}
        index = self._index
        # distinctive_tokens (0.80 x coverage) + fuzzy_similarity (at most 0.20) must reach the cut
        min_cover = max(0.0, (cut - F.W_FUZZY) / F.W_DISTINCTIVE - 0.1)
        records, names, spans = self._records, self._names, self._spans
        weak_q: tuple[str, ...] | None = None
        for entry in self._bounded(query, cut, min_cover):
            record = records[entry]
            weak = record.kind == "weak"
            if not weak and record.entity_id in self._weak:
                weak_q = weak_key(query) if weak_q is None else weak_q
                weak = weak_q in self._weak[record.entity_id]
            kind = "weak" if weak else record.kind
            entry_spans = spans.get(entry)
            if entry_spans is None:
                entry_spans = spans[entry] = F.stored_spans(names[entry])
            score, _ = score_pair(query, names[entry], kind, self.threshold, index.weight, index.entity_count,
                                  explain=False, spans=entry_spans)
            current = best.get(record.entity_id)
            if current is None or score > current[0]:
                best[record.entity_id] = (round(score, 4), entry, kind)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        friend = next(((e, v) for e, v in ranked if e.startswith("false-friend-")), None)
        entities = [(e, v) for e, v in ranked if not e.startswith("false-friend-")]
        if friend is not None:
            overruled = friend[1][0] >= cut and (not entities or entities[0][1][0] <= friend[1][0])
            entities = [(e, v) for e, v in entities if v[0] > friend[1][0]]
            if not overruled:
                friend = None
        kept = [v for _, v in entities if v[0] >= cut][:limit]
        return MatchResult(text, [self._explained(query, *v) for v in kept],
                           self._explained(query, *friend[1]) if friend is not None else None)

    def _bounded(self, query: NormalisedName, cut: float, min_cover: float) -> list[int]:
        """The candidates whose cheap upper bound can reach ``cut``, best bound first (the first pass: no
        alignment). The bound: distinctive_tokens <= 0.80 x (cover + 0.1); fuzzy_similarity <= 0.20 x the best
        Indel similarity the lengths of the distinctive parts allow; unexplained_query_words costs at least
        0.45 x the share of the query's distinctive weight that reached no key of this name (less 0.1)."""
        index = self._index
        weights = [index.weight(t) if c in "DP" else 0.0 for t, c in zip(query.tokens, query.categories, strict=True)]
        total = sum(weights) or 1.0
        qa = len(query.joined)
        qb = qa + sum(len(t) for t, c in zip(query.tokens, query.categories, strict=True) if c == "G")
        out: list[tuple[float, int]] = []
        names = self._names
        for entry, cover, bits in index.candidate_bounds(query, CANDIDATES, min_cover):
            reached = sum(w for k, w in enumerate(weights) if bits >> k & 1) / total
            stored = names[entry]
            sa = len(stored.joined)
            sb = sa + sum(len(t) for t, c in zip(stored.tokens, stored.categories, strict=True) if c == "G")
            if qb < sa:
                fuzzy = 2 * qb / (qb + sa)
            elif sb < qa:
                fuzzy = 2 * sb / (sb + qa)
            else:
                fuzzy = 1.0
            bound = (F.W_DISTINCTIVE * min(1.0, cover + 0.1) + F.W_FUZZY * fuzzy
                     - F.W_UNEXPLAINED * max(0.0, 1.0 - reached - 0.1))
            if bound >= cut:
                out.append((bound, entry))
        out.sort(reverse=True)
        return [entry for _, entry in out]

    def _explained(self, query: NormalisedName, score: float, entry: int, kind: str) -> NameMatch:
        """The match of ``entry`` with its features' explanations (built only for what is returned)."""
        record = self._records[entry]
        _, feats = score_pair(query, self._names[entry], kind, self.threshold, self._index.weight,
                              self._index.entity_count, spans=self._spans.get(entry))
        return NameMatch(record.entity_id, record.group_id, score, record.name, feats)

    def match(self, text: str, limit: int = 5) -> list[NameMatch]:
        """Entities whose best name scores at least the threshold, best first; [] for no usable name."""
        return self.lookup(text, limit).matches

    def weak_alias_of(self, text: str) -> list[str]:
        """The entities of which ``text`` is no more than a registered weak alias ("UNV", "LTS"), sorted.

        Screening rightly refuses such a name on its own (it is short and ambiguous among company names); a
        caller that knows the text is a brand label (a register's Merk column) may still use it as a lead."""
        query = normalise(text)
        if not query.usable:
            return []
        key = weak_key(query)
        return sorted(entity for entity, keys in self._weak.items() if key in keys)

    def best(self, text: str) -> NameMatch | None:
        """The best match at or above the threshold, or None."""
        found = self.match(text, 1)
        return found[0] if found else None


_CACHED_VERSIONS = 4
_BY_VERSION: dict[str, NameMatcher] = {}


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
