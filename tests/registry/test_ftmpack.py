"""The build cache's compact form of a large registry: entities kept as tuples and made into the same models
when read."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from schoon.registry import Registry, ftmpack
from schoon.registry.ftmpack import LazyEntities, pack, packed_entities, unpack


def _state(entity: Any) -> tuple[Any, ...]:
    return entity.model_dump(), entity.model_fields_set, [a.model_fields_set for a in entity.aliases]


def _raw(entities: dict[str, Any]) -> list[Any]:
    """The values as stored (tuples not yet made into models), without making any."""
    return list(dict.values(entities))


def test_every_bundled_entity_comes_back_the_same(bundled: Registry) -> None:
    for entity in bundled.entities.values():
        packed = pack(entity)
        assert type(packed) is tuple
        again = unpack(packed)
        assert again == entity and type(again) is type(entity)
        assert _state(again) == _state(entity)
        assert again.aliases is not entity.aliases  # its own lists: a model may be changed by its user


def test_lazy_entities_make_a_model_only_when_read(bundled: Registry) -> None:
    lazy = LazyEntities(packed_entities(bundled.entities))
    assert len(lazy) == len(bundled.entities) and set(lazy) == set(bundled.entities)
    assert all(type(v) is tuple for v in _raw(lazy))
    assert lazy["hikvision"] == bundled.entities["hikvision"]
    assert sum(type(v) is not tuple for v in _raw(lazy)) == 1
    assert lazy.get("hikvision") is lazy["hikvision"] and lazy.get("no-such-entity") is None
    assert "dahua" in lazy and "no-such-entity" not in lazy
    assert dict(lazy) == bundled.entities and {**lazy} == bundled.entities
    assert list(lazy.values()) == list(bundled.entities.values())
    assert lazy.items() == list(bundled.entities.items())
    with pytest.raises(KeyError):
        lazy["no-such-entity"]


def test_a_large_registry_pickles_compact_and_answers_the_same(bundled: Registry,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ftmpack, "LAZY_MIN", 1)  # the bundled registry stands in for a million-entity one
    loaded = pickle.loads(pickle.dumps(bundled))
    assert isinstance(loaded.entities, LazyEntities)
    assert all(type(v) is tuple for v in _raw(loaded.entities))
    assert loaded.get("hikvision") == bundled.get("hikvision")
    assert loaded.group_of("ezviz") == bundled.group_of("ezviz")
    assert [e.id for e in loaded.find_by_name("Hikvision")] == [e.id for e in bundled.find_by_name("Hikvision")]
    again = pickle.loads(pickle.dumps(loaded))  # pickled again without making every model first
    assert dict(again.entities) == bundled.entities


def test_a_small_registry_pickles_as_it_is(bundled: Registry) -> None:
    assert type(pickle.loads(pickle.dumps(bundled)).entities) is dict
