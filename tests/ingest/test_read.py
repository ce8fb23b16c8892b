"""read(): stdin, whole-file errors, input_format, the Reject record."""

from __future__ import annotations

import dataclasses
import io
import os
from pathlib import Path

import pytest

from schoon.errors import DataError
from schoon.ingest import Reject, read
from schoon.ingest.types import reject
from schoon.observation import Observation

FIXTURES = Path(__file__).parent / "fixtures"


def test_stdin_jsonl() -> None:
    stdin = io.BytesIO(b'{"ip": "192.0.2.90", "http_server": "DNVRS-Webs"}\nnope\n')
    obs, rej = list(read("-", stdin=stdin))
    assert isinstance(obs, Observation)
    assert (obs.source, obs.row, obs.ip) == ("<stdin>", 1, "192.0.2.90")
    assert isinstance(rej, Reject)
    assert (rej.source, rej.row) == ("<stdin>", 2)


def test_stdin_csv_longer_than_the_detection_head() -> None:
    rows = "".join(f"CAM-{i:05d};Axis;P1;192.0.2.{i % 250 + 1}\n" for i in range(5000))
    stdin = io.BytesIO(("ID;Merk;Type;IP\n" + rows).encode())
    out = list(read("-", stdin=stdin))
    assert len(out) == 5000
    last = out[-1]
    assert isinstance(last, Observation)
    assert (last.row, last.id) == (5001, "CAM-04999")


def test_stdin_nmap() -> None:
    out = list(read("-", stdin=io.BytesIO((FIXTURES / "scan.xml").read_bytes())))
    assert [o.ip for o in out if isinstance(o, Observation)] == ["192.0.2.10", "192.0.2.11", "198.51.100.7"]


def test_missing_file() -> None:
    with pytest.raises(DataError) as info:
        read("/nonexistent/register.csv")
    assert str(info.value) == "/nonexistent/register.csv: file not found"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="is a directory"):
        read(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "secret.csv"
    path.write_text("Merk\nAxis\n")
    path.chmod(0)
    with pytest.raises(DataError, match="cannot read"):
        read(path)


@pytest.mark.parametrize("content", [b"", b"\n\n   \n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(DataError) as info:
        read(path)
    assert str(info.value) == f"{path}: empty file"


def test_empty_file_with_forced_format(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    with pytest.raises(DataError, match="empty file"):
        read(path, input_format="jsonl")


def test_empty_stdin() -> None:
    with pytest.raises(DataError, match=r"^<stdin>: empty file$"):
        read("-", stdin=io.BytesIO(b""))


def test_unknown_input_format(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"unknown input format 'parquet'; choose from jsonl, csv, xlsx"):
        read(tmp_path / "x", input_format="parquet")


def test_forced_csv_on_json_lines_reads_as_one_column(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("Merk\nAxis\n")
    (obs,) = list(read(path, input_format="csv"))
    assert isinstance(obs, Observation) and obs.declared_vendor == "Axis"


def test_reject_is_frozen_and_one_line() -> None:
    rej = reject("f.csv", 3, "bad\nthing   here", "x" * 5000 + "\r\n")
    assert rej == Reject(source="f.csv", row=3, message="bad thing here", raw="x" * 1000)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rej.row = 4  # type: ignore[misc]


def test_abandoned_iteration_closes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Merk\nAxis\nDahua\n")
    records = read(path)
    assert isinstance(next(records), Observation)
    records.close()  # type: ignore[attr-defined]
