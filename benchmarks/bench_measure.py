"""Benchmark ``schoon measure``: records per second in one process and on one and two Dask workers.

    python benchmarks/bench_measure.py                    # 10,000,000 generated Shodan-style records
    python benchmarks/bench_measure.py --records 1000000  # a smaller run

Generates N Shodan banners (``schoon.measure.synthetic.benchmark_lines``: ~800 bytes each, 3.5 % from target
makers, each address on one to four ports over one to three days, banners drawn from a few variants per template,
as real scan data repeats itself) into one plain JSON-lines file, streamed to disk (never held in memory: 10
million records are a 7.7 GB file and need that much free space in the temporary folder or ``--workdir``), then
measures it three ways: in this process, and on the LocalCluster ``schoon measure --workers N`` starts
(:func:`schoon.measure.execute.local_client`) with one and with two workers. The identify engine is built before
the clock starts (in this process; on every worker), so the figures are the steady rate. Prints records/s (wall
clock), records per hour per core, records per CPU-second (what the processes themselves used: the honest rate on
a machine shared with other work), the speed-up from one to two workers, peak resident memory per process, and
whether the three runs gave the same numbers. For the Dask runs it splits the CPU time by thread: the workers'
task threads, the workers' event loops (heartbeats, transfers, monitors) and the client process (client,
scheduler, nannies), and from that split the speed-up to expect on two idle cores. Figures only; nothing is
asserted.
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


def _thread_cpu(pid: int) -> dict[int, float]:
    """CPU seconds per thread of process ``pid`` (Linux: every thread, whatever started it)."""
    import psutil  # type: ignore[import-untyped]  # a dependency of dask.distributed; no stubs installed

    return {t.id: t.user_time + t.system_time for t in psutil.Process(pid).threads()}


def _task_threads() -> list[int]:
    """Native ids of the threads that run Dask tasks in this worker (its executor threads)."""
    import threading

    return [t.native_id or 0 for t in threading.enumerate() if "Dask-Default-Threads" in t.name]


def _dask(path: Path, workers: int, chunk_bytes: int) -> tuple[float, Any, list[float], dict[str, float]]:
    """One run on ``schoon measure --workers N``'s own LocalCluster; wall time, totals, peaks, CPU split."""
    import os

    from schoon.measure.execute import DASK_BUCKETS_PER_WORKER, local_client, plan, run_dask
    from schoon.measure.partition import Settings, warm

    client = local_client(workers)
    try:
        client.run(warm)  # build the engine on every worker before the clock starts
        tasks = plan([path], chunk_bytes=chunk_bytes)
        settings = Settings(buckets=max(1, min(len(tasks), workers * DASK_BUCKETS_PER_WORKER)))
        pids = client.run(os.getpid)
        me = os.getpid()
        before = {pid: _thread_cpu(pid) for pid in [me, *pids.values()]}
        start = time.perf_counter()
        totals = run_dask(tasks, settings, None, client)
        elapsed = time.perf_counter() - start
        after = {pid: _thread_cpu(pid) for pid in [me, *pids.values()]}
        runners = client.run(_task_threads)
        peaks = client.run(_peak_mib)
    finally:
        cluster = client.cluster
        client.close()
        cluster.close()
    split = {"tasks": 0.0, "worker_loops": 0.0, "client_scheduler": 0.0}
    for address, pid in pids.items():
        for thread, cpu in after[pid].items():
            used = cpu - before[pid].get(thread, 0.0)
            split["tasks" if thread in runners[address] else "worker_loops"] += used
    split["client_scheduler"] = sum(after[me].values()) - sum(before[me].get(t, 0.0) for t in after[me])
    return elapsed, totals, [peaks[w] for w in sorted(peaks)], split


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
        splits: dict[int, dict[str, float]] = {}
        for workers in (1, 2):
            elapsed, totals, peaks, split = _dask(path, workers, chunk_bytes)
            runs[workers], splits[workers] = args.records / elapsed, split
            same = "same numbers" if _comparable(totals) == _comparable(local) else "DIFFERENT NUMBERS"
            worker_cpu = split["tasks"] + split["worker_loops"]
            print(f"dask {workers} worker{'s' if workers > 1 else ' '}: {elapsed:7.1f} s  {runs[workers]:10,.0f} "
                  f"records/s  {runs[workers] * 3600 / workers / 1e6:6.1f} M records/hour/core  "
                  f"{args.records / worker_cpu:10,.0f} records/worker-CPU-s  peak RSS per worker "
                  f"{', '.join(f'{p:,.0f}' for p in peaks)} MiB  ({same} as in-process)")
            print(f"    CPU: tasks {split['tasks']:.1f} s, worker event loops {split['worker_loops']:.1f} s, "
                  f"client + scheduler {split['client_scheduler']:.1f} s "
                  f"(overhead {(sum(split.values()) - split['tasks']) / split['tasks']:.1%} of the tasks' CPU)")
        print(f"speed-up 1 → 2 workers: {runs[2] / runs[1]:.2f}× (wall clock)")
        one, two = splits[1], splits[2]
        # One worker: its event loop holds the GIL against its tasks, the client and scheduler use the other core.
        # Two workers on two cores: everything shares them. Task CPU per record is the same on both (the work is),
        # so the ratios alone predict the speed-up on an idle 2-core machine, free of the load's noise.
        expected = 2 * (1 + one["worker_loops"] / one["tasks"]) / (1 + (two["worker_loops"] + two["client_scheduler"])
                                                                     / two["tasks"])
        print(f"speed-up 1 → 2 workers expected on 2 idle cores (from the CPU split): {expected:.2f}×")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
