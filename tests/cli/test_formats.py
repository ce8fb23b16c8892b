"""Output that fits the user's tools: Dutch Excel CSV, identify's extra columns, TSV when piped, progress bars."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from schoon.cli import output
from tests.cli.helpers import run

DEMO = Path(__file__).resolve().parents[2] / "examples" / "voorbeeldzaken"
BOM = "\ufeff"


def _excel_nl(text: str) -> list[dict[str, str]]:
    assert text.startswith(BOM) and text.count(BOM) == 1
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))


def test_identify_csv_for_dutch_excel(tmp_path: Path) -> None:
    out = tmp_path / "bevindingen.csv"
    result = run("identify", str(DEMO / "register.csv"), "-f", "csv", "--excel-nl", "-o", str(out))
    assert result.code == 0, result.err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = _excel_nl(raw.decode("utf-8"))
    assert len(rows) == 15
    first = rows[0]
    assert first["id"] == "MVZ-0001" and "," in first["confidence"] and "." not in first["confidence"]
    assert first["row"] == "2" and first["source"].endswith("register.csv")
    same = run("identify", str(DEMO / "register.csv"), "-f", "csv", "--csv-dialect", "excel-nl")
    assert same.out.removeprefix(BOM) == raw.decode("utf-8").removeprefix(BOM).replace("\r\n", "\r\n")


def test_identify_csv_keeps_its_columns_and_adds_address_mac_site_and_line() -> None:
    result = run("identify", str(DEMO / "register.csv"), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    old = ["id", "verdict", "manufacturer_id", "group_id", "manufacturer", "brand", "relabel", "model",
           "device_type", "confidence", "listings", "reason", "evidence", "source", "row"]
    assert list(rows[0])[:len(old)] == old
    assert {"ip", "mac", "site"} <= set(rows[0])
    with_mac = [r for r in rows if r["mac"]]
    assert with_mac and all(len(r["mac"]) == 17 for r in with_mac)
    assert any(r["ip"] for r in rows) and any(r["site"] for r in rows)
    assert [r["row"] for r in rows] == [str(n) for n in range(2, 17)]
    assert "." in rows[0]["confidence"]  # the standard dialect keeps a decimal point


def test_jsonl_contract_is_unchanged() -> None:
    result = run("identify", str(DEMO / "register.csv"), "-f", "jsonl")
    record = json.loads(result.out.splitlines()[0])
    assert {"id", "manufacturer_id", "group_id", "brand", "model", "device_type", "confidence", "verdict",
            "listings", "evidence"} <= set(record)
    assert "mac" not in record  # address and MAC stay inside "input", as before


def test_screen_csv_for_dutch_excel(tmp_path: Path) -> None:
    ledger = tmp_path / "crediteuren.csv"
    ledger.write_text("Leverancier;Bedrag\nHikvision Europe B.V.;1\nAxis Communications AB;2\n", encoding="utf-8")
    result = run("screen", str(ledger), "-f", "csv", "--excel-nl")
    assert result.code == 0, result.err
    rows = _excel_nl(result.out)
    hik = next(r for r in rows if r["name"].startswith("Hikvision"))
    assert hik["group_id"] == "hikvision" and "," in hik["score"]


@pytest.fixture
def store(tmp_path: Path) -> str:
    db = f"sqlite:///{tmp_path / 'audit.db'}"
    result = run("audit", "import", "--org", "mvz", "--create", "--date", "02-03-2026", str(DEMO / "register.csv"),
                 "--db", db)
    assert result.code == 0, result.err
    return db


def test_report_csv_follows_the_language_unless_chosen(store: str, tmp_path: Path) -> None:
    nl = run("report", "institution", "mvz", "-f", "csv", "--lang", "nl", "-o", "-", "--db", store,
             "--as-of", "28-11-2026")
    assert nl.code == 0, nl.err
    rows = _excel_nl(nl.out)
    assert rows and "," in next(r["confidence"] for r in rows if r["confidence"])
    en = run("report", "institution", "mvz", "-f", "csv", "--lang", "en", "-o", "-", "--db", store)
    assert not en.out.startswith(BOM) and en.out.startswith("device_id,")
    chosen = run("report", "institution", "mvz", "-f", "csv", "--lang", "nl", "--csv-dialect", "standard", "-o",
                 "-", "--db", store)
    assert chosen.out.startswith("device_id,")
    contradiction = run("report", "national", "-f", "csv", "--csv-dialect", "standard", "--excel-nl", "-o", "-",
                        "--db", store)
    assert contradiction.code == 2 and "contradict" in contradiction.err


def test_report_is_dated_with_the_parsed_date(store: str, tmp_path: Path) -> None:
    out = tmp_path / "antwoord.json"
    result = run("report", "national", "-f", "json", "--as-of", "28-11-2026", "-o", str(out), "--db", store)
    assert result.code == 0, result.err
    assert json.loads(out.read_text(encoding="utf-8"))["as_of"] == "2026-11-28"


def test_tables_are_tab_separated_and_whole_when_piped(tmp_path: Path) -> None:
    register = tmp_path / "r.csv"
    long_site = "Gemeentelijk Kantoor aan de Zeer Lange Straatnaam Die Niet Ophoudt " * 3
    register.write_text(f"Inventarisnummer;Merk;Typenummer;Locatie\nMVZ-LANG-0001;Hikvision;DS-2CD2386G2-IU;"
                        f"{long_site}\n", encoding="utf-8")
    result = run("identify", str(register), "--as-of", "2026-11-28")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "id\tverdict\tmaker\tbrand\tmodel\ttype\tconf.\twhy"  # every column, whatever COLUMNS says
    cells = lines[1].split("\t")
    assert cells[0] == "MVZ-LANG-0001" and len(cells) == 8 and cells[1] == "flagged"
    assert cells[4] == "DS-2CD2386G2-IU"
    assert "…" not in result.out and all("│" not in line for line in lines)
    listed = run("registry", "list")
    header, *rows = listed.out.splitlines()
    assert header.startswith("group\tname\tentities") and any(r.startswith("hikvision\t") for r in rows)


def test_progress_bar_on_a_terminal_has_percentage_and_eta(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    register = tmp_path / "groot.csv"
    register.write_text("Merk;MAC-adres\n" + "".join(f"Hikvision;44:19:b6:00:{n >> 8:02x}:{n & 255:02x}\n"
                                                     for n in range(3000)), encoding="utf-8")
    screen = io.StringIO()
    monkeypatch.setattr(output, "err_console", Console(file=screen, force_terminal=True, width=120))
    result = run("identify", str(register), "-f", "csv", "-o", str(tmp_path / "out.csv"))
    assert result.code == 0, result.err
    drawn = screen.getvalue()
    assert "identifying" in drawn and "%" in drawn and "eta" in drawn and "/3000" in drawn


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    result = run("identify", str(DEMO / "register.csv"), "-f", "csv", "-o", str(tmp_path / "out.csv"))
    assert "identifying" not in result.err and "\x1b" not in result.err


def test_worker_processes_write_the_same_safe_csv(tmp_path: Path) -> None:
    register = tmp_path / "r.csv"
    register.write_text("Inventarisnummer;Merk;MAC-adres\n" + "".join(
        f"{'=HYPERLINK(1)' if n % 7 == 0 else f'MVZ-{n}'};Hikvision;44:19:b6:00:{n >> 8:02x}:{n & 255:02x}\n"
        for n in range(300)), encoding="utf-8")
    for dialect in ("standard", "excel-nl"):
        one = run("identify", str(register), "-f", "csv", "--csv-dialect", dialect, "--jobs", "1")
        two = run("identify", str(register), "-f", "csv", "--csv-dialect", dialect, "--jobs", "2")
        assert one.code == two.code == 0, two.err
        assert one.out == two.out
        assert one.out.count("\ufeff") == (1 if dialect == "excel-nl" else 0)
        assert "'=HYPERLINK(1)" in two.out and "\n=HYPERLINK" not in two.out


def test_audit_diff_takes_dutch_dates_and_writes_dutch_excel(store: str) -> None:
    again = run("audit", "import", "--org", "mvz", "--date", "01-09-2026", str(DEMO / "register-2026-09.csv"),
                "--db", store)
    assert again.code == 0, again.err
    table = run("audit", "diff", "--org", "mvz", "--from", "02-03-2026", "--to", "2026-09-01", "--db", store)
    assert table.code == 0, table.err
    assert table.out.splitlines()[1].startswith("change\t")  # TSV after the one-line summary
    rows = _excel_nl(run("audit", "diff", "--org", "mvz", "--from", "2-3-2026", "-f", "csv", "--excel-nl",
                         "--db", store).out)
    assert rows and set(rows[0]) >= {"change", "device_id", "asset_id"}
    bad = run("audit", "diff", "--org", "mvz", "--from", "maart 2026", "--db", store)
    assert bad.code == 2 and "not a date" in bad.err and bad.err.count("\n") == 1
