"""Lean output: findings written as JSON lines without building the intermediate record dicts.

The bytes are exactly those of the plain path, ``json.dumps(finding_record(f), ensure_ascii=False)`` (a test
compares both on the demo estate and on a large generated file).

What makes it lean: the part of a record that depends only on the evidence (maker, verdict,
listings, the evidence chain, the reason ...) is shared by every record with the same evidence, and the engine
already computes that outcome once; here its JSON text is likewise built once per outcome and reused, and only
the record's own fields (id, model, firmware, source, row, input) are encoded per record, with ``json``'s own C
encoder.
"""

from __future__ import annotations

import json
from itertools import compress
from operator import attrgetter, is_not
from typing import IO, Any

from schoon.identify.engine import Finding, Outcome
from schoon.identify.report import finding_record, record_id
from schoon.jsontext import members_text, value_text
from schoon.observation import CANONICAL_FIELDS

_FIELDS = attrgetter(*CANONICAL_FIELDS)  # every canonical field of an Observation at once, at C speed

ROW_PIECE = ', "row": '  # the piece of :meth:`JsonlWriter.pieces` before the row number
INPUT_PIECE = ', "input": '  # and the piece after it

_CACHE_LIMIT = 100_000  # outcomes whose text is kept (the engine's own caches are bounded the same way)


_encode = json.JSONEncoder(ensure_ascii=False).encode  # what json.dumps(value, ensure_ascii=False) calls
_NONES = (None,) * len(CANONICAL_FIELDS)


def _input(obs: Any) -> str:
    """``{**obs.to_dict(), **obs.extra}`` as JSON text (canonical fields with a value, then the other columns),
    encoded by the very encoder ``json.dumps`` uses (ports, a tuple, come out as the list ``to_dict`` gives)."""
    values = _FIELDS(obs)
    given = dict(compress(zip(CANONICAL_FIELDS, values, strict=True), map(is_not, values, _NONES)))
    if given.get("ports", 0) == ():
        del given["ports"]
    if obs.extra:
        given.update(obs.extra)
    return _encode(given)


class JsonlWriter:
    """Write findings as ``schoon identify --format jsonl`` lines (DESIGN.md's contract), one per call."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self._parts: dict[tuple[int, str], tuple[Outcome, str, str, str]] = {}

    def _outcome_parts(self, finding: Finding) -> tuple[str, str, str]:
        outcome = finding.identification.outcome
        key = (id(outcome), finding.policy_id)
        found = self._parts.get(key)
        if found is not None and found[0] is outcome:
            return found[1], found[2], found[3]
        record = finding_record(finding)
        keys = list(record)

        def span(first: str, last: str) -> str:
            chosen = keys[keys.index(first):keys.index(last) + 1]
            return members_text({k: record[k] for k in chosen})

        parts = (span("manufacturer_id", "brand"), span("device_type", "relabel"), span("policy", "conflicts"))
        if len(self._parts) >= _CACHE_LIMIT:
            self._parts.clear()
        self._parts[key] = (outcome, *parts)
        return parts

    def write(self, finding: Finding) -> None:
        """Write one finding as one line."""
        self.out.write(self.line(finding))

    def line(self, finding: Finding) -> str:
        """One finding's line (with its line end), as :meth:`write` writes it."""
        return "".join(self.pieces(finding)) + _input(finding.identification.observation) + "}\n"

    def pieces(self, finding: Finding) -> tuple[str, ...]:
        """The line up to ``"input": `` in pieces: ``{"id": ``, the id's JSON text, the pieces up to the row
        (:data:`ROW_PIECE` is the last), the row's JSON text, and ``, "input": ``. The pieces that depend only on
        the evidence are shared by every record with the same outcome."""
        head, middle, tail = self._outcome_parts(finding)
        ident = finding.identification
        obs = ident.observation
        return ('{"id": ', value_text(record_id(finding)), ", ", head, ', "model": ', value_text(ident.model), ", ",
                middle, ', "firmware": ', value_text(ident.firmware), ", ", tail, ', "source": ',
                value_text(obs.source), ROW_PIECE, value_text(obs.row), INPUT_PIECE)

    def input_text(self, finding: Finding) -> str:
        """The input member's JSON object: the Observation's fields with a value, then its other columns."""
        return _input(finding.identification.observation)
