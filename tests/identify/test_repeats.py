"""Repeated records copied from a template: the output stays exactly the plain path's, bytes and summary alike."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest

from schoon.identify import Engine
from schoon.identify.repeats import Repeats
from schoon.identify.report import Summary, finding_record
from schoon.identify.writers import JsonlWriter
from schoon.ingest import ReadLog, Reject, read
from schoon.registry import load_registry
from tests.cli.helpers import run

AS_OF = "2026-11-28"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEMO = sorted(p for p in EXAMPLES.rglob("*") if p.suffix in (".csv", ".xml") and "moves" not in p.name
              and "capabilities" not in p.parts)  # capability documents are no identify input

ODD_IDS = [" padded ", "quote\"d", "back\\slash", "ünïcødé", "中文", "tab\there", "n.v.t.", "", "-", "onbekend",
           "line\u2028sep", "del\x7f", "emoji 📷", "nbsp\u00a0", "x" * 300, "null\x00", "id", "\"id\""]
SERVERS = ["App-webs/", "DNVRS-Webs", "Hikvision-Webs", "Apache", "nginx", "GoAhead-Webs", "Webs", "uc-httpd 1.0.0",
           "ZXR10 ROS Version V4.08.23", "Huawei VRP"]
ODD = ["ünïcødé", "中文名称", "tab\there", "quote \" and \\ backslash", "line\nbreak", "\u2028sep", "emoji 📷",
       "ctrl \x01\x1f", "del \x7f", "  padded  ", "n.v.t.", "onbekend", "-", "", "nul\x00byte", "\"id\": 1", "Login"]


def _rest(rng: random.Random) -> dict[str, object]:
    """One of a limited set of record bodies (so that many records repeat), some odd, some bad."""
    body: dict[str, object] = {"http_server": rng.choice(SERVERS)}
    if rng.random() < 0.5:
        body["http_title"] = rng.choice(ODD) if rng.random() < 0.5 else f"Camera {rng.randrange(30)}"
    roll = rng.random()
    if roll < 0.15:
        body["mac"] = rng.choice(["44:19:b6:00:00:01", "4419.b600.0002", "zz:zz", "onbekend", "00:00:00:00:00:00"])
    elif roll < 0.3:
        body["ip"] = rng.choice(["192.0.2.7", "DHCP", "not an address", "2001:db8::1", " 192.0.2.8 "])
    elif roll < 0.35:
        body["ports"] = rng.choice([[80, 554], "80,443", [0]])
    elif roll < 0.4:
        body["declared_vendor"] = rng.choice(["Hikvision", "Annke", "Axis", "ACME Ünïcødé", None])
    elif roll < 0.45:
        body["kolom"] = rng.choice(ODD)  # an extra column
    elif roll < 0.48:
        body["favicon_mmh3"] = rng.choice([999357577, "0x10", 2**40])
    return body


def odd_lines(count: int, seed: int = 11) -> list[str]:
    """JSON lines with heavy repetition but for the id, odd ids and values, bad cells and bad lines."""
    rng = random.Random(seed)
    bodies = [_rest(rng) for _ in range(60)]
    lines: list[str] = []
    for n in range(count):
        body = rng.choice(bodies)
        roll = rng.random()
        ident: object = f"dev-{n}"
        if roll < 0.1:
            ident = rng.choice(ODD_IDS)
        elif roll < 0.12:
            ident = n  # a number
        ascii_only = rng.random() < 0.3
        if roll < 0.9:
            record = {"id": ident, **body}
        elif roll < 0.93:
            record = {**body, "id": ident}  # the id not first
        elif roll < 0.95:
            record = dict(body)  # no id: named by address or file:row
        elif roll < 0.96:
            # the id twice: the second one counts, also when the first line of its kind had it equal to the first
            second = rng.choice(["twice", "dev-0"])
            lines.append(json.dumps({"id": rng.choice([second, ident]), **body})[:-1] + f', "id": "{second}"}}')
            continue
        elif roll < 0.97:  # the same, with the second key spelled with escapes
            key = rng.choice(["\\u0069d", "i\\u0064", "\\u0069\\u0064"])
            lines.append(f'{{"id": "{rng.choice(["esc", ident])}", "{key}": "esc", "http_server": "Webs"}}')
            continue
        elif roll < 0.98:
            lines.append(rng.choice(["{not json", "[1, 2]", "", "   ", '{"id": "x", "http_server": "\\ud800"}',
                                     '{"id": "nan", "http_server": NaN}', '{"id": "big", "ports": 1' + "0" * 30 + "}"]))
            continue
        else:
            lines.append(json.dumps({"id": ident, **body}, ensure_ascii=False).replace('{"id": ', '{"id":', 1))
            continue
        lines.append(json.dumps(record, ensure_ascii=ascii_only))
    return lines


def reference(path: Path) -> tuple[bytes, Summary, list[tuple[int | None, str]]]:
    """The plain path: every record read, identified and written with ``json.dumps(finding_record(f))``."""
    engine = Engine(load_registry(layers=[]), as_of=AS_OF)
    summary = Summary()
    rejects = []
    out = []
    for item in read(path):
        if isinstance(item, Reject):
            rejects.append((item.row, item.message))
            summary.rejects += 1
            continue
        finding = engine.run(item)
        summary.add(finding)
        out.append(json.dumps(finding_record(finding), ensure_ascii=False) + "\n")
    return "".join(out).encode("utf-8"), summary, rejects


@pytest.fixture(scope="module")
def odd_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("repeats") / "odd.jsonl"
    path.write_text("\n".join(odd_lines(12_000)) + "\n", encoding="utf-8")
    return path


def test_cli_output_is_byte_identical_to_the_plain_path(odd_file: Path, tmp_path: Path) -> None:
    expected, summary, rejects = reference(odd_file)
    out = tmp_path / "out.jsonl"
    problems = tmp_path / "problems.csv"
    result = run("identify", str(odd_file), "--format", "jsonl", "--as-of", AS_OF, "-o", str(out), "--jobs", "1",
                 "--rejects", str(problems))
    assert result.code == 0, result.err
    assert out.read_bytes() == expected
    assert summary.lines()[0] in result.err
    with problems.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # each bad row keeps its one line, in order; each bad cell of a repeated line is reported again
    assert [(int(r["row"]), r["message"]) for r in rows if r["problem"] == "row rejected"] == rejects
    assert len(rejects) == summary.rejects > 0
    assert sum(r["problem"] == "cell dropped" for r in rows) > 50


def test_only_flagged_summary_and_warnings_equal_the_worker_path(odd_file: Path) -> None:
    args = ("identify", str(odd_file), "--format", "jsonl", "--as-of", AS_OF, "--only-flagged")
    one, two = run(*args, "--jobs", "1"), run(*args, "--jobs", "2")  # --jobs 2 does not copy repeats
    assert one.code == two.code == 0
    assert one.out == two.out and one.out
    assert one.err == two.err
    assert "invalid cell(s) dropped" in one.err  # a repeated line with a bad MAC warns every time


def test_repeats_are_copied_and_equal_the_plain_lines(odd_file: Path) -> None:
    engine = Engine(load_registry(layers=[]), as_of=AS_OF)
    buffer = io.StringIO()
    log = ReadLog()
    repeats = Repeats(JsonlWriter(buffer), log)
    copied: list[int] = []

    def shortcut(ident: str, rest: str, row: int) -> bool:
        template = repeats.find(ident, rest, row)
        if template is None:
            return False
        buffer.write(template.line(f'"{ident}"', row))
        copied.append(row)
        return True

    for item in read(odd_file, log=log, shortcut=shortcut):
        if not isinstance(item, Reject):
            buffer.write(repeats.line(engine.run(item)))
    expected, summary, _ = reference(odd_file)
    assert buffer.getvalue().encode("utf-8") == expected
    assert repeats.hits == len(copied) > 6_000  # most records repeat an earlier one
    assert log.used == summary.records


def test_demo_estate_as_json_lines(tmp_path: Path) -> None:
    assert len(DEMO) >= 3
    lines = []
    for path in DEMO:
        for item in read(path):
            if not isinstance(item, Reject):
                lines.append(json.dumps({**item.to_dict(), **item.extra}, ensure_ascii=False))
    source = tmp_path / "demo.jsonl"
    source.write_text("\n".join(lines * 3) + "\n", encoding="utf-8")  # each record three times over
    expected, _, _ = reference(source)
    out = tmp_path / "out.jsonl"
    result = run("identify", str(source), "--format", "jsonl", "--as-of", AS_OF, "-o", str(out), "--jobs", "1")
    assert result.code == 0, result.err
    assert out.read_bytes() == expected
