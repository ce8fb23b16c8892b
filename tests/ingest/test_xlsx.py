"""Excel workbooks through openpyxl read-only: sheet row numbers, empty rows, cell types, sheets."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from schoon.errors import DataError
from schoon.ingest import read
from schoon.ingest.xlsx import cell_text
from schoon.observation import Observation


def workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Camera's"
    ws.append([])  # row 1 empty: the header is the first non-empty row
    ws.append(["Assetnummer", "Fabrikant", "Modelnummer", "MAC-adres", "IP-adres", "Poorten", "Aangeschaft"])
    ws.append([1001, "Hikvision", "DS-2CD2386G2-IU", "c056e3aabbcc", "192.0.2.70", 80, dt.date(2021, 6, 1)])
    ws.append([])
    ws.append([1002, "Dahua", "IPC-HFW5442E", "bad-mac", "192.0.2.71", None, None])
    ws.append([1003.0, "Axis", "Q6135-LE", None, "192.0.2.72", "80;443", dt.datetime(2022, 1, 2, 3, 4)])
    other = wb.create_sheet("Recorders")
    other.append(["Merk", "Type"])
    other.append(["Hikvision", "DS-7608NXI-K2"])
    wb.save(path)
    return path


def test_first_sheet_rows_and_values(tmp_path: Path) -> None:
    path = workbook(tmp_path / "register.xlsx")
    reading = read(path)
    out = list(reading)
    assert [(type(r).__name__, r.row) for r in out] == [("Observation", 3), ("Observation", 5), ("Observation", 6)]
    first, rej, third = out
    assert isinstance(first, Observation)
    assert first.evidence_fields() == {
        "id": "1001", "declared_vendor": "Hikvision", "model": "DS-2CD2386G2-IU", "mac": "c0:56:e3:aa:bb:cc",
        "ip": "192.0.2.70", "ports": (80,)}
    assert first.extra == {"Aangeschaft": "2021-06-01"}
    assert first.source == str(path)
    assert isinstance(rej, Observation)  # the bad MAC cell is dropped with a warning; the row is used
    assert (rej.id, rej.declared_vendor, rej.mac, rej.ip) == ("1002", "Dahua", None, "192.0.2.71")
    assert [w.line() for w in reading.log.warnings] == [
        f"{path}:5: column 'MAC-adres': not a MAC address: 'bad-mac'; cell dropped"]
    assert isinstance(third, Observation)
    assert (third.id, third.ports, third.extra) == ("1003", (80, 443), {"Aangeschaft": "2022-01-02T03:04:00"})


def test_named_sheet_and_missing_sheet(tmp_path: Path) -> None:
    path = workbook(tmp_path / "register.xlsx")
    (obs,) = list(read(path, sheet="Recorders"))
    assert isinstance(obs, Observation)
    assert (obs.row, obs.declared_vendor, obs.model) == (2, "Hikvision", "DS-7608NXI-K2")
    with pytest.raises(DataError, match=r"no sheet 'Nope'; sheets: Camera's, Recorders"):
        list(read(path, sheet="Nope"))


def test_xlsx_from_stdin(tmp_path: Path) -> None:
    data = workbook(tmp_path / "register.xlsx").read_bytes()
    out = list(read("-", stdin=io.BytesIO(data)))
    assert [r.row for r in out] == [3, 5, 6]
    assert out[0].source == "<stdin>"


def test_column_map_on_xlsx(tmp_path: Path) -> None:
    path = workbook(tmp_path / "register.xlsx")
    first = next(iter(read(path, column_map={"Aangeschaft": "firmware"})))
    assert isinstance(first, Observation)
    assert (first.firmware, first.extra) == ("2021-06-01", {})


def test_broken_zip_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(DataError, match=r"broken.xlsx: not a readable .xlsx workbook"):
        list(read(path))


def test_cell_text() -> None:
    assert cell_text(None) == ""
    assert cell_text(80.0) == "80"
    assert cell_text(1.5) == "1.5"
    assert cell_text(True) == "true"
    assert cell_text(dt.date(2024, 3, 4)) == "2024-03-04"
    assert cell_text(dt.datetime(2024, 3, 4)) == "2024-03-04"
    assert cell_text(dt.datetime(2024, 3, 4, 5, 6)) == "2024-03-04T05:06:00"
