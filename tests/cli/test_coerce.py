"""Option values converted without pydantic give exactly what Typer's own conversion gives, or defer to it."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import pytest
from typer._coercion import build_runtime_param, resolve_type_descriptor
from typer.models import OptionInfo

from schoon.cli.coerce import _MISS, _convert
from tests.cli.helpers import run


class Colour(StrEnum):
    red = "red"
    green = "green"


CASES: list[tuple[Any, dict[str, Any], list[Any]]] = [
    (str, {}, ["x", "", "ünï", " padded ", b"bytes", 5]),
    (bool, {}, [True, False, "true", "no"]),
    (int, {}, [0, 7, "7", "007", "-3", " 4", "1_000", "x", "99999999999999999999", 2.0, True]),
    (int, {"min": 1}, [0, 1, "1", "0", "12"]),
    (int, {"min": 1, "max": 3, "clamp": True}, [5, "5"]),
    (Colour, {}, ["red", "RED", Colour.green, "blue"]),
    (Colour, {"case_sensitive": False}, ["RED", "Green", "x"]),
    (list[str], {}, [["a", "b"], ("a",), []]),
    (list[Colour], {}, [["red", "green"], ["red", "nope"]]),
    (float, {}, [1.5, "1.5"]),
    (str, {"parser": lambda v: v.upper() if v != "bad" else int("x")}, ["abc", "bad"]),
    (list[str], {"parser": str.strip}, [[" a ", "b"]]),
]


@pytest.mark.parametrize(("annotation", "options", "values"), CASES, ids=lambda c: getattr(c, "__name__", None))
def test_quick_conversion_equals_typers(annotation: Any, options: dict[str, Any], values: list[Any]) -> None:
    info = OptionInfo(**options)
    full = build_runtime_param(resolve_type_descriptor(annotation, info))
    quick_seen = 0
    for value in values:
        quick = _convert(annotation, info, value, None)
        if quick is _MISS:
            continue
        quick_seen += 1
        expected = full._coerce_value(value, param=None, ctx=None)  # type: ignore[arg-type]
        assert quick == expected and type(quick) is type(expected), value
        if isinstance(expected, list):
            assert [type(q) for q in quick] == [type(e) for e in expected]
    if annotation is not float and not options.get("clamp"):
        assert quick_seen, "the quick path never applied"


def test_bad_values_keep_typers_messages() -> None:
    bad_format = run("identify", "x.jsonl", "--format", "xml")
    assert bad_format.code == 2
    assert "Invalid value for '--format' / '-f'" in bad_format.err and "'xml' is not one of" in bad_format.err
    bad_date = run("identify", "x.jsonl", "--as-of", "yesterday")
    assert bad_date.code == 2
    assert "Invalid value for '--as-of'" in bad_date.err
    bad_jobs = run("identify", "x.jsonl", "--jobs", "0")
    assert bad_jobs.code == 2
    assert "Invalid value for '--jobs' / '-j'" in bad_jobs.err and "greater than or equal to 1" in bad_jobs.err
