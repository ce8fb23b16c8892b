"""Screening names and ledgers: bad names, column choice, input order, rejects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schoon.errors import DataError
from schoon.registry import load_registry
from schoon.screen import MATCH, NO_MATCH, NO_NAME, REJECTED, Screener, Summary, read_ledger, screen_rows


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(load_registry(layers=[]))


# (name, status, group)
NAMES: list[tuple[str | None, str, str | None]] = [
    ("Hikvision Europe B.V.", MATCH, "hikvision"),
    ("Dahua Technology USA Inc.", MATCH, None),
    ("Axis Communications AB", NO_MATCH, None),
    ("", NO_NAME, None),
    ("   ", NO_NAME, None),
    (None, NO_NAME, None),
    ("x" * 10_000, NO_NAME, None),
    ("Co., Ltd.", NO_NAME, None),
    ("\x00\x07Hikvision\tEurope\x1b", MATCH, "hikvision"),
    ("Hikvision 海康威视 Europe", "", None),  # mixed scripts: screened, not a crash
    ("Ηikvision", MATCH, "hikvision"),  # Greek capital eta for H: a one-character typo
]


@pytest.mark.parametrize(("name", "status", "group"), NAMES, ids=[repr(n)[:30] for n, _, _ in NAMES])
def test_names(screener: Screener, name: str | None, status: str, group: str | None) -> None:
    result = screener.screen(name)
    assert result.status == status or (not status and result.status in (MATCH, NO_MATCH)), result.explanation
    if group is not None:
        assert result.group_id == group
    if status != MATCH:
        assert result.group_id is None and result.entity_id is None
    assert result.explanation and "\n" not in result.explanation


def test_threshold_bounds() -> None:
    with pytest.raises(DataError):
        Screener(load_registry(layers=[]), threshold=1.5)


LEDGERS: list[tuple[str, str, str | None, list[str | None]]] = [
    # (file name, content, --column, names read in order)
    ("p.csv", "Leverancier;Omschrijving;Bedrag\nHikvision Europe B.V.;camera;10\nAxis AB;camera;5\n", None,
     ["Hikvision Europe B.V.", "Axis AB"]),
    ("n.csv", "naam,plaats\nDahua,Hangzhou\n", None, ["Dahua"]),
    ("c.csv", "Tegenpartij,Bedrag\nZTE USA Inc,3\n", None, ["ZTE USA Inc"]),
    ("x.csv", "Who,What\nHytera,radio\n", "Who", ["Hytera"]),
    ("j.jsonl", '{"company": "Uniview"}\n{"company": ""}\n{"other": 1}\n', None, ["Uniview", None, None]),
    ("s.jsonl", '{"supplier": "DJI Europe B.V.", "amount": 3}\n', None, ["DJI Europe B.V."]),
]


@pytest.mark.parametrize(("filename", "content", "column", "names"), LEDGERS, ids=[x[0] for x in LEDGERS])
def test_ledger_names(tmp_path: Path, filename: str, content: str, column: str | None,
                      names: list[str | None]) -> None:
    path = tmp_path / filename
    path.write_text(content, encoding="utf-8")
    assert [row.name for row in read_ledger(path, column=column)] == names


def test_own_columns_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Leverancier;Omschrijving;Bedrag\nHikvision;camera;10\n")
    (row,) = read_ledger(path)
    assert row.columns == {"supplier": "Hikvision", "Omschrijving": "camera", "Bedrag": "10"}


def test_unknown_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match="Nope"):
        list(read_ledger(path, column="Nope"))
    with pytest.raises(DataError, match="use --column"):
        list(read_ledger(path))


def test_broken_row_is_reported_and_the_rest_screened(tmp_path: Path, screener: Screener) -> None:
    path = tmp_path / "l.jsonl"
    path.write_text('{"name": "Hikvision"}\n{not json\n{"name": "Axis AB"}\n' + json.dumps({"name": "x" * 10_000})
                    + "\n")
    summary = Summary()
    out = list(screen_rows(screener, read_ledger(path)))
    for _, result in out:
        summary.add(result)
    assert [r.status for _, r in out] == [MATCH, REJECTED, NO_MATCH, NO_NAME]
    assert out[1][0].line == 2 and f"{path}:2" in out[1][1].explanation
    assert (summary.names, summary.rejected, summary.no_name, dict(summary.matches)) == (3, 1, 1, {"hikvision": 1})
    assert "possible match" in " ".join(summary.lines(0.7))
