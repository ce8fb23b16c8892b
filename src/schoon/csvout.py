"""Every CSV schoon writes goes through :class:`CsvWriter`: cells safe from formulas, in the user's dialect.

Two dialects:

- ``standard``: ``,`` between fields, UTF-8 without BOM, ``.`` in numbers: for scripts and most tools.
- ``excel-nl``: ``;`` between fields, UTF-8 with a byte-order mark and ``,`` in decimal numbers: what Excel
  with Dutch regional settings opens with a double click (without the BOM it reads UTF-8 as Windows-1252 and
  ``Zürich`` becomes ``ZÃ¼rich``; with ``,`` between fields it puts every row in one column).

    with open_output(path) as out:                  # schoon.outfile
        writer = CsvWriter(out, CsvDialect.excel_nl)
        writer.row(["id", "confidence"])
        writer.row(["MVZ-0001", 0.95])               # MVZ-0001;0,95

Text cells pass through :func:`schoon.safe.spreadsheet_text`; numbers (``int``, ``float``) stay numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from enum import StrEnum
from typing import IO

from schoon.safe import spreadsheet_text

BOM = "\ufeff"
CsvValue = str | int | float | bool | None


class CsvDialect(StrEnum):
    """The CSV dialects schoon writes."""

    standard = "standard"
    excel_nl = "excel-nl"


def dialect_for(language: str | None, chosen: CsvDialect | str | None = None) -> CsvDialect:
    """The dialect ``chosen`` by the user, else the one implied by a report's language (``nl``: excel-nl)."""
    if chosen is not None:
        return CsvDialect(chosen)
    return CsvDialect.excel_nl if language == "nl" else CsvDialect.standard


class CsvWriter:
    """Rows to a text stream in ``dialect``; the BOM (excel-nl) is written before the first row."""

    def __init__(self, out: IO[str], dialect: CsvDialect | str = CsvDialect.standard,
                 lineterminator: str = "\r\n", *, bom: bool = True) -> None:
        self.dialect = CsvDialect(dialect)
        self._out = out
        self._nl = self.dialect is CsvDialect.excel_nl
        self._writer = csv.writer(out, delimiter=";" if self._nl else ",", lineterminator=lineterminator)
        self._started = not bom  # without a BOM (rows that continue a file, e.g. from a worker process)

    def cell(self, value: CsvValue) -> str | int | float:
        """One value as written: None empty, booleans ``true``/``false``, numbers in the dialect, text safe."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float):
            return repr(value).replace(".", ",") if self._nl else value
        if isinstance(value, int):
            return value
        return spreadsheet_text(str(value))

    def row(self, values: Iterable[CsvValue]) -> None:
        """Write one row."""
        if not self._started:
            self._started = True
            if self._nl:
                self._out.write(BOM)
        self._writer.writerow([self.cell(v) for v in values])
