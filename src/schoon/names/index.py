"""The inverted index behind the matcher: distinctive tokens, their rarity, and a typo neighbourhood.

Candidate retrieval never scans the registry. A query reaches a stored name only through

1. a distinctive token they share ("hikvision"), also when the query writes it split or joined
   ("Hik Vision", "Hai Kang Wei Shi" -> spans of adjacent tokens joined; "HAIKANGWEISHI" -> split in two
   known tokens);
2. a token one edit away (insert, delete, substitute or swap two neighbours) from a stored token of at least
   five characters, found through the symmetric-deletion neighbourhood (every stored token with one character
   deleted is a key), so lookup cost does not grow with the registry;
3. character 3-grams of a long joined distinctive string (nine characters or more), for two edits in a long
   name, used only when nothing else was found.

Short tokens (three characters or less: "zte", "dji", "hik") are only ever found exactly, as whole tokens.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import defaultdict
from collections.abc import Iterator

from rapidfuzz.distance import OSA

from schoon.names import tables as T
from schoon.names.normalise import NormalisedName, is_han

MAX_SPAN = 4          # adjacent query tokens joined when looking for a stored token
TYPO_MIN_LEN = 5      # shortest stored token that tolerates one edit
TOKEN_MAX_LEN = 64    # longer tokens match only exactly: no typo variants, 3-grams or splits (no real name needs
                      # them, and their cost is quadratic: one 60 KB token would make 60,000 variants of 60 KB)
GRAM_MIN_LEN = 9      # shortest joined string looked up by 3-grams
GRAM_MAX_DF = 100     # 3-grams in more vocabulary entries than this are too common to retrieve with
CANDIDATES = 12       # stored names scored in full per query (best by retrieval weight)
REACH_MEMO = 200_000  # unknown query tokens whose reach is remembered (see NameIndex._reach)
COMMON_POSTINGS = 400 # a key in more stored names than this only adds to names already found (or its shortest)


def deletions(token: str) -> Iterator[str]:
    """The token with each one character deleted (the symmetric-deletion neighbourhood)."""
    for i in range(len(token)):
        yield token[:i] + token[i + 1:]


def trigrams(text: str) -> set[str]:
    """Character 3-grams of a string padded with one space on each side."""
    padded = f" {text} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def typo_ok(a: str, b: str) -> int | None:
    """The edit distance between two tokens if it is small enough to count as a typo, else None.

    One edit (OSA: insert, delete, substitute, swap neighbours) for tokens of at least five characters
    (four for the shorter one), two edits when both have at least eight; Han strings of four or more characters
    tolerate one. Tokens of three characters or less never match with a typo.
    """
    short, long_ = sorted((len(a), len(b)))
    if is_han(a) != is_han(b):
        return None
    if is_han(a):
        if short < 4:
            return None
        d = OSA.distance(a, b, score_cutoff=1)
        return d if d <= 1 else None
    if short < 4 or long_ < TYPO_MIN_LEN:
        return None
    limit = 2 if short >= 8 else 1
    d = OSA.distance(a, b, score_cutoff=limit)
    return d if d <= limit else None


class NameIndex:
    """Postings from distinctive tokens to stored names, with entity counts for rarity."""

    def __init__(self) -> None:
        self.postings: dict[str, list[int]] = {}
        self.df: dict[str, int] = {}
        self._last_entity: dict[str, int] = {}
        self.entities = 0
        self.total_weight = array("f")
        self._deletes: dict[str, str | tuple[str, ...]] = {}
        self._grams: dict[str, list[str]] = {}
        self._common: dict[str, frozenset[int]] = {}
        self._frozen = False

    # -- building -----------------------------------------------------------------------------------

    def add(self, entry: int, entity: int, name: NormalisedName) -> None:
        """Index one stored name (entry number ``entry``) of entity number ``entity``."""
        for token in set(name.distinctive):
            posting = self.postings.get(token)
            if posting is None:
                self.postings[token] = [entry]
            else:
                posting.append(entry)
            if self._last_entity.get(token) != entity:
                self._last_entity[token] = entity
                self.df[token] = self.df.get(token, 0) + 1
        self.entities = max(self.entities, entity + 1)

    def freeze(self, names: list[NormalisedName]) -> None:
        """Finish building: weights per stored name, the deletion neighbourhood and the 3-gram table."""
        self._last_entity = {}
        self._frozen = True
        self.total_weight = array("f", (sum(self.weight(t) for t in n.distinctive) for n in names))
        deletes: dict[str, list[str]] = defaultdict(list)
        grams: dict[str, list[str]] = defaultdict(list)
        for token in self.postings:
            if len(token) > TOKEN_MAX_LEN:
                continue
            if len(token) >= TYPO_MIN_LEN or (is_han(token) and len(token) >= 4):
                for variant in deletions(token):
                    deletes[variant].append(token)
            if len(token) >= GRAM_MIN_LEN and not is_han(token):
                for gram in trigrams(token):
                    grams[gram].append(token)
        # one stored token per variant is the rule: kept as the bare string (a million names make half a million
        # variants; a list each would cost more memory and load time than the rest of the index)
        self._deletes = {v: ts[0] if len(ts) == 1 else tuple(ts) for v, ts in deletes.items()}
        weights = self.total_weight
        for token, posting in self.postings.items():
            if len(posting) > COMMON_POSTINGS:  # shortest names first, so a capped read keeps the best covered
                posting.sort(key=weights.__getitem__)
                self._common[token] = frozenset(posting)
        self._grams = {g: ts for g, ts in grams.items() if len(ts) <= GRAM_MAX_DF}

    # -- rarity -------------------------------------------------------------------------------------

    def weight(self, token: str) -> float:
        """Rarity weight of a token in 0..1: 1 for a token of one entity (or unknown), less the more entities
        use it (inverse document frequency, ln(1 + N/df) / ln(1 + N))."""
        n = max(self.entities, 1)
        df = max(self.df.get(token, 1), 1)
        return math.log1p(n / df) / math.log1p(n)

    def entity_count(self, token: str) -> int:
        """How many entities have a name with this distinctive token."""
        return self.df.get(token, 0)

    # -- retrieval ----------------------------------------------------------------------------------

    def similar_tokens(self, token: str) -> list[str]:
        """Stored tokens within typo distance of ``token`` (see :func:`typo_ok`), not the token itself."""
        n = len(token)
        if n < 4 or n > TOKEN_MAX_LEN:
            return []
        variants = [token[:i] + token[i + 1:] for i in range(n)]
        variants.append(token)
        found: set[str] = set()
        deletes, postings = self._deletes, self.postings
        for variant in variants:
            near = deletes.get(variant)
            if near is not None:
                if type(near) is str:
                    found.add(near)
                else:
                    found.update(near)
            if variant in postings:
                found.add(variant)
        if not found and n >= GRAM_MIN_LEN and self._grams and not is_han(token):
            counts: dict[str, int] = {}
            padded = f" {token} "
            grams = {padded[i:i + 3] for i in range(n)}
            table = self._grams
            for gram in grams:
                for stored in table.get(gram, ()):
                    counts[stored] = counts.get(stored, 0) + 1
            need = max(1, len(grams) - 6)
            found = {t for t, c in counts.items() if c >= need}
        found.discard(token)
        return [t for t in found if typo_ok(token, t) is not None]

    def keys(self, name: NormalisedName) -> dict[str, float]:
        """Stored tokens a query reaches, each with its retrieval weight (rarity, lower for typos)."""
        return {key: weight for key, (weight, _) in self.sourced_keys(name).items()}

    def sourced_keys(self, name: NormalisedName) -> dict[str, tuple[float, int]]:
        """Stored tokens a query reaches, each with its retrieval weight (rarity, lower for typos) and a bit mask
        of the query tokens that reached it (for the query-side bound of :meth:`candidate_bounds`)."""
        tokens, cats = name.tokens, name.categories
        postings, weight = self.postings, self.weight
        hits: dict[str, tuple[float, int]] = {}

        def hit(key: str, value: float, bits: int, keep: bool = False) -> None:
            old = hits.get(key)
            if old is None:
                hits[key] = (value, bits)
            else:
                hits[key] = (old[0] if keep else value, old[1] | bits)

        for i in range(len(tokens)):
            joined = ""
            for j in range(i, min(i + MAX_SPAN, len(tokens))):
                if cats[j] == "Q" and j == i:
                    break
                joined += name.written(j)
                if j > i and ("D" in cats[i:j + 1] or "P" in cats[i:j + 1]) and joined in postings:
                    hit(joined, weight(joined), ((1 << (j + 1)) - 1) ^ ((1 << i) - 1))
        for i, token in enumerate(tokens):
            if cats[i] not in "DP":
                continue
            bit = 1 << i
            if token in postings:
                hit(token, weight(token), bit)
                continue
            for key, value, keep in self._reach(token):
                hit(key, value, bit, keep)
        for i in range(len(tokens) - 1):  # a typo in a split brand: "Hik Vison"
            if cats[i] == "D" and cats[i + 1] in "DG" and len(tokens[i]) <= 5:
                joined = tokens[i] + name.written(i + 1)
                if joined not in postings:
                    for key, value, keep in self._reach(joined, typos_only=True):
                        hit(key, value, 3 << i, keep)
        return hits

    def _reach(self, token: str, typos_only: bool = False) -> tuple[tuple[str, float, bool], ...]:
        """The stored tokens an unknown query token reaches, in the order :meth:`sourced_keys` records them, with
        their retrieval weight and whether an earlier weight is kept: split in two known tokens, a legal form
        glued on ("SiemensAG"), then typos. Depends on the token alone, so it is remembered per token (names in
        a ledger are distinct, their words much less so)."""
        memo = self.__dict__.setdefault("_reach_memo", {})
        found: tuple[tuple[str, float, bool], ...] | None = memo.get((token, typos_only))
        if found is not None:
            return found
        postings, weight = self.postings, self.weight
        out: list[tuple[str, float, bool]] = []
        if not typos_only and 6 <= len(token) <= TOKEN_MAX_LEN and not is_han(token):
            for cut in range(3, len(token) - 2):
                head, tail = token[:cut], token[cut:]
                if head in postings and tail in postings:
                    out.append((head, weight(head), False))
                    out.append((tail, weight(tail), False))
            for size in range(2, min(T.GLUED_MAX, len(token) - 3) + 1):  # "SiemensAG"
                if token[-size:] in T.GLUED_LEGAL and token[:-size] in postings:
                    out.append((token[:-size], weight(token[:-size]), False))
        # the token itself is no stored token (the caller checked), so it never is among the hits already
        for near in self.similar_tokens(token):
            out.append((near, 0.8 * weight(near), True))
        if len(memo) >= REACH_MEMO:
            memo.clear()
        found = memo[(token, typos_only)] = tuple(out)
        return found

    def candidates(self, name: NormalisedName, limit: int = CANDIDATES, min_cover: float = 0.0) -> list[int]:
        """Stored names worth scoring in full: those reached by the query's keys, best covered first.

        ``min_cover`` drops stored names whose share of distinctive weight reached by the keys is lower: the
        share bounds the distinctive-token feature from above, so such names cannot reach the threshold."""
        return [entry for entry, _, _ in self.candidate_bounds(name, limit, min_cover)]

    def candidate_bounds(self, name: NormalisedName, limit: int = CANDIDATES,
                         min_cover: float = 0.0) -> list[tuple[int, float, int]]:
        """Like :meth:`candidates`, each with its cover (share of its distinctive weight the keys reached) and
        the bit mask of query tokens that reached it. Postings of common keys (more than
        :data:`COMMON_POSTINGS` names) are never read in full: such a key only strengthens names a rarer key
        found, or, alone, reads its shortest names."""
        acc: dict[int, float] = {}
        mask: dict[int, int] = {}
        postings = self.postings
        keys = sorted(self.sourced_keys(name).items(), key=lambda kv: len(postings[kv[0]]))
        for key, (weight, bits) in keys:
            posting = postings[key]
            if len(posting) <= COMMON_POSTINGS:
                entries: list[int] | tuple[int, ...] = posting
            elif acc:  # a common key: only strengthens names a rarer key found
                members = self._common[key]
                entries = [e for e in acc if e in members]
            else:  # only common keys: read the shortest names that have it
                entries = posting[:COMMON_POSTINGS]
            for entry in entries:
                acc[entry] = acc.get(entry, 0.0) + weight
                mask[entry] = mask.get(entry, 0) | bits
        totals = self.total_weight
        cover = {e: a / (totals[e] or 1.0) for e, a in acc.items()}
        if min_cover > 0:
            cover = {e: c for e, c in cover.items() if c >= min_cover}
        if len(cover) > limit:
            chosen = heapq.nlargest(limit, cover, key=lambda e: cover[e] + acc[e] * 1e-3)
        else:
            chosen = list(cover)
        return [(e, cover[e], mask[e]) for e in chosen]
