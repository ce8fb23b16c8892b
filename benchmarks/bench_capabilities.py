"""Capability audit throughput: read and classify capability documents, import them into a store, and build the
national report that counts them.

    .venv/bin/python benchmarks/bench_capabilities.py                  # 2,000 devices, 3 documents each
    .venv/bin/python benchmarks/bench_capabilities.py --devices 200    # quicker

The estate is one register of ``--devices`` Hikvision and Dahua cameras; each gets a system capability document
(Hikvision) or a rule and a caps export (Dahua), written here from the documented field names, linked by a
manifest (serial). Prints one JSON line with wall and CPU seconds per stage; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from schoon.audit import Store, import_snapshot
from schoon.audit.capabilities import import_capabilities
from schoon.audit.reportdata import build
from schoon.capabilities import classify_files
from schoon.identify import Engine
from schoon.registry import load_registry
from schoon.registry.policy import load_policy

NS = "http://www.isapi.org/ver20/XMLSchema"


def _hik(i: int) -> str:
    face = "true" if i % 3 == 0 else "false"
    filler = "".join(f"<isSupportChannel{n}>true</isSupportChannel{n}>" for n in range(60))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<DeviceCap version="2.0" xmlns="{NS}"><SysCap>{filler}</SysCap>'
            f"<EventCap><isSupportHDFull>true</isSupportHDFull><isSupportFaceContrast>{face}</isSupportFaceContrast>"
            "<isSupportFaceSnap>true</isSupportFaceSnap></EventCap>"
            f"<isSupportHumanAttribute>{face}</isSupportHumanAttribute></DeviceCap>\n")


def _dahua(i: int) -> tuple[str, str]:
    rules = "".join(f"table.VideoAnalyseRule[0][{n}].Class=Normal\ntable.VideoAnalyseRule[0][{n}].Enable=true\n"
                    f"table.VideoAnalyseRule[0][{n}].Type=CrossLineDetection\n" for n in range(20))
    rules += ("table.VideoAnalyseRule[0][20].Class=FaceAnalysis\ntable.VideoAnalyseRule[0][20].Enable=true\n"
              "table.VideoAnalyseRule[0][20].Type=FaceAnalysis\n")
    if i % 10 == 1:
        rules += "table.VideoAnalyseRule[0][20].Config.emNation=EM_NATION_TYPE_UYGUR\n"
    caps = ("caps.SupportedScenes[0]=Normal\ncaps.SupportedScenes[1]=FaceAnalysis\n"
            "caps.SupportedRules[0]=FaceDetection\n")
    return rules, caps


def _timed(stage: str, figures: dict[str, object], fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    figures[stage] = {"wall_s": round(time.perf_counter() - wall, 2), "cpu_s": round(time.process_time() - cpu, 2)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        register = root / "register.csv"
        docs = root / "caps"
        docs.mkdir()
        lines = ["Inventarisnummer;Locatie;Merk;Typenummer;Serienummer;MAC-adres"]
        manifest = ["file,document,serial,mac,ip,asset_id"]
        count = 0
        for i in range(args.devices):
            serial = f"SN{i:08d}"
            mac = f"44:19:b6:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}"
            if i % 2 == 0:
                lines.append(f"A-{i};Site {i % 50};Hikvision;DS-2CD2386G2-IU;{serial};{mac}")
                (docs / f"{i}-system.xml").write_text(_hik(i), encoding="utf-8")
                manifest.append(f"{i}-system.xml,hik-system-capabilities,{serial},,,")
                count += 1
            else:
                lines.append(f"A-{i};Site {i % 50};Dahua;IPC-HFW2431S-S-S2;{serial};{mac}")
                rules, caps = _dahua(i)
                (docs / f"{i}-rules.txt").write_text(rules, encoding="utf-8")
                (docs / f"{i}-caps.txt").write_text(caps, encoding="utf-8")
                manifest += [f"{i}-rules.txt,dahua-video-analyse-rule,{serial},,,",
                             f"{i}-caps.txt,dahua-video-analyse-caps,{serial},,,"]
                count += 2
        register.write_text("\n".join(lines) + "\n", encoding="utf-8")
        (docs / "manifest.csv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
        figures: dict[str, object] = {"devices": args.devices, "documents": count,
                                      "document_bytes": sum(p.stat().st_size for p in docs.iterdir())}
        results = _timed("classify", figures, classify_files, [docs])
        figures["findings"] = sum(len(r.findings) for r in results)
        store = Store.open(f"sqlite:///{root / 'audit.db'}")
        store.add_org("org")
        registry = load_registry(layers=[])
        _timed("register_import", figures, import_snapshot, store, Engine(registry), "org", [str(register)],
               taken_on="2026-11-01")
        done = _timed("capability_import", figures, import_capabilities, store, "org", [docs])
        figures["matched"] = done.matched
        data = _timed("national_report_data", figures, build, store, registry, load_policy("default"))
        figures["capabilities"] = {row["capability"]: row["devices"] for row in data["capabilities"]}
        classify_s = figures["classify"]["wall_s"]  # type: ignore[index]
        figures["documents_per_s"] = round(count / classify_s) if classify_s else None
        store.close()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
