"""Scoring features: each a small function whose docstring is what a reviewer reads about it.

A score is the sum of the feature values, clamped to 0..1. The two positive features (distinctive tokens,
fuzzy similarity) add up to 1.0 for a perfect match; every other feature is a cost or a cap.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from schoon.names import tables as T
from schoon.names.index import MAX_SPAN, typo_ok
from schoon.names.normalise import NormalisedName, is_han
from schoon.names.tables import legal_class

W_DISTINCTIVE = 0.80
W_FUZZY = 0.20
W_UNEXPLAINED = 0.45
W_GENERIC = 0.05
TYPO_SIMILARITY = {1: 0.85, 2: 0.65}  # for stored tokens of eight characters or more; shorter ones count less
ACRONYM = 0.95  # how much an acronym of the other name's words counts
SHORT_TYPO = 0.60  # a three- or four-letter word with one letter changed, next to an exact match
COMMON_DF = 50  # a distinctive token used by more entities than this starts to lose weight


@dataclass(frozen=True)
class Feature:
    """One named, documented feature's contribution to a score."""

    name: str
    value: float
    detail: str


@dataclass
class Pair:
    """Query tokens aligned with stored-name tokens."""

    query: tuple[int, ...]
    stored: tuple[int, ...]
    how: str  # "exact", "joined", "typo", "generic"
    similarity: float


@dataclass
class Alignment:
    """How the tokens of a query line up with the tokens of one stored name."""

    query: NormalisedName
    stored: NormalisedName
    pairs: list[Pair] = field(default_factory=list)
    query_used: set[int] = field(default_factory=set)
    stored_used: set[int] = field(default_factory=set)

    def distinctive_pairs(self) -> list[Pair]:
        return [p for p in self.pairs if p.how != "generic"]


Weight = Callable[[str], float]


def _spans(name: NormalisedName, used: set[int]) -> dict[str, list[tuple[int, ...]]]:
    out: dict[str, list[tuple[int, ...]]] = {}
    tokens, cats = name.tokens, name.categories
    for i in range(len(tokens)):
        joined = ""
        for j in range(i, min(i + MAX_SPAN, len(tokens))):
            if j in used or cats[j] == "Q" or (j > i and is_han(tokens[j]) != is_han(tokens[i])):
                break
            joined += tokens[j] if j == i and cats[j] in "DP" else name.written(j)
            if any(c in "DP" for c in cats[i:j + 1]):
                out.setdefault(joined, []).append(tuple(range(i, j + 1)))
    return out


Spans = dict[str, list[tuple[int, ...]]]


def stored_spans(stored: NormalisedName) -> Spans:
    """The joined spans of a stored name (computed once per stored name by the matcher)."""
    return _spans(stored, set())


def align(query: NormalisedName, stored: NormalisedName, spans: Spans | None = None) -> Alignment:
    """Line up query and stored tokens: exact and joined spans first (longest first), then a legal form glued
    to a word ("SiemensAG"), an acronym of the other name's words ("PLA" = "People's Liberation Army"), then
    typos, then generic words. A query span matches a stored span when their tokens joined without spaces are
    equal, so "hik vision" = "hikvision" and "hai kang wei shi" = "haikang weishi"."""
    al = Alignment(query, stored)
    qt, qc, st, sc = query.tokens, query.categories, stored.tokens, stored.categories
    stored_spans = _spans(stored, set()) if spans is None else spans
    for size in range(1, MAX_SPAN + 1):
        for i in range(len(qt) - size + 1):
            span = tuple(range(i, i + size))
            if any(k in al.query_used or qc[k] == "Q" for k in span):
                continue
            if not any(qc[k] in "DP" for k in span):
                continue
            joined = "".join(qt[k] if size == 1 else query.written(k) for k in span)
            for target in stored_spans.get(joined, ()):
                if len(target) > 1 and len(target) == size:
                    continue  # the same tokens: matched one by one (or as generic words), not as one unit
                if not any(k in al.stored_used for k in target):
                    how = "exact" if size == 1 and len(target) == 1 else "joined"
                    al.pairs.append(Pair(span, target, how, 1.0))
                    al.query_used.update(span)
                    al.stored_used.update(target)
                    break
    if len(al.query_used) < len(qt) and len(al.stored_used) < len(st):
        _align_glued(al, qt, qc, st, sc)
        _align_acronym(al, query, stored, False)
        _align_acronym(al, stored, query, True)
        _align_typos(al, qt, qc, st, sc)
    for i, token in enumerate(qt):
        if i in al.query_used or qc[i] not in "GP":
            continue
        for j, other in enumerate(st):
            if j not in al.stored_used and sc[j] in "GP" and other == token:
                al.pairs.append(Pair((i,), (j,), "generic", 1.0))
                al.query_used.add(i)
                al.stored_used.add(j)
                break
    return al


def _align_glued(al: Alignment, qt: tuple[str, ...], qc: str, st: tuple[str, ...], sc: str) -> None:
    """A legal form written onto a word on one side ("siemensag") = the word and the legal form on the other."""
    for i, token in enumerate(qt):
        if i in al.query_used or qc[i] != "D":
            continue
        for j, other in enumerate(st):
            if j in al.stored_used or sc[j] != "D" or token == other:
                continue
            longer, shorter = (token, other) if len(token) > len(other) else (other, token)
            if (len(shorter) >= 3 and longer.startswith(shorter) and longer[len(shorter):] in T.GLUED_LEGAL):
                al.pairs.append(Pair((i,), (j,), "joined", 1.0))
                al.query_used.add(i)
                al.stored_used.add(j)
                break


def _align_acronym(al: Alignment, short: NormalisedName, long: NormalisedName, short_is_stored: bool) -> None:
    """A single remaining distinctive token of two to six letters on one side that spells the initials of every
    remaining word of the other side (at least two words, connectors like "of" skipped): "PLA" = "People's
    Liberation Army". Counts 95%. Never used for retrieval: the acronym alone does not find a name."""
    short_used, long_used = (al.stored_used, al.query_used) if short_is_stored else (al.query_used, al.stored_used)
    left = [k for k, c in enumerate(short.categories) if k not in short_used and c in "DP"]
    if len(left) != 1:
        return
    acronym = short.tokens[left[0]]
    if not 2 <= len(acronym) <= 6 or not acronym.isalpha():
        return
    words = [k for k, c in enumerate(long.categories) if k not in long_used and c in "DGP" and long.tokens[k] != "the"]
    if len(words) != len(acronym) or "".join(long.written(k)[0] for k in words) != acronym:
        return
    span = tuple(words)
    one = (left[0],)
    al.pairs.append(Pair(span, one, "acronym", ACRONYM) if short_is_stored else Pair(one, span, "acronym", ACRONYM))
    short_used.add(left[0])
    long_used.update(span)


def _align_typos(al: Alignment, qt: tuple[str, ...], qc: str, st: tuple[str, ...], sc: str) -> None:
    options: list[tuple[int, tuple[int, ...], tuple[int, ...]]] = []
    for j, stored_token in enumerate(st):
        if j in al.stored_used or sc[j] not in "DP":
            continue
        joined_next = (stored_token + al.stored.written(j + 1) if j + 1 < len(st) and j + 1 not in al.stored_used
                       and sc[j + 1] in "DGP" else None)
        for i, token in enumerate(qt):
            if i in al.query_used or qc[i] not in "DP":
                continue
            d = typo_ok(token, stored_token)
            if d is not None:
                options.append((d, (i,), (j,)))
            if i + 1 < len(qt) and i + 1 not in al.query_used and qc[i + 1] in "DGP":
                d = typo_ok(token + al.query.written(i + 1), stored_token)
                if d is not None:
                    options.append((d, (i, i + 1), (j,)))
            if joined_next is not None:  # "ndrangheta" = "andrang heta" with a typo
                d = typo_ok(token, joined_next)
                if d is not None:
                    options.append((d, (i,), (j, j + 1)))
    for d, span, target in sorted(options):
        if any(k in al.stored_used for k in target) or any(k in al.query_used for k in span):
            continue
        stored_text = "".join(al.stored.written(k) for k in target)
        query_text = "".join(al.query.written(k) for k in span)
        al.pairs.append(Pair(span, target, "typo", typo_similarity(d, stored_text, query_text)))
        al.query_used.update(span)
        al.stored_used.update(target)
    if any(p.how in ("exact", "joined") for p in al.pairs):
        _align_short_typos(al, qt, qc, st, sc)
    for i, token in enumerate(qt):  # a typo in a generic word: "Technolgy"
        if i in al.query_used or qc[i] != "D" or len(token) < 6:
            continue
        for j in range(len(st)):
            if j not in al.stored_used and sc[j] == "G" and typo_ok(token, al.stored.written(j)) is not None:
                al.pairs.append(Pair((i,), (j,), "generic", 1.0))
                al.query_used.add(i)
                al.stored_used.add(j)
                break


def _align_short_typos(al: Alignment, qt: tuple[str, ...], qc: str, st: tuple[str, ...], sc: str) -> None:
    """A short word (three or four letters) with one letter changed ("Benn" ~ "Benz", "Wai" ~ "Hai"), only next
    to a word that matched exactly, and counting 60%: on its own a short word is never matched with a typo."""
    for i, token in enumerate(qt):
        if i in al.query_used or qc[i] != "D" or not 3 <= len(token) <= 4 or not token.isalpha():
            continue
        for j, other in enumerate(st):
            if (j not in al.stored_used and sc[j] == "D" and len(other) == len(token) and other.isalpha()
                    and sum(a != b for a, b in zip(token, other, strict=True)) == 1):
                al.pairs.append(Pair((i,), (j,), "typo", SHORT_TYPO))
                al.query_used.add(i)
                al.stored_used.add(j)
                break


def typo_similarity(distance: int, stored_token: str, query_token: str = "") -> float:
    """How much a typo match counts: 0.85 (one edit) for stored tokens of eight or more characters, two edits
    0.65, or 0.72 when both strings have nine or more characters and are still 84% alike (Indel: "Trafalgura" ~
    "Trafigura", not "Cloudwick" ~ "Cloudwalk"); 0.05 less for six or seven characters, 0.10 less for five or fewer
    (short words change meaning faster)."""
    n = len(stored_token)
    base = TYPO_SIMILARITY.get(distance, 0.6)
    if distance == 2 and n >= 9 and len(query_token) >= 9 and Indel.normalized_similarity(
            stored_token, query_token) >= 0.84:
        base = 0.72
    return base if n >= 8 or is_han(stored_token) else base - 0.05 if n >= 6 else base - 0.10


# -- features -------------------------------------------------------------------------------------------


def _quote(name: NormalisedName, idx: tuple[int, ...]) -> str:
    return " ".join(name.written(k) for k in idx)


def _coverage(name: NormalisedName, used: dict[int, float], weight: Weight) -> float:
    total = matched = 0.0
    for k, (token, cat) in enumerate(zip(name.tokens, name.categories, strict=True)):
        if cat in "DP":
            w = weight(token)
            total += w
            matched += w * used.get(k, 0.0)
    return matched / total if total else 0.0


def stored_coverage(al: Alignment, weight: Weight) -> float:
    """Share of the stored name's distinctive weight found in the query (typos count partly)."""
    used = {k: p.similarity for p in al.distinctive_pairs() for k in p.stored}
    return _coverage(al.stored, used, weight)


def query_coverage(al: Alignment, weight: Weight) -> float:
    """Share of the query's distinctive weight explained by the stored name (a typo match explains its query
    token fully, since the stored side already counts it less; a misspelt generic word that matched one of the
    stored name's generic words counts as explained)."""
    used = dict.fromkeys((k for p in al.pairs for k in p.query), 1.0)
    return _coverage(al.query, used, weight)


def distinctive_tokens(al: Alignment, weight: Weight, df: Callable[[str], int] | None,
                       explain: bool = True) -> Feature:
    """Distinctive tokens of the registry name found in the query, weighted by rarity across the registry
    (a token few entities use weighs more). A typo counts at most 85% (one edit) or 65% (two edits), less
    for short tokens; an acronym ("PLA" for "People's Liberation Army") 95%."""
    coverage = stored_coverage(al, weight)
    if not explain:
        return Feature("distinctive_tokens", W_DISTINCTIVE * coverage, "")
    parts: list[str] = []
    for pair in al.distinctive_pairs():
        stored = _quote(al.stored, pair.stored)
        rare = ""
        if df is not None and len(pair.stored) == 1:
            n = df(stored)
            rare = f" (rare: {n} {'entity' if n == 1 else 'entities'})" if n <= COMMON_DF else f" (common: {n})"
        kind = "Han name" if is_han(stored) else "distinctive token"
        if pair.how == "exact":
            parts.append(f"{kind} '{stored}'{rare} matched exactly")
        elif pair.how == "joined":
            parts.append(f"{kind} '{stored}'{rare} matched as '{_quote(al.query, pair.query)}'")
        elif pair.how == "acronym":
            parts.append(f"'{stored}' matched as the acronym '{_quote(al.query, pair.query)}'")
        else:
            parts.append(f"{kind} '{stored}'{rare} matched with a typo ('{_quote(al.query, pair.query)}')")
    missing = [t for k, (t, c) in enumerate(zip(al.stored.tokens, al.stored.categories, strict=True))
               if c in "DP" and k not in al.stored_used]
    if missing:
        parts.append("registry word(s) " + ", ".join(f"'{t}'" for t in missing) + " not in the query")
    return Feature("distinctive_tokens", W_DISTINCTIVE * coverage, "; ".join(parts) or "no distinctive token shared")


def _distinctive_string(name: NormalisedName, paired: set[int]) -> str:
    return "".join(t for k, (t, c) in enumerate(zip(name.tokens, name.categories, strict=True))
                   if c in "DP" or k in paired)


def _paired(al: Alignment, side: str) -> set[int]:
    return {k for p in al.distinctive_pairs() for k in (p.query if side == "query" else p.stored)}


def fuzzy_similarity(al: Alignment, explain: bool = True) -> Feature:
    """How alike the distinctive parts are as strings (rapidfuzz Indel similarity of the joined distinctive
    tokens, counting generic words that were joined into a distinctive one, as "vision" in "Hik Vision")."""
    a = _distinctive_string(al.query, _paired(al, "query"))
    b = _distinctive_string(al.stored, _paired(al, "stored"))
    sim = Indel.normalized_similarity(a, b) if a and b else 0.0
    if not explain:
        return Feature("fuzzy_similarity", W_FUZZY * sim, "")
    return Feature("fuzzy_similarity", W_FUZZY * sim, f"distinctive part '{a}' vs '{b}': {sim:.0%} alike")


def short_only(al: Alignment) -> bool:
    """Whether every matched distinctive token is a Latin token of three letters or less ("zte", "hik")."""
    matched = [al.stored.tokens[k] for p in al.distinctive_pairs() for k in p.stored]
    return bool(matched) and all(len(t) <= 3 and not is_han(t) for t in matched)


def unexplained_query_words(al: Alignment, weight: Weight, explain: bool = True) -> Feature:
    """Distinctive words of the query that the registry name does not explain cost up to 0.45 (0.9 when only
    tokens of three letters or less matched, since short tokens are weak evidence on their own)."""
    coverage = query_coverage(al, weight)
    if not explain:
        return Feature("unexplained_query_words", -W_UNEXPLAINED * (2 if short_only(al) else 1) * (1 - coverage), "")
    extra = [t for k, (t, c) in enumerate(zip(al.query.tokens, al.query.categories, strict=True))
             if c in "DP" and k not in al.query_used]
    cost = W_UNEXPLAINED * (2 if short_only(al) else 1) * (1 - coverage)
    detail = ("extra word(s) " + ", ".join(f"'{t}'" for t in extra) + " not in the registry name") if extra else ""
    return Feature("unexplained_query_words", -cost, detail)


def generic_words(al: Alignment) -> Feature:
    """Generic industry words (technology, digital, systems ...) agree or not: at most 0.05, since they say
    little about who a company is, or 0.15 when the match rests on a typo (then the other words have to agree).
    When only a short token (three letters or less) matched, every generic
    word or qualifier of the registry name missing from the query costs 0.15 (at most 0.30): "HIK" alone is
    not "China Electronics Technology HIK Group"."""
    q = {t for k, t in enumerate(al.query.tokens) if al.query.categories[k] == "G" and k not in _paired(al, "query")}
    s = {t for k, t in enumerate(al.stored.tokens)
         if al.stored.categories[k] == "G" and k not in _paired(al, "stored")}
    if not q and not s:
        return Feature("generic_words", 0.0, "")
    jaccard = len(q & s) / len(q | s)
    differ = sorted(q ^ s)
    detail = ("generic word(s) " + ", ".join(f"'{t}'" for t in differ) + " differ") if differ else ""
    typo = any(p.how == "typo" for p in al.pairs)
    cost = W_GENERIC * (3 if typo else 1) * (1 - jaccard)
    if short_only(al):
        missing = len(s - q) + len(set(al.stored.qualifiers) - set(al.query.qualifiers))
        if missing:
            cost = max(cost, min(0.30, 0.15 * missing))
            detail += "; short token without the registry name's other words"
    return Feature("generic_words", -cost, detail)


def qualifiers(al: Alignment) -> Feature:
    """Country, region and city words: they never create a match. A qualifier only the query has costs 0.02
    (at most 0.04), one only the registry name has 0.03 (at most 0.06); when each side has a qualifier the
    other lacks (USA vs Canada, "China (Hong Kong)" vs "China (Singapore)") they lose 0.30, so the entity for
    the right country, or the parent without a country, wins."""
    q, s = set(al.query.qualifiers), set(al.stored.qualifiers)
    if not q and not s:
        return Feature("qualifiers", 0.0, "")
    only_q, only_s = sorted(q - s), sorted(s - q)
    cost = min(0.04, 0.02 * len(only_q)) + min(0.06, 0.03 * len(only_s))
    parts = []
    if q & s:
        parts.append("qualifier(s) " + ", ".join(f"'{t}'" for t in sorted(q & s)) + " agree")
    if only_q and only_s:
        cost += 0.30
        parts.append(f"qualifiers differ ({', '.join(only_q)} vs {', '.join(only_s)})")
    else:
        if only_q:
            parts.append("qualifier(s) " + ", ".join(f"'{t}'" for t in only_q) + " ignored")
        if only_s:
            parts.append("registry name is specific to " + ", ".join(f"'{t}'" for t in only_s))
    return Feature("qualifiers", -cost, "; ".join(parts))


def legal_form(al: Alignment) -> Feature:
    """Legal forms (Ltd, Inc, B.V., 有限公司 ...) count very little: the same class (limited company, stock
    company) is neutral, a different class costs 0.02, a missing one nothing."""
    q, s = al.query.legal_forms, al.stored.legal_forms
    if not q or not s:
        return Feature("legal_form", 0.0, "")
    if set(q) & set(s):
        return Feature("legal_form", 0.0, f"legal form {q[0]} agrees")
    if {legal_class(x) for x in q} & {legal_class(x) for x in s}:
        return Feature("legal_form", 0.0, f"legal form {q[0]}≈{s[0]}")
    return Feature("legal_form", -0.02, f"legal form {q[0]} vs {s[0]}")


def rarity(al: Alignment, df: Callable[[str], int] | None) -> Feature:
    """A match that rests on a token many entities share (more than 50) is worth less: up to -0.20."""
    if df is None:
        return Feature("rarity", 0.0, "")
    counts = [df(al.stored.tokens[p.stored[0]]) for p in al.distinctive_pairs() if len(p.stored) == 1]
    if not counts or min(counts) <= COMMON_DF:
        return Feature("rarity", 0.0, "")
    n = min(counts)
    cost = min(0.20, 0.05 * math.log2(n / COMMON_DF))
    return Feature("rarity", -cost, f"matched token is common ({n} entities)")


def script(al: Alignment, stored_kind: str) -> Feature:
    """Which script was compared: Han names are compared as Han strings, never romanised; a Latin query that
    matched a pinyin alias says so. Informational (value 0)."""
    if al.stored.script in ("han", "mixed") and al.query.script in ("han", "mixed"):
        return Feature("script", 0.0, "compared as Han script")
    if stored_kind == "pinyin":
        return Feature("script", 0.0, "matched a pinyin alias")
    return Feature("script", 0.0, "")


def generic_only(al: Alignment, raw: float) -> Feature:
    """A name made only of generic words and places ("Digital Technology Company") matches only a registry
    name of exactly the same words; shared generic words alone never reach the threshold (capped at 0.30)."""
    pairs = al.distinctive_pairs()
    promoted = "P" in al.query.categories or "P" in al.stored.categories
    full = (al.stored_used >= {k for k, c in enumerate(al.stored.categories) if c in "DP"}
            and al.query_used >= {k for k, c in enumerate(al.query.categories) if c in "DP"})
    if pairs and not (promoted and not full):
        return Feature("generic_only", 0.0, "")
    shared = sorted({al.stored.tokens[k] for p in al.pairs for k in p.stored})
    detail = ("only generic words overlap (" + ", ".join(f"'{t}'" for t in shared) + ")") if shared else ""
    return Feature("generic_only", min(0.0, 0.30 - raw), detail)


def weak_alias(raw: float, kind: str, threshold: float, name: str) -> Feature:
    """A weak alias (a bare acronym or a brand shared with unrelated goods: "HIK", "Interlogix") never makes
    a match on its own: its score is capped just below the threshold, so it can only be seen on request."""
    if kind != "weak":
        return Feature("weak_alias", 0.0, "")
    cap = threshold - 0.05
    return Feature("weak_alias", min(0.0, cap - raw), f"the query is no more than a weak alias of this entity "
                   f"(compared with '{name}'), not enough on its own")
