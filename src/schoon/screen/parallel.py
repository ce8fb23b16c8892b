"""All cores for a large ledger: names screened in worker processes, results in input order.

The main process reads the ledger and remembers every result by name; only names it has not seen (nor already
sent) go to the workers, in chunks, so a ledger that repeats its suppliers sends each supplier once. Each worker
has a copy of the main process's :class:`~schoon.screen.screening.Screener` (inherited when forked, pickled
otherwise): the same registry, matcher, decisions, threshold, policy and date. Results come back in input order
(:func:`schoon.workers.ordered_map`), at most ``2 × jobs`` chunks in flight.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from schoon.screen.ledger import LedgerRow
from schoon.screen.screening import MEMO_LIMIT, REJECTED, Screener, ScreenResult
from schoon.workers import ordered_map

CHUNK = 1_000  # rows per task


_SCREENER: Screener | None = None


def _start_worker(screener: Screener) -> None:
    global _SCREENER
    _SCREENER = screener


def _screen_names(names: list[str]) -> list[ScreenResult]:
    screener = _SCREENER
    assert screener is not None, "worker not started"
    return [screener.screen(name) for name in names]


def _tasks(rows: Iterable[LedgerRow], memo: dict[str, ScreenResult], sent: set[str],
           chunk: int) -> Iterator[tuple[tuple[list[LedgerRow], list[str]], list[str]]]:
    part: list[LedgerRow] = []
    names: list[str] = []
    for row in rows:
        part.append(row)
        name = row.name
        if row.rejected is None and name is not None and name not in memo and name not in sent:
            sent.add(name)
            names.append(name)
        if len(part) >= chunk:
            yield (part, names), names
            part, names = [], []
    if part:
        yield (part, names), names


def screen_rows_parallel(screener: Screener, rows: Iterable[LedgerRow], jobs: int,
                         chunk: int = CHUNK) -> Iterator[tuple[LedgerRow, ScreenResult]]:
    """Like :func:`schoon.screen.screen_rows`, with the names screened by ``jobs`` worker processes. ``screener``
    (the main process's own) answers rows without a name, and a name whose remembered result was dropped to
    bound memory: the answers are those of one process."""
    memo: dict[str, ScreenResult] = {}
    sent: set[str] = set()
    tasks = _tasks(rows, memo, sent, chunk)
    for (part, names), results in ordered_map(_screen_names, tasks, jobs, _start_worker, (screener,)):
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        for name, result in zip(names, results, strict=True):
            memo[name] = result
            sent.discard(name)
        for row in part:
            if row.rejected is not None:
                yield row, ScreenResult(None, REJECTED, f"rejected {row.source}:{row.line}: {row.rejected}")
            elif row.name is None:
                yield row, screener.screen(row.name)
            else:
                found = memo.get(row.name)
                yield row, found if found is not None else screener.screen(row.name)
