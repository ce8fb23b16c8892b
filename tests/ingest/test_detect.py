"""Format detection from content."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from schoon.errors import DataError
from schoon.ingest import FORMATS, detect_format
from schoon.ingest.detect import sniff_delimiter

FIXTURES = Path(__file__).parent / "fixtures"


def test_formats() -> None:
    assert FORMATS == ("jsonl", "csv", "xlsx", "nmap-xml", "procurement-csv")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("banners.jsonl", "jsonl"), ("register_nl.csv", "csv"), ("scan.xml", "nmap-xml"),
     ("procurement.csv", "procurement-csv")],
)
def test_fixtures(name: str, expected: str) -> None:
    assert detect_format((FIXTURES / name).read_bytes()[:65536], name) == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'\n\n  {"ip": "192.0.2.1"}\n', "jsonl"),
        (codecs.BOM_UTF8 + b'{"ip": "192.0.2.1"}\n', "jsonl"),
        (b"PK\x03\x04\x14\x00\x06\x00", "xlsx"),
        (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n<nmaprun scanner="nmap">', "nmap-xml"),
        (b'<nmaprun scanner="nmap">', "nmap-xml"),
        (codecs.BOM_UTF16_LE + "Merk\tType\r\nAxis\tP1\r\n".encode("utf-16-le"), "csv"),
        (b"Merk;Type;MAC-adres\n", "csv"),
        (b"Leverancier;Omschrijving;Bedrag\n", "procurement-csv"),
        (b"Leverancier;Omschrijving;Bedrag;MAC-adres\n", "csv"),  # a device column makes it a register
        (b"Leverancier;Merk\n", "csv"),  # no procurement-only column: a register with a supplier column
        (b"sep=;\nSupplier;Invoice;Amount\n", "procurement-csv"),
        (b"Merk\n", "csv"),
        ("Crédit;Leverancier;Datum\n".encode("cp1252"), "procurement-csv"),
    ],
)
def test_detect(head: bytes, expected: str) -> None:
    assert detect_format(head) == expected


@pytest.mark.parametrize(
    ("head", "message"),
    [
        (b"", "empty file"),
        (b"  \r\n\n\t", "empty file"),
        (codecs.BOM_UTF16_LE, "empty file"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "XML that is not nmap output"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "old binary Excel"),
        (b"\x00\x01\x02\x03\x04\x05\x06\x07binary", "not a known format"),
        (b'[{"ip": "192.0.2.1"}]', "a JSON array, not JSON lines"),
    ],
)
def test_detect_errors(head: bytes, message: str) -> None:
    with pytest.raises(DataError, match=message):
        detect_format(head, "in.dat")


def test_xlsx_name_without_zip() -> None:
    with pytest.raises(DataError, match=r"^book.xlsx: named like an Excel workbook but is not one"):
        detect_format(b"Merk,Type\n", "book.xlsx")


@pytest.mark.parametrize(
    ("line", "expected"),
    [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ("a|b|c", "|"), ('"x,y";b;c', ";"), ("alone", ","),
     ("a;b,c", ";")],
)
def test_sniff_delimiter(line: str, expected: str) -> None:
    assert sniff_delimiter(line) == expected
