"""Which reader an input needs, decided from its first bytes (the file name only sharpens error messages).

Rules, in order:

1. nothing but whitespace → error "empty file";
2. ``PK\\x03\\x04`` (a zip) → ``xlsx``; an OLE2 header (old binary ``.xls``) → error;
3. the first non-blank line starts with ``{`` → ``jsonl``;
4. it starts with ``<``: ``nmap-xml`` when ``<nmaprun`` appears in the head, otherwise error
   "XML that is not nmap output";
5. binary data (NUL bytes after decoding) → error "not a known format";
6. otherwise delimited text: ``procurement-csv`` when the header passes
   :func:`~schoon.ingest.headers.looks_like_procurement`, else ``csv``.
"""

from __future__ import annotations

import csv

from schoon.errors import DataError
from schoon.ingest.headers import looks_like_procurement
from schoon.ingest.textio import decode_head

FORMATS: tuple[str, ...] = ("jsonl", "csv", "xlsx", "nmap-xml", "procurement-csv")
DELIMITERS = ("\t", ";", ",", "|")

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def detect_format(head: bytes, name: str | None = None, encoding: str | None = None) -> str:
    """The format of an input from its first bytes: one of :data:`FORMATS`, or DataError when none fits.

    ``encoding`` overrides the detected text encoding of the head."""
    if head.startswith(_ZIP):
        return "xlsx"
    if head.startswith(_OLE2):
        raise DataError("an old binary Excel (.xls) or other OLE file: save it as .xlsx or CSV", file=name)
    text = decode_head(head, encoding)
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise DataError("empty file", file=name)
    if name and name.lower().endswith((".xlsx", ".xlsm")):
        raise DataError("named like an Excel workbook but is not one (no zip header)", file=name)
    if stripped.startswith("{"):
        return "jsonl"
    if stripped.startswith("["):
        raise DataError("a JSON array, not JSON lines: write one JSON object per line", file=name)
    if stripped.startswith("<"):
        if "<nmaprun" in text:
            return "nmap-xml"
        raise DataError("XML that is not nmap output (no <nmaprun> element)", file=name)
    if "\x00" in stripped or _control_ratio(stripped) > 0.05:
        raise DataError("not a known format: binary data that is not an .xlsx workbook", file=name)
    header = header_cells(stripped)
    return "procurement-csv" if looks_like_procurement(header) else "csv"


def _control_ratio(text: str) -> float:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return controls / max(len(sample), 1)


def excel_sep_hint(line: str) -> str | None:
    """The delimiter from Excel's ``sep=;`` first line, or ``None`` when the line is not such a hint."""
    text = line.strip("\r\n\ufeff")
    if len(text) == 5 and text.lower().startswith("sep="):
        return text[4]
    return None


def sniff_delimiter(line: str) -> str:
    """The delimiter of a header line: whichever of tab, ``;``, ``,``, ``|`` occurs most outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties go to the earlier in DELIMITERS
    return best if counts[best] else ","


def split_line(line: str, delimiter: str) -> list[str]:
    """The cells of one physical line (a quote left open at its end closes there); ``[]`` when unparseable."""
    try:
        return next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
    except csv.Error:
        return []


def header_cells(text: str) -> list[str]:
    """The header cells of delimited text: the header line found by :func:`schoon.ingest.layout.choose_header`
    (after an Excel ``sep=`` hint), so a title row above the header does not hide it."""
    from schoon.ingest.layout import choose_header  # layout builds on this module

    lines = [line for line in text.splitlines()[:200] if line.strip()]
    if not lines:
        return []
    delimiter = excel_sep_hint(lines[0])
    if delimiter is not None:
        lines = lines[1:]
        if not lines:
            return []
    index, chosen = choose_header(lines, delimiter)
    return [cell.strip() for cell in split_line(lines[index], chosen)]
