"""All cores: identify a large input in worker processes, each with the cached engine, in input order.

The main process reads the input (any format, so rejects and row numbers are exactly those of one process) and
sends chunks of Observations to a pool of worker processes; each worker identifies its chunk and formats the
output (JSON lines or CSV rows) and sends back, per record, the few parts the summary needs and the text. The
main process writes the chunks in input order. At most ``2 × jobs`` chunks are in flight, so memory stays flat
however large the input is.

With ``jobs == 1`` nothing here is used: the CLI runs the engine in its own process.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from schoon.csvout import CsvWriter
from schoon.identify.engine import Engine
from schoon.identify.report import explain, finding_row
from schoon.identify.writers import JsonlWriter
from schoon.ingest.types import Reject
from schoon.observation import Observation
from schoon.workers import auto_jobs, ordered_map

__all__ = ["CHUNK", "Done", "EngineSpec", "auto_jobs", "identify_parallel"]

CHUNK = 2_000  # records per task: large enough to amortise the hand-over, small enough to keep memory flat


@dataclass(frozen=True, slots=True)
class Done:
    """One identified record as a worker sends it back: the summary's parts and the output text."""

    verdict: str
    group_id: str | None
    device_type: str | None
    relabel: bool
    text: str  # one JSON line or one CSV row, with its line end
    explained: tuple[str, ...] = ()


@dataclass(frozen=True)
class EngineSpec:
    """How a worker builds its engine (from the build cache): the policy name or file and the judging date."""

    policy: str
    as_of: str | None


_ENGINE: Engine | None = None


def _start_worker(spec: EngineSpec) -> None:
    global _ENGINE
    from schoon.registry import default_registry
    from schoon.registry.policy import load_policy

    _ENGINE = Engine(default_registry(), policy=load_policy(spec.policy), as_of=spec.as_of)


def _identify_chunk(task: tuple[list[Observation], str, bool]) -> list[Done]:
    chunk, fmt, explain_chain = task
    engine = _ENGINE
    assert engine is not None, "worker not started"
    buffer = io.StringIO()
    jsonl = JsonlWriter(buffer) if fmt == "jsonl" else None
    fmt, _, dialect = fmt.partition(":")  # "csv:excel-nl": CSV in that dialect (schoon.csvout)
    rows = CsvWriter(buffer, dialect or "standard", bom=False) if fmt == "csv" else None
    done: list[Done] = []
    for obs in chunk:
        finding = engine.run(obs)
        buffer.seek(0)
        buffer.truncate()
        if jsonl is not None:
            jsonl.write(finding)
        elif rows is not None:
            rows.row(finding_row(finding))
        ident = finding.identification
        done.append(Done(finding.verdict, ident.group_id, ident.device_type, ident.relabel, buffer.getvalue(),
                         tuple(explain(finding)) if explain_chain else ()))
    return done


def _chunks(records: Iterable[Observation | Reject], size: int) -> Iterator[list[Observation | Reject]]:
    chunk: list[Observation | Reject] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def identify_parallel(records: Iterable[Observation | Reject], spec: EngineSpec, jobs: int, fmt: str,
                      explain_chain: bool = False, chunk: int = CHUNK) -> Iterator[Done | Reject]:
    """Each record's :class:`Done` (or the :class:`Reject` itself), in input order, computed by ``jobs``
    worker processes; ``fmt`` is ``jsonl`` or ``csv`` (``csv:excel-nl`` for that CSV dialect)."""
    tasks = ((part, ([r for r in part if isinstance(r, Observation)], fmt, explain_chain))
             for part in _chunks(records, chunk))
    for part, done in ordered_map(_identify_chunk, tasks, jobs, _start_worker, (spec,)):
        found = iter(done)
        for record in part:
            yield record if isinstance(record, Reject) else next(found)
