"""JSON lines: one JSON object per line, keys in canonical field names (see DESIGN.md).

Keys that are not canonical fields go to ``Observation.extra`` (non-string values as compact JSON). A line that
is not a JSON object, or whose values cannot be normalised, becomes a Reject with its line number; blank lines
are skipped; a line longer than :data:`~schoon.ingest.textio.MAX_LINE_BYTES` is rejected without being held.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from schoon.ingest.headers import KEEP_IN_EXTRA, check_map, header_key
from schoon.ingest.textio import MAX_LINE_BYTES, Input, iter_lines
from schoon.ingest.types import Record, cut, reject
from schoon.observation import CANONICAL_FIELDS, Observation, ObservationError

_CANONICAL = frozenset(CANONICAL_FIELDS)


def read_jsonl(source: Input, *, column_map: Mapping[str, str] | None = None) -> Iterator[Record]:
    """Observations (and Rejects) from JSON lines; ``column_map`` renames keys onto canonical fields."""
    overrides = check_map(column_map)
    with source.opener() as stream:
        for number, line in enumerate(iter_lines(stream, source.head), start=1):
            text = line.text.strip()
            if not text:
                continue
            if line.overlong:
                yield reject(source.name, number, f"line longer than {MAX_LINE_BYTES // 2**20} MiB; skipped", text)
                continue
            yield _record(text, overrides, source=source.name, row=number)


def _record(text: str, overrides: Mapping[str, str], *, source: str, row: int) -> Record:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return reject(source, row, f"not valid JSON: {err.msg} (column {err.colno})", text)
    except RecursionError:
        return reject(source, row, "not valid JSON: nested too deeply", text)
    if not isinstance(data, dict):
        return reject(source, row, f"not a JSON object but {type(data).__name__}", text)
    fields: dict[str, object] = {}
    extra: dict[str, str] = {}
    for key, value in data.items():
        target = overrides.get(header_key(key)) if overrides else None
        if target is None and key in _CANONICAL:
            target = key
        if target is None or target == KEEP_IN_EXTRA:
            if value is not None:
                extra[key] = cut(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        elif target not in fields:
            fields[target] = value
    try:
        return Observation.from_mapping(fields, source=source, row=row, extra=extra)
    except ObservationError as err:
        return reject(source, row, str(err), text)
