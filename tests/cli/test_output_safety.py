"""Data is shown as text: never Rich markup, never live escape sequences, never a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.console import Console

from schoon.cli import output
from tests.cli.helpers import run

HOSTILE_NAMES = ["[/bold]", "[link=http://x]y[/link]", "\x1b[31mrood", "=HYPERLINK(\"http://x\",\"klik\")",
                 "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "bel\x07", "[bold red]luid", "\x1b]8;;http://x\x1b\\z"]
ESCAPES = ("\x1b", "\x07", "\x9b")


def _register(tmp_path: Path) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["Inventarisnummer", "Merk", "Typenummer", "MAC-adres", "IP-adres", "Locatie"])
    for n, name in enumerate(HOSTILE_NAMES):
        writer.writerow([name, "Hikvision", "DS-2CD2386G2-IU", f"44:19:b6:00:00:{n:02x}", f"10.0.0.{n + 1}", name])
    writer.writerow(["MVZ-9", "Hikvision", "DS-2CD2386G2-IU", "zz:zz", "10.0.0.99", "=1+1"])  # a bad MAC cell
    path = tmp_path / "vijandig.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _no_live_escapes(text: str) -> None:
    for char in ESCAPES:
        assert char not in text, repr(text)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Standard output as a 200-column colour terminal, to see what a user's terminal would receive."""
    buffer = io.StringIO()
    monkeypatch.setattr(output, "console", Console(file=buffer, force_terminal=True, width=200, highlight=False,
                                                   soft_wrap=True, markup=False, emoji=False))
    monkeypatch.setattr(output, "stdout_is_terminal", lambda: True)
    return buffer


def test_identify_table_on_a_terminal_shows_names_literally(tmp_path: Path, terminal: io.StringIO) -> None:
    result = run("identify", str(_register(tmp_path)))
    assert result.code == 0, result.err
    shown = terminal.getvalue()
    assert "[/bold]" in shown and "[link=http://x]y[/link]" in shown and "[bold red]luid" in shown
    assert "\\x1b[31mrood" in shown and "bel\\x07" in shown
    assert "\x1b]8;;" not in shown  # no live hyperlink
    assert "\x07" not in shown and "\x1b[31mrood" not in shown


def test_identify_tsv_when_piped_shows_names_escaped(tmp_path: Path) -> None:
    result = run("identify", str(_register(tmp_path)))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split("\t")[:2] == ["id", "verdict"]
    ids = [line.split("\t")[0] for line in lines[1:]]
    assert ids[:3] == ["[/bold]", "[link=http://x]y[/link]", "\\x1b[31mrood"]
    assert "bel\\x07" in ids and "\\x1b]8;;http://x\\x1b\\z" in ids
    _no_live_escapes(result.out + result.err)


def test_explain_and_rejects_on_stderr_are_escaped(tmp_path: Path) -> None:
    register = _register(tmp_path)
    register.write_text(register.read_text(encoding="utf-8") + "\x1b[2J\x07;Axis;P1;;;\n", encoding="utf-8")
    result = run("identify", str(register), "--explain", "--format", "jsonl")
    assert result.code == 0, result.err
    assert "\\x1b[31mrood" in result.err and "\\x1b[2J\\x07" in result.err
    _no_live_escapes(result.err)
    records = [json.loads(line) for line in result.out.splitlines()]
    assert records[2]["id"] == "\x1b[31mrood"  # JSON carries the data as it is (escaped by JSON itself)


def test_identify_csv_and_rejects_csv_are_neutralised(tmp_path: Path) -> None:
    register = _register(tmp_path)
    register.write_text(register.read_text(encoding="utf-8") + "=2+2;Axis;P1;;;\n" + "\"" + "x" * 5 + "\n",
                        encoding="utf-8")
    out, rejects = tmp_path / "out.csv", tmp_path / "rejects.csv"
    result = run("identify", str(register), "--format", "csv", "-o", str(out), "--rejects", str(rejects))
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    ids = [r["id"] for r in rows]
    assert "'=HYPERLINK(\"http://x\",\"klik\")" in ids and "'+cmd|' /C calc'!A0" in ids and "'@SUM(A1:A9)" in ids
    assert "'=2+2" in ids
    assert rows[0]["site"] == "[/bold]"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    for row in csv.reader(io.StringIO(rejects.read_text(encoding="utf-8"))):
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_screen_table_and_csv(tmp_path: Path, terminal: io.StringIO) -> None:
    ledger = tmp_path / "ledger.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["Leverancier", "Bedrag"])
    writer.writerows([name, 1] for name in HOSTILE_NAMES)
    ledger.write_text(buffer.getvalue(), encoding="utf-8")
    table = run("screen", str(ledger))
    assert table.code == 0, table.err
    shown = terminal.getvalue()
    assert "[/bold]" in shown and "[link=http://x]y[/link]" in shown and "[bold red]luid" in shown
    # (the ledger reader already drops control characters from names; nothing live reaches the terminal)
    assert "\x07" not in shown and "\x1b]8;;" not in shown and "\x1b[31m" not in shown
    out = tmp_path / "screened.csv"
    assert run("screen", str(ledger), "--format", "csv", "-o", str(out)).code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    names = [r["name"] for r in rows]
    assert "'=HYPERLINK(\"http://x\",\"klik\")" in names and "'@SUM(A1:A9)" in names
    assert all(not v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_audit_lists_and_reports_with_hostile_names(tmp_path: Path, terminal: io.StringIO) -> None:
    db = f"sqlite:///{tmp_path / 'audit.db'}"
    assert run("audit", "org", "add", "x", "--name", "[/bold] \x1b[31mOrg", "--db", db).code == 0
    imported = run("audit", "import", "--org", "x", "--date", "28-11-2026", str(_register(tmp_path)), "--db", db)
    assert imported.code == 0, imported.err
    for args in (("audit", "devices"), ("audit", "org", "list"), ("audit", "site", "list"), ("audit", "snapshots"),
                 ("audit", "discrepancies")):
        result = run(*args, "--db", db)
        assert result.code == 0, (args, result.err)
    shown = terminal.getvalue()
    assert "[/bold]" in shown and "[link=http://x]y[/link]" in shown and "\\x1b[31mrood" in shown
    assert "\x07" not in shown and "\x1b]8;;" not in shown and "\x1b[31m" not in shown
    xlsx = tmp_path / "x.xlsx"
    report = run("report", "institution", "x", "--format", "xlsx", "-o", str(xlsx), "--db", db, "--lang", "en")
    assert report.code == 0, report.err
    book = load_workbook(xlsx)
    texts = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("bel\\x07" in t for t in texts)  # a character XLSX cannot hold, shown escaped
    assert all(not t.startswith(("=", "+", "@")) for t in texts)
    assert all(c.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)
