"""Every option is parsed before a command runs: dates, choices, the database; help says what to type."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer._click.core import Context  # Typer's own copy of Click

from schoon.cli import command
from tests.cli.helpers import run

DEMO = Path(__file__).resolve().parents[2] / "examples" / "voorbeeldzaken"
PLACEHOLDERS = re.compile(r"<(str|int|float|bool|path|list\[[^>]*\]|[a-z]+)>|\bTEXT\b|\bPATH\b|\bINTEGER\b|\bFLOAT\b"
                          r"|\bBOOLEAN\b|<class |typing\.|list\[")


def _one_line_error(result: Any, *needles: str) -> None:
    assert result.code == 2, (result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("schoon: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert "Traceback" not in result.err


def test_a_dutch_date_judges_like_the_iso_date() -> None:
    iso = run("identify", str(DEMO / "register.csv"), "--format", "jsonl", "--as-of", "2026-11-28")
    dutch = run("identify", str(DEMO / "register.csv"), "--format", "jsonl", "--as-of", "28-11-2026")
    assert iso.code == dutch.code == 0
    assert iso.out == dutch.out
    verdicts = [json.loads(line)["verdict"] for line in dutch.out.splitlines()]
    assert verdicts.count("flagged") >= 5  # a Dutch date once made every record clear


@pytest.mark.parametrize("args", [
    ("identify", str(DEMO / "register.csv"), "--as-of", "11/28/2026"),
    ("identify", str(DEMO / "register.csv"), "--as-of", "31-02-2026"),
    ("registry", "show", "hikvision", "--as-of", "gisteren"),
    ("screen", "--name", "Hikvision", "--as-of", "2026/01/31"),
    ("report", "national", "-o", "x.html", "--as-of", "2026.11.28"),
    ("audit", "org", "add", "mvz", "--deadline", "30 juni 2026"),
    ("audit", "org", "deadline", "mvz", "2026-6-30"),
    ("audit", "import", "--org", "mvz", "--date", "1/3/2026", str(DEMO / "register.csv")),
    ("audit", "mark", "1", "--state", "replaced", "--date", "2026-06-31"),
    ("audit", "mark", "1", "--state", "exempted", "--review", "20270301"),
])
def test_other_dates_are_one_line(args: tuple[str, ...]) -> None:
    result = run(*args)
    _one_line_error(result, "Invalid value for '")
    assert ("not a date" in result.err and "(use 2026-11-28 or 28-11-2026)" in result.err) or "no such day" in result.err


@pytest.mark.parametrize(("args", "needles"), [
    (("identify", str(DEMO / "register.csv"), "--format", "tabel"), ("'tabel'", "table", "jsonl", "csv")),
    (("identify", str(DEMO / "register.csv"), "--input-format", "xlxs"), ("'xlxs'", "xlsx", "nmap-xml")),
    (("identify", str(DEMO / "register.csv"), "--fail-on", "flaged"), ("'flaged'", "flagged")),
    (("identify", str(DEMO / "register.csv"), "--policy", "defualt"), ("defualt", "default")),
    (("identify", str(DEMO / "register.csv"), "--csv-dialect", "excel"), ("'excel'", "standard", "excel-nl")),
    (("screen", "--name", "x", "--format", "xml"), ("'xml'", "jsonl")),
    (("screen", "--name", "x", "--threshold", "7"), ("--threshold",)),
    (("audit", "devices", "--verdict", "flaged"), ("'flaged'", "flagged, clear, unknown")),
    (("audit", "devices", "--state", "in-use"), ("'in-use'", "in_use")),
    (("audit", "site", "add", "mvz", "Den Haag", "--sensitivity", "hoog"), ("'hoog'", "high")),
    (("audit", "site", "add", "mvz", "Den Haag", "--owner-kind", "huurder"), ("'huurder'", "landlord")),
    (("audit", "import", "--org", "x", "--kind", "a.csv=regsiter", "a.csv"), ("regsiter", "register, scan")),
    (("report", "national", "-o", "x.html", "--lang", "de"), ("'de'", "nl, en")),
    (("report", "national", "-o", "x.html", "--format", "docx"), ("'docx'", "html, pdf, xlsx, csv, json")),
    (("report", "national", "-o", "x.html", "--policy", "strikt"), ("strikt",)),
    (("identify", str(DEMO / "register.csv"), "--fromat", "csv"), ("--fromat", "--format")),
])
def test_typos_in_choices_are_refused_with_the_choices(args: tuple[str, ...], needles: tuple[str, ...],
                                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "audit.db"
    monkeypatch.setenv("SCHOON_DB_URL", f"sqlite:///{db}")
    run("audit", "init")
    _one_line_error(run(*args), *needles)


def test_choices_ignore_case() -> None:
    result = run("identify", str(DEMO / "register.csv"), "--input-format", "CSV", "--format", "jsonl")
    assert result.code == 0, result.err


@pytest.mark.parametrize(("url", "needle"), [
    ("sqlite://", "in-memory database"),
    ("sqlite:///:memory:", "in-memory database"),
    ("sqlite:///{tmp}", "is a folder"),
    ("sqlite:///{tmp}/missing.db", "no database at"),
    ("sqlite:///{register}", "is not a SQLite database"),
])
def test_database_settings_are_one_line(url: str, needle: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    value = url.format(tmp=tmp_path, register=DEMO / "register.csv")
    for args in (("audit", "devices"), ("audit", "snapshots"), ("report", "national", "-o", str(tmp_path / "a.html"))):
        _one_line_error(run(*args, "--db", value), "--db: ", needle)
        monkeypatch.setenv("SCHOON_DB_URL", value)
        _one_line_error(run(*args), "SCHOON_DB_URL: ", needle)
        monkeypatch.delenv("SCHOON_DB_URL")
    assert not (tmp_path / "missing.db").exists()  # reading never creates an empty store


def test_a_missing_database_folder_is_refused_except_by_init(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'audit.db'}"
    _one_line_error(run("audit", "org", "add", "mvz", "--db", url), "does not exist")
    assert run("audit", "init", "--db", url).code == 0
    assert run("audit", "org", "add", "mvz", "--db", url, "--deadline", "30-06-2026").code == 0
    listed = run("audit", "org", "list", "--db", url)
    assert "2026-06-30" in listed.out


def test_setting_files_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHOON_REGISTRY_LAYERS", str(tmp_path / "gone.ftm.json"))
    _one_line_error(run("registry", "search", "hik"), "SCHOON_REGISTRY_LAYERS", "no such file")
    monkeypatch.setenv("SCHOON_REGISTRY_LAYERS", str(tmp_path))
    _one_line_error(run("registry", "search", "hik"), "SCHOON_REGISTRY_LAYERS", "folder")


def _subcommands(cmd: Any) -> dict[str, Any]:
    """A group's subcommands through Click's own interface (works for lazily loaded groups too)."""
    if not hasattr(cmd, "list_commands"):
        return {}
    ctx = Context(cmd)
    return {name: cmd.get_command(ctx, name) for name in cmd.list_commands(ctx)}


def _leaves(cmd: Any, path: tuple[str, ...] = ()) -> list[tuple[str, bool]]:
    subs = _subcommands(cmd)
    found = [(path, bool(subs))] if path else []
    for name, sub in subs.items():
        found += _leaves(sub, (*path, name))
    return found


def test_help_shows_no_type_placeholders_and_an_example_per_command() -> None:
    paths = _leaves(command())
    assert len(paths) >= 20
    for path, is_group in paths:
        helped = run(*path, "--help")
        assert helped.code == 0, (path, helped.err)
        text = helped.out
        assert not PLACEHOLDERS.search(text), (path, PLACEHOLDERS.search(text), text)
        if not is_group:
            assert "Example: schoon " in text, (path, text)
    root = run("--help")
    assert root.code == 0 and not PLACEHOLDERS.search(root.out)
