"""The build cache's compact form of a large registry's entities: plain tuples, made into models when used.

A registry with a million imported FtM entities would spend most of its load time, and most of its memory, on
unpickling a million pydantic models (about 1.4 KB each), although a screening run touches only the few it
matches. In the cache each entity is kept as one tuple of its field values (its aliases as tuples too), and
:class:`LazyEntities` turns a tuple back into the very model it was (same field values, same set of fields
given) the first time it is read. The bundled registry (a few hundred entities) is pickled as it is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from schoon.registry.model import Alias, Entity

LAZY_MIN = 10_000  # entities from which a registry is cached in the compact form

_FIELDS = tuple(Entity.model_fields)
_ALIAS_FIELDS = tuple(Alias.model_fields)
_set = object.__setattr__

Packed = tuple[Any, ...]


def _model(cls: type[Any], values: dict[str, Any], fields_set: set[str], extra: Any, private: Any) -> Any:
    """A model from its state, as pydantic's own ``__setstate__`` restores it (no validation: it was valid)."""
    model = object.__new__(cls)
    _set(model, "__pydantic_fields_set__", fields_set)
    _set(model, "__pydantic_extra__", extra)
    _set(model, "__pydantic_private__", private)
    _set(model, "__dict__", values)
    return model


def _plain(model: Any) -> bool:
    return model.__pydantic_extra__ is None and not model.__pydantic_private__


_LISTS = tuple(f for f in _FIELDS if f != "aliases" and getattr(Entity.model_fields[f].annotation, "__origin__", None)
               is list)


def pack(entity: Entity, shared: dict[tuple[Any, ...], tuple[Any, ...]] | None = None) -> Packed | Entity:
    """An entity as a tuple (its field values with lists as tuples, the aliases as tuples, its set of given
    fields), or the entity itself when it holds anything this form does not keep (extra or private attributes).
    ``shared`` makes equal tuples one object (a million entities of one layer share their ``sources``)."""
    state = entity.__dict__
    aliases = state["aliases"]
    if not _plain(entity) or any(not _plain(a) for a in aliases):
        return entity
    same = {} if shared is None else shared
    values = dict(state)
    values["aliases"] = tuple((*(a.__dict__[f] for f in _ALIAS_FIELDS), a.__pydantic_fields_set__) for a in aliases)
    for name in _LISTS:
        items = tuple(values[name])
        values[name] = same.setdefault(items, items) if all(type(x) is str for x in items) else items
    return (*(values[f] for f in _FIELDS), entity.__pydantic_fields_set__)


def unpack(packed: Packed) -> Entity:
    """The entity :func:`pack` made ``packed`` from."""
    values = dict(zip(_FIELDS, packed, strict=False))
    values["aliases"] = [_model(Alias, dict(zip(_ALIAS_FIELDS, a, strict=False)), a[-1], None, None)
                         for a in values["aliases"]]
    for name in _LISTS:
        values[name] = list(values[name])
    return _model(Entity, values, packed[-1], None, None)  # type: ignore[no-any-return]


class LazyEntities(dict[str, Entity]):
    """The registry's ``entities`` when loaded from the compact form: a dict whose values are made into models
    on first read (by key, ``get``, ``values()``, ``items()`` or a copy). Reading every value makes every
    model, as before; a screening run reads only the entities it matched."""

    def __init__(self, packed: Mapping[str, Any]) -> None:
        super().__init__(packed)

    def __getitem__(self, key: str) -> Entity:
        value: Any = dict.__getitem__(self, key)
        if type(value) is tuple:
            value = unpack(value)
            dict.__setitem__(self, key, value)
        return value  # type: ignore[no-any-return]

    def get(self, key: str, default: Any = None) -> Any:
        """The entity, made on first read; ``default`` for an unknown id."""
        if key in self:
            return self[key]
        return default

    def __iter__(self) -> Iterator[str]:
        # a method of our own, so that dict(x) and {**x} read values through __getitem__ rather than raw
        return dict.__iter__(self)

    def values(self) -> list[Entity]:  # type: ignore[override]
        """Every entity (all of them made)."""
        return [self[k] for k in dict.__iter__(self)]

    def items(self) -> list[tuple[str, Entity]]:  # type: ignore[override]
        """Every (id, entity) pair (all of them made)."""
        return [(k, self[k]) for k in dict.__iter__(self)]

    def copy(self) -> dict[str, Entity]:
        """A plain dict of every entity."""
        return dict(self.items())

    def pop(self, key: str, *default: Any) -> Any:
        """Remove and return the entity (made)."""
        if dict.__contains__(self, key):
            value = self[key]
            dict.__delitem__(self, key)
            return value
        if default:
            return default[0]
        raise KeyError(key)

    def __reduce__(self) -> tuple[Any, ...]:
        return LazyEntities, (packed_entities(self),)


def packed_entities(entities: Mapping[str, Entity]) -> dict[str, Packed | Entity]:
    """The entities in the compact form (entities already packed stay as they are, without being made)."""
    raw = dict.items(entities) if isinstance(entities, dict) else entities.items()
    shared: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    return {k: v if type(v) is tuple else pack(v, shared) for k, v in raw}
