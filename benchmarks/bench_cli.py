"""Whole-process speed of ``schoon identify`` and ``schoon screen``, start-up included, next to their goals.

Every figure is a separate ``schoon`` process, as a user runs it (``python -m schoon ...``), with its own cache
folder and data folder in a temporary directory (so the first run builds the cache, like a fresh install). Each
timing is repeated ``--repeat`` times and the median is printed, because the machine is shared and noisy.

    .venv/bin/python benchmarks/bench_cli.py                 # identify + screen (a few minutes)
    .venv/bin/python benchmarks/bench_cli.py --ftm           # also 1,000,000 imported FtM entities (slow)
    .venv/bin/python benchmarks/bench_cli.py --only identify # one part: help, identify, screen, ftm

Inputs, generated (seeded) so the figures come from a clean checkout:

- identify: 100,000 banner observations as JSON lines (HTTP Server, title, realm, RTSP, TLS subject, sysDescr;
  the banner half of ``bench_identify.corpus``). The baseline is the one-regex-after-another matcher of
  ``bench_identify.py`` (the engine with the ``re`` backend and no caches) over the same records in this process.
- screen: a 200,000-row CSV ledger with realistic repetition (4,000 suppliers, Zipf-like frequencies, a few
  registry names and their variants among them) and a 200,000-row ledger of all-distinct names.
- ftm: 1,000,000 generated companies as an FtM layer (``SCHOON_REGISTRY_LAYERS``): load + first answer
  (second run, cache warm), names/s over 20,000 names, peak memory.

Wall time on a shared machine includes waiting for a core; the CPU time (user + system of the process and its
workers) is printed next to it. Nothing is asserted: the figures go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_identify import corpus
from bench_screen import fake_name, fake_records, variant

GOALS = {
    "help_s": "instant",
    "identify_one_record_s": "< 0.3 s",
    "screen_one_name_s": "< 0.3 s",
    "identify_speedup_vs_baseline_*": ">= 10x (goal 50x)",
    "screen_repeated_names_per_s": ">= 50,000",
    "screen_distinct_names_per_s": ">= 20,000",
    "ftm_load_first_answer_s": "< 10 s (after the first run)",
    "ftm_names_per_s": ">= 2,000",
    "ftm_peak_rss_mb": "< 2,000",
}


def run(args: list[str], env: dict[str, str], stdin: Path | None = None) -> tuple[float, float, float]:
    """Run ``python -m schoon ARGS``; return wall seconds, peak RSS (MiB) and CPU seconds (user + system)."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink, (stdin.open("rb") if stdin else open(os.devnull, "rb")) as feed:
        proc = subprocess.Popen([sys.executable, "-m", "schoon", *args], stdin=feed, stdout=sink,
                                stderr=subprocess.PIPE, env=env)
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"schoon {' '.join(args)} failed ({proc.returncode}): {err.decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def timed(args: list[str], env: dict[str, str], repeat: int) -> dict[str, object]:
    """Median and all wall times of ``repeat`` runs (after the runs that came before, so the cache is warm), and
    the median CPU time (user + system, all processes): on a shared machine wall time includes waiting."""
    times, rss, cpu = [], [], []
    for _ in range(repeat):
        elapsed, peak, used = run(args, env)
        times.append(elapsed)
        rss.append(peak)
        cpu.append(used)
    return {"median_s": round(statistics.median(times), 3), "runs_s": [round(t, 3) for t in times],
            "median_cpu_s": round(statistics.median(cpu), 3), "peak_rss_mb": round(max(rss))}


def banner_file(path: Path, count: int) -> int:
    """The banner half of bench_identify's corpus as canonical JSON lines; returns the number written."""
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for obs in corpus(count * 4 + 1000):
            if written >= count:
                break
            if not obs.http_server or obs.mac:
                continue
            out.write(json.dumps(obs.to_dict(), ensure_ascii=False) + "\n")
            written += 1
    return written


def repeated_share(path: Path) -> float:
    """The share of records that equal an earlier record in everything but their id (``schoon identify`` copies
    their output line instead of identifying them again)."""
    seen: set[str] = set()
    repeats = total = 0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            data = json.loads(line)
            data.pop("id", None)
            key = json.dumps(data, sort_keys=True)
            repeats += key in seen
            seen.add(key)
            total += 1
    return round(repeats / max(total, 1), 3)


def baseline_rate(path: Path, sample: int) -> tuple[float, float]:
    """Records/s of the one-regex-after-another matcher (bench_identify's baseline) over the file's first rows:
    per wall second and per CPU second of this process."""
    from schoon.identify import Engine, load_rulebook
    from schoon.observation import Observation
    from schoon.registry import load_registry

    registry = load_registry(layers=[])
    naive = Engine(registry, rules=load_rulebook(registry, backend="re"), as_of="2026-11-28", cache_limit=0)
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for _, line in zip(range(sample), handle, strict=False)]
    start, cpu = time.perf_counter(), time.process_time()
    for row in rows:
        naive.run(Observation.from_mapping(row))
    return len(rows) / (time.perf_counter() - start), len(rows) / (time.process_time() - cpu)


def _zipf_choices(rng: random.Random, population: list[str], count: int) -> Iterator[str]:
    weights = [1.0 / (rank + 1) ** 1.1 for rank in range(len(population))]
    yield from rng.choices(population, weights=weights, k=count)


def ledger(path: Path, names: list[str], rng: random.Random) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["invoice", "supplier", "amount"])
        for number, name in enumerate(names, start=1):
            writer.writerow([f"F{number:07d}", name, f"{rng.randrange(10, 10**6) / 100:.2f}"])


def repeated_names(count: int, rng: random.Random) -> list[str]:
    """A ledger's suppliers: 4,000 distinct names, a few of them registry companies and their variants."""
    from schoon.registry import load_registry

    registry = load_registry(layers=[])
    ours = [a.name for e in registry.entities.values() for a in e.all_names()]
    suppliers = list(dict.fromkeys([fake_name(rng) for _ in range(3_800)]
                                   + [variant(rng.choice(ours), rng) for _ in range(200)]))
    rng.shuffle(suppliers)
    return list(_zipf_choices(rng, suppliers, count))


def distinct_names(count: int, rng: random.Random) -> list[str]:
    seen: dict[str, None] = {}
    while len(seen) < count:
        name = fake_name(rng)
        if name in seen:
            name = f"{name} {rng.randrange(10**6)}"
        seen[name] = None
    return list(seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--ftm", action="store_true", help="also the 1,000,000-entity FtM layer (slow)")
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--only", choices=["help", "identify", "screen", "ftm"], action="append")
    parser.add_argument("--extra", default="", help="extra arguments for identify and screen runs, e.g. '--jobs 1'")
    args = parser.parse_args()
    parts = set(args.only or ["help", "identify", "screen", *(["ftm"] if args.ftm else [])])
    extra = args.extra.split()
    result: dict[str, object] = {"benchmark": "cli", "repeat": args.repeat, "goals": GOALS}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        env = {**os.environ, "SCHOON_CACHE_DIR": str(tmp / "cache"), "SCHOON_DATA_DIR": str(tmp / "data"),
               "SCHOON_REGISTRY_LAYERS": "", "COLUMNS": "120"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed schoon has its bytecode: the first run writes it
        one = tmp / "one.jsonl"
        one.write_text('{"id": "cam-1", "http_server": "Hikvision-Webs", "mac": "44:19:b6:00:00:01"}\n')
        first, _, _ = run(["identify", str(one), "--format", "jsonl"], env)
        result["first_run_builds_cache_s"] = round(first, 3)
        if "help" in parts:
            result["help_s"] = timed(["--help"], env, args.repeat)
        if "identify" in parts:
            result["identify_one_record_s"] = timed(["identify", str(one), "--format", "jsonl"], env, args.repeat)
            banners = tmp / "banners.jsonl"
            records = banner_file(banners, args.records)
            result["identify_repeated_records_share"] = repeated_share(banners)
            base, base_cpu = baseline_rate(banners, min(records, 10_000))
            result["identify_baseline"] = {"records_per_s": round(base), "records_per_cpu_s": round(base_cpu),
                                           "s_for_all_records": round(records / base, 2)}
            for label, jobs in (("jobs_1", ["--jobs", "1"]), ("jobs_default", [])):
                whole = timed(["identify", str(banners), "--format", "jsonl", "-o", str(tmp / "out.jsonl"), *jobs,
                               *extra], env, args.repeat)
                rate = records / float(whole["median_s"])  # type: ignore[arg-type]
                cpu_rate = records / float(whole["median_cpu_s"])  # type: ignore[arg-type]
                result[f"identify_banners_{label}"] = {
                    "records": records, **whole, "records_per_s_whole_process": round(rate),
                    "records_per_cpu_s_whole_process": round(cpu_rate)}
                result[f"identify_speedup_vs_baseline_{label}"] = {"wall": round(rate / base, 1),
                                                                   "cpu": round(cpu_rate / base_cpu, 1)}
        if "screen" in parts:
            rng = random.Random(23)
            result["screen_one_name_s"] = timed(["screen", "--name", "Hikvision Europe B.V.", "--format", "jsonl"],
                                                env, args.repeat)
            for label, names in (("repeated", repeated_names(args.rows, rng)),
                                 ("distinct", distinct_names(args.rows, rng))):
                path = tmp / f"ledger-{label}.csv"
                ledger(path, names, rng)
                whole = timed(["screen", str(path), "--format", "jsonl", "-o", str(tmp / "screen.jsonl"), *extra],
                              env, args.repeat)
                result[f"screen_{label}"] = {"rows": len(names), "distinct_names": len(set(names)), **whole}
                result[f"screen_{label}_names_per_s"] = round(len(names) / float(whole["median_s"]))  # type: ignore[arg-type]
                result[f"screen_{label}_names_per_cpu_s"] = round(len(names) / float(whole["median_cpu_s"]))  # type: ignore[arg-type]
        if "ftm" in parts:
            result["ftm"] = ftm(tmp, env, args.entities, max(1, min(args.repeat, 3)), extra)
    print(json.dumps(result))


def ftm(tmp: Path, env: dict[str, str], count: int, repeat: int, extra: list[str]) -> dict[str, object]:
    """1,000,000 imported entities: first run, then load + first answer and names/s with the cache warm."""
    rng = random.Random(29)
    fake = fake_records(count)
    path = tmp / "generated.ftm.json"
    by_entity: dict[str, list[str]] = {}
    for record in fake:
        by_entity.setdefault(record.entity_id, []).append(record.name)
    with path.open("w", encoding="utf-8") as handle:
        for entity, names in by_entity.items():
            props = {"name": names[:1], "alias": names[1:]} if len(names) > 1 else {"name": names}
            handle.write(json.dumps({"id": entity, "schema": "Company", "properties": props}) + "\n")
    queries = list(dict.fromkeys([variant(rng.choice(fake).name, rng) for _ in range(5_000)]
                                 + [fake_name(rng) for _ in range(20_000)]))[:20_000]
    del fake, by_entity
    names_file = tmp / "ftm-ledger.csv"
    ledger(names_file, queries, rng)
    layered = {**env, "SCHOON_REGISTRY_LAYERS": str(path)}
    first, first_rss, _ = run(["screen", "--name", "Hikvision", "--format", "jsonl"], layered)
    answer = timed(["screen", "--name", "Hikvision", "--format", "jsonl"], layered, repeat)
    whole = timed(["screen", str(names_file), "--format", "jsonl", "-o", str(tmp / "ftm.jsonl"), *extra], layered,
                  repeat)
    screening = max(float(whole["median_s"]) - float(answer["median_s"]), 1e-6)  # type: ignore[arg-type]
    screening_cpu = max(float(whole["median_cpu_s"]) - float(answer["median_cpu_s"]), 1e-6)  # type: ignore[arg-type]
    return {"names_per_cpu_s_after_load": round(len(queries) / screening_cpu),
            "entities": count, "file_mb": round(path.stat().st_size / 2**20), "first_run_s": round(first, 1),
            "first_run_peak_rss_mb": round(first_rss), "load_first_answer": answer, "names": len(queries),
            "whole_file": whole, "names_per_s_after_load": round(len(queries) / screening),
            "names_per_s_whole_process": round(len(queries) / float(whole["median_s"]))}  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
