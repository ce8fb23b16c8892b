"""``schoon measure`` as a user runs it: JSON, CSV and HTML output, rejects on stderr, errors in one line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.cli.helpers import run
from tests.measure.scenario import SINCE, UNTIL, Truth

Scan = tuple[Path, Path, Truth]


def test_json_to_a_file_and_rejects_on_stderr(scan: Scan, tmp_path: Path) -> None:
    path, prefixes, truth = scan
    target = tmp_path / "out.json"
    done = run("measure", str(path), "--prefixes", str(prefixes), "--since", SINCE, "--until", UNTIL, "-o", str(target))
    assert done.code == 0, done.err
    result = json.loads(target.read_text())
    assert {g["group_id"]: g["devices"] for g in result["by_group"]} == truth.by_group
    assert {"records", "devices", "by_group", "by_sector", "excluded", "caveats"} <= set(result)
    rejected = [line for line in done.err.splitlines() if line.startswith("schoon: rejected")]
    assert [int(line.split(":")[2]) for line in rejected] == truth.broken_lines
    assert "addresses" not in done.out


def test_csv_and_html_in_both_languages(scan: Scan) -> None:
    path, prefixes, _ = scan
    done = run("measure", str(path), "--prefixes", str(prefixes), "--since", SINCE, "--until", UNTIL, "--format", "csv")
    assert done.code == 0, done.err
    rows = list(csv.DictReader(io.StringIO(done.out)))
    assert {"breakdown": "group", "key": "hikvision", "group_id": "", "devices": "12"} in rows
    assert {"breakdown": "sector", "key": "onderwijs", "group_id": "hikvision", "devices": "6"} in rows
    assert {"breakdown": "device_type", "key": "", "group_id": "dahua", "devices": "<5"} in rows
    nl = run("measure", str(path), "--prefixes", str(prefixes), "--format", "html")
    assert nl.code == 0 and "<html lang=\"nl\">" in nl.out and "Per gemeente" in nl.out and "Kanttekeningen" in nl.out
    assert "10.1.0.1" not in nl.out  # aggregates only
    en = run("measure", str(path), "--format", "html", "--lang", "en", "--per-address")
    assert en.code == 0 and "By municipality" in en.out and "notifying the owners" in en.out
    assert "10.1.0.1" in en.out and "not for publication" in en.err


def test_per_address_json_and_previous(scan: Scan, tmp_path: Path) -> None:
    path, _, _ = scan
    first = tmp_path / "first.json"
    assert run("measure", str(path), "--since", SINCE, "--until", UNTIL, "-o", str(first)).code == 0
    again = run("measure", str(path), "--since", SINCE, "--until", UNTIL, "--previous", str(first), "--per-address")
    assert again.code == 0, again.err
    result = json.loads(again.out)
    assert all(row["change"] == 0 for row in result["change"]["by_group"])
    assert len(result["per_address"]) == 22 and "notifying" in result["per_address_notice"]


def test_errors_are_one_line(scan: Scan, tmp_path: Path) -> None:
    path, _, _ = scan
    done = run("measure", str(tmp_path / "missing.json"))
    assert done.code == 2 and done.err.strip().endswith("missing.json: file not found")
    assert "Traceback" not in done.err
    done = run("measure", str(path), "--workers", "2", "--scheduler", "tcp://127.0.0.1:1")
    assert done.code == 2 and "not both" in done.err
    done = run("measure", str(path), "--input-format", "pcap")
    assert done.code == 2 and "unknown scan format 'pcap'" in done.err


def test_standard_input_plain_and_gzipped(scan: Scan, tmp_path: Path) -> None:
    """``schoon measure -`` reads standard input (gzip by its content) with the same numbers and line numbers."""
    import gzip

    path, prefixes, truth = scan
    args = ("--prefixes", str(prefixes), "--since", SINCE, "--until", UNTIL)
    from_file = run("measure", str(path), *args)
    assert from_file.code == 0, from_file.err
    expected = json.loads(from_file.out)
    data = path.read_bytes()
    for given in (data, gzip.compress(data)):
        done = run("measure", "-", *args, stdin=given)
        assert done.code == 0, done.err
        result = json.loads(done.out)
        assert {g["group_id"]: g["devices"] for g in result["by_group"]} == truth.by_group
        assert result["execution"]["files"] == ["-"]
        assert {k: v for k, v in result.items() if k != "execution"} == {
            k: v for k, v in expected.items() if k != "execution"}
        rejected = [line for line in done.err.splitlines() if line.startswith("schoon: rejected")]
        assert [line.split(":")[1].strip() for line in rejected] == ["rejected -"] * len(truth.broken_lines)
        assert [int(line.split(":")[2]) for line in rejected] == truth.broken_lines
    assert not list(Path(tempfile_dir()).glob("schoon-measure-stdin-*"))  # the spooled copy is gone


def test_standard_input_errors(scan: Scan) -> None:
    import gzip

    path, _, _ = scan
    truncated = gzip.compress(path.read_bytes())[:-40]
    done = run("measure", "-", stdin=truncated)
    assert done.code == 2 and done.err.startswith("schoon: error: -: cannot read standard input"), done.err
    remote = run("measure", "-", "--scheduler", "tcp://127.0.0.1:9", stdin=b"")
    assert remote.code == 2 and "remote Dask cluster" in remote.err
    twice = run("measure", "-", "-", stdin=b"")
    assert twice.code == 2 and "once" in twice.err


def tempfile_dir() -> str:
    """The folder temporary files go to."""
    import tempfile

    return tempfile.gettempdir()
