"""Background jobs (uploads become snapshots): one worker thread, progress and result kept in the jobs table.

A job is created (queued) by the request, which answers at once with the job's page; the worker runs it and
writes its state changes and its result (JSON) to the jobs table through the scoped store, so a job is visible
exactly to the tree of its organisation. The progress lines in between are kept in memory (:attr:`JobRunner.live`)
and not written: the importer says them inside its own write transaction, and on SQLite a second writer there
would wait for that very transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from schoon.accounts.scope import ScopedStore
from schoon.errors import SchoonError

log = logging.getLogger("schoon.web.jobs")

Work = Callable[[Callable[[str], None]], dict[str, Any]]


class JobRunner:
    """Runs jobs one at a time in a worker thread (imports of one organisation are serialised by the store)."""

    def __init__(self, workers: int = 1) -> None:
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="schoon-job")
        self.futures: dict[str, Future[None]] = {}
        self.live: dict[str, str] = {}  # job id -> its latest progress line, while it runs

    def submit(self, scoped: ScopedStore, job_id: str, work: Work) -> None:
        """Run ``work(progress)`` for job ``job_id``; its return value is the job's result."""
        self.futures[job_id] = self.pool.submit(self._run, scoped, job_id, work)

    def progress(self, job_id: str, stored: str | None) -> str | None:
        """A job's latest progress: the live line while it runs here, else what the table holds."""
        return self.live.get(job_id, stored)

    def _run(self, scoped: ScopedStore, job_id: str, work: Work) -> None:
        scoped.update_job(job_id, state="running", progress="started")

        def progress(line: str) -> None:
            self.live[job_id] = line[:500]

        try:
            result = work(progress)
        except SchoonError as exc:
            scoped.update_job(job_id, state="failed", progress="failed", result={"error": str(exc)})
        except Exception:
            log.exception("job %s failed", job_id)
            scoped.update_job(job_id, state="failed", progress="failed",
                              result={"error": "internal error; the server log has the details"})
        else:
            scoped.update_job(job_id, state="done", progress="done", result=result)
        finally:
            self.live.pop(job_id, None)

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        """Wait for a job submitted here to end (tests, the demo)."""
        future = self.futures.get(job_id)
        if future is not None:
            future.result(timeout)

    def shutdown(self) -> None:
        """Stop taking jobs; finish the running one."""
        self.pool.shutdown(wait=True, cancel_futures=True)
