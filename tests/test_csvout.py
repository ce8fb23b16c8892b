"""CSV in two dialects, every text cell safe from formulas."""

from __future__ import annotations

import csv
import io

import pytest

from schoon.csvout import BOM, CsvDialect, CsvWriter, dialect_for


def _write(dialect: CsvDialect, rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = CsvWriter(buffer, dialect)
    for row in rows:
        writer.row(row)  # type: ignore[arg-type]
    return buffer.getvalue()


def test_standard_is_comma_without_bom() -> None:
    text = _write(CsvDialect.standard, [["id", "confidence", "n"], ["Zürich", 0.95, 3]])
    assert text == "id,confidence,n\r\nZürich,0.95,3\r\n"


def test_excel_nl_is_semicolon_bom_and_decimal_comma() -> None:
    text = _write(CsvDialect.excel_nl, [["id", "confidence", "note"], ["Zürich", 0.95, "1.5 m; hoog"], [None, True, 7]])
    assert text.startswith(BOM) and text.count(BOM) == 1
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))
    assert rows == [["id", "confidence", "note"], ["Zürich", "0,95", "1.5 m; hoog"], ["", "true", "7"]]
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("dialect", list(CsvDialect))
def test_formulas_are_neutralised_in_every_dialect(dialect: CsvDialect) -> None:
    text = _write(dialect, [["=HYPERLINK(\"http://x\")", "+cmd", "@SUM(A1)", "-1+1", -5, -0.5]])
    delimiter = ";" if dialect is CsvDialect.excel_nl else ","
    (row,) = csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=delimiter)
    assert row[:4] == ["'=HYPERLINK(\"http://x\")", "'+cmd", "'@SUM(A1)", "'-1+1"]
    assert row[4] == "-5" and row[5] in ("-0.5", "-0,5")  # numbers stay numbers


def test_the_dialect_follows_the_language_unless_chosen() -> None:
    assert dialect_for("nl") is CsvDialect.excel_nl
    assert dialect_for("en") is CsvDialect.standard
    assert dialect_for("nl", "standard") is CsvDialect.standard
    assert dialect_for("en", CsvDialect.excel_nl) is CsvDialect.excel_nl
