"""Every reader entry point, fed generated input: only schoon's own errors may escape, and every row read is
accounted for (used + rejected = rows)."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
import zipfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from schoon.errors import SchoonError
from schoon.ingest import ReadOptions, Reject, read
from schoon.observation import Observation
from tests.fuzz.strategies import NASTY, cell, delimited_text, fuzz_settings, json_object, json_value

TMP = Path(tempfile.mkdtemp(prefix="schoon-fuzz-"))
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16"]


def _check(path: Path | str, options: ReadOptions | None = None, stdin: bytes | None = None) -> None:
    """Read everything; only SchoonError may escape; the log accounts for every record; rejects are writable."""
    try:
        reading = read(path, options, stdin=io.BytesIO(stdin) if stdin is not None else None)
        records = list(reading)
    except SchoonError as err:
        assert "\n" not in str(err)
        str(err).encode("utf-8")
        return
    used = sum(1 for r in records if isinstance(r, Observation))
    rejected = sum(1 for r in records if isinstance(r, Reject))
    assert used + rejected == len(records)
    assert (reading.log.used, reading.log.rejected) == (used, rejected)
    for record in records:
        if isinstance(record, Reject):
            assert "\n" not in record.message
            (record.message + (record.raw or "")).encode("utf-8")
        else:
            json.dumps(record.to_dict(), ensure_ascii=False).encode("utf-8")  # nothing unwritable got in
            for value in record.extra.values():
                value.encode("utf-8")
    for warning in reading.log.warnings:
        warning.line().encode("utf-8")


def _write(name: str, data: bytes) -> Path:
    path = TMP / name
    path.write_bytes(data)
    return path


@fuzz_settings
@given(delimited_text(), st.sampled_from(ENCODINGS))
def test_delimited_text(text: str, encoding: str) -> None:
    _check(_write("r.csv", text.encode(encoding, "replace")))


@fuzz_settings
@given(st.binary(max_size=2000))
def test_delimited_bytes(data: bytes) -> None:
    _check(_write("b.csv", data), ReadOptions(input_format="csv"))
    _check("-", stdin=data)


@fuzz_settings
@given(delimited_text(), st.sampled_from([None, ";", ",", "tab"]), st.none() | st.integers(1, 5),
       st.sampled_from([None, "utf-8", "cp1252", "latin-1", "utf-16"]))
def test_delimited_with_options(text: str, delimiter: str | None, header_row: int | None,
                                encoding: str | None) -> None:
    options = ReadOptions(delimiter=delimiter, header_row=header_row, encoding=encoding)
    _check(_write("o.csv", text.encode("utf-8", "surrogatepass")), options)


@fuzz_settings
@given(st.lists(st.lists(cell, max_size=5), max_size=6))
def test_procurement(rows: list[list[str]]) -> None:
    header = "Leverancier;Omschrijving;Bedrag;Merk;Type"
    text = header + "\n" + "\n".join(";".join(r) for r in rows)
    _check(_write("p.csv", text.encode("utf-8", "surrogatepass")), ReadOptions(input_format="procurement-csv"))


@fuzz_settings
@given(st.lists(st.one_of(json_object.map(lambda o: json.dumps(o)), json_value.map(json.dumps), cell), max_size=6))
def test_json_lines(lines: list[str]) -> None:
    _check(_write("j.jsonl", "\n".join(lines).encode("utf-8", "surrogatepass")), ReadOptions(input_format="jsonl"))


xlsx_value = st.one_of(st.none(), st.booleans(), st.integers(-(10**15), 10**15), st.floats(allow_nan=False),
                       st.sampled_from([v for v in NASTY if len(v) < 1000]).filter(lambda v: "\ud800" not in v
                                                                                     and "\udfff" not in v),
                       st.dates(min_value=dt.date(1900, 3, 1)), st.datetimes(min_value=dt.datetime(1900, 3, 1)))


def _workbook(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        try:
            ws.append(row)
        except Exception:  # openpyxl refuses characters XML cannot hold: leave that row out
            ws.append([])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@fuzz_settings
@given(st.lists(st.lists(xlsx_value, max_size=6), max_size=6))
def test_xlsx_values(rows: list[list[object]]) -> None:
    _check(_write("x.xlsx", _workbook([["Merk", "Type", "MAC-adres", "IP-adres", "Poorten"], *rows])))


BASE_XLSX = _workbook([["Merk", "Type", "MAC-adres"], ["Hikvision", "DS-2CD", "44:19:b6:00:00:01"],
                       ["Axis", "P1", "00:40:8c:00:00:01"]])


@fuzz_settings
@given(st.lists(st.tuples(st.integers(0, len(BASE_XLSX) - 1), st.integers(0, 255)), min_size=1, max_size=8),
       st.integers(0, len(BASE_XLSX)))
def test_xlsx_corrupted_bytes(flips: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(BASE_XLSX)
    for position, value in flips:
        data[position] = value
    _check(_write("c.xlsx", bytes(data[: max(cut, 4)])), ReadOptions(input_format="xlsx"))


SHEET_PARTS = ['<row r="{n}">', '<c r="{ref}" t="{t}"><v>{v}</v></c>', '<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>',
               "</row>"]


@fuzz_settings
@given(st.lists(st.tuples(st.sampled_from(SHEET_PARTS), st.sampled_from(["1", "2", "1048577", "0", "-3", "x"]),
                          st.sampled_from(["A1", "B2", "XFD1", "XFE1", "AAAA1", "A0", "", "1A"]),
                          st.sampled_from(["n", "s", "b", "d", "e", "str", "z"]),
                          st.sampled_from(["1", "x", "99999999999", "-1", "", "1e400", "2026-02-30", "&#xD800;"])),
                max_size=10))
def test_xlsx_sheet_xml(parts: list[tuple[str, str, str, str, str]]) -> None:
    xml = "".join(p.format(n=n, ref=ref, t=t, v=v) for p, n, ref, t, v in parts)
    with zipfile.ZipFile(io.BytesIO(BASE_XLSX)) as archive:
        items = [(i.filename, archive.read(i.filename)) for i in archive.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items:
            if name == "xl/worksheets/sheet1.xml":
                start, end = data.index(b"<sheetData>") + len(b"<sheetData>"), data.index(b"</sheetData>")
                data = data[:start] + xml.encode("utf-8", "surrogatepass") + data[end:]
            archive.writestr(name, data)
    _check(_write("s.xlsx", out.getvalue()))


NMAP_HEAD = '<?xml version="1.0"?>\n<nmaprun scanner="nmap" args="nmap -sV" version="7.94">\n'
NMAP_HOST = ('<host><status state="{state}"/><address addr="{addr}" addrtype="{kind}"/>'
             '<ports><port protocol="tcp" portid="{port}"><state state="open"/>'
             '<service name="{service}" product="{product}"/><script id="{script}" output="{output}"/></port>'
             '</ports></host>\n')


def _xml_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


@fuzz_settings
@given(st.lists(st.tuples(st.sampled_from(["up", "down", ""]), cell, st.sampled_from(["ipv4", "ipv6", "mac", "x"]),
                          st.sampled_from(["80", "0", "70000", "x", ""]), cell, cell,
                          st.sampled_from(["http-title", "banner", "ssl-cert", "http-headers", "x"]), cell),
                max_size=4),
       st.sampled_from(["", "</nmaprun>", "<host>", "<!DOCTYPE x [<!ENTITY a 'b'>]>", "\x00"]))
def test_nmap_xml(hosts: list[tuple[str, ...]], tail: str) -> None:
    body = "".join(NMAP_HOST.format(state=s, addr=_xml_text(a), kind=k, port=p, service=_xml_text(sv),
                                    product=_xml_text(pr), script=sc, output=_xml_text(o))
                   for s, a, k, p, sv, pr, sc, o in hosts)
    _check(_write("n.xml", (NMAP_HEAD + body + tail).encode("utf-8", "surrogatepass")))


@fuzz_settings
@given(st.binary(max_size=3000), st.sampled_from([b"", b"<nmaprun>", b"PK\x03\x04", b"{", b"\xef\xbb\xbf"]))
def test_any_bytes_any_format(data: bytes, prefix: bytes) -> None:
    _check(_write("any.bin", prefix + data))
