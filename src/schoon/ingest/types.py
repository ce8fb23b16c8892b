"""The records a reader yields: an :class:`~schoon.observation.Observation`, or a :class:`Reject`.

Nothing is lost silently: a row that cannot become an Observation becomes a Reject that names the file,
the line and what was wrong, and carries the row's raw text so it can be shown or written to a rejects file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from schoon.observation import MAX_FIELD_CHARS, Observation

MAX_RAW_CHARS = 1000


@dataclass(frozen=True)
class Reject:
    """A record that could not be read.

    ``row`` is the 1-based line number in the file (CSV: the physical line where the row starts; XML: the line
    of the element's start tag; XLSX: the sheet row number), or ``None`` when no line applies.
    """

    source: str
    row: int | None
    message: str
    raw: str | None = None


Record: TypeAlias = Observation | Reject


def reject(source: str, row: int | None, message: str, raw: str | None = None) -> Reject:
    """A Reject with a one-line message and the raw text cut to :data:`MAX_RAW_CHARS` characters."""
    one_line = printable(" ".join(message.split()))
    if raw is not None:
        raw = printable(raw.rstrip("\r\n")[:MAX_RAW_CHARS])
    return Reject(source=source, row=row, message=one_line, raw=raw)


def printable(text: str) -> str:
    """``text`` with lone surrogates (not valid Unicode) shown as ``\\udXXX`` escapes, so it can be written."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def cut(value: str) -> str:
    """An ``extra`` value cut to the length Observation keeps for its own text fields."""
    return value[:MAX_FIELD_CHARS]


@dataclass(frozen=True)
class CellWarning:
    """One cell that was dropped (an invalid MAC or address, a port that is no port) while the rest of its row
    was used: the file, the row, the column as the file names it, and why."""

    source: str
    row: int | None
    column: str
    message: str

    def line(self) -> str:
        """The warning as one line: ``register.csv:12: column 'MAC-adres': not a MAC address: 'x'; cell dropped``."""
        where = f"{self.source}:{self.row}" if self.row is not None else self.source
        return f"{where}: column {self.column!r}: {self.message}; cell dropped"
