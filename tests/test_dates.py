"""Dates as users type them: ISO and Dutch accepted, everything else refused with one line."""

from __future__ import annotations

import datetime as dt

import pytest

from schoon.dates import DateError, iso_date, parse_date
from schoon.errors import SchoonError


@pytest.mark.parametrize(("text", "day"), [
    ("2026-11-28", dt.date(2026, 11, 28)),
    ("28-11-2026", dt.date(2026, 11, 28)),
    ("1-3-2026", dt.date(2026, 3, 1)),
    (" 2026-02-28 ", dt.date(2026, 2, 28)),
    ("29-02-2028", dt.date(2028, 2, 29)),
])
def test_iso_and_dutch_dates_are_the_same_day(text: str, day: dt.date) -> None:
    assert parse_date(text, "--as-of") == day


@pytest.mark.parametrize("text", [
    "28/11/2026", "11/28/2026", "2026/11/28", "20261128", "2026-W48-6", "28-11-26", "28 november 2026",
    "2026-11-28T00:00", "", "today", "٢٠٢٦-١١-٢٨", "2026-11-28 x", "+2026-11-28",
])
def test_other_forms_are_refused_naming_the_option(text: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text, "--as-of")
    message = str(caught.value)
    assert message.startswith("--as-of: not a date") and "2026-11-28 or 28-11-2026" in message
    assert "\n" not in message
    assert isinstance(caught.value, SchoonError)


@pytest.mark.parametrize("text", ["31-02-2026", "2026-13-01", "00-01-2026", "2026-02-29"])
def test_days_that_do_not_exist_are_refused(text: str) -> None:
    with pytest.raises(DateError, match="no such day"):
        parse_date(text, "--date")


def test_iso_date_keeps_none_and_normalises() -> None:
    assert iso_date(None) is None and iso_date("  ") is None
    assert iso_date("5-1-2026", "deadline") == "2026-01-05"


def test_a_huge_input_is_shown_cut() -> None:
    with pytest.raises(DateError) as caught:
        parse_date("9" * 10_000, "--as-of")
    assert len(str(caught.value)) < 200
