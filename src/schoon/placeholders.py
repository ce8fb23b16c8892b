"""Placeholders: cell values that people type where they have nothing to say ("n.v.t.", "onbekend", "?").

Registers are filled in by hand. A cell that says "unknown" in any of the ways Dutch and English registers
say it carries no evidence: it is read as empty, never as a maker called "Onbekend". This module is the one
place that decides what counts as a placeholder, for every reader and for the identify engine alike.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Placeholders in any column, compared after :func:`fold` (lower case, no spaces, punctuation or symbols).
GENERIC: frozenset[str] = frozenset({
    # Dutch
    "onbekend", "nvt", "nietvantoepassing", "geen", "diverse", "divers", "nb", "nietbekend", "ziefactuur",
    "ziebijlage", "zieopmerking", "zieopmerkingen", "noginvullen", "volgt", "nadertebepalen", "ntb", "leeg",
    "overig", "overige", "idem", "ditto",
    # English
    "unknown", "unk", "na", "none", "null", "nil", "tbd", "tba", "todo", "various", "misc", "other",
    "seeinvoice", "notapplicable", "notknown", "xxx",
})

#: Extra placeholders that only mean "no value" in one column (an address cell that says "DHCP").
BY_FIELD: dict[str, frozenset[str]] = {
    "ip": frozenset({"dhcp", "dynamic", "dynamisch", "auto", "automatisch", "0000"}),
    "mac": frozenset({"000000000000", "ffffffffffff"}),
}


#: ASCII characters :func:`fold` drops (categories P, Z, S, C), as a ``str.translate`` table: the ASCII case runs at
#: C speed with the same result as the per-character rule (every value of a large scan passes through here).
_ASCII_DROP = {i: None for i in range(128) if unicodedata.category(chr(i))[0] in "PZSC"}


def fold(value: str) -> str:
    """Lower case without white space, punctuation and symbols: ``"N.v.t."`` → ``"nvt"``, ``" — "`` → ``""``."""
    if value.isascii():
        return value.lower().translate(_ASCII_DROP)
    return "".join(c for c in value.casefold() if unicodedata.category(c)[0] not in "PZSC")


def is_placeholder(value: str, field: str | None = None) -> bool:
    """True when ``value`` says nothing: empty, only punctuation ("-", "?", "..."), or a known placeholder.

    ``field`` adds that column's own placeholders (``BY_FIELD``): "DHCP" is no address, but it is not a
    placeholder in a model column.
    """
    if len(value) <= _CACHED_CHARS:
        return _is_placeholder_cached(value, field)
    return _is_placeholder(value, field)


_CACHED_CHARS = 200  # short values (banners, names) are remembered: scans repeat them endlessly


def _is_placeholder(value: str, field: str | None) -> bool:
    folded = fold(value)
    if not folded or folded in GENERIC:
        return True
    return field is not None and folded in BY_FIELD.get(field, frozenset())


_is_placeholder_cached = lru_cache(maxsize=1 << 15)(_is_placeholder)
