"""JSON lines: one JSON object per line, keys in canonical field names (see DESIGN.md).

Keys that are not canonical fields go to ``Observation.extra`` (non-string values as compact JSON). A line that
is not a JSON object (also: nested too deeply, or an integer longer than Python converts) becomes a Reject with
its line number; a value that cannot be normalised (an invalid MAC or address) is dropped with a warning and the
rest of the line is used; text that is not valid Unicode (a lone surrogate escape such as ``"\\ud800"``) rejects
the line. Blank lines are skipped; a line longer than :data:`~schoon.ingest.textio.MAX_LINE_BYTES` is rejected
without being held.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping

from schoon.ingest.cells import build_record
from schoon.ingest.headers import KEEP_IN_EXTRA, check_map, header_key
from schoon.ingest.options import ReadLog, ReadOptions
from schoon.ingest.textio import MAX_LINE_BYTES, Input, iter_lines
from schoon.ingest.types import Record, cut, reject
from schoon.observation import CANONICAL_FIELDS

_CANONICAL = frozenset(CANONICAL_FIELDS)


def read_jsonl(source: Input, *, options: ReadOptions | None = None, log: ReadLog | None = None) -> Iterator[Record]:
    """Observations (and Rejects) from JSON lines; ``options.column_map`` renames keys onto canonical fields."""
    opts = options or ReadOptions()
    log = log if log is not None else ReadLog()
    overrides = check_map(opts.column_map)
    with source.opener() as stream, contextlib.closing(iter_lines(stream, source.head, source.encoding)) as lines:
        for number, line in enumerate(lines, start=1):
            text = line.text.strip()
            if not text:
                log.blank += 1
                continue
            if line.overlong:
                yield reject(source.name, number, f"line longer than {MAX_LINE_BYTES // 2**20} MiB; skipped", text)
                continue
            yield _record(text, overrides, source=source.name, row=number, log=log)


def _record(text: str, overrides: Mapping[str, str], *, source: str, row: int, log: ReadLog) -> Record:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return reject(source, row, f"not valid JSON: {err.msg} (column {err.colno})", text)
    except RecursionError:
        return reject(source, row, "not valid JSON: nested too deeply", text)
    except ValueError as err:  # e.g. an integer with more digits than Python converts
        return reject(source, row, f"not usable JSON: {err}", text)
    if not isinstance(data, dict):
        return reject(source, row, f"not a JSON object but {type(data).__name__}", text)
    fields: dict[str, tuple[str, object]] = {}
    extra: dict[str, str] = {}
    try:
        for key, value in data.items():
            target = overrides.get(header_key(key)) if overrides else None
            if target is None and key in _CANONICAL:
                target = key
            if target is None or target == KEEP_IN_EXTRA:
                if value is not None:
                    extra[key] = cut(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
            elif target not in fields:
                fields[target] = (key, value)
    except (ValueError, RecursionError) as err:  # a value json.dumps cannot write back (too deep, too long)
        return reject(source, row, f"not usable JSON: {type(err).__name__}: {err}", text)
    return build_record(fields, extra, source=source, row=row, raw=text, log=log)
