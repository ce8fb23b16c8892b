"""Policy, decision, move and FtM files: size and regular-file checks before reading, and one located line for
every broken file (issue 14, classes 5 and 6)."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from schoon.audit.lifecycle import read_moves
from schoon.errors import DataError, SchoonError
from schoon.files import MAX_POLICY_BYTES
from schoon.registry.ftm import MAX_NAME_CHARS, read_ftm_layer
from schoon.registry.policy import load_policy
from schoon.screen.decisions import load_decisions

POLICY = "id: mine\ntitle: Mine\ndescription: test\n"


def _loaders() -> dict[str, object]:
    return {"policy": load_policy, "decisions": lambda p: load_decisions(Path(p), missing_ok=False),
            "moves": lambda p: read_moves(Path(p)), "ftm": lambda p: read_ftm_layer(Path(p), {})}


@pytest.mark.parametrize("kind", ["policy", "decisions", "moves", "ftm"])
def test_dev_zero_is_refused_before_reading(kind: str) -> None:
    with pytest.raises(SchoonError, match="not a regular file"):
        _loaders()[kind]("/dev/zero")  # type: ignore[operator]


@pytest.mark.parametrize("kind", ["policy", "decisions", "moves", "ftm"])
def test_fifo_is_refused_without_blocking(kind: str, tmp_path: Path) -> None:
    fifo = tmp_path / "input.fifo"
    os.mkfifo(fifo)
    done = threading.Event()
    result: list[BaseException] = []

    def load() -> None:
        try:
            _loaders()[kind](str(fifo))  # type: ignore[operator]
        except BaseException as err:
            result.append(err)
        done.set()

    threading.Thread(target=load, daemon=True).start()
    if not done.wait(10):
        os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # unblock the reader before failing
        pytest.fail("reading a FIFO blocked")
    assert result and isinstance(result[0], SchoonError) and "not a regular file" in str(result[0])


def test_oversized_policy_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(POLICY + "# " + "x" * MAX_POLICY_BYTES + "\n")
    with pytest.raises(SchoonError, match="at most 1,048,576 are read"):
        load_policy(str(path))


@pytest.mark.parametrize(("text", "message"), [
    (POLICY + "deadline: 2026-02-30\n", "not usable YAML: day is out of range for month"),
    ("[" * 3000 + "]" * 3000, "nested too deeply"),
    (POLICY + "\x00", "not valid YAML: unacceptable character"),
])
def test_policy_yaml_faults_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(text)
    with pytest.raises(SchoonError) as info:
        load_policy(str(path))
    assert message in str(info.value) and "\n" not in str(info.value) and str(path) in str(info.value)


def test_decisions_yaml_impossible_date(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("- {name: X, decision: is, entity_id: hikvision, by: me, date: 2026-02-30}\n")
    with pytest.raises(DataError, match="cannot read decisions: day is out of range"):
        load_decisions(path, missing_ok=False)


def test_moves_with_a_cell_over_the_csv_limit(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text('device,state\n"' + "1" * 200_000 + '",replaced\n')
    with pytest.raises(DataError, match="malformed CSV: field larger than field limit"):
        read_moves(path)


def _ftm(tmp_path: Path, *items: object, raw: bytes = b"") -> Path:
    path = tmp_path / "layer.ftm.json"
    path.write_bytes(b"".join(json.dumps(i).encode() + b"\n" for i in items) + raw)
    return path


@pytest.mark.parametrize(("props", "field"), [
    ({"name": 5}, None), ({"name": [{"a": 1}]}, "properties.name"), ({"name": ["ok"], "alias": {"x": 1}},
                                                                       "properties.alias"),
    ({"name": ["ok"], "topics": [[1]]}, "properties.topics"), ({"name": ["ok"], "jurisdiction": [None]},
                                                                "properties.jurisdiction"),
])
def test_ftm_wrong_property_types_are_located(tmp_path: Path, props: dict[str, object], field: str | None) -> None:
    path = _ftm(tmp_path, {"id": "a", "schema": "Company", "properties": props})
    try:
        layer = read_ftm_layer(path, {})
    except DataError as err:
        assert err.line == 1 and "\n" not in str(err)
        if field:
            assert err.field == field
    else:  # a bare number is read as a one-item list
        assert props == {"name": 5} and layer.entities[0][1].name == "5"


def test_ftm_wrong_types_in_ownership_and_sanction(tmp_path: Path) -> None:
    company = {"id": "a", "schema": "Company", "properties": {"name": ["A"]}}
    for bad in ({"id": "o", "schema": "Ownership", "properties": {"owner": [["x"]], "asset": ["a"]}},
                {"id": "s", "schema": "Sanction", "properties": {"entity": ["a"]}, "schoon": ["not", "a", "map"]},
                {"id": "s", "schema": "Sanction", "properties": {"entity": ["a"]}, "schoon": {"source": 5}},
                {"id": "s", "schema": "Sanction", "properties": {"entity": ["a"], "startDate": [7]},
                 "first_seen": 5}):
        with pytest.raises(DataError) as info:
            read_ftm_layer(_ftm(tmp_path, company, bad), {})
        assert info.value.line == 2 and "\n" not in str(info.value)


def test_ftm_bad_encoding_and_surrogate_are_located(tmp_path: Path) -> None:
    company = {"id": "a", "schema": "Company", "properties": {"name": ["A"]}}
    with pytest.raises(DataError, match=r"layer.ftm.json:2: not UTF-8 text"):
        read_ftm_layer(_ftm(tmp_path, company, raw=b'{"id": "b", "name": "\xff"}\n'), {})
    with pytest.raises(DataError, match=r"layer.ftm.json:2: text that is not valid Unicode"):
        read_ftm_layer(_ftm(tmp_path, company, raw=b'{"id":"b","schema":"Company","properties":{"name":["\\ud800"]}}\n'),
                       {})


def test_ftm_over_long_names_are_left_out_and_counted(tmp_path: Path) -> None:
    long = "N" * 60_000
    path = _ftm(tmp_path, {"id": "a", "schema": "Company", "properties": {"name": ["Acme", long], "alias": [long]}})
    layer = read_ftm_layer(path, {})
    (_line, entity), = layer.entities
    assert entity.name == "Acme" and all(len(a.name) <= MAX_NAME_CHARS for a in entity.aliases)
    assert sum(layer.skipped.values()) == 2
    only_long = _ftm(tmp_path, {"id": "a", "schema": "Company", "properties": {"name": [long]}})
    with pytest.raises(DataError, match="every name is longer than 1,000 characters"):
        read_ftm_layer(only_long, {})
