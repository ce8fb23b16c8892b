"""Benchmark ``schoon measure``: records per second in one process and on one and two Dask workers.

    python benchmarks/bench_measure.py                    # 10,000,000 generated Shodan-style records
    python benchmarks/bench_measure.py --records 1000000  # a smaller run

Generates N Shodan banners (``schoon.measure.synthetic.benchmark_lines``: ~800 bytes each, 3.5 % from target
makers, each address on one to four ports over one to three days, banners drawn from a few variants per template,
as real scan data repeats itself) into one plain JSON-lines file, then measures it three ways: in this process, on
a LocalCluster of one worker, and on one of two workers (processes, 127.0.0.1, dashboard off). The identify engine
is built before the clock starts (in this process; on every worker), so the figures are the steady rate. Prints
records/s (wall clock), records per hour per core, records per CPU-second (what the processes themselves used:
the honest rate on a machine shared with other work), the speed-up from one to two workers, peak resident
memory per process, and whether the three runs gave the same numbers. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _generate(path: Path, records: int) -> float:
    from schoon.measure.synthetic import benchmark_lines

    start = time.perf_counter()
    with path.open("wb") as handle:
        for line in benchmark_lines(records):
            handle.write(line)
    return time.perf_counter() - start


def _comparable(totals: Any) -> tuple[Any, ...]:
    counts = totals.counts
    return (totals.records, counts.devices, dict(counts.by_group), dict(counts.by_asn), dict(counts.tally),
            totals.reject_count)


def _dask(path: Path, workers: int, chunk_bytes: int) -> tuple[float, Any, list[float], float]:
    from dask.distributed import Client, LocalCluster

    from schoon.measure.execute import DASK_BUCKETS_PER_WORKER, LOOPBACK_HTTP, plan, run_dask
    from schoon.measure.partition import Settings, warm

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, scheduler_kwargs=LOOPBACK_HTTP, silence_logs=40) as cluster, \
            Client(cluster) as client:
        client.run(warm)  # build the engine on every worker before the clock starts
        tasks = plan([path], chunk_bytes=chunk_bytes)
        settings = Settings(buckets=max(1, min(len(tasks), workers * DASK_BUCKETS_PER_WORKER)))
        before = client.run(_cpu_seconds)
        start = time.perf_counter()
        totals = run_dask(tasks, settings, None, client)
        elapsed = time.perf_counter() - start
        after = client.run(_cpu_seconds)
        peaks = client.run(_peak_mib)
    cpu = sum(after[w] - before[w] for w in after)
    return elapsed, totals, [peaks[w] for w in sorted(peaks)], cpu


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000_000, help="records to generate (default 10,000,000)")
    parser.add_argument("--chunk-mb", type=int, default=64, help="partition size in MiB (default 64)")
    parser.add_argument("--workdir", type=Path, default=None, help="folder for the generated file (default: temp)")
    parser.add_argument("--skip-dask", action="store_true", help="only the in-process run")
    args = parser.parse_args(argv)
    from schoon.measure.execute import plan, run_local
    from schoon.measure.partition import Settings, worker_engine

    with tempfile.TemporaryDirectory(dir=args.workdir) as folder:
        path = Path(folder) / "shodan.json"
        generated = _generate(path, args.records)
        size = path.stat().st_size
        print(f"generated {args.records:,} records ({size / 2**20:,.0f} MiB, {size / args.records:,.0f} B/record) "
              f"in {generated:,.1f} s")
        chunk_bytes = args.chunk_mb * 2**20
        worker_engine("default", None)
        cpu_start = _cpu_seconds()
        start = time.perf_counter()
        local = run_local(plan([path], chunk_bytes=chunk_bytes), Settings(), None)
        elapsed = time.perf_counter() - start
        cpu = _cpu_seconds() - cpu_start
        rate = args.records / elapsed
        print(f"in-process:  {elapsed:8.1f} s  {rate:10,.0f} records/s  {rate * 3600 / 1e6:6.1f} M records/hour/core"
              f"  {args.records / cpu:10,.0f} records/CPU-s  peak RSS {_peak_mib():,.0f} MiB"
              f"  ({local.counts.devices:,} devices, {local.partitions} partitions)")
        if args.skip_dask:
            return
        runs: dict[int, float] = {}
        for workers in (1, 2):
            elapsed, totals, peaks, cpu = _dask(path, workers, chunk_bytes)
            runs[workers] = args.records / elapsed
            same = "same numbers" if _comparable(totals) == _comparable(local) else "DIFFERENT NUMBERS"
            print(f"dask {workers} worker{'s' if workers > 1 else ' '}: {elapsed:7.1f} s  {runs[workers]:10,.0f} "
                  f"records/s  {runs[workers] * 3600 / workers / 1e6:6.1f} M records/hour/core  "
                  f"{args.records / cpu:10,.0f} records/worker-CPU-s  peak RSS per worker "
                  f"{', '.join(f'{p:,.0f}' for p in peaks)} MiB  ({same} as in-process)")
        print(f"speed-up 1 → 2 workers: {runs[2] / runs[1]:.2f}×")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
