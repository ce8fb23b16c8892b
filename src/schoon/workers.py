"""Ordered work over a pool of processes with a bounded queue: the machinery behind ``--jobs``.

:func:`ordered_map` sends tasks to ``jobs`` worker processes and yields their results in the order the tasks
were given, keeping at most ``2 × jobs`` tasks in flight, so memory stays flat however long the input is. Workers
are forked where the platform allows it (they inherit what the main process has loaded: the registry, rules and
indexes); elsewhere they are spawned and load them from the build cache (:mod:`schoon.cache`).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # multiprocessing and concurrent.futures are imported when workers are started
    from concurrent.futures import Future

L = TypeVar("L")  # what the caller keeps for itself per task
A = TypeVar("A")  # what a worker receives
R = TypeVar("R")  # what a worker returns

AUTO_MIN_BYTES = 8 * 2**20  # inputs at least this large use every core by default


def available_cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def auto_jobs(paths: Iterable[str | None], min_bytes: int = AUTO_MIN_BYTES) -> int:
    """The default number of processes: every core for inputs of at least ``min_bytes`` in all, else one
    (standard input counts as small: its size is unknown)."""
    total = 0
    for path in paths:
        if path is None or path == "-":
            return 1
        try:
            total += Path(path).stat().st_size
        except OSError:
            return 1
    return available_cores() if total >= min_bytes else 1


def ordered_map(work: Callable[[A], R], tasks: Iterable[tuple[L, A]], jobs: int,
                initializer: Callable[..., Any] | None = None, initargs: tuple[Any, ...] = ()) -> Iterator[tuple[L, R]]:
    """``(local, work(argument))`` for each ``(local, argument)`` of ``tasks``, in order, computed by ``jobs``
    worker processes (``work`` and ``initializer`` must be module-level functions)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pending: deque[tuple[L, Future[R]]] = deque()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=initializer,
                             initargs=initargs) as pool:
        try:
            for local, argument in tasks:
                pending.append((local, pool.submit(work, argument)))
                if len(pending) >= 2 * jobs:
                    local, future = pending.popleft()
                    yield local, future.result()
            while pending:
                local, future = pending.popleft()
                yield local, future.result()
        finally:
            for _, future in pending:
                future.cancel()
