"""From the cells of one row to an Observation: a bad cell is dropped with a warning, the row is kept.

One invalid MAC or IP address (or a port cell that holds no port) must not cost the whole row: the brand,
model and asset number next to it are still evidence. So each mapped cell is checked on its own; a cell that
cannot be normalised is dropped, with a :class:`~schoon.ingest.types.CellWarning` naming the row and the
column, and the rest of the row is used. Placeholders ("n.v.t.", "onbekend", "-", "DHCP" in an address
column: :mod:`schoon.placeholders`) are simply empty and give no warning.

Text that is not valid Unicode (a lone surrogate such as ``\\ud800``, which JSON escapes and xlsx ``_xD800_``
escapes can carry) rejects the row when it is read, rather than failing later when it is written.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping

from schoon.ingest.options import ReadLog
from schoon.ingest.types import CellWarning, Record, printable, reject
from schoon.observation import Observation, ObservationError
from schoon.placeholders import is_placeholder

_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(text: str) -> str | None:
    """The first lone surrogate in ``text`` as ``U+D800``, or None when the text is valid Unicode."""
    found = _SURROGATE.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def check_ip(text: str) -> str | None:
    """Why ``text`` is not an IP address (None when it is one: IPv4, IPv6, with a zone or a prefix length)."""
    value = text.strip()
    try:
        ipaddress.ip_address(value)
        return None
    except ValueError:
        pass
    try:
        ipaddress.ip_interface(value)
        return None
    except ValueError:
        return f"not an IP address: {value[:40]!r}"


def build_record(fields: Mapping[str, tuple[str, object]], extra: dict[str, str], *, source: str,
                 row: int | None, raw: str | None, log: ReadLog | None, unicode_checked: bool = False) -> Record:
    """An Observation from ``fields`` (canonical field → (column name, value)) and ``extra``, or a Reject.

    Invalid cells are dropped with a warning to ``log`` (see the module docstring); the row is rejected only
    when it holds text that is not valid Unicode. ``unicode_checked`` skips that check for text that was
    decoded from bytes (which cannot hold a lone surrogate).
    """
    cells = [] if unicode_checked else [*((c, v) for c, v in fields.values()), *extra.items()]
    for column, value in cells:
        bad = lone_surrogate(value) if isinstance(value, str) else None
        if bad is None and isinstance(column, str):
            bad = lone_surrogate(column)
        if bad is not None:
            return reject(source, row, f"column {printable(column)!r} holds a lone surrogate ({bad}): not valid "
                          "Unicode; row rejected", raw)
    values: dict[str, object] = {}
    columns: dict[str, str] = {}
    for name, (column, value) in fields.items():
        columns[name] = column
        if name == "ip" and isinstance(value, (str, int)) and not isinstance(value, bool):
            text = str(value)
            if is_placeholder(text, "ip"):
                continue
            problem = check_ip(text)
            if problem is not None:
                _warn(log, source, row, column, problem)
                continue
        values[name] = value
    while True:
        try:
            return Observation.from_mapping(values, source=source, row=row, extra=extra)
        except ObservationError as err:
            if err.field is None or err.field not in values:
                return reject(source, row, str(err), raw)
            _warn(log, source, row, columns.get(err.field, err.field), err.message)
            del values[err.field]
        except (ValueError, TypeError, OverflowError) as err:  # a value no normaliser foresaw: say so, go on
            return reject(source, row, f"cannot read this row: {err}", raw)


def _warn(log: ReadLog | None, source: str, row: int | None, column: str, message: str) -> None:
    if log is not None:
        log.warn(CellWarning(source, row, column, message))


