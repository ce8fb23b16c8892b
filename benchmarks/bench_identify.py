"""Throughput of the identify engine on a generated corpus of mixed observations.

Prints one JSON line: observations per second for the engine (one core, the shipped rules compiled into one
multi-pattern database per field, repeated values cached) and for a plain baseline that tries the same rules
one regex at a time with no cache; peak memory (max RSS) after a small and after the full run, to show that
memory stays flat as the input grows (the corpus is generated and consumed as a stream).

    .venv/bin/python benchmarks/bench_identify.py                 # 1,000,000 observations
    .venv/bin/python benchmarks/bench_identify.py --count 200000  # quicker

Nothing is asserted: the figures go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import time
from collections.abc import Iterator

from schoon.identify import Engine, load_rulebook
from schoon.identify.multipattern import hyperscan_available
from schoon.identify.rules import LoadedRule, Rule, RuleBook
from schoon.observation import Observation
from schoon.registry import Registry, Source, load_registry

SERVERS = ["App-webs/", "DNVRS-Webs", "Hikvision-Webs", "DVRDVS-Webs", "Apache", "Apache/2.4.57 (Debian)", "nginx",
           "nginx/1.24.0", "lighttpd/1.4.59", "Boa/0.94.14rc21", "GoAhead-Webs", "Webs", "uc-httpd 1.0.0",
           "Microsoft-IIS/10.0", "AXIS", "thttpd/2.25b 29dec2003", "mini_httpd/1.30 26Oct2018", "Embedthis-http",
           "Mbedthis-Appweb/2.4.2", "Hipcam", "cloudflare", "openresty", "Jetty(9.4.z-SNAPSHOT)", "Server"]
TITLES = ["", "NVR", "Login", "WEB SERVICE", "index", "AXIS", "Network Camera", "DVR Components Download",
          "IP Camera", "Site doesn't have a title.", "Bosch Security Systems", "Web Client"]
RTSP = ["Dahua Rtsp Server", "Rtsp Server/2.0", "Hikvision", "GStreamer RTSP server", "Wowza Streaming Engine",
        "Hipcam RealServer/V1.0"]
AUTH = ['Digest realm="Hikvision", nonce="abc"', 'Basic realm="AXIS_ACCC8E012345"', 'Digest realm="DVRNVRDVS"',
        'Basic realm="device"', 'Digest realm="Login to ND0219110012345"', 'Basic realm="Restricted"']
SYSDESCR = ["Huawei Versatile Routing Platform Software VRP (R) software, Version 5.170", "Linux 4.9.37",
            "Cisco IOS Software, C2960X Software", "ZXR10 ROS Version V4.08.23 ZXR10 2928E", "HP ProCurve J9280A"]
OUIS = ["4419B6", "BC5E33", "3CEF8C", "E0508B", "48EA63", "E4E66C", "6469BC", "34D262", "0CA64C", "ACCC8E",
        "00408C", "000918", "001F54", "00E04C", "B827EB", "F4F5D8", "001A2B", "DCA632"]
MODELS = ["DS-2CD2386G2-IU", "DS-7608NXI-I2/8P/S", "IPC-HFW2431S-S-S2", "M3106-L Mk II", "NDE-3502-AL",
          "XNV-6080R", "IPC2124LB-SF28KM-G", "PD785G", "Matrice 30T", "S5735-L24P4S-A", "C800", "LNE8964AB"]
VENDORS = ["Hikvision", "Dahua", "Axis", "Bosch", "Hanwha Vision", "Annke", "Lorex", "Uniview", "Milestone",
           "Avigilon", "Hytera", "Motorola Solutions", "Huawei", "Cisco"]


def corpus(count: int, seed: int = 7) -> Iterator[Observation]:
    """A stream of mixed observations: banners (30% of values unique per device), MACs, models, names."""
    rng = random.Random(seed)
    for n in range(count):
        kind = n % 4
        fields: dict[str, object] = {"id": str(n)}
        if kind in (0, 1):  # banner observations, as from a scan
            fields["http_server"] = rng.choice(SERVERS)
            fields["http_title"] = rng.choice(TITLES) if rng.random() < 0.7 else f"Camera {rng.randrange(10**6)}"
            if rng.random() < 0.4:
                fields["rtsp_server"] = rng.choice(RTSP)
            if rng.random() < 0.4:
                fields["http_www_authenticate"] = rng.choice(AUTH)
            if rng.random() < 0.3:
                fields["tls_subject"] = f"CN=198.51.{rng.randrange(256)}.{rng.randrange(256)}, C=CN"
            if rng.random() < 0.1:
                fields["snmp_sysdescr"] = rng.choice(SYSDESCR)
        if kind in (1, 2):  # network evidence
            fields["mac"] = rng.choice(OUIS) + f"{rng.randrange(2**24):06X}"
        if kind == 3:  # register lines
            fields["model"] = rng.choice(MODELS)
            fields["declared_vendor"] = rng.choice(VENDORS)
        yield Observation.from_mapping(fields)


def measure(engine: Engine, count: int) -> float:
    observations = list(corpus(count))  # built before timing: the engine is what is measured
    gc.collect()
    gc.freeze()  # the corpus is long-lived: keep the collector from re-scanning it during timing
    start = time.perf_counter()
    for obs in observations:
        engine.run(obs)
    return count / (time.perf_counter() - start)


def stream(engine: Engine, count: int) -> tuple[float, float]:
    """Run a generated stream end to end (generation included); return obs/s and max RSS in MiB."""
    start = time.perf_counter()
    for obs in corpus(count):
        engine.run(obs)
    rate = count / (time.perf_counter() - start)
    return rate, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def with_synthetic_rules(registry: Registry, backend: str, extra: int) -> RuleBook:
    """The shipped rules plus ``extra`` synthetic rules that never match the corpus (the size of a Recog-like
    fingerprint database), spread over the banner fields, to show how each approach scales with rule count."""
    book = load_rulebook(registry, backend=backend)  # type: ignore[arg-type]
    source = Source(title="synthetic", date="2026")
    fields = ["http_server", "http_title", "http_body", "http_www_authenticate", "rtsp_server", "tls_subject"]
    rules = list(book.rules)
    for n in range(extra):
        rule = Rule(id=f"synthetic-{n}", fields=[fields[n % len(fields)]],
                    pattern=rf"^Vendor{n:05d}[- ](?:Web|Cam|NVR)(?:Server)?/\d+\.\d+", points_to="hikvision",
                    weight=0.5, explain="synthetic", source="synthetic", examples=[f"Vendor{n:05d}-Web/1.0"])
        rules.append(LoadedRule(rule, source, "synthetic"))
    return RuleBook(rules, book.favicons, book.ports, backend)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--baseline-count", type=int, default=20_000)
    parser.add_argument("--synthetic-rules", type=int, default=2_000)
    args = parser.parse_args()
    registry = load_registry(layers=[])
    backend = "hyperscan" if hyperscan_available() else "re"
    engine = Engine(registry, rules=load_rulebook(registry, backend=backend), as_of="2026-11-28")
    baseline = Engine(registry, rules=load_rulebook(registry, backend="re"), as_of="2026-11-28", cache_limit=0)
    small = min(args.count // 10, 100_000)
    _, rss_small = stream(engine, small)
    stream_rate, rss_full = stream(engine, args.count)
    engine_rate = measure(engine, min(args.count, 200_000))
    banner_engine = Engine(registry, rules=engine.rules, as_of="2026-11-28")
    banners = [o for o in corpus(200_000) if o.http_server and not o.mac]
    start = time.perf_counter()
    for obs in banners:
        banner_engine.run(obs)
    banner_rate = len(banners) / (time.perf_counter() - start)
    baseline_rate = measure(baseline, args.baseline_count)
    big = with_synthetic_rules(registry, backend, args.synthetic_rules)
    big_engine = Engine(registry, rules=big, as_of="2026-11-28")
    big_baseline = Engine(registry, rules=with_synthetic_rules(registry, "re", args.synthetic_rules),
                          as_of="2026-11-28", cache_limit=0)
    big_rate = measure(big_engine, min(args.count, 200_000))
    big_baseline_rate = measure(big_baseline, max(args.baseline_count // 10, 500))
    print(json.dumps({
        "benchmark": "identify", "observations": args.count, "backend": backend,
        "rules": len(engine.rules.rules), "engine_obs_per_s": round(engine_rate),
        "engine_stream_obs_per_s_incl_generation": round(stream_rate),
        "engine_banner_obs_per_s": round(banner_rate),
        "baseline_obs_per_s": round(baseline_rate), "speedup_vs_baseline": round(engine_rate / baseline_rate, 1),
        "max_rss_mib_after_small_run": round(rss_small, 1), "small_run": small,
        "max_rss_mib_after_full_run": round(rss_full, 1),
        "with_synthetic_rules": len(big.rules), "engine_obs_per_s_many_rules": round(big_rate),
        "baseline_obs_per_s_many_rules": round(big_baseline_rate),
        "speedup_vs_baseline_many_rules": round(big_rate / big_baseline_rate, 1),
    }))


if __name__ == "__main__":
    main()
