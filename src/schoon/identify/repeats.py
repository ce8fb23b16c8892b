"""Records that repeat but for their id: each distinct one identified and written once, then copied.

Scans repeat the same banners endlessly, and a JSON-lines record that equals an earlier one in everything but
its id (and its row) gets the same finding: the same maker, verdict, evidence and input fields. :class:`Repeats`
keeps, per distinct rest of line (:func:`schoon.ingest.jsonl.split_id`), the record's output line as a template
with two holes, the id and the row; a repeat then costs a dictionary look-up and one string join instead of
reading, identifying and encoding the record. The template is learnt from the first such record's real output
and checked against it (the copy must give exactly that line back), so the output stays byte for byte what the
plain path writes. Only lines read without any warning are learnt: a repeat must not lose its warning.
"""

from __future__ import annotations

from schoon.identify.engine import Finding
from schoon.identify.writers import INPUT_PIECE, ROW_PIECE, JsonlWriter
from schoon.ingest.options import ReadLog

LIMIT = 50_000  # distinct templates kept (each up to about 2 KB); then the memo starts again: memory stays flat


class Template:
    """One distinct record's output line around its id and row, and what the summary counts of it.

    The line's pieces up to the row are mostly shared with every record of the same outcome; they are joined into
    one string only when a first repeat comes (a record that never repeats costs little memory).
    """

    __slots__ = ("_before", "after_id", "device_type", "group_id", "relabel", "verdict")

    def __init__(self, before: tuple[str, ...], after_id: str, verdict: str, group_id: str | None,
                 device_type: str | None, relabel: bool) -> None:
        self._before: tuple[str, ...] | str = before  # from after the id up to the row number
        self.after_id = after_id  # the input object after its id member, the closing brace and the line end
        self.verdict = verdict
        self.group_id = group_id
        self.device_type = device_type
        self.relabel = relabel

    def line(self, quoted_id: str, row: int) -> str:
        """The output line of a repeat with this id (already in quotes) at this row."""
        before = self._before
        if type(before) is tuple:
            before = self._before = "".join(before)
        return f'{{"id": {quoted_id}{before}{row}{INPUT_PIECE}{{"id": {quoted_id}{self.after_id}'


class Repeats:
    """Templates of the distinct records of one input, learnt as they are written (see the module docstring)."""

    def __init__(self, writer: JsonlWriter, log: ReadLog, limit: int = LIMIT) -> None:
        self.writer = writer
        self.log = log
        self.limit = limit
        self._templates: dict[str, Template] = {}
        self._missed: tuple[str, str, int, int] | None = None  # (id, rest, row, dropped cells) of the last miss
        self.hits = 0

    def find(self, ident: str, rest: str, row: int) -> Template | None:
        """The template for a line with this rest, or None (then the line's finding can be learnt by
        :meth:`line`, if it is written next)."""
        template = self._templates.get(rest)
        if template is None:
            self._missed = (ident, rest, row, self.log.cells_dropped)
            return None
        self.hits += 1
        return template

    def line(self, finding: Finding) -> str:
        """The finding's output line (as :meth:`JsonlWriter.write` writes it); if it is the record last missed by
        :meth:`find` and was read without a warning, its template is kept for the repeats to come."""
        pieces = self.writer.pieces(finding)
        given = self.writer.input_text(finding)
        missed, self._missed = self._missed, None
        if missed is not None:
            self._learn(finding, missed, pieces, given)
        return "".join(pieces) + given + "}\n"

    def _learn(self, finding: Finding, missed: tuple[str, str, int, int], pieces: tuple[str, ...],
               given: str) -> None:
        ident, rest, row, dropped = missed
        obs = finding.identification.observation
        quoted = f'"{ident}"'
        opening = '{"id": ' + quoted
        # The holes are where the copy assumes them: the id written as it stands, first in the input too.
        if (row != obs.row or dropped != self.log.cells_dropped or obs.id != ident or pieces[1] != quoted
                or pieces[-3] != ROW_PIECE or pieces[-2] != str(row) or not given.startswith(opening)):
            return
        found = finding.identification
        template = Template(pieces[2:-2], given[len(opening):] + "}\n", finding.verdict, found.group_id,
                            found.device_type, found.relabel)
        if len(self._templates) >= self.limit:
            self._templates.clear()
        self._templates[rest] = template
