"""Calendar dates as users type them: ISO ``2026-11-28`` or Dutch ``28-11-2026``, nothing else.

Every date a user gives (an option, a setting, a form field) goes through :func:`parse_date`, so a date in
another form is one clear error, never a string compared as text (``"28-11-2026" < "2026-06-30"`` is true,
which once made every record clear). The library stores and compares dates as ISO strings (:func:`iso_date`).

    parse_date("2026-11-28", "--as-of")   # datetime.date(2026, 11, 28)
    parse_date("28-11-2026", "--as-of")   # datetime.date(2026, 11, 28)
    iso_date("1-3-2026", "--date")        # "2026-03-01"
    parse_date("11/28/2026", "--as-of")   # DateError: --as-of: not a date: '11/28/2026' (use 2026-11-28 or 28-11-2026)
"""

from __future__ import annotations

import datetime as dt
import re

from schoon.errors import SchoonError

DATE_FORMS = "2026-11-28 or 28-11-2026"
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_DUTCH = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})", re.ASCII)
_MAX_SHOWN = 40


class DateError(SchoonError):
    """A date that is not in one of the accepted forms, or a day that does not exist.

    ``reason`` is the message without the name of what was being read (for callers that add their own).
    """

    def __init__(self, what: str, reason: str) -> None:
        self.what = what
        self.reason = reason
        super().__init__(f"{what}: {reason}")


def _shown(text: str) -> str:
    return repr(text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…")


def parse_date(text: str, what: str = "date") -> dt.date:
    """The day ``text`` names, in ISO (``YYYY-MM-DD``) or Dutch (``DD-MM-YYYY``, day and month may have one
    digit) form, surrounding spaces ignored; anything else is a :class:`DateError` naming ``what``."""
    value = text.strip()
    iso = _ISO.fullmatch(value)
    dutch = None if iso else _DUTCH.fullmatch(value)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif dutch:
        day, month, year = (int(part) for part in dutch.groups())
    else:
        raise DateError(what, f"not a date: {_shown(text)} (use {DATE_FORMS})")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateError(what, f"no such day: {_shown(text)}") from None


def iso_date(text: str | None, what: str = "date") -> str | None:
    """``text`` as an ISO date string (None and empty text stay None); see :func:`parse_date`."""
    if text is None or not text.strip():
        return None
    return parse_date(text, what).isoformat()
