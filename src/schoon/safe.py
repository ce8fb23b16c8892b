"""Text from the data, made safe for where it is shown: spreadsheets, XLSX files and terminals.

Data in schoon comes from other people's files (registers, scans, ledgers, other institutions' uploads), so a
device name may hold ``=HYPERLINK(...)``, an ANSI escape ``\\x1b[31m`` or a bell ``\\x07``. One function per
destination, used by every writer:

- :func:`spreadsheet_text`: CSV and XLSX cells; text a spreadsheet would take for a formula (it starts with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'`` so it stays text, the way OWASP
  recommends (https://owasp.org/www-community/attacks/CSV_Injection); lone surrogates, which no UTF-8 file can
  hold, become U+FFFD.
- :func:`xlsx_text`: the above, and the control characters XML 1.0 (so XLSX) cannot hold shown as ``\\x07``.
- :func:`visible`: terminal output; control characters (C0, C1, DEL), bidirectional overrides, line and
  paragraph separators and lone surrogates shown as escapes (``\\x1b``, ``\\u202e``), so data cannot move the
  cursor, colour the screen, ring the bell, reorder a line or open a hyperlink. Tab, newline and carriage return
  are shown as ``\\t``, ``\\n``, ``\\r`` (a table cell is one line).
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SURROGATE = re.compile("[\ud800-\udfff]")
# XML 1.0 allows tab, newline and carriage return among the C0 controls, nothing else below U+0020.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_UNSAFE_ON_TERMINAL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def neutralise(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet could take it for a formula, else unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def spreadsheet_text(text: str) -> str:
    """A CSV or XLSX text cell: formula starts neutralised, lone surrogates replaced by U+FFFD."""
    return neutralise(_SURROGATE.sub("\ufffd", text))


def xlsx_text(text: str) -> str:
    """An XLSX text cell: :func:`spreadsheet_text`, and characters XML cannot hold shown as escapes."""
    return spreadsheet_text(_XML_ILLEGAL.sub(_escape, text))


def visible(text: str) -> str:
    """``text`` for a terminal or a one-line cell: control and reordering characters shown as escapes."""
    return _UNSAFE_ON_TERMINAL.sub(_escape, text)
