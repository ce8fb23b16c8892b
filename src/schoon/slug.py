"""One rule for turning a name into a key, for the whole project: keys keep every script.

A key must never merge two different things. The old rule (lowercase, keep ``a-z0-9``) made every name in
Cyrillic, Greek, Chinese or Japanese the same key, so two sites ("Москва", "北京") became one site and their
devices merged. :func:`slug` keeps letters and digits of every script:

- NFKC, then casefold: full-width and compatibility forms, ligatures and case fold (``ＡＢＣ`` = ``abc``,
  ``Straße`` = ``strasse``).
- Diacritics fold on Latin and Greek letters (``Zürich`` = ``Zurich``, ``Ελλάδα`` = ``ελλαδα``): registers
  type the same place with and without them. Only marks of the generic combining block (U+0300-U+036F) on
  a Latin or Greek base are dropped; Cyrillic keeps them (``й`` is a letter of its own, not ``и``), and so do
  scripts whose marks are vowels or consonant signs (Devanagari, Thai, Hebrew, Arabic ...).
- Letters, digits, other marks and pictographic symbols are kept; runs of anything else (spaces,
  punctuation, maths and currency signs) become one ``-``.
- A name with nothing left to keep (``"---"``, ``"()"``) gets ``#`` and the hex of its code points, so it
  still differs from every other name; a key longer than :data:`MAX_LENGTH` keeps its start and a hash of
  the whole.

:func:`ascii_slug` is for ids that must stay ASCII (registry ids, organisation ids): the same key when it is
ASCII already, otherwise its ASCII part and a hash of the full key, so that different names still differ.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_LENGTH = 120
_KEEP = ("L", "N", "M")  # letter, number and mark categories (first letter of the Unicode category)
_ASCII_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _folds(base: str) -> bool:
    try:
        name = unicodedata.name(base)
    except ValueError:
        return False
    return name.startswith(("LATIN ", "GREEK "))


def _fold_diacritics(text: str) -> str:
    out: list[str] = []
    base = ""
    for ch in unicodedata.normalize("NFD", text):
        if 0x0300 <= ord(ch) <= 0x036F and base and _folds(base):
            continue
        if not unicodedata.combining(ch):
            base = ch
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _digest(text: str, length: int = 12) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def slug(text: str) -> str:
    """The key of a name: every script kept, case and Latin/Greek diacritics folded, other runs as ``-``.

    Returns ``""`` only for empty or all-whitespace text.
    """
    if not text or not text.strip():
        return ""
    folded = _fold_diacritics(unicodedata.normalize("NFKC", text).casefold())
    parts: list[str] = []
    separator = False
    for ch in folded:
        category = unicodedata.category(ch)
        if category[0] in _KEEP or category == "So":
            if separator and parts:
                parts.append("-")
            parts.append(ch)
            separator = False
        else:
            separator = True
    key = "".join(parts)
    if not key:
        key = "#" + "".join(f"{ord(ch):x}" for ch in text.strip())
    if len(key) > MAX_LENGTH:
        key = key[: MAX_LENGTH - 13].rstrip("-") + "-" + _digest(key)
    return key


def is_ascii_slug(text: str) -> bool:
    """Whether ``text`` is already an ASCII key (``a-z``, ``0-9``, single ``-`` between them)."""
    return bool(_ASCII_KEY.match(text))


def ascii_slug(text: str, empty: str = "x") -> str:
    """An ASCII-only key: :func:`slug` when that is ASCII, else its ASCII part plus a hash of the full key.

    ``empty`` is returned for empty text.
    """
    key = slug(text)
    if not key:
        return empty
    if is_ascii_slug(key):
        return key
    ascii_part = re.sub(r"[^a-z0-9]+", "-", key).strip("-")[:60].strip("-")
    return f"{ascii_part}-u{_digest(key, 10)}" if ascii_part else f"u{_digest(key, 10)}"
