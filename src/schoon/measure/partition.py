"""The work of one partition: read a chunk, identify each banner, fold it into per-address states.

This is the map step of both execution paths (in-process and Dask). The identify engine is built once per
process (:func:`worker_engine`) and reused for every partition that process runs; it caches per banner value,
so the endless repetition of banners in scan data costs little. A partition returns a :class:`ChunkResult`:
its address states spread over buckets, and the counts of what it read, rejected and left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from schoon.identify import Engine, Finding
from schoon.ingest.scan import Chunk, RawRecord, ScanRecord, read_chunk_raw
from schoon.ingest.types import Reject
from schoon.measure.state import OUTSIDE, Buckets, Sighting, fold, new_buckets
from schoon.measure.window import Window
from schoon.observation import CANONICAL_FIELDS, ObservationError

MAX_REJECT_SAMPLES = 1000
EVIDENCE_CACHE = 100_000  # distinct evidence keys remembered per partition before the memo starts afresh
PARQUET = "identified-parquet"

_ENGINES: dict[tuple[str, str | None], Engine] = {}


@dataclass(frozen=True)
class Settings:
    """What every partition needs to know: policy, judging date, time window, buckets, Parquet folder."""

    policy: str = "default"
    as_of: str | None = None
    window: Window = field(default_factory=Window)
    buckets: int = 1
    parquet_dir: str | None = None


@dataclass(frozen=True)
class Task:
    """One partition of the input: a chunk of a scan file in a known format (or an identified Parquet file)."""

    chunk: Chunk
    fmt: str


@dataclass
class ChunkResult:
    """A partition's output: address states by bucket and the counts of what happened to its records."""

    path: str
    index: int
    lines: int = 0
    records: int = 0
    identified: int = 0
    outside_window: int = 0
    untimed: int = 0
    untimed_excluded: int = 0
    reject_count: int = 0
    rejects: list[Reject] = field(default_factory=list)
    buckets: Buckets = field(default_factory=list)


def _rejected(result: ChunkResult, item: Reject) -> None:
    result.reject_count += 1
    if len(result.rejects) < MAX_REJECT_SAMPLES:
        result.rejects.append(item)


def worker_engine(policy: str, as_of: str | None) -> Engine:
    """The identify engine of this process for a policy and date: built on first use, then reused."""
    key = (policy, as_of)
    engine = _ENGINES.get(key)
    if engine is None:
        from schoon.registry import default_registry
        from schoon.registry.policy import check_policy, load_policy

        registry = default_registry()
        chosen = load_policy(policy)
        check_policy(chosen, registry)
        engine = _ENGINES[key] = Engine(registry, policy=chosen, as_of=as_of)
    return engine


def sighting(record: ScanRecord, finding: Finding) -> Sighting:
    """A ScanRecord and its Finding reduced to what the measurement folds."""
    outcome = finding.identification.outcome
    maker = outcome.group_id
    if maker is None and outcome.manufacturer:
        words = outcome.manufacturer.lower().split()
        maker = OUTSIDE + (words[0] if words else "")
    obs = record.observation
    identity = f"serial:{obs.serial.upper()}" if obs.serial else (f"mac:{obs.mac}" if obs.mac else None)
    assert obs.ip is not None
    return Sighting(obs.ip, record.time, record.port or 0, record.asn, record.org, record.country, maker,
                    outcome.confidence if maker else 0.0, outcome.device_type,
                    finding.identification.model if maker else None, identity, finding.verdict == "flagged")


Judged = tuple[str | None, float, str | None, str | None, str | None, bool]  # Sighting fields from evidence
_Memo = dict[tuple[tuple[str, object], ...], Judged | str]


def warm(policy: str = "default", as_of: str | None = None) -> None:
    """Build this process's engine now (e.g. on every Dask worker: ``client.run(warm)``), returning nothing."""
    worker_engine(policy, as_of)


def ignored_fields(engine: Engine) -> frozenset[str]:
    """The canonical fields no extractor of ``engine`` reads (the address, host name ...): not part of the evidence."""
    read = {extractor.field for extractor in engine.extractors}
    return frozenset(name for name in CANONICAL_FIELDS if name not in read and name not in ("serial", "mac"))


def _judge(raw: RawRecord, engine: Engine, memo: _Memo, ignore: frozenset[str]) -> Judged | str:
    """The evidence-dependent Sighting fields of a record (or an error message), computed once per evidence."""
    key = raw.evidence_key(ignore)
    judged = memo.get(key)
    if judged is None:
        try:
            record = raw.record()
        except ObservationError as err:
            judged = str(err)
        else:
            seen = sighting(record, engine.run(record.observation))
            judged = (seen.maker, seen.confidence, seen.device_type, seen.model, seen.identity, seen.flagged)
        if len(memo) >= EVIDENCE_CACHE:
            memo.clear()
        memo[key] = judged
    return judged


def run_task(task: Task, settings: Settings) -> ChunkResult:
    """Read, identify and fold one partition."""
    if task.fmt == PARQUET:
        from schoon.measure.parquet import fold_parquet

        return fold_parquet(task.chunk.path, settings)
    engine = worker_engine(settings.policy, settings.as_of)
    window = settings.window
    result = ChunkResult(task.chunk.path, task.chunk.index, buckets=new_buckets(settings.buckets))
    buckets = result.buckets
    written: list[Sighting] | None = [] if settings.parquet_dir else None
    memo: _Memo = {}
    ignore = ignored_fields(engine)
    for number, found in read_chunk_raw(task.chunk, task.fmt):
        result.lines = number
        if isinstance(found, Reject):
            _rejected(result, found)
            continue
        judged_all = [_judge(raw, engine, memo, ignore) for raw in found]
        failed = next((j for j in judged_all if isinstance(j, str)), None)
        if failed is not None:
            _rejected(result, Reject(task.chunk.path, number, failed))
            continue
        for raw, judged in zip(found, judged_all, strict=True):
            assert not isinstance(judged, str)
            result.records += 1
            if raw.time is None:
                result.untimed += 1
                if window.bounded:
                    result.untimed_excluded += 1
                    continue
            elif not window.contains(raw.time):
                result.outside_window += 1
                continue
            maker, confidence, device_type, model, identity, flagged = judged
            ip = raw.ip
            assert ip is not None
            seen = Sighting(ip, raw.time, raw.port or 0, raw.asn, raw.org, raw.country, maker, confidence,
                            device_type, model, identity, flagged)
            if maker is not None and not maker.startswith(OUTSIDE):
                result.identified += 1
            fold(buckets, seen)
            if written is not None:
                written.append(seen)
    if written is not None and settings.parquet_dir:
        from schoon.measure.parquet import write_sightings

        write_sightings(written, Path(settings.parquet_dir), task.chunk)
    return result
