"""Text from the data made safe for spreadsheets, XLSX and terminals (one function per destination)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from schoon.safe import neutralise, spreadsheet_text, visible, xlsx_text

HOSTILE = ["=HYPERLINK(\"http://x\",\"klik\")", "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_starts_are_quoted(text: str) -> None:
    assert spreadsheet_text(text) == "'" + text
    assert xlsx_text(text).startswith("'")


@pytest.mark.parametrize("text", ["Hikvision", "Zürich", "a=b", "10.0.0.1", "44:19:b6:00:00:01", "'quoted"])
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert spreadsheet_text(text) == text == xlsx_text(text) == neutralise(text)


def test_lone_surrogates_become_replacement_characters() -> None:
    assert spreadsheet_text("a\ud800b") == "a\ufffdb"
    assert spreadsheet_text("a\ud800b").encode("utf-8")


@pytest.mark.parametrize(("text", "shown"), [
    ("\x1b[31mred", "\\x1b[31mred"),
    ("bell\x07", "bell\\x07"),
    ("a\tb\nc\rd", "a\\tb\\nc\\rd"),
    ("\x9b31m", "\\x9b31m"),  # C1 control sequence introducer
    ("abc\u202edcba", "abc\\u202edcba"),  # right-to-left override
    ("\x1b]8;;http://x\x1b\\y\x1b]8;;\x1b\\", "\\x1b]8;;http://x\\x1b\\y\\x1b]8;;\\x1b\\"),  # OSC 8 hyperlink
    ("Zürich 北京 Москва", "Zürich 北京 Москва"),
    ("[/bold] [link=http://x]y[/link]", "[/bold] [link=http://x]y[/link]"),  # markup is a console's business
])
def test_visible_escapes_controls_and_keeps_text(text: str, shown: str) -> None:
    assert visible(text) == shown


def test_xlsx_text_can_be_stored_and_read_back() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    values = ["x\x07y", "\x00null", "=1+1\x1b", "vt\x0bff\x0c", "a\ud800"]
    sheet.append([xlsx_text(v) for v in values])
    buffer = io.BytesIO()
    book.save(buffer)
    row = [c.value for c in load_workbook(io.BytesIO(buffer.getvalue())).active[1]]  # type: ignore[index]
    assert row == ["x\\x07y", "\\x00null", "'=1+1\\x1b", "vt\\x0bff\\x0c", "a\ufffd"]
