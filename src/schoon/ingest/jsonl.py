"""JSON lines: one JSON object per line, keys in canonical field names (see DESIGN.md).

Keys that are not canonical fields go to ``Observation.extra`` (non-string values as compact JSON). A line that
is not a JSON object (also: nested too deeply, or an integer longer than Python converts) becomes a Reject with
its line number; a value that cannot be normalised (an invalid MAC or address) is dropped with a warning and the
rest of the line is used; text that is not valid Unicode (a lone surrogate escape such as ``"\\ud800"``) rejects
the line. Blank lines are skipped; a line longer than :data:`~schoon.ingest.textio.MAX_LINE_BYTES` is rejected
without being held.

Most lines of a scan are plain: an object whose keys are canonical text fields (or ``mac``) and whose values are
strings. Those take a lean path (:func:`plain_observation`): orjson decodes the line, each distinct value is
cleaned once (placeholders, NUL characters, white space, length) and remembered, and the Observation is built
in one call. Anything else (numbers, lists, other keys, an address or MAC that does not read, a column map,
text orjson refuses) takes the general path, which gives every message and warning; both build equal
Observations (a test compares them on generated lines with odd characters).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator, Mapping

import orjson

from schoon.ingest.cells import build_record, check_ip
from schoon.ingest.headers import KEEP_IN_EXTRA, check_map, header_key
from schoon.ingest.options import ReadLog, ReadOptions
from schoon.ingest.textio import MAX_LINE_BYTES, Input, iter_lines
from schoon.ingest.types import Record, cut, reject
from schoon.observation import (
    CANONICAL_FIELDS,
    MAX_FIELD_CHARS,
    TEXT_FIELDS,
    Observation,
    ObservationError,
    normalise_mac,
)
from schoon.placeholders import GENERIC, is_placeholder

_CANONICAL = frozenset(CANONICAL_FIELDS)
_PLAIN_KEYS = frozenset(TEXT_FIELDS) | {"mac"}  # fields whose string values the lean path reads
_DIGIT = re.compile(r"\d")  # a Unicode digit: kept by placeholders.fold, in no placeholder word
assert not any(c.isdigit() for word in GENERIC for c in word), "_clean_text relies on this"
_NO_VALUE = ""  # a cleaned value that is no evidence (a placeholder, or nothing but white space)
_MEMO_LIMIT = 100_000  # distinct values remembered, per kind (scans repeat banners; addresses are mostly unique)
_texts: dict[str, str] = {}  # raw text value -> cleaned (or _NO_VALUE): the same for every text field but ip
_macs: dict[str, str] = {}  # raw MAC -> normalised (or _NO_VALUE)


#: A consumer's way to answer a line itself: given the line's id, the rest of the line and its row, it returns True
#: when it has handled the line (see :func:`split_id`); the reader then counts the row as used and goes on.
Shortcut = Callable[[str, str, int], bool]


def read_jsonl(source: Input, *, options: ReadOptions | None = None, log: ReadLog | None = None,
               shortcut: Shortcut | None = None) -> Iterator[Record]:
    """Observations (and Rejects) from JSON lines; ``options.column_map`` renames keys onto canonical fields.

    ``shortcut`` (only without a column map) is offered each line that starts with a plain id first.
    """
    opts = options or ReadOptions()
    log = log if log is not None else ReadLog()
    overrides = check_map(opts.column_map)
    if overrides:
        shortcut = None
    with source.opener() as stream, contextlib.closing(iter_lines(stream, source.head, source.encoding)) as lines:
        for number, line in enumerate(lines, start=1):
            text = line.text.strip()
            if not text:
                log.blank += 1
                continue
            if line.overlong:
                yield reject(source.name, number, f"line longer than {MAX_LINE_BYTES // 2**20} MiB; skipped", text)
                continue
            if shortcut is not None:
                parts = split_id(text)
                if parts is not None and shortcut(parts[0], parts[1], number):
                    log.used += 1
                    continue
            plain = None if overrides else plain_observation(text, source.name, number)
            yield plain if plain is not None else _record(text, overrides, source=source.name, row=number, log=log)


_ID_START = '{"id": "'


def split_id(text: str) -> tuple[str, str] | None:
    """``(id, rest)`` for a line ``{"id": "<id>"<rest>`` whose id is read exactly as written and is the line's
    only ``id`` key; else None.

    Then two lines with the same rest are the same record but for the id (and the row): the rest decides every
    other field. The id must be plain (no escapes, no control or other non-printing characters, no white space
    at its ends, not a placeholder) so that it is both the Observation's id and its own JSON text between quotes;
    the rest must hold no other ``"id"`` key, also not spelled with escapes.
    """
    if not text.startswith(_ID_START):
        return None
    end = text.find('"', 8)
    if end <= 8:
        return None
    ident = text[8:end]
    rest = text[end + 1:]
    if ("\\" in ident or not ident.isprintable() or ident[0] == " " or ident[-1] == " "
            or len(ident) > MAX_FIELD_CHARS or '"id"' in rest or "\\u006" in rest):
        return None
    if _DIGIT.search(ident) is None and is_placeholder(ident, "id"):
        return None
    return ident, rest


def _clean_text(value: str) -> str:
    """A text value as :meth:`Observation.from_mapping` keeps it (for a field without placeholders of its own).

    A value with a digit is no placeholder (placeholders fold to letters only), which spares most banners the
    check.
    """
    if _DIGIT.search(value) is None and is_placeholder(value):
        return _NO_VALUE
    return value.replace("\x00", "").strip()[:MAX_FIELD_CHARS]


def _clean_mac(value: str) -> str | None:
    if is_placeholder(value, "mac"):
        return _NO_VALUE
    try:
        return normalise_mac(value)
    except ObservationError:
        return None


def _remember(memo: dict[str, str], value: str, cleaned: str) -> None:
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[value] = cleaned


def plain_observation(text: str, source: str, row: int) -> Observation | None:
    """The Observation of a plain line (see the module docstring), or None when the line needs the general path.

    None also for every line the general path would reject or warn about, so its messages stay the same.
    """
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if type(data) is not dict or not data:
        return None
    obs = Observation(source=source, row=row)
    texts = _texts
    for name, value in data.items():
        if type(value) is not str or name not in _PLAIN_KEYS:
            return None
        if name == "mac":
            mac = _macs.get(value)
            if mac is None:
                mac = _clean_mac(value)
                if mac is None:
                    return None  # a MAC that does not read: the general path warns and drops it
                _remember(_macs, value, mac)
            if mac:
                obs.mac = mac
            continue
        if name == "ip":
            if is_placeholder(value, "ip"):
                continue
            if check_ip(value) is not None:
                return None  # the general path warns and drops it
        cleaned = texts.get(value)
        if cleaned is None:
            cleaned = _clean_text(value)
            _remember(texts, value, cleaned)
        if cleaned:
            setattr(obs, name, cleaned)
    return obs


def _record(text: str, overrides: Mapping[str, str], *, source: str, row: int, log: ReadLog) -> Record:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return reject(source, row, f"not valid JSON: {err.msg} (column {err.colno})", text)
    except RecursionError:
        return reject(source, row, "not valid JSON: nested too deeply", text)
    except ValueError as err:  # e.g. an integer with more digits than Python converts
        return reject(source, row, f"not usable JSON: {err}", text)
    if not isinstance(data, dict):
        return reject(source, row, f"not a JSON object but {type(data).__name__}", text)
    fields: dict[str, tuple[str, object]] = {}
    extra: dict[str, str] = {}
    try:
        for key, value in data.items():
            target = overrides.get(header_key(key)) if overrides else None
            if target is None and key in _CANONICAL:
                target = key
            if target is None or target == KEEP_IN_EXTRA:
                if value is not None:
                    extra[key] = cut(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
            elif target not in fields:
                fields[target] = (key, value)
    except (ValueError, RecursionError) as err:  # a value json.dumps cannot write back (too deep, too long)
        return reject(source, row, f"not usable JSON: {type(err).__name__}: {err}", text)
    return build_record(fields, extra, source=source, row=row, raw=text, log=log)
