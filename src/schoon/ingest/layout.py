"""Where the header of delimited text is, and which delimiter it uses, from the first lines of the file.

Registers exported from Excel often carry a title row ("Cameraregister gemeente Voorbeeld, stand 1-11-2026")
and a blank row above the real header. The header is found, not assumed:

1. an Excel ``sep=;`` first line fixes the delimiter (and is skipped);
2. among the first :data:`LOOKAHEAD_LINES` non-blank lines, the header is the first line with the most cells
   that are known header names (:func:`~schoon.ingest.headers.header_score`), read with whichever delimiter
   gives it the most; a given ``--delimiter`` is the only one tried;
3. when no line has a known header name, the header is the first line with two or more non-empty cells (a
   one-cell title row is skipped), else the first non-blank line.

``--header-row N`` overrides all of this. A header whose delimiter is not the one of the rows below it
(``Merk;Type;MAC`` above ``Hikvision,DS-2CD,...``) is noticed (:func:`mixed_delimiters`) and refused with
one line, since reading on would put every row into one cell.
"""

from __future__ import annotations

from collections.abc import Sequence

from schoon.ingest.detect import DELIMITERS, sniff_delimiter, split_line
from schoon.ingest.headers import header_score

LOOKAHEAD_LINES = 30
LOOKAHEAD_CHARS = 4 * 1024 * 1024
SCORED_CELLS = 200  # cells of a candidate line that are scored: a header we know names its columns early


def _nonempty(cells: Sequence[str]) -> int:
    return sum(1 for cell in cells if cell.strip())


def choose_header(lines: Sequence[str], delimiter: str | None = None) -> tuple[int, str]:
    """The index (into ``lines``) of the header line and its delimiter; ``lines`` are the non-blank lines."""
    best: tuple[int, int, str] | None = None  # (score, index, delimiter)
    for index, line in enumerate(lines[:LOOKAHEAD_LINES]):
        sniffed = sniff_delimiter(line)
        tried = [delimiter] if delimiter else [sniffed, *(d for d in DELIMITERS if d != sniffed and d in line)]
        for candidate in tried:
            score = header_score(split_line(line[: 64 * 1024], candidate)[:SCORED_CELLS])
            if score and (best is None or score > best[0]):
                best = (score, index, candidate)
    if best is not None:
        return best[1], best[2]
    for index, line in enumerate(lines[:LOOKAHEAD_LINES]):
        candidate = delimiter or sniff_delimiter(line)
        if _nonempty(split_line(line, candidate)) >= 2:
            return index, candidate
    return 0, delimiter or (sniff_delimiter(lines[0]) if lines else ",")


def mixed_delimiters(header: Sequence[str], delimiter: str, below: Sequence[str]) -> str | None:
    """The delimiter of the rows below a header when it differs from the header's, else None.

    Only a clear case counts: the header has two or more cells, and every one of the (up to five) non-blank
    lines below it is a single cell with ``delimiter`` but splits into cells with one other delimiter.
    """
    rows = [line for line in below if line.strip()][:5]
    if _nonempty(header) < 2 or not rows:
        return None
    if any(len(split_line(row, delimiter)) > 1 for row in rows):
        return None
    for other in DELIMITERS:
        if other != delimiter and all(len(split_line(row, other)) > 1 for row in rows):
            return other
    return None


def choose_header_row(rows: Sequence[Sequence[str]]) -> int:
    """The index of the header among the first non-empty rows of a sheet (the same rules, without delimiters)."""
    best: tuple[int, int] | None = None
    for index, cells in enumerate(rows[:LOOKAHEAD_LINES]):
        score = header_score(cells[:SCORED_CELLS])
        if score and (best is None or score > best[0]):
            best = (score, index)
    if best is not None:
        return best[1]
    return next((i for i, cells in enumerate(rows[:LOOKAHEAD_LINES]) if _nonempty(cells) >= 2), 0)
