"""Encodings registers really come in: UTF-8 with and without BOM, UTF-16 with BOM, cp1252."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from schoon.ingest import Reject, read
from schoon.ingest.textio import decode_line, detect_encoding
from schoon.observation import Observation

TEXT = "Merk\tTypenummer\tLocatie\tIP-adres\r\nHikvision\tDS-2CD2043G2-I\tCafé Noord\t192.0.2.30\r\nAxis\tP3245-LV\tGebouw Zuid\t192.0.2.31\r\n"


def only_observations(path: Path) -> list[Observation]:
    out = list(read(path))
    assert all(isinstance(r, Observation) for r in out), out
    return [r for r in out if isinstance(r, Observation)]


@pytest.mark.parametrize(
    ("label", "data"),
    [
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8 BOM", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
        ("utf-16le BOM (Excel unicode text)", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")),
        ("utf-16be BOM", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")),
        ("utf-16le without BOM", TEXT.encode("utf-16-le")),
        ("cp1252", TEXT.encode("cp1252")),
    ],
)
def test_encodings_read_the_same(tmp_path: Path, label: str, data: bytes) -> None:
    path = tmp_path / "register.txt"
    path.write_bytes(data)
    first, second = only_observations(path)
    assert (first.row, first.declared_vendor, first.model, first.site, first.ip) == (
        2, "Hikvision", "DS-2CD2043G2-I", "Café Noord", "192.0.2.30")
    assert (second.row, second.site) == (3, "Gebouw Zuid")


def test_cp1252_semicolons_with_euro_and_accents(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("Merk;Locatie;Opmerking\nDahua;Rijkskantoor Hoofdstraat;€ 120, geïnstalleerd\n".encode("cp1252"))
    (obs,) = only_observations(path)
    assert obs.extra == {"Opmerking": "€ 120, geïnstalleerd"}


def test_one_cp1252_line_in_a_utf8_file_does_not_spoil_the_others(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(b"Merk,Locatie\n" + "Axis,Café\n".encode() + "Axis,Café\n".encode("cp1252"))
    first, second = only_observations(path)
    assert first.site == second.site == "Café"


def test_detect_encoding() -> None:
    assert detect_encoding(codecs.BOM_UTF16_LE + "a\tb".encode("utf-16-le")) == "utf-16"
    assert detect_encoding("Merk\tType\n".encode("utf-16-be")) == "utf-16-be"
    assert detect_encoding(codecs.BOM_UTF8 + b"a,b") == "utf-8/cp1252"
    assert detect_encoding(b"a,b") == "utf-8/cp1252"


def test_decode_line_falls_back() -> None:
    assert decode_line("é".encode()) == "é"
    assert decode_line(b"\xe9") == "é"  # cp1252
    assert decode_line(b"\x81") == "\x81"  # undefined in cp1252: Latin-1


def test_utf16_reject_raw_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "Merk\tMAC\r\nAxis\tnope\tx\r\n".encode("utf-16-le"))
    (rej,) = list(read(path))
    assert isinstance(rej, Reject)
    assert (rej.row, rej.message, rej.raw) == (2, "row has 3 cells, the header has 2", "Axis\tnope\tx")


def test_bare_cr_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b'Merk;Type;Locatie\rAxis;P1;"Hal\rNoord"\rDahua;X;Oost\r')
    first, second = only_observations(path)
    assert (first.row, first.declared_vendor, first.site) == (2, "Axis", "Hal\rNoord")
    assert (second.row, second.declared_vendor, second.site) == (4, "Dahua", "Oost")


def test_bare_cr_overlong_line_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import schoon.ingest.textio as textio

    monkeypatch.setattr(textio, "MAX_LINE_BYTES", 100)
    monkeypatch.setattr(textio, "HEAD_BYTES", 16)
    path = tmp_path / "mac.csv"
    path.write_bytes(b"Merk;Type\r" + b"Axis;" + b"P" * 500 + b"\rDahua;X\r")
    out = list(read(path))
    assert [(type(r).__name__, r.row) for r in out] == [("Reject", 2), ("Observation", 3)]
    assert isinstance(out[0], Reject) and out[0].message == "line too long; skipped"
