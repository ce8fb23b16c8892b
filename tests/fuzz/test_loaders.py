"""The policy loader, the FtM layer loader, the decisions and the lifecycle-moves readers, fed generated files:
only schoon's own errors may escape."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from schoon.audit.lifecycle import read_moves
from schoon.errors import SchoonError
from schoon.registry.ftm import read_ftm_layer
from schoon.registry.model import ListDefinition
from schoon.registry.policy import load_policy
from schoon.screen.decisions import load_decisions
from tests.fuzz.strategies import cell, fuzz_settings, json_value

TMP = Path(tempfile.mkdtemp(prefix="schoon-fuzz-loaders-"))
KNOWN_LISTS: dict[str, ListDefinition] = {}

yaml_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), cell,
                        st.sampled_from(["2026-02-30", "2026-13-01", "1e999", "any", "legal", "low", "x" * 300]))
yaml_value = st.recursive(yaml_scalar, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
POLICY_KEYS = ["id", "title", "description", "lists", "list_kinds", "evidence", "min_confidence", "affiliates",
               "deadline", "extra"]


def _must_only_raise_ours(load: object, path: Path) -> None:
    try:
        load(path)  # type: ignore[operator]
    except SchoonError as err:
        assert "\n" not in str(err)
        str(err).encode("utf-8")


def _write(name: str, data: bytes) -> Path:
    path = TMP / name
    path.write_bytes(data)
    return path


@fuzz_settings
@given(st.dictionaries(st.sampled_from(POLICY_KEYS), yaml_value, max_size=9))
def test_policy_yaml_from_data(data: dict[str, object]) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    _must_only_raise_ours(load_policy, _write("p.yaml", text.encode("utf-8", "surrogatepass")))


@fuzz_settings
@given(st.one_of(st.binary(max_size=500), st.sampled_from([
    b"id: x\ndeadline: 2026-02-30\n", b"[" * 5000, b"a: &a [*a]\n", b"id: !!python/object:os.system x\n",
    b"id: x\ntitle: t\ndescription: d\ndeadline: 2026-13-45\n", b"- " * 3000 + b"x", b"{a: " * 3000,
    b"\xff\xfe\x00", b"id: x\nlists: " + b"[" * 2000 + b"]" * 2000,
])))
def test_policy_yaml_from_bytes(data: bytes) -> None:
    _must_only_raise_ours(load_policy, _write("q.yaml", data))


FTM_PROPS = ["name", "alias", "weakAlias", "previousName", "jurisdiction", "country", "notes", "topics", "owner",
             "asset", "percentage", "startDate", "endDate", "entity", "programId", "provisions", "reason",
             "listingDate", "sourceUrl"]
ftm_entity = st.fixed_dictionaries(
    {"id": st.one_of(st.sampled_from(["a", "b", "c", "x" * 2000]), json_value),
     "schema": st.sampled_from(["Company", "Organization", "LegalEntity", "PublicBody", "Ownership", "Sanction",
                                "Person", 7]),
     "properties": st.one_of(st.dictionaries(st.sampled_from(FTM_PROPS), json_value, max_size=6), json_value)},
    optional={"schoon": json_value, "first_seen": json_value})


@fuzz_settings
@given(st.lists(ftm_entity, max_size=5), st.lists(st.sampled_from([b"", b"\xff\xfe", b"{", b"\"\\ud800\"",
                                                                   b'{"id":"a","schema":"Company","properties":'
                                                                   b'{"name":["\\ud800"]}}']), max_size=2))
def test_ftm_layer(entities: list[dict[str, object]], odd_lines: list[bytes]) -> None:
    lines = [json.dumps(e, ensure_ascii=False).encode("utf-8", "surrogatepass") for e in entities] + odd_lines
    path = _write("layer.ftm.json", b"\n".join(lines) + b"\n")
    _must_only_raise_ours(lambda p: read_ftm_layer(p, KNOWN_LISTS), path)


@fuzz_settings
@given(st.lists(st.lists(cell, max_size=7), max_size=5), st.sampled_from([".csv", ".yaml"]))
def test_decisions(rows: list[list[str]], suffix: str) -> None:
    header = "name,decision,entity_id,by,date,note"
    if suffix == ".csv":
        text = header + "\n" + "\n".join(",".join(r) for r in rows)
    else:
        text = yaml.safe_dump([dict(zip(header.split(","), r, strict=False)) for r in rows], allow_unicode=True)
    _must_only_raise_ours(lambda p: load_decisions(p, missing_ok=False),
                          _write("decisions" + suffix, text.encode("utf-8", "surrogatepass")))


@fuzz_settings
@given(st.lists(st.lists(cell, max_size=8), max_size=5), st.sampled_from([",", ";"]))
def test_moves(rows: list[list[str]], sep: str) -> None:
    text = sep.join(["device", "state", "date", "replaced_by", "reason", "approver", "review"]) + "\n"
    text += "\n".join(sep.join(r) for r in rows)
    _must_only_raise_ours(read_moves, _write("moves.csv", text.encode("utf-8", "surrogatepass")))
