"""Lean output of ``schoon screen --format jsonl``: the same bytes as ``json.dumps(record, ensure_ascii=False)``.

A ledger repeats its suppliers, and the :class:`~schoon.screen.screening.Screener` returns the same result object
for a repeated name; the JSON text of a result is therefore built once and reused, and per row only its place
(source, line) and its own columns are encoded.
"""

from __future__ import annotations

from typing import IO

from schoon.jsontext import members_text, object_text, value_text
from schoon.screen.ledger import LedgerRow
from schoon.screen.screening import ScreenResult

_CACHE_LIMIT = 200_000


class JsonlWriter:
    """Write one screening result per line: ``source``, ``line``, the result's fields, ``input``."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self._texts: dict[int, tuple[ScreenResult, str]] = {}

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
            self.out.write(f'{{"source": {value_text(row.source)}, "line": {value_text(row.line)}, {members}, '
                           f'"input": {object_text(row.columns)}}}\n')
