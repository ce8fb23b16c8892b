"""National measurement from internet-scan data, in-process or on a Dask cluster, with the same numbers.

>>> result = measure(["shodan-nl.json.gz"], prefixes="prefixes.csv", since="2026-01-01", until="2026-03-31")
>>> result["by_group"][0]
{'group_id': 'hikvision', 'name': 'Hikvision', 'devices': 25012, 'flagged': True}

Reads Shodan, Censys, zgrab2, masscan and ``schoon discover`` output (:mod:`schoon.ingest.scan`), identifies every
banner with the identify engine, merges banners into devices per address (and across addresses by serial/MAC),
attributes them with a prefix table (longest prefix) or by AS, and publishes aggregates with small cells
suppressed and the caveats computed. Modules: ``window`` (time window), ``state`` (per-address states that
merge), ``partition`` (the map step), ``devices`` (devices and counts), ``prefixes`` (attribution),
``execute`` (in-process and Dask), ``caveats``, ``privacy``, ``result`` (the JSON contract), ``render``
(CSV and HTML), ``parquet`` (identified records), ``synthetic`` (test and benchmark data). See docs/measure.md.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from schoon.errors import DataError
from schoon.ingest.scan.lines import DEFAULT_CHUNK_BYTES
from schoon.measure.execute import (
    DASK_BUCKETS_PER_WORKER,
    Totals,
    local_client,
    plan,
    remote_client,
    run_dask,
    run_local,
)
from schoon.measure.partition import Settings
from schoon.measure.prefixes import PrefixTable
from schoon.measure.result import build, load_previous
from schoon.measure.stdin import stdin_files
from schoon.measure.window import Window

__all__ = ["PrefixTable", "Settings", "Totals", "Window", "group_names", "measure", "run"]


def run(files: Sequence[str | Path], *, settings: Settings, table: PrefixTable | None = None,
        workers: int | None = None, scheduler: str | None = None, per_address: bool = False,
        input_format: str | None = None, chunk_bytes: int = DEFAULT_CHUNK_BYTES,
        progress: Callable[[int], None] | None = None, stdin: BinaryIO | None = None) -> Totals:
    """Measure ``files``: in-process by default; on a new local Dask cluster of ``workers`` processes; or on the
    existing cluster whose scheduler is at ``scheduler`` (``"local"`` means in-process).

    ``-`` among ``files`` is standard input (or ``stdin``), spooled to a temporary file (:mod:`.stdin`).
    """
    remote = scheduler not in (None, "", "local")
    with stdin_files(files, remote=remote, stream=stdin) as (paths, shown):
        try:
            totals = _run(paths, settings, table, workers, scheduler, remote, per_address, input_format,
                          chunk_bytes, progress)
        except DataError as err:
            if err.file in shown:
                raise DataError(err.message, file=shown[err.file], line=err.line, field=err.field) from None
            raise
        if shown:
            totals.files = [shown.get(f, f) for f in totals.files]
            totals.rejects = [dataclasses.replace(r, source=shown[r.source]) if r.source in shown else r
                              for r in totals.rejects]
        return totals


def _run(files: Sequence[str], settings: Settings, table: PrefixTable | None, workers: int | None,
         scheduler: str | None, remote: bool, per_address: bool, input_format: str | None, chunk_bytes: int,
         progress: Callable[[int], None] | None) -> Totals:
    """Plan the partitions of ``files`` (real paths) and run them on the chosen path."""
    tasks = plan(files, input_format, chunk_bytes)
    if not remote and not workers:
        return run_local(tasks, settings, table, per_address=per_address, progress=progress)
    client = remote_client(str(scheduler)) if remote else local_client(int(workers or 1))
    try:
        if settings.buckets <= 1:
            count = len(client.scheduler_info().get("workers", {})) or 1
            settings = Settings(settings.policy, settings.as_of, settings.window,
                                max(1, min(len(tasks), count * DASK_BUCKETS_PER_WORKER)), settings.parquet_dir)
        return run_dask(tasks, settings, table, client, per_address=per_address)
    finally:
        cluster = client.cluster if not remote else None
        client.close()
        if cluster is not None:
            cluster.close()


def group_names() -> Callable[[str], str]:
    """Display names of registry groups ('hikvision' → 'Hikvision'), from the bundled registry."""
    from schoon.registry import default_registry

    registry = default_registry()

    def name(group_id: str) -> str:
        try:
            entity = registry.get(group_id)
        except Exception:  # a group id from an older Parquet file that this registry lacks
            return group_id
        return next((a.name for a in entity.aliases if a.kind == "common"), entity.name)

    return name


def measure(files: Sequence[str | Path], *, prefixes: str | Path | None = None, since: str | None = None,
            until: str | None = None, policy: str = "default", as_of: str | None = None,
            workers: int | None = None, scheduler: str | None = None, per_address: bool = False,
            previous: str | Path | None = None, parquet_dir: str | Path | None = None,
            input_format: str | None = None, buckets: int = 1,
            chunk_bytes: int = DEFAULT_CHUNK_BYTES) -> dict[str, Any]:
    """Measure ``files`` and return the published result (the ``--format json`` object)."""
    window = Window.parse(since, until)
    table = PrefixTable.load(prefixes) if prefixes else None
    earlier = load_previous(previous) if previous else None
    settings = Settings(policy, as_of, window, buckets, str(parquet_dir) if parquet_dir else None)
    totals = run(files, settings=settings, table=table, workers=workers, scheduler=scheduler,
                 per_address=per_address, input_format=input_format, chunk_bytes=chunk_bytes)
    return build(totals, window, names=group_names(), previous=earlier, per_address=per_address,
                 prefixes=str(prefixes) if prefixes else None)
