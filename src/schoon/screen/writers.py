"""Lean output of ``schoon screen --format jsonl``: the same bytes as ``json.dumps(record, ensure_ascii=False)``.

A ledger repeats its suppliers, and the :class:`~schoon.screen.screening.Screener` returns the same result object
for a repeated name; the JSON text of a result is therefore built once and reused, and per row only its place
(source, line) and its own columns are encoded.
"""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import IO

from schoon.jsontext import members_text, value_text
from schoon.screen.ledger import LedgerRow
from schoon.screen.screening import ScreenResult

_CACHE_LIMIT = 200_000


class JsonlWriter:
    """Write one screening result per line: ``source``, ``line``, the result's fields, ``input``."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self._texts: dict[int, tuple[ScreenResult, str]] = {}
        self._source: tuple[str, str] = ("", '""')  # the last source and its JSON text (a file has one)
        self._keys: dict[tuple[str, ...], list[str]] = {}  # a row's column names -> their JSON text ('"k": ')

    def _members(self, result: ScreenResult) -> str:
        found = self._texts.get(id(result))
        if found is not None and found[0] is result:
            return found[1]
        text = members_text(result.record())
        if len(self._texts) >= _CACHE_LIMIT:
            self._texts.clear()
        self._texts[id(result)] = (result, text)
        return text

    def write(self, row: LedgerRow | None, result: ScreenResult) -> None:
        """Write one result (``row`` None: a name given on the command line, without place or columns)."""
        members = self._members(result)
        if row is None:
            self.out.write(f"{{{members}}}\n")
        else:
            source = row.source
            if source is not self._source[0]:
                self._source = (source, value_text(source))
            line = row.line
            self.out.write(f'{{"source": {self._source[1]}, "line": {"null" if line is None else value_text(line)}, '
                           f'{members}, "input": {self._object(row.columns)}}}\n')

    def _object(self, data: dict[str, object]) -> str:
        """``data`` as ``json.dumps(data, ensure_ascii=False)`` writes it; the keys' text is built once per set of
        keys (the rows of a file share their columns)."""
        names = tuple(data)
        keys = self._keys.get(names)
        if keys is None:
            if len(self._keys) >= 1_000:
                self._keys.clear()
            keys = self._keys[names] = [f"{encode_basestring(k)}: " for k in names]
        return "{" + ", ".join([k + (encode_basestring(v) if type(v) is str else value_text(v))
                                for k, v in zip(keys, data.values(), strict=True)]) + "}"
