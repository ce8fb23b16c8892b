"""FollowTheMoney export and import: a round trip keeps every entity; foreign FtM files map sensibly."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from schoon.errors import DataError
from schoon.registry import Registry, load_registry
from schoon.registry.ftm import write_ftm
from schoon.registry.ieee import IeeeRegistry


def _comparable(registry: Registry) -> dict[str, Any]:
    """Entities, listings and relations with source keys replaced by the sources themselves."""

    def src(key: str) -> dict[str, Any]:
        return registry.source(key).model_dump()

    entities = {}
    for entity in registry.entities.values():
        dump = entity.model_dump()
        dump["sources"] = [src(k) for k in entity.sources]
        for part in ("former_parents", "relabels"):
            for item, obj in zip(dump[part], getattr(entity, part), strict=True):
                item["source"] = src(obj.source)
        if entity.ownership is not None:
            dump["ownership"]["source"] = src(entity.ownership.source)
        for part in ("announced_sale", "member_of"):
            if getattr(entity, part) is not None:
                dump[part]["source"] = src(getattr(entity, part).source)
        for kind in ("mac_prefixes", "enterprise_numbers", "models"):
            for item, obj in zip(dump["identifiers"][kind], getattr(entity.identifiers, kind), strict=True):
                item["source"] = src(obj.source)
        entities[entity.id] = dump
    listings = sorted(
        json.dumps({**li.model_dump(), "source": src(li.source)}, sort_keys=True) for li in registry.listings)
    return {"entities": entities, "listings": listings}


def _export(registry: Registry, path: Path) -> Path:
    buffer = io.StringIO()
    write_ftm(registry, buffer)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_round_trip_mini(mini: Registry, minireg_dir: Path, mini_ieee: IeeeRegistry, tmp_path: Path) -> None:
    exported = _export(mini, tmp_path / "mini.ftm.json")
    again = load_registry(minireg_dir, layers=[exported], bundled=False, ieee=mini_ieee)
    assert _comparable(again) == _comparable(mini)


def test_round_trip_bundled(bundled: Registry, tmp_path: Path) -> None:
    exported = _export(bundled, tmp_path / "bundled.ftm.json")
    again = load_registry(layers=[exported], bundled=False)
    assert len(again.entities) == len(bundled.entities)
    assert _comparable(again) == _comparable(bundled)


def test_export_is_valid_ftm_shape(mini: Registry) -> None:
    buffer = io.StringIO()
    count = write_ftm(mini, buffer)
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert count == len(lines)
    schemata = {line["schema"] for line in lines}
    assert schemata == {"Company", "Organization", "Ownership", "Sanction"}
    for line in lines:
        assert all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in line["properties"].values())
    [ownership] = [x for x in lines if x["schema"] == "Ownership" and "endDate" not in x["properties"]]
    assert ownership["properties"] == {"owner": ["acme"], "asset": ["acme-home"], "percentage": ["60"]}


FOREIGN = [
    {"id": "NK-abc", "schema": "Company", "properties": {"name": ["Foreign Vision Ltd"], "alias": ["FV"],
                                                          "jurisdiction": ["CN"], "topics": ["sanction"]},
     "first_seen": "2024-02-03T10:00:00"},
    {"id": "NK-def", "schema": "Company", "properties": {"name": ["Foreign Vision Europe B.V."]}},
    {"id": "own-1", "schema": "Ownership", "properties": {"owner": ["NK-abc"], "asset": ["NK-def"],
                                                         "percentage": ["100"]}},
    {"id": "NK-ghi", "schema": "Organization", "properties": {"name": ["Listed Org"]}},
    {"id": "san-1", "schema": "Sanction", "properties": {"entity": ["NK-ghi"], "program": ["Some program"],
                                                        "startDate": ["2019-10-09"]}},
    {"id": "p1", "schema": "Person", "properties": {"name": ["Somebody"]}},
]


def _write_lines(path: Path, items: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


def test_foreign_ftm_maps_names_owners_and_listings(minireg_dir: Path, mini_ieee: IeeeRegistry,
                                                    tmp_path: Path) -> None:
    layer = _write_lines(tmp_path / "opensanctions.json", FOREIGN)
    registry = load_registry(minireg_dir, layers=[layer], ieee=mini_ieee)
    company = registry.get("nk-abc")
    assert company.country == "cn" and [a.name for a in company.aliases] == ["FV"]
    assert registry.group_of("nk-def") == "nk-abc"
    assert registry.get("nk-def").ownership is not None
    assert {li.entity: li.date for li in registry.listings if li.list.startswith("ftm-")} == {
        "nk-ghi": "2019-10-09", "nk-abc": "2024-02-03"}
    assert "p1" not in registry.entities
    assert registry.find_by_name("foreign vision ltd") == [company]


@pytest.mark.parametrize(("line", "message", "field"), [
    ("{not json", "not valid JSON", None),
    ('{"id": "x", "schema": "Company", "properties": {}}', "at least one 'name'", "properties.name"),
    ('{"schema": "Company", "properties": {"name": ["X"]}}', "string 'id'", "id"),
    ('{"id": "o", "schema": "Ownership", "properties": {"owner": ["a"]}}', "'owner' and 'asset'", "properties"),
])
def test_bad_ftm_line_is_located(minireg_dir: Path, mini_ieee: IeeeRegistry, tmp_path: Path, line: str,
                                 message: str, field: str | None) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(FOREIGN[0]) + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_registry(minireg_dir, layers=[path], ieee=mini_ieee)
    assert info.value.line == 3 and message in info.value.message and info.value.field == field


def test_layer_may_not_redefine_bundled_entity(mini: Registry, minireg_dir: Path, mini_ieee: IeeeRegistry,
                                               tmp_path: Path) -> None:
    exported = _export(mini, tmp_path / "again.json")
    with pytest.raises(DataError, match="already in the registry"):
        load_registry(minireg_dir, layers=[exported], ieee=mini_ieee)
