"""Where rejected rows and dropped cells go: streamed to a rejects file, or the first few shown; always counted.

A register of 20,000 bad rows must not print 20,000 lines. With a rejects file (CLI ``--rejects FILE``) every
reject and every dropped cell is written to it as it happens (CSV: ``source, row, message, raw, column,
problem``) and only the counts are said; without one, the first :data:`SHOWN` are said, then how many more there
were. Nothing is kept in memory but the counts.
"""

from __future__ import annotations

from collections.abc import Callable

from schoon.ingest.options import ReadLog
from schoon.ingest.types import CellWarning, Reject, printable

SHOWN = 20
COLUMNS = ("source", "row", "message", "raw", "column", "problem")  # the first four as rejects files always had
REJECTED, DROPPED = "row rejected", "cell dropped"


class Problems:
    """Receives every reject and dropped cell of one command's inputs (see the module docstring).

    ``say`` prints one line (to stderr). ``write`` (optional) receives each problem as a row of
    :data:`COLUMNS` for the rejects file (the caller's CSV writer, which neutralises formulas and writes the
    header); ``where`` names that file in the closing line.
    """

    def __init__(self, say: Callable[[str], None], write: Callable[[list[str]], None] | None = None,
                 where: str | None = None, shown: int = SHOWN) -> None:
        self.say = say
        self.write = write
        self.where = where
        self.shown = shown
        self.rejects = 0
        self.dropped = 0

    def log(self) -> ReadLog:
        """A fresh :class:`ReadLog` for one input whose rejects and dropped cells come here."""
        return ReadLog(on_warning=self.warning, on_reject=self.reject)

    def reject(self, item: Reject) -> None:
        """One rejected row."""
        self.rejects += 1
        self._record(item.source, item.row, "", REJECTED, item.message, item.raw or "",
                     f"schoon: rejected {item.source}:{item.row if item.row is not None else '-'}: {item.message}")

    def warning(self, item: CellWarning) -> None:
        """One cell dropped from a row that was used."""
        self.dropped += 1
        self._record(item.source, item.row, item.column, DROPPED, item.message, "", f"schoon: warning: {item.line()}")

    def _record(self, source: str, row: int | None, column: str, problem: str, message: str, raw: str,
                line: str) -> None:
        if self.write is not None:
            self.write([printable(cell) for cell in (source, "" if row is None else str(row), message, raw, column,
                                                      problem)])
            return
        if self.rejects + self.dropped <= self.shown:
            self.say(printable(line))

    def lines(self) -> list[str]:
        """What to say at the end: the counts, and where the details are (or how many were not shown)."""
        if not self.rejects and not self.dropped:
            return []
        counts = f"{self.rejects:,} row(s) rejected, {self.dropped:,} invalid cell(s) dropped"
        if self.write is not None:
            return [f"schoon: {counts}; details in {self.where or 'the rejects file'}"]
        hidden = self.rejects + self.dropped - self.shown
        if hidden > 0:
            return [f"schoon: {counts}; {hidden:,} more not shown (use --rejects FILE)"]
        return []
