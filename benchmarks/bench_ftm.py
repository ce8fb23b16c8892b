"""Whole-process speed of screening with a large imported FtM layer: ``bench_cli.py --ftm`` without the rest.

    .venv/bin/python benchmarks/bench_ftm.py                      # 1,000,000 generated entities
    .venv/bin/python benchmarks/bench_ftm.py --entities 100000 --repeat 3

The layer (``bench_screen.fake_records``: generated companies with aliases, as FtM ``Company`` lines) is given to
``schoon`` through ``SCHOON_REGISTRY_LAYERS``, with a fresh cache folder. Printed: the first run (which builds the
cache), then with the cache warm: load + first answer (``schoon screen --name Hikvision``), a 20,000-name ledger
(names/s after load), the peak RSS and the CPU time of each process. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cli import ftm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--extra", default="", help="extra arguments for the ledger run, e.g. '--jobs 1'")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        env = {**os.environ, "SCHOON_CACHE_DIR": str(tmp / "cache"), "SCHOON_DATA_DIR": str(tmp / "data"),
               "SCHOON_REGISTRY_LAYERS": "", "COLUMNS": "120"}
        print(json.dumps({"benchmark": "ftm", **ftm(tmp, env, args.entities, args.repeat, args.extra.split())}))


if __name__ == "__main__":
    main()
