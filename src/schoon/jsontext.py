"""JSON text exactly as ``json.dumps(value, ensure_ascii=False)`` writes it, built from parts.

The lean writers (``identify.writers``, ``screen.writers``) encode the part of a record that repeats once and
the rest per record; these helpers give the same bytes as the standard library for the values records hold
(strings with ``json``'s own C encoder, ints, booleans, None; anything else through ``json.dumps`` itself).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring


def value_text(value: object) -> str:
    """One JSON value exactly as ``json.dumps(value, ensure_ascii=False)`` writes it."""
    if value is None:
        return "null"
    kind = type(value)
    if isinstance(value, str) and kind is str:
        return encode_basestring(value)
    if isinstance(value, int) and kind is int:
        return int.__repr__(value)
    if kind is bool:
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def object_text(data: dict[str, object]) -> str:
    """A dict with string keys exactly as ``json.dumps(data, ensure_ascii=False)`` writes it."""
    return "{" + ", ".join([f"{encode_basestring(k)}: {value_text(v)}" for k, v in data.items()]) + "}"


def members_text(data: dict[str, object]) -> str:
    """The members of a dict as JSON text without the braces (to splice into a larger object)."""
    return json.dumps(data, ensure_ascii=False)[1:-1]
