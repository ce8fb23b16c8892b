"""Spreadsheet formula injection, neutralised the way OWASP recommends for CSV and XLSX exports.

The functions live in :mod:`schoon.safe` (one place for every writer: identify, screen, rejects, reports);
this module keeps the report's import path. ``=1+1`` becomes ``'=1+1`` and ``+31 70 ...`` becomes
``'+31 70 ...``; numbers stay numbers; only text is touched.
See https://owasp.org/www-community/attacks/CSV_Injection.
"""

from __future__ import annotations

from schoon.safe import FORMULA_STARTS, neutralise, spreadsheet_text, xlsx_text

__all__ = ["FORMULA_STARTS", "neutralise", "spreadsheet_text", "xlsx_text"]
