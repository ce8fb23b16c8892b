"""Running a measurement: the same map, combine and count steps in-process or on a Dask cluster.

1. **Plan**: each input file becomes one or more :class:`~schoon.measure.partition.Task` (byte-range chunks of a
   plain file; a whole gzip or Parquet file).
2. **Map** (:func:`~schoon.measure.partition.run_task`): per partition, identify and fold into per-address states
   spread over ``buckets`` by a stable hash of the address.
3. **Combine**: per bucket, merge that bucket of every partition and classify its addresses into devices and
   :class:`~schoon.measure.devices.Counts`. Only per-address states travel, never raw records, and no bucket
   needs another's.
4. **Finish**: add the buckets' counts, count once the devices held back by serial/MAC, put line numbers right.

In-process, partitions run one after the other and their buckets merge as they come. On Dask, partitions run on
the workers (the engine built once per worker process), each bucket combines in its own task, and only the
counts come back. The numbers are the same on both paths, for any number of buckets, workers or chunks.
"""

from __future__ import annotations

import dataclasses
import logging
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schoon.errors import DataError, SchoonError
from schoon.ingest.scan import SCAN_FORMATS, Chunk, chunks, detect_scan_format
from schoon.ingest.scan.lines import DEFAULT_CHUNK_BYTES
from schoon.ingest.types import Reject
from schoon.measure.devices import BucketResult, Counts, Device, classify, settle_moved
from schoon.measure.parquet import is_parquet
from schoon.measure.partition import PARQUET, ChunkResult, Settings, Task, run_task
from schoon.measure.prefixes import Attribution, PrefixTable
from schoon.measure.state import AddressState, merge_into

DASK_BUCKETS_PER_WORKER = 4
#: The scheduler's small HTTP server (health, metrics) on a free loopback port: the dashboard stays off, and a
#: busy default port 8787 does not matter.
LOOPBACK_HTTP = {"dashboard_address": "127.0.0.1:0"}
#: Dask settings for the clusters schoon starts itself. Each worker otherwise samples its task's stack every 10 ms
#: for the dashboard's profile (which is off), checks memory every 100 ms and ticks every 20 ms, all in its event
#: loop, holding the GIL against the partition it runs; with as many workers as cores that overhead takes a core's
#: share from the work (measured: docs/performance.md, measure). A cluster started elsewhere keeps its own settings.
QUIET_WORKERS = {"distributed.worker.profile.enabled": False, "distributed.worker.memory.monitor-interval": "1s",
                 "distributed.admin.tick.interval": "500ms"}


@dataclass
class Totals:
    """Everything a run found, unrounded and unsuppressed: the input of the published result."""

    files: list[str]
    records: int = 0
    identified_records: int = 0
    outside_window: int = 0
    untimed: int = 0
    untimed_excluded: int = 0
    reject_count: int = 0
    rejects: list[Reject] = field(default_factory=list)
    partitions: int = 0
    counts: Counts = field(default_factory=Counts)
    listed: list[tuple[Device, Attribution | None]] = field(default_factory=list)
    execution: str = "in-process"


def plan(files: Sequence[str | Path], input_format: str | None = None,
         chunk_bytes: int = DEFAULT_CHUNK_BYTES) -> list[Task]:
    """The partitions of the input files (a folder stands for the Parquet files in it)."""
    if input_format is not None and input_format not in (*SCAN_FORMATS, PARQUET):
        raise DataError(f"unknown scan format {input_format!r}; choose from {', '.join(SCAN_FORMATS)}")
    tasks: list[Task] = []
    for given in files:
        path = Path(given)
        if path.is_dir():
            found = sorted(path.glob("*.parquet"))
            if not found:
                raise DataError("folder holds no .parquet files", file=str(path))
            tasks.extend(Task(Chunk(str(p), 0, 0, None, False), PARQUET) for p in found)
            continue
        if input_format == PARQUET or (input_format is None and is_parquet(path)):
            tasks.append(Task(Chunk(str(path), 0, 0, None, False), PARQUET))
            continue
        fmt = input_format or detect_scan_format(path)
        tasks.extend(Task(chunk, fmt) for chunk in chunks(path, chunk_bytes))
    return tasks


def run_local(tasks: Sequence[Task], settings: Settings, table: PrefixTable | None, *,
              per_address: bool = False, progress: Callable[[int], None] | None = None) -> Totals:
    """Run every partition in this process, merging buckets as they come."""
    merged: list[dict[str, AddressState | None]] = [{} for _ in range(settings.buckets)]
    results: list[ChunkResult] = []
    for task in tasks:
        result = run_task(task, settings)
        for target, part in zip(merged, result.buckets, strict=True):
            merge_into(target, part)
        result.buckets = []
        results.append(result)
        if progress is not None:
            progress(sum(r.records for r in results))
    buckets = [classify(bucket, table, per_address=per_address) for bucket in merged]
    return finish(results, buckets, table, per_address=per_address, execution="in-process")


Packed = tuple[ChunkResult, list[bytes]]


def map_packed(task: Task, settings: Settings) -> Packed:
    """The map step on a worker: the partition's counts, and each bucket already pickled (one bytes object).

    Pickling here, in the task, keeps the (de)serialisation of thousands of small per-address states out of the
    workers' event loops, where it would hold the GIL against the next partition; a bytes object travels as one
    frame.
    """
    result = run_task(task, settings)
    packed = [pickle.dumps(bucket, protocol=pickle.HIGHEST_PROTOCOL) for bucket in result.buckets]
    result.buckets = []
    return result, packed


def combine_packed(parts: list[bytes], table: PrefixTable | None, per_address: bool) -> BucketResult:
    """Unpickle one bucket of every partition (made by :func:`map_packed` in this cluster), merge and classify."""
    merged: dict[str, AddressState | None] = {}
    for part in parts:
        merge_into(merged, pickle.loads(part))  # bytes this run's own map tasks pickled
    return classify(merged, table, per_address=per_address)


def _take_bucket(packed: Packed, index: int) -> bytes:
    return packed[1][index]


def _meta(packed: Packed) -> ChunkResult:
    return packed[0]


def run_dask(tasks: Sequence[Task], settings: Settings, table: PrefixTable | None, client: Any, *,
             per_address: bool = False) -> Totals:
    """Run on a Dask cluster through ``client``: partitions on the workers, one combine task per bucket."""
    futures = client.map(map_packed, list(tasks), settings=settings, pure=False)
    shared_table = client.scatter(table, broadcast=True) if table is not None else None
    combined = [
        client.submit(combine_packed, [client.submit(_take_bucket, f, b, pure=False) for f in futures],
                      shared_table, per_address, pure=False)
        for b in range(settings.buckets)
    ]
    metas = client.map(_meta, futures, pure=False)
    results: list[ChunkResult] = client.gather(metas)
    buckets: list[BucketResult] = client.gather(combined)
    del futures, combined, metas
    return finish(results, buckets, table, per_address=per_address, execution="dask")


def finish(results: list[ChunkResult], buckets: list[BucketResult], table: PrefixTable | None, *,
           per_address: bool, execution: str) -> Totals:
    """Add up the partitions' and buckets' results into Totals."""
    totals = Totals(files=list(dict.fromkeys(r.path for r in results)), partitions=len(results), execution=execution)
    offsets: dict[tuple[str, int], int] = {}
    by_file: dict[str, list[ChunkResult]] = {}
    for result in results:
        by_file.setdefault(result.path, []).append(result)
    for path, parts in by_file.items():
        running = 0
        for part in sorted(parts, key=lambda r: r.index):
            offsets[(path, part.index)] = running
            running += part.lines
    for result in results:
        totals.records += result.records
        totals.identified_records += result.identified
        totals.outside_window += result.outside_window
        totals.untimed += result.untimed
        totals.untimed_excluded += result.untimed_excluded
        totals.reject_count += result.reject_count
        offset = offsets[(result.path, result.index)]
        totals.rejects.extend(dataclasses.replace(r, row=(r.row or 0) + offset) if offset else r
                              for r in result.rejects)
    totals.rejects.sort(key=lambda r: (r.source, r.row or 0))
    held: list[Device] = []
    for bucket in buckets:
        totals.counts.merge(bucket.counts)
        held.extend(bucket.held)
        totals.listed.extend(bucket.listed)
    totals.listed.extend(settle_moved(held, table, totals.counts, per_address=per_address))
    totals.listed.sort(key=lambda item: item[0].ip)
    return totals


def local_client(workers: int) -> Any:
    """A LocalCluster of ``workers`` processes on 127.0.0.1 (one thread each, no dashboard, :data:`QUIET_WORKERS`)
    and its Client.

    The workers' own logs are silenced: a partition that fails (a truncated gzip file) raises its one-line
    DataError in the client, which the CLI prints; the worker's traceback would only repeat it.
    """
    try:
        import dask
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise SchoonError('Dask is not installed: pip install "dask[distributed]"') from None
    with dask.config.set(QUIET_WORKERS):  # the nannies hand this configuration to the worker processes
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, scheduler_kwargs=LOOPBACK_HTTP,
                               silence_logs=logging.CRITICAL)  # type: ignore[no-untyped-call]
        return Client(cluster)  # type: ignore[no-untyped-call]


def remote_client(address: str) -> Any:
    """A Client connected to an existing Dask scheduler; SchoonError in one line when it cannot connect."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise SchoonError('Dask is not installed: pip install "dask[distributed]"') from None
    try:
        return Client(address, timeout="20s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as err:
        raise SchoonError(f"cannot connect to the Dask scheduler at {address}: {err}") from None
