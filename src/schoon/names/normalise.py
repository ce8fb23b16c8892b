"""Normalise a company name into classified tokens: distinctive words, generic words, qualifiers, legal forms.

The steps are: NFKC (which also folds full-width forms), case folding, accent removal for Latin letters,
dotted and slashed initials joined ("B.V." -> "bv", "A/S" -> "as"), apostrophes dropped ("Yong'an" -> "yongan"),
every other punctuation mark a token boundary. Latin tokens are then read left to right against the phrase
tables in :mod:`schoon.names.tables` (longest phrase first), so "co ltd", "gu fen you xian gong si" and
"hong kong" are each one unit. Runs of Chinese (Han) characters are one token after their legal-form suffix,
their leading place name and their trailing generic words are split off.

Each token gets a category:

- ``D`` distinctive: everything not in a table ("hikvision", "dahua", "annke", "52");
- ``G`` generic: industry words (technology, digital, systems ...), canonicalised ("tech" -> "technology");
- ``Q`` qualifier: a country, region or city ("usa", "europe", "hangzhou"), canonicalised ("usa" -> "us");
- ``P`` promoted: a generic word or qualifier in a name that has no distinctive token at all
  (then the generic words are all the name has, and they have to carry the comparison).

Legal forms are removed from the tokens and kept, canonicalised, in ``legal_forms``.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from schoon.names import tables as T

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_HAN}]+|[^\W_{_HAN}]+\+*")
_INITIALS = re.compile(r"(?<![^\W_])((?:[^\W\d_]\.){2,}(?:[^\W\d_](?![^\W_]))?)")
_SLASHED = re.compile(r"(?<![^\W_])([^\W\d_])/([^\W\d_])(?![^\W_])")
_APOSTROPHE = re.compile(r"(?<=[^\W_])['’`´](?=[^\W_])")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th|e|er|ème)$")
_IS_HAN = re.compile(rf"[{_HAN}]")


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """A name split into classified tokens (see the module docstring for the categories)."""

    text: str
    tokens: tuple[str, ...]
    categories: str  # one letter per token: D, G, Q or P
    legal_forms: tuple[str, ...]
    script: str  # "latin", "han", "mixed" or "none"
    surface: tuple[str, ...] = ()  # each token as written (folded), e.g. "cloud" where tokens has "software"

    def __reduce__(self) -> tuple[type[NormalisedName], tuple[object, ...]]:
        # pickled as a constructor call (the build cache holds one per registry name; see NameRecord)
        return NormalisedName, (self.text, self.tokens, self.categories, self.legal_forms, self.script, self.surface)

    def written(self, k: int) -> str:
        """Token ``k`` as written, without spaces: used when adjacent tokens are joined ("cloud"+"walk")."""
        return self.surface[k] if self.surface else self.tokens[k]

    def of(self, categories: str) -> tuple[str, ...]:
        """The tokens whose category is one of ``categories``, in order."""
        return tuple(t for t, c in zip(self.tokens, self.categories, strict=True) if c in categories)

    @property
    def distinctive(self) -> tuple[str, ...]:
        """Tokens that identify the company (promoted generic words count when there is nothing else)."""
        return self.of("DP")

    @property
    def generic(self) -> tuple[str, ...]:
        """Generic industry words, canonicalised."""
        return self.of("G")

    @property
    def qualifiers(self) -> tuple[str, ...]:
        """Country, region and city qualifiers, canonicalised."""
        return tuple(sorted(set(self.of("Q"))))

    @property
    def joined(self) -> str:
        """The distinctive tokens joined without spaces ("hai kang wei shi" -> "haikangweishi")."""
        return "".join(self.distinctive)

    @property
    def usable(self) -> bool:
        """Whether there is anything to compare (at least one distinctive or promoted token)."""
        return bool(self.distinctive)


def _fold(text: str) -> str:
    if text.isascii():  # the common case: no width, accent or script folding needed
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        decomposed = unicodedata.normalize("NFD", text)
        text = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))
    if "." in text:
        text = _INITIALS.sub(lambda m: m.group(1).replace(".", ""), text)
    if "/" in text:
        text = _SLASHED.sub(r"\1\2", text)
    if "'" in text or not text.isascii():
        text = _APOSTROPHE.sub("", text)
    return text


def _han_run(run: str, out_tokens: list[str], out_cats: list[str], legal: list[str], out_surface: list[str]) -> None:
    """Split one run of Han characters into place qualifier, core (distinctive) and generic words."""
    stripped = True
    while stripped and run:
        stripped = False
        for suffix, canon in T.HAN_LEGAL_SUFFIXES:
            if run.endswith(suffix) and len(run) > len(suffix):
                run = run[: -len(suffix)]
                legal.append(canon)
                stripped = True
                break
    if run in T.HAN_PLACES:
        out_tokens.append(T.HAN_PLACES[run])
        out_cats.append("Q")
        out_surface.append(run)
        return
    if run in T.HAN_GENERIC:
        out_tokens.append(T.HAN_GENERIC[run])
        out_cats.append("G")
        out_surface.append(run)
        return
    head: list[tuple[str, str, str]] = []
    for _ in range(2):
        for place, canon in T.HAN_PLACES.items():
            if run.startswith(place) and len(run) > len(place):
                run = run[len(place):]
                if run[:1] in ("省", "市", "区") and len(run) > 1:
                    run = run[1:]
                head.append((canon, "Q", place))
                break
    tail: list[tuple[str, str, str]] = []
    found = True
    while found and len(run) > 2:
        found = False
        for size in range(min(T.HAN_GENERIC_MAX, len(run) - 2), 0, -1):
            word = run[-size:]
            if word in T.HAN_GENERIC:
                tail.insert(0, (T.HAN_GENERIC[word], "G", word))
                run = run[:-size]
                found = True
                break
    for token, cat, written in [*head, (run, "D", run), *tail]:
        if token:
            out_tokens.append(token)
            out_cats.append(cat)
            out_surface.append(written)


def _number(runs: list[str], i: int) -> tuple[str, int] | None:
    """A number at ``runs[i]``: digits, an ordinal ("52nd"), a number word ("forty four", "forty-four",
    "forty 4", "first"), or a Roman numeral after the first word ("Fund IV"). Returns (digits, tokens used)."""
    token = runs[i]
    if token.isdigit():
        return str(int(token)) if len(token) < 8 else token, 1
    match = _ORDINAL.match(token)
    if match:
        return str(int(match.group(1))), 1
    if token in T.TENS:
        tens = T.TENS[token]
        if i + 1 < len(runs):
            nxt = runs[i + 1]
            unit = T.NUMBER_WORDS.get(nxt, int(nxt) if nxt.isdigit() and len(nxt) == 1 else None)
            if unit is not None and 0 < unit < 10:
                return str(tens + unit), 2
        return str(tens), 1
    if token in T.NUMBER_WORDS:
        return str(T.NUMBER_WORDS[token]), 1
    if i > 0 and token in T.ROMAN_NUMERALS:
        return T.ROMAN_NUMERALS[token], 1
    return None


def _fuzzy_legal(runs: list[str], i: int) -> tuple[str, int] | None:
    """A legal form written with one typo per long word, or with its last word cut off at the end of the name
    ("joynt stock company", "aktiengeselschaft", "joint stock compan"). Returns (canonical form, tokens used)."""
    token = runs[i]
    for phrase in _fuzzy_phrases(token):
        if i + len(phrase) > len(runs):
            continue
        ok = True
        for k, word in enumerate(phrase):
            written = runs[i + k]
            last = i + k == len(runs) - 1
            if written == word or (last and len(written) >= 4 and word.startswith(written)):
                continue
            if len(word) >= 5 and len(written) >= 5 and OSA.distance(written, word, score_cutoff=2) <= (
                    2 if len(word) >= 10 else 1):
                continue
            ok = False
            break
        if ok:
            return T.LEGAL[" ".join(phrase)], len(phrase)
    return None


@lru_cache(maxsize=65536)
def _fuzzy_phrases(token: str) -> tuple[tuple[str, ...], ...]:
    """The legal-form phrases whose first word is ``token`` with at most one deletion on either side, longest
    first (remembered per word: most words of a ledger's names reach none)."""
    phrases: set[tuple[str, ...]] = set()
    for key in (token, *(token[:k] + token[k + 1:] for k in range(len(token)))):
        phrases.update(T.FUZZY_LEGAL.get(key, ()))
    return tuple(sorted(phrases, key=len, reverse=True))


def _latin_runs(runs: list[str], out_tokens: list[str], out_cats: list[str], legal: list[tuple[int, str]],
                out_surface: list[str]) -> None:
    """Classify Latin tokens with the phrase tables, longest phrase first; numbers become digits (generic)."""
    i, n = 0, len(runs)
    while i < n:
        token = runs[i]
        lengths = T.PHRASE_STARTS.get(token)
        if lengths is not None:
            for size in lengths:
                if i + size <= n:
                    phrase = tuple(runs[i:i + size]) if size > 1 else (token,)
                    hit = T.PHRASES.get(phrase)
                    if hit is not None:
                        cat, canon = hit
                        if cat == "L":
                            legal.append((len(out_tokens), canon))
                            out_tokens.append(" ".join(phrase))
                            out_cats.append("L")
                        else:
                            out_tokens.append(canon)
                            out_cats.append(cat)
                        out_surface.append("".join(phrase))
                        i += size
                        break
            else:
                lengths = None
            if lengths is not None:
                continue
        if token[0].isdigit() or token in T.NUMBER_WORDS or token in T.TENS or (i and token in T.ROMAN_NUMERALS):
            number = _number(runs, i)
            if number is not None:
                out_tokens.append(number[0])
                out_cats.append("G")
                out_surface.append(number[0])
                i += number[1]
                continue
        if i and len(token) >= 4 and token.isascii():
            fuzzy = _fuzzy_legal(runs, i)
            if fuzzy is not None:
                legal.append((len(out_tokens), fuzzy[0]))
                out_tokens.append(" ".join(runs[i:i + fuzzy[1]]))
                out_cats.append("L")
                out_surface.append("".join(runs[i:i + fuzzy[1]]))
                i += fuzzy[1]
                continue
        out_tokens.append(token)
        out_cats.append("D")
        out_surface.append(token)
        i += 1


@lru_cache(maxsize=65536)
def normalise(text: str) -> NormalisedName:
    """Normalise a company name (see the module docstring). Never raises; an empty name has no tokens."""
    folded = _fold(text)
    tokens: list[str] = []
    cats: list[str] = []
    surface: list[str] = []
    han_legal: list[str] = []
    latin_legal: list[tuple[int, str]] = []
    latin: list[str] = []
    has_han = has_latin = False
    for run in _RUN.findall(folded):
        if _IS_HAN.match(run):
            if latin:
                _latin_runs(latin, tokens, cats, latin_legal, surface)
                latin = []
            _han_run(run, tokens, cats, han_legal, surface)
            has_han = True
        else:
            latin.append(run)
            has_latin = True
    if latin:
        _latin_runs(latin, tokens, cats, latin_legal, surface)
    legal = _resolve_legal(tokens, cats, latin_legal) + han_legal
    kept = [(t, c, w) for t, c, w in zip(tokens, cats, surface, strict=True) if c != "L"]
    if kept and not any(c == "D" for _, c, _ in kept):
        kept = [(t, "P", w) for t, c, w in kept if c in "GQ" and t != "the"] or kept
    script = "mixed" if has_han and has_latin else "han" if has_han else "latin" if has_latin else "none"
    words = tuple(sys.intern(t) for t, _, _ in kept)
    written = tuple(sys.intern(w) for _, _, w in kept)
    legal_key = tuple(legal)
    return NormalisedName(text, words, sys.intern("".join(c for _, c, _ in kept)),
                          _LEGAL_TUPLES.setdefault(legal_key, legal_key), script, () if written == words else written)


# shared legal-form tuples, so a million names hold a few dozen tuples, not a million
_LEGAL_TUPLES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _resolve_legal(tokens: list[str], cats: list[str], found: list[tuple[int, str]]) -> list[str]:
    """Keep ambiguous short legal forms ("ab", "sa", "ag") only where nothing but legal forms and
    qualifiers follow them; elsewhere they are ordinary distinctive tokens. Returns the canonical forms."""
    legal: list[str] = []
    for index, canon in found:
        if tokens[index] in T.AMBIGUOUS_LEGAL:
            tail_ok = all(c in "LQ" for c in cats[index + 1:])
            if not tail_ok or all(c == "L" for c in cats):
                cats[index] = "D"
                continue
        legal.append(canon)
    return legal


def is_han(token: str) -> bool:
    """Whether a token is written in Han characters."""
    return bool(_IS_HAN.match(token))
