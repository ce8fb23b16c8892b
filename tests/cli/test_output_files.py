"""Output paths: never over an input, whole or not at all, one line when impossible, '-' is standard output."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tests.cli.helpers import run

DEMO = Path(__file__).resolve().parents[2] / "examples" / "voorbeeldzaken"


def _one_line(result: object, needle: str) -> None:
    code, err = result.code, result.err  # type: ignore[attr-defined]
    assert code == 2 and err.count("\n") == 1 and err.startswith("schoon: error: ") and needle in err, err


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "register.csv"
    path.write_bytes((DEMO / "register.csv").read_bytes())
    return path


def test_an_input_is_never_overwritten(register: Path, tmp_path: Path) -> None:
    before = register.read_bytes()
    link = tmp_path / "alias.csv"
    link.symlink_to(register)
    for args in (("identify", str(register), "-o", str(register)),
                 ("identify", str(register), "-f", "csv", "-o", str(link)),
                 ("identify", str(register), "--rejects", str(register)),
                 ("screen", str(register), "-o", str(register)),
                 ("screen", "--name", "x", "--decisions", str(register), "-o", str(register))):
        _one_line(run(*args), "it is also an input")
    assert register.read_bytes() == before


def test_a_report_never_overwrites_its_database(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    assert run("audit", "init", "--db", f"sqlite:///{db}").code == 0
    before = db.read_bytes()
    _one_line(run("report", "national", "-f", "csv", "-o", str(db), "--db", f"sqlite:///{db}"), "also an input")
    assert db.read_bytes() == before


@pytest.mark.parametrize(("target", "needle"), [("{tmp}", "is a folder"), ("{tmp}/nope/out.csv", "does not exist"),
                                                 ("/dev/full", "No space left on device")])
def test_bad_outputs_are_one_line(target: str, needle: str, register: Path, tmp_path: Path) -> None:
    path = target.format(tmp=tmp_path)
    _one_line(run("identify", str(register), "-f", "csv", "-o", path), needle)
    _one_line(run("screen", "--name", "Hikvision", "-o", path), needle)
    db = f"sqlite:///{tmp_path / 'audit.db'}"
    assert run("audit", "init", "--db", db).code == 0
    _one_line(run("report", "national", "-f", "html", "-o", path, "--db", db), needle)
    assert not (tmp_path / "nope").exists()


def test_a_failed_run_leaves_the_old_output(register: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "findings.csv"
    out.write_text("last week's findings\n", encoding="utf-8")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    _one_line(run("identify", str(register), "-f", "csv", "-o", str(out)), "No space left on device")
    assert out.read_text(encoding="utf-8") == "last week's findings\n"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".part"] == []
    monkeypatch.undo()
    broken = tmp_path / "broken.csv"
    broken.write_text("Merk\n", encoding="utf-8")  # a header and no rows is fine, a missing second file is not
    _one_line(run("identify", str(register), str(tmp_path / "missing.csv"), "-f", "csv", "-o", str(out)),
              "file not found")
    assert out.read_text(encoding="utf-8") == "last week's findings\n"


def test_dash_is_standard_output_everywhere(register: Path, tmp_path: Path) -> None:
    assert run("identify", str(register), "-f", "csv", "-o", "-").out.startswith("id,verdict,")
    assert run("screen", "--name", "Hikvision", "-f", "jsonl", "-o", "-").out.startswith("{")
    assert run("registry", "export", "-f", "csv", "-o", "-").out.startswith("id,name,")
    db = f"sqlite:///{tmp_path / 'audit.db'}"
    assert run("audit", "import", "--org", "mvz", "--create", str(register), "--db", db).code == 0
    html = run("report", "national", "-f", "html", "-o", "-", "--db", db, "--lang", "en")
    assert html.code == 0, html.err
    assert html.out.lstrip().lower().startswith("<!doctype html") and "wrote" not in html.out
    rejects = run("identify", str(register), "--rejects", "-", "-f", "csv")
    _one_line(rejects, "both go to standard output")
    same = tmp_path / "same.csv"
    _one_line(run("identify", str(register), "-o", str(same), "--rejects", str(same)), "also an input")


def test_records_and_rejects_written_to_files(tmp_path: Path) -> None:
    register = tmp_path / "r.csv"
    register.write_text("Merk;MAC-adres\nHikvision;44:19:b6:00:00:01\nAxis;nonsense\n", encoding="utf-8")
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rejects.csv"
    result = run("identify", str(register), "-f", "jsonl", "-o", str(out), "--rejects", str(rejects))
    assert result.code == 0, result.err
    assert result.out == ""
    assert len(out.read_text(encoding="utf-8").splitlines()) >= 1
    assert rejects.read_text(encoding="utf-8").startswith("source,row,message,raw")
