"""Throughput and quality of the name matcher (schoon.names).

Prints one JSON line with:

(a) names/s on one core against the bundled registry;
(b) index build time, peak memory (max RSS) and names/s with N generated company entities added
    (``--entities N``, default 1,000,000; fake but realistic names from word lists, legal forms and cities);
(c) precision and recall at the threshold on the company pairs (Company/Organization/LegalEntity) of the
    nomenklatura name benchmark, next to logic-v2's frozen outcome on the same rows;
(d) recall and precision on our labelled supplier set (tests/names/labelled_suppliers.csv).

    .venv/bin/python benchmarks/bench_screen.py                    # 1,000,000 generated entities
    .venv/bin/python benchmarks/bench_screen.py --entities 100000  # quicker

Queries are unique strings and the normalisation cache is cleared before each timing, so repeated names do
not inflate the figures. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import random
import resource
import time
from pathlib import Path

from schoon import settings
from schoon.names import NameMatcher, NameRecord, compare
from schoon.names.normalise import normalise
from schoon.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "names" / "labelled_suppliers.csv"
COMPANY_SCHEMAS = {"Company", "Organization", "LegalEntity"}

SYLLABLES = ("nor", "vex", "ta", "lin", "qua", "ri", "zen", "mo", "kal", "dor", "sen", "tri", "ver", "lo", "pax",
             "ar", "bel", "cor", "den", "el", "fal", "gar", "hol", "is", "jun", "kor", "lum", "mar", "nex", "ol",
             "pra", "quin", "ros", "sol", "tor", "ul", "val", "wen", "xa", "yor", "zel", "bri", "cla", "dra", "fen",
             "glo", "hex", "ion", "kin", "lex", "mir", "nov", "opt", "pri", "rad", "sky", "tek", "uni", "vio", "wyn")
WORDS = ("apex", "summit", "atlas", "beacon", "cedar", "delta", "eagle", "falcon", "granite", "harbor", "iris",
         "jade", "keystone", "lotus", "maple", "nova", "orion", "pioneer", "quantum", "river", "sierra", "titan",
         "vertex", "willow", "zenith", "anchor", "bright", "crown", "dynamic", "evergreen", "frontier", "golden",
         "horizon", "infinity", "liberty", "meridian", "northern", "oak", "pacific", "royal", "silver", "sun",
         "tiger", "ultra", "valley", "western", "blue", "red", "green", "alpha", "omega", "prime", "peak", "arrow",
         "bridge", "castle", "dragon", "phoenix", "lion", "crystal", "diamond", "ocean", "stone", "wolf", "hawk",
         "great", "grand", "smith", "johnson", "miller", "wang", "li", "zhang", "chen", "liu", "huang", "zhou",
         "sun", "ma", "hu", "guo", "lin", "he", "gao", "luo", "kumar", "singh", "patel", "garcia", "muller")
GENERIC = ("Technology", "Technologies", "Tech", "Digital", "Communications", "Networks", "Systems", "Electronics",
           "Information", "Intelligent", "Security", "Vision", "International", "Group", "Holdings", "Industrial",
           "Science", "Software", "Engineering", "Trading", "Solutions", "Products", "Services", "Logistics",
           "Manufacturing", "Consulting", "Energy", "Materials", "Equipment", "Devices")
LEGAL = ("Co., Ltd.", "Co Ltd", "Ltd", "Limited", "Inc", "Inc.", "Corp", "Corporation", "LLC", "B.V.", "N.V.",
         "GmbH", "AG", "S.A.", "S.L.", "S.p.A.", "SARL", "Pty Ltd", "PLC", "Oy", "AB", "A/S", "K.K.", "Pvt Ltd",
         "Sdn Bhd", "")
PLACES = ("Shenzhen", "Hangzhou", "Shanghai", "Beijing", "Guangzhou", "Suzhou", "Xiamen", "Wuhan", "Chengdu",
          "Ningbo", "Dongguan", "USA", "Europe", "UK", "Deutschland", "India", "Hong Kong", "Singapore", "Canada",
          "Australia", "Nederland", "Italia", "France", "Japan", "Korea", "Brasil", "Mexico", "Dubai")


def coined(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 3, 4)))).capitalize()


def fake_name(rng: random.Random) -> str:
    """A fake company name: optional place, one or two distinctive words, generic words, a legal form."""
    parts: list[str] = []
    if rng.random() < 0.35:
        parts.append(rng.choice(PLACES))
    parts.append(coined(rng) if rng.random() < 0.6 else rng.choice(WORDS).capitalize())
    if rng.random() < 0.3:
        parts.append(coined(rng) if rng.random() < 0.5 else rng.choice(WORDS).capitalize())
    parts += rng.sample(GENERIC, rng.choice((0, 1, 1, 2)))
    if rng.random() < 0.15:
        parts.append(rng.choice(PLACES))
    return " ".join([*parts, rng.choice(LEGAL)]).strip()


def fake_records(count: int, seed: int = 7) -> list[NameRecord]:
    rng = random.Random(seed)
    out: list[NameRecord] = []
    for number in range(count):
        name = fake_name(rng)
        entity = f"fake-{number}"
        out.append(NameRecord(entity, entity, name, "legal"))
        if rng.random() < 0.3:  # a short common name for some
            out.append(NameRecord(entity, entity, name.split()[0] if len(name.split()) > 1 else name, "common"))
    return out


def variant(name: str, rng: random.Random) -> str:
    """A supplier-style variant of a name: caps, another legal form, a place, or a typo."""
    roll = rng.random()
    if roll < 0.25:
        return name.upper()
    if roll < 0.5:
        return " ".join([*name.split()[:-1], rng.choice(LEGAL)])
    if roll < 0.75:
        return f"{name} {rng.choice(PLACES)}"
    i = rng.randrange(1, max(2, len(name) - 1))
    return name[:i] + name[i + 1:]


def throughput(matcher: NameMatcher, queries: list[str]) -> float:
    normalise.cache_clear()
    gc.collect()
    start = time.perf_counter()
    for query in queries:
        matcher.match(query)
    return len(queries) / (time.perf_counter() - start)


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def labelled_quality(matcher: NameMatcher) -> dict[str, float | int]:
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    tp = fp = fn = 0
    for row in rows:
        found = matcher.best(row["name"])
        got = found.group_id if found else ""
        expected = row["expected_group"]
        if got and got == expected:
            tp += 1
        else:
            fp += bool(got)
            fn += bool(expected)
    return {"rows": len(rows), "positives": sum(1 for r in rows if r["expected_group"]), "tp": tp, "fp": fp,
            "fn": fn, "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
            "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0}


def _pr(pairs: list[tuple[bool, bool]]) -> dict[str, float | int]:
    tp = sum(1 for truth, pred in pairs if truth and pred)
    fp = sum(1 for truth, pred in pairs if not truth and pred)
    fn = sum(1 for truth, pred in pairs if truth and not pred)
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
            "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0}


def nomenklatura_quality(threshold: float) -> dict[str, object]:
    folder = settings.eval_dir() / "lists"
    cases_path = folder / "nomenklatura_name_bench_cases.csv"
    frozen_path = folder / "nomenklatura_name_bench_logicv2_frozen.csv"
    if not cases_path.exists() or not frozen_path.exists():
        return {"skipped": f"not found in {folder}"}
    with frozen_path.open(encoding="utf-8", newline="") as handle:
        frozen: dict[tuple[str, str, str], list[bool]] = {}
        for row in csv.DictReader(handle):
            key = (row["schema"], row["name1"], row["name2"])
            frozen.setdefault(key, []).append(row["predicted_match"] == "true")
    ours: list[tuple[bool, bool]] = []
    theirs: list[tuple[bool, bool]] = []
    with cases_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["schema"] not in COMPANY_SCHEMAS:
                continue
            key = (row["schema"], row["name1"], row["name2"])
            if not frozen.get(key):
                continue
            truth = row["is_match"] == "true"
            theirs.append((truth, frozen[key].pop(0)))
            ours.append((truth, compare(row["name1"], row["name2"]) >= threshold))
    return {"rows": len(ours), "schoon": _pr(ours), "logic_v2": _pr(theirs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=1_000_000, help="generated company entities for (b)")
    parser.add_argument("--queries", type=int, default=20_000, help="unique queries per timing")
    parser.add_argument("--ftm", action="store_true", help="(b2) instead of (b): write the generated entities "
                        "as an FtM file, load it with load_registry(layers=[file]) and build the matcher from the "
                        "registry; prints load and index time and peak memory")
    args = parser.parse_args()
    if args.ftm:
        print(json.dumps({"b2_ftm_layer": ftm_variant(args.entities, args.queries)}))
        return
    rng = random.Random(11)
    registry = load_registry(layers=[])
    start = time.perf_counter()
    small = NameMatcher.from_registry(registry)
    small_build = time.perf_counter() - start
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        labelled = [r["name"] for r in csv.DictReader(handle)]
    registry_names = [a.name for e in registry.entities.values() for a in e.all_names()]
    queries = list(dict.fromkeys(labelled + [variant(rng.choice(registry_names), rng) for _ in range(3000)]
                                 + [fake_name(rng) for _ in range(args.queries)]))[: args.queries]
    result: dict[str, object] = {
        "threshold": small.threshold,
        "a_registry": {"names_indexed": len(small), "build_s": round(small_build, 3),
                       "names_per_s": round(throughput(small, queries)), "queries": len(queries)},
        "c_nomenklatura_company_pairs": nomenklatura_quality(small.threshold),
        "d_labelled_suppliers": labelled_quality(small),
    }
    if args.entities:
        records = [NameRecord(m.entity_id, m.group_id, m.name, m.kind) for m in _registry_records(registry)]
        fake = fake_records(args.entities)
        gc.collect()
        rss_before = maxrss_mb()
        start = time.perf_counter()
        big = NameMatcher.build(records + fake)
        build = time.perf_counter() - start
        rss_after = maxrss_mb()
        big_queries = list(dict.fromkeys([variant(rng.choice(fake).name, rng) for _ in range(args.queries // 4)]
                                         + queries))[: args.queries]
        result["b_large"] = {
            "generated_entities": args.entities, "names_indexed": len(big), "build_s": round(build, 1),
            "peak_rss_mb": round(rss_after), "rss_before_build_mb": round(rss_before),
            "names_per_s": round(throughput(big, big_queries)), "queries": len(big_queries),
            "labelled_with_noise": labelled_quality(big),
        }
    print(json.dumps(result))


def ftm_variant(count: int, queries: int) -> dict[str, object]:
    """(b2): the generated entities written as FtM Company lines, loaded as a registry layer, indexed."""
    import tempfile

    rng = random.Random(11)
    fake = fake_records(count)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.ftm.json"
        by_entity: dict[str, list[str]] = {}
        for record in fake:
            by_entity.setdefault(record.entity_id, []).append(record.name)
        with path.open("w", encoding="utf-8") as handle:
            for entity, names in by_entity.items():
                props = {"name": names[:1], "alias": names[1:]} if len(names) > 1 else {"name": names}
                handle.write(json.dumps({"id": entity, "schema": "Company", "properties": props}) + "\n")
        size_mb = path.stat().st_size / 2**20
        del by_entity
        gc.collect()
        rss0 = maxrss_mb()
        start = time.perf_counter()
        registry = load_registry(layers=[path])
        load_s = time.perf_counter() - start
        rss_load = maxrss_mb()
        start = time.perf_counter()
        matcher = NameMatcher.for_registry(registry)
        index_s = time.perf_counter() - start
        start = time.perf_counter()
        again = NameMatcher.for_registry(registry)
        reuse_s = time.perf_counter() - start
    big_queries = list(dict.fromkeys([variant(rng.choice(fake).name, rng) for _ in range(queries // 4)]
                                     + [fake_name(rng) for _ in range(queries)]))[:queries]
    return {"generated_entities": count, "ftm_file_mb": round(size_mb), "load_registry_s": round(load_s, 1),
            "index_s": round(index_s, 1), "reuse_s": round(reuse_s, 4), "same_matcher": again is matcher,
            "rss_before_mb": round(rss0), "peak_rss_after_load_mb": round(rss_load), "peak_rss_mb": round(maxrss_mb()),
            "names_indexed": len(matcher), "names_per_s": round(throughput(matcher, big_queries)),
            "queries": len(big_queries)}


def _registry_records(registry: object) -> list[NameRecord]:
    from schoon.registry.registry import Registry

    assert isinstance(registry, Registry)
    out: list[NameRecord] = []
    for entity in registry.entities.values():
        group = registry.group_of(entity.id)
        out += [NameRecord(entity.id, group, a.name, a.kind, a.script) for a in entity.all_names()]
    out += [NameRecord(f"false-friend-{i}", "", f.name, "false_friend") for i, f in enumerate(registry.false_friends)]
    return out


if __name__ == "__main__":
    main()
