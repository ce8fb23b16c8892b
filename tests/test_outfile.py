"""Output files are written whole or not at all, never over an input, and refused in one line when they cannot be.

A full device is tested twice: simulated at the file boundary (``os.fsync`` failing with ENOSPC, as a full disk
does when the data reaches it), and for real on a 64 KiB tmpfs when the tests run as root (mounting needs it).
"""

from __future__ import annotations

import errno
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from schoon.errors import SchoonError
from schoon.outfile import OutputError, check_output, open_output, write_bytes, write_text


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_a_file_is_written_and_keeps_the_old_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_text(target, "new Zürich\n")
    assert target.read_text(encoding="utf-8") == "new Zürich\n"
    assert (target.stat().st_mode & 0o777) == 0o640
    assert _leftovers(tmp_path) == []


def test_an_error_while_writing_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("the old report", encoding="utf-8")
    with pytest.raises(RuntimeError), open_output(target) as out:
        out.write("half a new rep")
        raise RuntimeError("crash in the middle")
    assert target.read_text(encoding="utf-8") == "the old report"
    assert _leftovers(tmp_path) == []


def test_a_full_disk_is_one_line_and_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "findings.csv"
    target.write_text("previous findings", encoding="utf-8")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError) as caught, open_output(target) as out:
        out.write("x" * 10_000)
    assert "No space left on device" in str(caught.value) and "\n" not in str(caught.value)
    assert target.read_text(encoding="utf-8") == "previous findings"
    assert _leftovers(tmp_path) == []


def test_dev_full_is_one_line() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("this system has no /dev/full")
    with pytest.raises(OutputError, match="No space left on device"):
        write_bytes("/dev/full", b"x" * 100_000)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs, mounted for the test (needs root; skipped with the reason otherwise)."""
    mount = tmp_path / f"tiny-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tiny tmpfs needs root; the simulated full disk above still runs")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True,
                          check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_really_full_device_keeps_the_old_file(tiny_disk: Path) -> None:
    target = tiny_disk / "answer.html"
    target.write_text("the answer of last week", encoding="utf-8")
    with pytest.raises(OutputError, match="No space left on device"):
        write_bytes(target, b"x" * 200_000)
    assert target.read_text(encoding="utf-8") == "the answer of last week"
    assert _leftovers(tiny_disk) == []


def test_an_input_is_never_an_output(tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    register.write_text("Merk\nHikvision\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(register)
    hard = tmp_path / "hard.csv"
    os.link(register, hard)
    relative = os.path.relpath(register)
    (tmp_path / "sub").mkdir()
    for target in (register, link, hard, Path(relative), tmp_path / "sub" / ".." / "register.csv"):
        with pytest.raises(OutputError, match="it is also an input"):
            check_output(target, inputs=[str(register)])
    with pytest.raises(OutputError, match="it is also an input"):
        write_text(register, "gone", inputs=["-", None, str(hard)])
    assert register.read_text(encoding="utf-8") == "Merk\nHikvision\n"


def test_folders_and_missing_folders_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder"):
        check_output(tmp_path)
    with pytest.raises(OutputError, match="does not exist"):
        check_output(tmp_path / "no" / "such" / "out.csv")
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="not a folder"):
        check_output(afile / "out.csv")
    assert issubclass(OutputError, SchoonError)


def test_dash_is_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    write_text("-", "to stdout\n")
    write_text(None, "also\n")
    assert capsys.readouterr().out == "to stdout\nalso\n"


def test_a_special_file_is_written_in_place_not_replaced() -> None:
    write_bytes("/dev/null", b"nothing")
    assert Path("/dev/null").is_char_device()
