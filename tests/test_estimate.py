"""Record estimates for progress bars: lines for line-based files, None where unknowable."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook

from schoon.estimate import estimate_records, estimate_total


def test_lines_minus_the_header(tmp_path: Path) -> None:
    register = tmp_path / "r.csv"
    register.write_text("Merk;Type\n" + "".join(f"Hikvision;DS-{n}\n" for n in range(2500)), encoding="utf-8")
    assert estimate_records(register) == 2500
    no_newline = tmp_path / "n.csv"
    no_newline.write_text("Merk\nAxis", encoding="utf-8")
    assert estimate_records(no_newline) == 1
    assert estimate_total([register, no_newline]) == 2501


def test_unknowable_inputs(tmp_path: Path) -> None:
    xml = tmp_path / "scan.xml"
    xml.write_text('<?xml version="1.0"?>\n<nmaprun>\n</nmaprun>\n', encoding="utf-8")
    book = Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    xlsx = tmp_path / "r.xlsx"
    xlsx.write_bytes(buffer.getvalue())
    assert estimate_records(xml) is None and estimate_records(xlsx) is None
    assert estimate_records("-") is None and estimate_records(tmp_path / "missing.csv") is None
    assert estimate_total([xml, tmp_path]) is None
