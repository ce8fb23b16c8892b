"""Spreadsheet formula injection, neutralised the way OWASP recommends for CSV and XLSX exports.

Text that a spreadsheet would read as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) is written with a single quote ``'`` in front, so it stays text: ``=1+1`` becomes ``'=1+1`` and
``+31 70 ...`` becomes ``'+31 70 ...``. Numbers stay numbers; only text is touched.
See https://owasp.org/www-community/attacks/CSV_Injection.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet could take it for a formula, else unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
