"""Delimited registers: header mapping, row numbers, rejects, extra columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoon.errors import DataError
from schoon.ingest import Reject, read
from schoon.observation import Observation

FIXTURES = Path(__file__).parent / "fixtures"


def records(path: Path | str, **kwargs: object) -> list[Observation | Reject]:
    return list(read(path, **kwargs))  # type: ignore[arg-type]


def test_dutch_register_with_bom_and_semicolons() -> None:
    out = records(FIXTURES / "register_nl.csv")
    assert [(type(r).__name__, r.row) for r in out] == [
        ("Observation", 2), ("Observation", 3), ("Observation", 5), ("Observation", 8), ("Reject", 9),
        ("Observation", 10),
    ]
    first = out[0]
    assert isinstance(first, Observation)
    assert first.id == "CAM-0001"  # the BOM does not stick to the first header
    assert first.declared_vendor == "Hikvision"
    assert first.model == "DS-2CD2143G2-I"
    assert first.mac == "c0:56:e3:12:34:56"
    assert first.ip == "192.0.2.10"
    assert first.site == "Hoofdgebouw, hal"
    assert first.org == "Gemeente Voorbeeld"
    assert first.serial == "DS-2CD2143G2-I20210101AAWRF12345678"
    assert first.firmware == "V5.7.3"
    assert first.supplier == "Beveiliging BV"
    assert first.ports == (80, 443, 554)
    assert first.source == str(FIXTURES / "register_nl.csv")
    assert first.extra == {}


def test_a_bad_cell_is_dropped_with_a_warning_and_the_row_is_used() -> None:
    # Issue 13.4: one invalid MAC or port cell no longer costs the row (it used to be rejected whole).
    reading = read(FIXTURES / "register_nl.csv")
    out = list(reading)
    bad_mac, bad_port, too_many = out[1], out[3], out[4]
    assert isinstance(bad_mac, Observation)
    assert (bad_mac.id, bad_mac.declared_vendor, bad_mac.model, bad_mac.mac) == ("CAM-0002", "Annke", "C800", None)
    assert bad_mac.ip == "192.0.2.11"
    assert isinstance(bad_port, Observation)
    assert (bad_port.id, bad_port.ports, bad_port.mac) == ("CAM-0004", (), "3c:ef:8c:00:00:01")
    lines = [w.line() for w in reading.log.warnings]
    name = str(FIXTURES / "register_nl.csv")
    assert lines == [
        f"{name}:3: column 'MAC-adres': not a MAC address: 'zz:zz:zz:zz:zz:zz'; cell dropped",
        f"{name}:8: column 'Poorten': not a port number: '99999'; cell dropped",
    ]
    assert isinstance(too_many, Reject)
    assert too_many.source == name
    assert too_many.message == "row has 14 cells, the header has 12"
    assert too_many.raw is not None and too_many.raw.startswith("CAM-0005;")
    log = reading.log
    assert (log.rows, log.used, log.rejected, log.cells_dropped, log.blank, log.headers) == (6, 5, 1, 2, 2, 1)


def test_quoted_cell_across_lines_keeps_its_start_line_and_extra() -> None:
    third = records(FIXTURES / "register_nl.csv")[2]
    assert isinstance(third, Observation)
    assert third.row == 5
    assert third.site == "Bijgebouw\n2e verdieping"
    assert third.mac == "00:40:8c:ab:cd:ef"
    assert third.extra == {"Opmerking": 'staat "uit"'}


def test_row_after_multiline_cell_and_blank_rows_has_its_physical_line() -> None:
    last = records(FIXTURES / "register_nl.csv")[-1]
    assert isinstance(last, Observation)
    assert (last.row, last.id, last.declared_vendor) == (10, "CAM-0006", "Hanwha")


def test_english_headers_comma_and_unmapped_columns(tmp_path: Path) -> None:
    path = tmp_path / "assets.csv"
    path.write_text(
        "Asset ID,Brand,Model number,MAC address,IP address,Site,Organization,Serial number,"
        "Firmware version,Hostname,Supplier,Open ports,Notes,Room\n"
        "A-1,Dahua,IPC-HDW1230S,3C:EF:8C:AA:BB:CC,198.51.100.20,HQ,Example Agency,SN1,2.800,cam-a1,"
        'Acme Security Ltd,"80, 443",,"R 1.02"\n',
        encoding="utf-8",
    )
    (obs,) = records(path)
    assert isinstance(obs, Observation)
    assert obs.evidence_fields() == {
        "id": "A-1", "ip": "198.51.100.20", "mac": "3c:ef:8c:aa:bb:cc", "hostname": "cam-a1", "org": "Example Agency",
        "site": "HQ", "declared_vendor": "Dahua", "model": "IPC-HDW1230S", "firmware": "2.800", "serial": "SN1",
        "supplier": "Acme Security Ltd", "ports": (80, 443),
    }
    assert obs.row == 2
    assert obs.extra == {"Room": "R 1.02"}  # empty cells are not echoed


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_separators_are_sniffed_from_the_header(tmp_path: Path, sep: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(sep.join(["Merk", "Type", "IP"]) + "\n" + sep.join(["Hikvision", "DS-2CD1023G0E-I", "192.0.2.5"]) + "\n")
    (obs,) = records(path)
    assert isinstance(obs, Observation)
    assert (obs.declared_vendor, obs.model, obs.ip) == ("Hikvision", "DS-2CD1023G0E-I", "192.0.2.5")


def test_excel_sep_hint_line(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("sep=|\nMerk|Opmerking\nDahua|a;b,c\n")
    (obs,) = records(path)
    assert isinstance(obs, Observation)
    assert (obs.row, obs.declared_vendor, obs.extra) == (3, "Dahua", {"Opmerking": "a;b,c"})


def test_trailing_empty_cells_are_not_too_many(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Merk;Type\nAxis;P1375;;\n")
    (obs,) = records(path)
    assert isinstance(obs, Observation)
    assert obs.model == "P1375"


def test_short_rows_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Merk,Type,IP\nAxis\n")
    (obs,) = records(path)
    assert isinstance(obs, Observation)
    assert (obs.declared_vendor, obs.model, obs.ip) == ("Axis", None, None)


def test_duplicate_and_empty_headers_stay_distinct_in_extra(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Merk,Fabrikant,Opmerking,Opmerking,\nAnnke,Hikvision,a,b,c\n")
    (obs,) = records(path)
    assert isinstance(obs, Observation)
    assert obs.declared_vendor == "Annke"  # the first column mapped to a field wins
    assert obs.extra == {"Fabrikant": "Hikvision", "Opmerking": "a", "Opmerking (2)": "b", "column 5": "c"}


def test_malformed_quote_is_a_reject_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text('Merk,Type\n"Axis"x,P1\nDahua,IPC\n')
    out = records(path)
    assert isinstance(out[0], Reject)
    assert (out[0].row, out[0].message) == (2, "malformed CSV row: ',' expected after '\"'")
    assert isinstance(out[1], Observation)
    assert (out[1].row, out[1].declared_vendor) == (3, "Dahua")


def test_unclosed_quote_is_a_reject_not_a_silent_loss(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text('Merk,Type\nAxis,P1\n"Dahua,IPC\nHikvision,DS\n')
    out = records(path)
    assert isinstance(out[0], Observation)
    assert isinstance(out[1], Reject)
    assert out[1].row == 3
    assert out[1].message == "malformed CSV row: unclosed quote: the cell runs to the end of the file"
    assert out[1].raw == '"Dahua,IPC\nHikvision,DS'


def test_header_only_file_yields_nothing(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Merk;Type;IP\n")
    assert records(path) == []


def test_column_map_overrides_and_keeps_in_extra(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Apparaat,Merk,Kastnummer,Type\nNVR-1,Hikvision,K12,DS-7608NI\n")
    (obs,) = records(path, column_map={"apparaat": "id", "Type": "-", "KASTNUMMER": "site"})
    assert isinstance(obs, Observation)
    assert (obs.id, obs.declared_vendor, obs.site, obs.model) == ("NVR-1", "Hikvision", "K12", None)
    assert obs.extra == {"Type": "DS-7608NI"}


def test_column_map_errors_are_data_errors(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Merk,Type\nAxis,P1\n")
    with pytest.raises(DataError, match=r"'vendor' is not a canonical field"):
        read(path, column_map={"Merk": "vendor"})
    with pytest.raises(DataError, match=r"no column 'Brand' in the header") as info:
        list(read(path, column_map={"Brand": "declared_vendor"}))
    assert (info.value.file, info.value.line) == (str(path), 1)
