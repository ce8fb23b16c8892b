"""Screen supplier and counterparty names against the registry: one name, or every row of a ledger.

>>> screener = Screener(default_registry(), load_decisions(default_path()))
>>> screener.screen("Hikvision Europe B.V.").group_id
'hikvision'

The matcher is :mod:`schoon.names` (built once per registry version); analyst decisions
(:mod:`schoon.screen.decisions`) are applied before scoring; :func:`read_ledger` reads the names of a CSV,
XLSX or JSON-lines ledger; :func:`screen_rows` screens them in input order. See ``docs/screen.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from schoon.screen.decisions import Decision, Decisions, append_decision, decision_key, default_path, load_decisions
from schoon.screen.ledger import NAME_COLUMNS, LedgerRow, read_ledger
from schoon.screen.screening import (
    MATCH,
    MAX_NAME_CHARS,
    NO_MATCH,
    NO_NAME,
    REJECTED,
    Screener,
    ScreenResult,
    Summary,
    clean_name,
)

__all__ = [
    "MATCH", "MAX_NAME_CHARS", "NAME_COLUMNS", "NO_MATCH", "NO_NAME", "REJECTED", "Decision", "Decisions",
    "LedgerRow", "ScreenResult", "Screener", "Summary", "append_decision", "clean_name", "decision_key",
    "default_path", "load_decisions", "read_ledger", "screen_rows",
]


def screen_rows(screener: Screener, rows: Iterable[LedgerRow]) -> Iterator[tuple[LedgerRow, ScreenResult]]:
    """Each row with its result, in input order; a rejected row gets a ``rejected`` result (nothing lost)."""
    for row in rows:
        if row.rejected is not None:
            yield row, ScreenResult(None, REJECTED, f"rejected {row.source}:{row.line}: {row.rejected}")
        else:
            yield row, screener.screen(row.name)
