"""The lean output path writes exactly the bytes of the plain one, and --jobs changes nothing but speed."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest

from schoon.identify import Engine
from schoon.identify.report import finding_record
from schoon.identify.writers import JsonlWriter
from schoon.ingest import Reject, read
from schoon.observation import Observation
from schoon.registry import load_registry
from tests.cli.helpers import run

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEMO = sorted(p for p in EXAMPLES.rglob("*") if p.suffix in (".csv", ".xml", ".jsonl") and "moves" not in p.name
              and "capabilities" not in p.parts)  # capability documents are no identify input

SERVERS = ["App-webs/", "DNVRS-Webs", "Hikvision-Webs", "Apache", "nginx", "Boa/0.94.14rc21", "GoAhead-Webs", "Webs",
           "uc-httpd 1.0.0", "Dahua Rtsp Server", "Hipcam", "ZXR10 ROS Version V4.08.23", "Huawei VRP"]
ODD = ["ünïcødé", "中文名称", "tab\there", "quote \" and \\ backslash", "line\nbreak", "\u2028sep", "emoji 📷",
       "ctrl \x01\x1f", "del \x7f"]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_registry(layers=[]), as_of="2026-11-28")


def _plain_and_lean(engine: Engine, observations: list[Observation]) -> tuple[list[str], list[str]]:
    buffer = io.StringIO()
    writer = JsonlWriter(buffer)
    plain = []
    for obs in observations:
        finding = engine.run(obs)
        plain.append(json.dumps(finding_record(finding), ensure_ascii=False))
        writer.write(finding)
    return plain, buffer.getvalue().split("\n")[:-1]  # not splitlines: U+2028 is inside a JSON string


def generated(count: int, seed: int = 3) -> list[Observation]:
    """Mixed observations with repeated and unique banners, odd characters, ports, hashes and extra columns."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        fields: dict[str, object] = {}
        if rng.random() < 0.9:
            fields["id"] = f"dev-{n}"
        fields["http_server"] = rng.choice(SERVERS)
        if rng.random() < 0.5:
            fields["http_title"] = rng.choice(ODD) if rng.random() < 0.3 else f"Camera {rng.randrange(10**5)}"
        if rng.random() < 0.3:
            fields["mac"] = f"44:19:b6:{rng.randrange(256):02x}:{rng.randrange(256):02x}:01"
        if rng.random() < 0.2:
            fields["ports"] = rng.sample([80, 443, 554, 8000, 37777], rng.randrange(0, 4))
        if rng.random() < 0.1:
            fields["favicon_mmh3"] = rng.choice([999357577, -1234567, 0])
        if rng.random() < 0.2:
            fields["declared_vendor"] = rng.choice(["Hikvision", "Annke", "Axis", "ACME Ünïcødé", "Lorex"])
            fields["model"] = rng.choice(["DS-2CD2386G2-IU", "IPC-HFW2431S", None, "M3106"])
        if rng.random() < 0.1:
            fields["firmware"] = "V5.7.3 build 220112"
        extra = {"kolom": rng.choice(ODD), "site code": str(n)} if rng.random() < 0.3 else {}
        out.append(Observation.from_mapping(fields, source=f"generated-{seed}.jsonl" if n % 2 else None,
                                            row=n + 1 if n % 3 else None, extra=extra))
    return out


@pytest.mark.parametrize("path", DEMO, ids=lambda p: p.name)
def test_lean_jsonl_equals_plain_on_the_demo_estate(engine: Engine, path: Path) -> None:
    observations = [r for r in read(path) if not isinstance(r, Reject)]
    assert observations
    plain, lean = _plain_and_lean(engine, observations)
    assert lean == plain


def test_lean_jsonl_equals_plain_on_a_large_generated_file(engine: Engine) -> None:
    plain, lean = _plain_and_lean(engine, generated(20_000))
    assert len(lean) == 20_000
    assert lean == plain


def test_demo_estate_is_found() -> None:
    assert len(DEMO) >= 3


def _write_input(path: Path, count: int) -> None:
    lines = []
    for n, obs in enumerate(generated(count, seed=5)):
        lines.append(json.dumps({**obs.to_dict(), **obs.extra}, ensure_ascii=False))
        if n % 997 == 0:
            lines.append("{not json")  # rejects in the middle keep their place
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_jobs_keep_input_order_and_output(tmp_path: Path, fmt: str) -> None:
    source = tmp_path / "in.jsonl"
    _write_input(source, 9_000)
    one, two = tmp_path / "one.out", tmp_path / "two.out"
    first = run("identify", str(source), "--format", fmt, "--as-of", "2026-11-28", "-o", str(one), "--jobs", "1",
                "--rejects", str(tmp_path / "r1.csv"))
    second = run("identify", str(source), "--format", fmt, "--as-of", "2026-11-28", "-o", str(two), "--jobs", "2",
                 "--rejects", str(tmp_path / "r2.csv"))
    assert first.code == second.code == 0
    assert one.read_bytes() == two.read_bytes()
    assert (tmp_path / "r1.csv").read_bytes() == (tmp_path / "r2.csv").read_bytes()
    # the same rejects, in order, and the same summary (stderr names each run's own rejects file)
    assert first.err.replace("r1.csv", "r?.csv") == second.err.replace("r2.csv", "r?.csv")
    if fmt == "jsonl":
        ids = [json.loads(line)["id"] for line in one.read_text(encoding="utf-8").split("\n")[:-1]]
        assert len(ids) == 9_000
        # a record without its own id is named by its address (issue 13), else by file:row
        expected = [o.id or o.ip or o.mac or f"in.jsonl:{n}" for n, o in enumerate(generated(9_000, seed=5))]
        assert [i for i in ids if not i.startswith("in.jsonl:")] == [e for e in expected if not e.startswith("in.")]


def test_jobs_only_flagged_and_summary_agree(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    _write_input(source, 3_000)
    args = ("identify", str(source), "--format", "jsonl", "--as-of", "2026-11-28", "--only-flagged")
    one, two = run(*args, "--jobs", "1"), run(*args, "--jobs", "2")
    assert one.out == two.out and one.out
    assert one.err == two.err
