"""``schoon screen``: one name, a file, stdin; formats, summary, exit codes, decisions."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.helpers import run

LEDGER = ("Leverancier;Omschrijving;Bedrag\nHikvision Europe B.V.;camera;100\nAxis Communications AB;camera;200\n"
          ";leeg;3\nDahua Technology Co., Ltd.;nvr;4\n")


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def test_one_name() -> None:
    result = run("screen", "--name", "Hikvision Europe B.V.", "--format", "jsonl")
    assert result.code == 0, result.err
    (record,) = [json.loads(line) for line in result.out.splitlines()]
    assert record["name"] == "Hikvision Europe B.V." and record["group_id"] == "hikvision"
    assert {"entity_id", "score", "explanation"} <= record.keys()
    assert "possible match" in result.err


def test_no_match_is_not_a_clearance() -> None:
    result = run("screen", "--name", "Axis Communications AB")
    assert result.code == 0
    assert "not a clearance" in result.out


@pytest.mark.parametrize(("args", "code"), [
    ([], 0), (["--fail-on", "match"], 1), (["--threshold", "0.99"], 0),
])
def test_exit_codes(ledger: Path, args: list[str], code: int) -> None:
    assert run("screen", str(ledger), *args).code == code


@pytest.mark.parametrize("args", [
    ["--name", ""], ["--name", "x", "file.csv"], [], ["no-such-file.csv"], ["--name", "x", "--threshold", "2"],
])
def test_errors_are_one_line_exit_2(args: list[str]) -> None:
    result = run("screen", *args)
    assert result.code == 2
    assert result.err.startswith("schoon: error:") and len(result.err.strip().splitlines()) == 1


def test_jsonl_file_in_input_order_with_own_columns(ledger: Path) -> None:
    result = run("screen", str(ledger), "--format", "jsonl")
    records = [json.loads(line) for line in result.out.splitlines()]
    assert [r["line"] for r in records] == [2, 3, 4, 5]
    assert [r["group_id"] for r in records] == ["hikvision", None, None, "dahua"]
    assert records[2]["status"] == "no usable name"
    assert records[0]["input"] == {"supplier": "Hikvision Europe B.V.", "Omschrijving": "camera", "Bedrag": "100"}
    assert "screened 4 name(s): 2 possible match(es) for review" in result.err
    assert "1 with no usable name" in result.err


def test_csv_from_stdin_with_extra_columns() -> None:
    result = run("screen", "-", "--format", "csv", stdin=LEDGER)
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [r["group_id"] for r in rows] == ["hikvision", "", "", "dahua"]
    assert rows[0]["Omschrijving"] == "camera" and rows[0]["Bedrag"] == "100"


def test_table_and_output_file(ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = run("screen", str(ledger), "--format", "jsonl", "--output", str(out))
    assert result.code == 0 and result.out == ""
    assert len(out.read_text().splitlines()) == 4
    table = run("screen", str(ledger))
    assert "hikvision" in table.out and "no usable name" in table.out


def test_column_option(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Who,What\nHytera Communications,radio\n")
    assert json.loads(run("screen", str(path), "--column", "Who", "-f", "jsonl").out)["group_id"] == "hytera"
    assert run("screen", str(path)).code == 2


def test_broken_row_reported_rest_screened(tmp_path: Path) -> None:
    path = tmp_path / "l.jsonl"
    path.write_text('{"name": "Hikvision"}\n{broken\n{"name": "Dahua"}\n')
    result = run("screen", str(path), "-f", "jsonl")
    assert result.code == 0
    assert [json.loads(x)["status"] for x in result.out.splitlines()] == ["match", "rejected", "match"]
    assert f"rejected {path}:2" in result.err and "1 rejected row(s)" in result.err


def test_decide_then_screen(tmp_path: Path, isolated_data_dir: Path) -> None:
    first = json.loads(run("screen", "--name", "Hikvision Europe B.V.", "-f", "jsonl").out)
    decided = run("screen", "decide", "Hikvision Europe BV", "--is-not", first["entity_id"], "--by", "JJ",
                  "--note", "test")
    assert decided.code == 0, decided.err
    assert (isolated_data_dir / "decisions.csv").exists()
    after = json.loads(run("screen", "--name", "HIKVISION EUROPE B.V.", "-f", "jsonl").out)
    assert after["entity_id"] != first["entity_id"]
    run("screen", "decide", "Acme Trading", "--is", "dahua", "--by", "W")
    acme = json.loads(run("screen", "--name", "ACME trading", "-f", "jsonl").out)
    assert (acme["entity_id"], acme["score"]) == ("dahua", 1.0)
    assert acme["explanation"].startswith("analyst decision by W on ")


@pytest.mark.parametrize("args", [
    ["Acme", "--by", "W"], ["Acme", "--is", "dahua", "--is-not", "zte", "--by", "W"],
    ["Acme", "--is", "no-such-entity", "--by", "W"],
])
def test_decide_errors(args: list[str]) -> None:
    result = run("screen", "decide", *args)
    assert result.code == 2 and result.err.startswith("schoon: error:")


def test_bad_decisions_file(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("name,decision,entity_id,by,date,note\nAcme,perhaps,dahua,W,2026-01-01,\n")
    result = run("screen", "--name", "Dahua", "--decisions", str(path))
    assert result.code == 2 and f"{path}:2: decision:" in result.err


def test_policy_verdict_listings_and_ownership_in_every_format(tmp_path: Path) -> None:
    path = tmp_path / "crediteuren.csv"
    path.write_text("Crediteurnaam\nDahua Technology USA Inc.\n\"Huawei Investment & Holding Co., Ltd.\"\n"
                    "Axis Communications AB\n", encoding="utf-8")
    lines = run("screen", str(path), "-f", "jsonl", "--as-of", "2026-11-28")
    records = [json.loads(x) for x in lines.out.splitlines()]
    assert [(r["group_id"], r["verdict"]) for r in records] == [("dahua-usa", "clear"), ("huawei", "flagged"),
                                                                (None, "clear")]
    assert records[0]["relation"] == "former Dahua subsidiary, sold 2024-01; not listed itself"
    assert records[0]["ownership"][0]["end"] == "2024-01" and records[0]["policy"] == "default"
    assert "us-dod-1260h" in records[1]["listings"]
    assert "1 flagged under the policy" in lines.err
    rows = list(csv.DictReader(io.StringIO(run("screen", str(path), "-f", "csv", "--as-of", "2026-11-28").out)))
    assert [r["verdict"] for r in rows] == ["clear", "flagged", "clear"]
    assert "us-dod-1260h" in rows[1]["listings"].split() and rows[0]["relation"].startswith("former Dahua")
    table = run("screen", str(path), "--as-of", "2026-11-28")
    assert "flagged" in table.out and "former Dahua" in table.out


def test_policy_and_as_of_change_the_verdict() -> None:
    then = json.loads(run("screen", "--name", "Dahua Technology USA Inc.", "-f", "jsonl", "--as-of",
                          "2023-01-01").out)
    assert then["verdict"] == "flagged" and then["as_of"] == "2023-01-01"
    bis = json.loads(run("screen", "--name", "EZVIZ", "-f", "jsonl", "--policy", "us-bis-entity-list").out)
    assert (bis["entity_id"], bis["verdict"], bis["policy"]) == ("ezviz", "clear", "us-bis-entity-list")


def test_fail_on_flagged(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Leveranciersnaam\nDahua Technology USA Inc.\n", encoding="utf-8")
    assert run("screen", str(path), "--fail-on", "flagged").code == 0  # a match, but not flagged today
    assert run("screen", str(path), "--fail-on", "match").code == 1
    assert run("screen", str(path), "--fail-on", "flagged", "--as-of", "2023-01-01").code == 1


@pytest.mark.parametrize("args", [["--as-of", "yesterday"], ["--policy", "no-such-policy"]])
def test_bad_policy_or_date_is_one_line(args: list[str]) -> None:
    result = run("screen", "--name", "Dahua", *args)
    assert result.code == 2 and result.err.startswith("schoon: error:") and len(result.err.strip().splitlines()) == 1


def test_as_of_accepts_a_dutch_date() -> None:
    record = json.loads(run("screen", "--name", "Dahua Technology USA Inc.", "-f", "jsonl", "--as-of",
                            "01-06-2023").out)
    assert (record["as_of"], record["verdict"]) == ("2023-06-01", "flagged")
