"""How to read an input (:class:`ReadOptions`) and what reading it did (:class:`ReadLog`).

Every command that reads input files takes the same options (``--input-format``, ``--map``, ``--sheet``,
``--header-row``, ``--delimiter``, ``--encoding``) and passes them here as one :class:`ReadOptions`, so the
options mean the same everywhere. A :class:`ReadLog` counts every source row (read, used, rejected, skipped)
and hands each dropped cell and each reject to the caller as it happens (streamed, never all kept).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from schoon.errors import DataError
from schoon.ingest.headers import Column
from schoon.ingest.types import CellWarning, Reject

#: Names a user may give for a delimiter, besides the character itself.
DELIMITER_NAMES: dict[str, str] = {"tab": "\t", "\\t": "\t", "semicolon": ";", "comma": ",", "pipe": "|",
                                   "space": " "}
#: Cell warnings kept in memory when no callback takes them (the count is always exact).
KEPT_WARNINGS = 1000


def parse_delimiter(text: str) -> str:
    """The delimiter a user means (``;``, ``tab``, ``\\t``, ``comma`` ...); DataError for anything else."""
    value = DELIMITER_NAMES.get(text.strip().lower(), text)
    if len(value) != 1 or value in "\"\r\n" or value.isalnum():
        raise DataError(f"--delimiter must be one character (or tab, semicolon, comma, pipe), got {text!r}")
    return value


def check_encoding(name: str) -> str:
    """The canonical name of a text encoding Python knows; DataError for unknown or non-text codecs."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        raise DataError(f"--encoding: unknown encoding {name!r} (try utf-8, cp1252, latin-1, utf-16)") from None
    if not getattr(info, "_is_text_encoding", True):
        raise DataError(f"--encoding: {name!r} is not a text encoding")
    return info.name


@dataclass(frozen=True)
class ReadOptions:
    """Options that override detection; ``None`` everywhere means "detect".

    ``input_format`` is one of :data:`schoon.ingest.FORMATS`; ``column_map`` maps a file's column names onto
    canonical fields (``"-"`` keeps a column in ``extra``); ``sheet`` picks an xlsx sheet by name (or by
    1-based number); ``header_row`` is the 1-based line (CSV) or sheet row (xlsx) of the header, rows above
    it are skipped; ``delimiter`` and ``encoding`` are those of delimited text.
    """

    input_format: str | None = None
    column_map: Mapping[str, str] | None = None
    sheet: str | None = None
    header_row: int | None = None
    delimiter: str | None = None
    encoding: str | None = None
    all_hosts: bool = False  # nmap: keep hosts whose ports were scanned and none is open (skipped by default)

    def __post_init__(self) -> None:
        if self.header_row is not None and self.header_row < 1:
            raise DataError(f"--header-row must be 1 or more, got {self.header_row}")
        if self.delimiter is not None:
            object.__setattr__(self, "delimiter", parse_delimiter(self.delimiter))
        if self.encoding is not None:
            object.__setattr__(self, "encoding", check_encoding(self.encoding))


@dataclass(frozen=True)
class Layout:
    """How a file's columns are read: the header's line (or sheet row), delimiter, sheet, and each column's
    canonical field (``None``: kept in ``extra``). What ``--show-columns`` prints."""

    header_line: int | None
    columns: tuple[Column, ...]
    delimiter: str | None = None
    sheet: str | None = None


@dataclass
class ReadLog:
    """What reading did, counted as it happens; every source row lands in exactly one count.

    ``rows`` = ``used`` + ``rejected``: the data rows (records) below the header. ``skipped`` counts the
    other non-data lines: blank rows, title rows above the header, the header itself. ``cells_dropped``
    counts cells dropped from rows that were used. ``on_warning`` and ``on_reject`` receive each dropped
    cell and each reject as it happens; without ``on_warning`` the first :data:`KEPT_WARNINGS` are kept in
    ``warnings``.
    """

    on_warning: Callable[[CellWarning], None] | None = None
    on_reject: Callable[[Reject], None] | None = None
    used: int = 0
    rejected: int = 0
    blank: int = 0
    above_header: int = 0
    headers: int = 0
    cells_dropped: int = 0
    warnings: list[CellWarning] = field(default_factory=list)
    layout: Layout | None = None

    @property
    def rows(self) -> int:
        """Data rows read: used plus rejected."""
        return self.used + self.rejected

    def warn(self, warning: CellWarning) -> None:
        """Count a dropped cell and pass it on (or keep it, up to :data:`KEPT_WARNINGS`)."""
        self.cells_dropped += 1
        if self.on_warning is not None:
            self.on_warning(warning)
        elif len(self.warnings) < KEPT_WARNINGS:
            self.warnings.append(warning)

    def reject(self, item: Reject) -> None:
        """Count a reject and pass it on."""
        self.rejected += 1
        if self.on_reject is not None:
            self.on_reject(item)

    def summary(self) -> str:
        """One line accounting for every row: ``read 300 rows: 296 used, 4 rejected; skipped 1 title row ...``."""
        skipped = [f"{n:,} {what}" for n, what in ((self.above_header, "row(s) above the header"),
                                                    (self.headers, "header row(s)"), (self.blank, "blank row(s)"))
                   if n]
        text = f"read {self.rows:,} row(s): {self.used:,} used, {self.rejected:,} rejected"
        if self.cells_dropped:
            text += f", {self.cells_dropped:,} invalid cell(s) dropped from used rows"
        if skipped:
            text += "; skipped " + ", ".join(skipped)
        return text
