"""Property-based: whatever a user types as an option value, schoon answers with a result or one line of its own.

The example count is bounded for CI; set SCHOON_FUZZ_EXAMPLES for a longer local run.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schoon.dates import DateError, parse_date
from schoon.errors import SchoonError
from schoon.outfile import check_output
from schoon.settings import DbUse, check_db_url
from tests.cli.helpers import run

EXAMPLES = int(os.environ.get("SCHOON_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
DATEISH = st.one_of(TEXT, st.from_regex(r"\A[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}\Z"), st.dates().map(str),
                    st.dates().map(lambda d: f"{d.day}-{d.month}-{d.year}"))
ISO = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
DUTCH = re.compile(r"\d{1,2}-\d{1,2}-\d{4}", re.ASCII)


@FUZZ
@given(DATEISH)
def test_dates_parse_or_fail_with_a_date_error(text: str) -> None:
    try:
        day = parse_date(text, "--as-of")
    except DateError as exc:
        assert str(exc).startswith("--as-of: ") and "\n" not in str(exc)
        return
    value = text.strip()
    iso, dutch = ISO.fullmatch(value), DUTCH.fullmatch(value)
    assert iso or dutch
    if iso:
        assert day.isoformat() == value
    else:
        assert [int(part) for part in value.split("-")] == [day.day, day.month, day.year]


@FUZZ
@given(TEXT)
def test_database_urls_are_accepted_or_refused_in_one_line(text: str) -> None:
    for url in (text, f"sqlite:///{text}", f"sqlite://{text}"):
        if not url.startswith("sqlite"):
            continue  # other schemes are checked when connected to; no network traffic from a test
        try:
            check_db_url(url, DbUse.READ)
        except SchoonError as exc:
            assert "\n" not in str(exc)


@FUZZ
@given(TEXT)
def test_output_paths_are_accepted_or_refused_in_one_line(text: str) -> None:
    if text == "-":
        return  # standard output: never checked as a file
    try:
        check_output(text, inputs=[text, "-", None])
    except SchoonError as exc:
        assert "\n" not in str(exc)
    else:
        raise AssertionError(f"an output equal to its input was accepted: {text!r}")


def _one_line(result: object) -> None:
    code, err = result.code, result.err  # type: ignore[attr-defined]
    assert code == 2, (code, err)
    assert err.startswith("schoon: error: ") and err.count("\n") == 1 and "Traceback" not in err, err


@FUZZ
@given(as_of=DATEISH, lang=TEXT, fmt=TEXT, dialect=TEXT)
def test_report_options_never_escape_as_tracebacks(as_of: str, lang: str, fmt: str, dialect: str) -> None:
    # The in-memory database is always refused, so every run ends in one line, early.
    _one_line(run("report", "national", "--as-of", as_of, "--lang", lang, "--format", fmt, "--csv-dialect",
                  dialect, "-o", "/nonexistent/x", "--db", "sqlite://"))


@FUZZ
@given(as_of=DATEISH, fmt=TEXT, input_format=TEXT, output=TEXT)
def test_identify_options_never_escape_as_tracebacks(as_of: str, fmt: str, input_format: str, output: str) -> None:
    missing = str(Path("/nonexistent") / "register.csv")
    result = run("identify", missing, "--as-of", as_of, "--format", fmt, "--input-format", input_format,
                 "-o", f"/nonexistent/{output}")
    _one_line(result)


@FUZZ
@given(verdict=TEXT, state=TEXT, db=TEXT)
def test_audit_options_never_escape_as_tracebacks(verdict: str, state: str, db: str) -> None:
    _one_line(run("audit", "devices", "--verdict", verdict, "--state", state, "--db", f"sqlite:///nonexistent/{db}"))
