"""The time window of a measurement: records from ``--since`` up to and including ``--until``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from schoon.errors import SchoonError


@dataclass(frozen=True)
class Window:
    """``[since, until)`` in UTC epoch seconds; either end may be open (None)."""

    since: int | None = None
    until: int | None = None

    @classmethod
    def parse(cls, since: str | None, until: str | None) -> Window:
        """A window from ``YYYY-MM-DD`` dates (``until`` is inclusive: to the end of that day) or ISO times."""
        start = _moment(since, "--since", end_of_day=False)
        end = _moment(until, "--until", end_of_day=True)
        if start is not None and end is not None and end <= start:
            raise SchoonError(f"--until ({until}) is before --since ({since})")
        return cls(start, end)

    @property
    def bounded(self) -> bool:
        """Whether either end is set (then records without a time cannot be placed and are excluded)."""
        return self.since is not None or self.until is not None

    def contains(self, moment: int) -> bool:
        """Whether a time lies inside the window."""
        return (self.since is None or moment >= self.since) and (self.until is None or moment < self.until)

    def describe(self) -> dict[str, str | None]:
        """The window as ISO texts, for the output."""
        return {"since": _iso(self.since), "until": _iso(self.until)}


def _moment(value: str | None, option: str, *, end_of_day: bool) -> int | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            if end_of_day:
                day += dt.timedelta(days=1)
            return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SchoonError(f"{option} expects a date YYYY-MM-DD or an ISO time, got {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp())


def _iso(moment: int | None) -> str | None:
    if moment is None:
        return None
    return dt.datetime.fromtimestamp(moment, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
