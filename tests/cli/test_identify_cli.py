"""``schoon identify``: formats, stdin, policies, exit codes, rejects and explanations, on the demo estate."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.cli.helpers import run

DEMO = Path(__file__).resolve().parents[2] / "examples" / "voorbeeldzaken"
CONTRACT = {"id", "manufacturer_id", "group_id", "brand", "model", "device_type", "confidence", "verdict",
            "listings", "evidence"}


def _jsonl(*args: str, stdin: str | None = None) -> list[dict[str, object]]:
    result = run("identify", *args, "--format", "jsonl", stdin=stdin)
    assert result.code == 0, result.err
    return [json.loads(line) for line in result.out.splitlines()]


def test_register_table_shows_flagged_devices_and_summary() -> None:
    result = run("identify", str(DEMO / "register.csv"))
    assert result.code == 0, result.err
    assert "MVZ-0001" in result.out and "flagged" in result.out
    assert "15 records: 9 flagged, 5 clear, 1 unknown; 2 relabels; 0 rejected" in result.err
    assert "flagged by group: hikvision 4" in result.err


def test_jsonl_contract_and_input_order() -> None:
    records = _jsonl(str(DEMO / "register.csv"))
    assert [r["id"] for r in records] == [f"MVZ-{n:04d}" for n in range(1, 16)]
    for record in records:
        assert set(record) >= CONTRACT
        assert 0 <= float(record["confidence"]) <= 1  # type: ignore[arg-type]
        for item in record["evidence"]:  # type: ignore[attr-defined]
            assert {"signal", "value", "points_to", "weight", "detail"} <= set(item)
    by_id = {r["id"]: r for r in records}
    annke = by_id["MVZ-0003"]
    assert (annke["group_id"], annke["brand"], annke["relabel"], annke["verdict"]) == ("hikvision", "Annke", True,
                                                                                        "flagged")
    axis_label = by_id["MVZ-0004"]
    assert axis_label["group_id"] == "hikvision" and any("Axis" in c for c in axis_label["conflicts"])  # type: ignore[attr-defined]
    assert by_id["MVZ-0005"]["verdict"] == "clear" and by_id["MVZ-0005"]["group_id"] is None
    assert by_id["MVZ-0013"]["device_type"] == "drone"
    assert "us-fcc-covered" in by_id["MVZ-0001"]["listings"]  # type: ignore[operator]
    assert by_id["MVZ-0001"]["input"]["Opmerking"] == "Entree, buitencamera"  # type: ignore[index]


def test_nmap_scan_and_policy() -> None:
    records = _jsonl(str(DEMO / "camera-vlan.xml"))
    assert len(records) == 6  # the down host is not a record
    dahua = [r for r in records if r["group_id"] == "dahua"]
    assert len(dahua) == 1 and dahua[0]["verdict"] == "flagged"
    ndaa = {r["id"]: r for r in _jsonl(str(DEMO / "register.csv"), "--policy", "us-ndaa-889")}
    assert ndaa["MVZ-0013"]["verdict"] == "clear"  # DJI is not an NDAA §889 company
    assert ndaa["MVZ-0001"]["verdict"] == "flagged"


def test_stdin_and_only_flagged() -> None:
    lines = "\n".join(json.dumps(x) for x in (
        {"id": "a", "http_server": "DNVRS-Webs", "mac": "44:19:b6:00:00:01"},
        {"id": "b", "mac": "00:40:8c:00:00:01", "declared_vendor": "Axis"},
    )) + "\n"
    records = _jsonl("-", stdin=lines)
    assert [r["id"] for r in records] == ["a", "b"]
    flagged = _jsonl("-", "--only-flagged", stdin=lines)
    assert [r["id"] for r in flagged] == ["a"]


def test_fail_on_and_rejects(tmp_path: Path) -> None:
    source = tmp_path / "mixed.jsonl"
    source.write_text('{"id": "ok", "mac": "44:19:b6:00:00:01"}\n{garbage\n{"id": "bad", "mac": "zz"}\n',
                      encoding="utf-8")
    plain = run("identify", str(source))
    assert plain.code == 0
    assert "rejected" in plain.err and f"{source}:2" in plain.err
    assert run("identify", str(source), "--fail-on", "flagged").code == 1
    # Issue 13.4: the bad MAC of line 3 is dropped with a warning and the rest of the line is used (its record
    # is then unknown); only line 2, which is not JSON, is rejected.
    assert "warning" in plain.err and f"{source}:3: column 'mac'" in plain.err
    assert run("identify", str(source), "--fail-on", "unknown").code == 1
    rejects = tmp_path / "rejects.csv"
    with_file = run("identify", str(source), "--fail-on", "reject", "--rejects", str(rejects))
    assert with_file.code == 1
    assert f"{source}:2" not in with_file.err and "1 row(s) rejected, 1 invalid cell(s) dropped" in with_file.err
    rows = list(csv.DictReader(io.StringIO(rejects.read_text(encoding="utf-8"))))
    assert [(r["row"], r["column"], r["problem"]) for r in rows] == [("2", "", "row rejected"),
                                                                      ("3", "mac", "cell dropped")]
    assert "MAC address" in rows[1]["message"]


def test_csv_output_and_explain() -> None:
    result = run("identify", str(DEMO / "inkoop.csv"), "--format", "csv", "--explain")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == 7
    assert rows[0]["group_id"] == "hikvision" and rows[0]["verdict"] == "flagged"
    assert "+ " in result.err and "basis:" in result.err


def test_column_map_override(tmp_path: Path) -> None:
    source = tmp_path / "odd.csv"
    source.write_text("Asset;Fabrikaat;Hardware adres\nX1;Hikvision;44:19:b6:00:00:09\n", encoding="utf-8")
    records = _jsonl(str(source), "--map", "Fabrikaat=declared_vendor", "--map", "Hardware adres=mac")
    assert records[0]["group_id"] == "hikvision" and records[0]["confidence"] == 1.0 - 0.1 * 0.4


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    missing = run("identify", str(tmp_path / "nope.csv"))
    assert missing.code == 2 and missing.err.startswith("schoon: error: ") and missing.err.count("\n") == 1
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    result = run("identify", str(empty))
    assert result.code == 2 and "empty" in result.err and "Traceback" not in result.err
    assert run("identify", str(empty), "--map", "nonsense").code == 2
