"""Load the bundled registry data (and any user layers) into a validated :class:`Registry`.

Loading is all or nothing: the first problem raises one :class:`~schoon.errors.DataError` naming the file,
line and field, and no registry is returned.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schoon import settings
from schoon.errors import DataError
from schoon.registry.ieee import IeeeRegistry
from schoon.registry.model import (
    CapabilityClaim,
    Entity,
    Evidence,
    FalseFriend,
    GroupFile,
    ListDefinition,
    Listing,
    ListsFile,
    Source,
)
from schoon.registry.registry import Registry
from schoon.registry.yamlfile import Located, load_model

if TYPE_CHECKING:
    from schoon.registry.ftm import FtmLayer

DATA_DIR = Path(__file__).parent / "data"


def bundled_files(data_dir: Path = DATA_DIR) -> tuple[Path, list[Path]]:
    """The lists file and the group files of a registry data folder."""
    return data_dir / "lists.yaml", sorted((data_dir / "groups").glob("*.yaml"))


def user_layers() -> list[Path]:
    """FtM layers the user imported (``<data_dir>/registry/*.ftm.json``) or named in a setting."""
    found = sorted((settings.data_dir() / "registry").glob("*.ftm.json"))
    named = settings.registry_layers()
    return found + named


class _At:
    """Where a fact was written: makes a DataError for a field below that place."""

    def __init__(self, located: Located[Any] | None, *prefix: int | str,
                 layer: FtmLayer | None = None, line: int = 0) -> None:
        self.located, self.prefix, self.layer, self.line = located, prefix, layer, line

    def __call__(self, message: str, *loc: int | str) -> DataError:
        if self.layer is not None:
            return self.layer.error(message, self.line, ".".join(str(p) for p in loc) or None)
        assert self.located is not None
        return self.located.error(message, *self.prefix, *loc)


def _source_keys(entity: Entity) -> list[str]:
    """Every source key an entity refers to, itself and its relations and identifiers."""
    ids = entity.identifiers
    keys = [*entity.sources, *(f.source for f in entity.former_parents), *(r.source for r in entity.relabels)]
    keys += [x.source for x in ids.mac_prefixes] + [x.source for x in ids.enterprise_numbers]
    keys += [x.source for x in ids.models]
    if entity.ownership is not None:
        keys.append(entity.ownership.source)
    keys += [x.source for x in (entity.announced_sale, entity.member_of) if x is not None]
    return keys


class _Builder:
    """Collects files, qualifies source keys and checks references across files."""

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self.entity_error: dict[str, _At] = {}
        self.ref_checks: list[tuple[str, str, _At]] = []
        self.lists: dict[str, ListDefinition] = {}
        self.listings: list[Listing] = []
        self.evidence: list[Evidence] = []
        self.false_friends: list[FalseFriend] = []
        self.capability_claims: list[CapabilityClaim] = []
        self.sources: dict[str, Source] = {}
        self.groups: dict[str, str] = {}
        self.digest = hashlib.sha256()
        self._files: list[Located[GroupFile]] = []

    def add_lists(self, located: Located[ListsFile]) -> None:
        doc = located.model
        self._qualify_sources("lists", doc.sources)
        for index, definition in enumerate(doc.lists):
            definition.source = self._qualified("lists", doc.sources, definition.source, located,
                                                "lists", index, "source")
            if definition.id in self.lists:
                raise located.error(f"duplicate list id {definition.id!r}", "lists", index, "id")
            self.lists[definition.id] = definition

    def add_group(self, located: Located[GroupFile]) -> None:
        doc, group = located.model, located.model.group
        if group in self.groups:
            raise located.error(f"group {group!r} is defined twice", "group")
        self.groups[group] = doc.name
        self._qualify_sources(group, doc.sources)
        tops = {e.id for e in doc.entities}
        if group not in tops:
            raise located.error(f"no entity with the group's id {group!r} in this file", "group")
        for index, entity in enumerate(doc.entities):
            if entity.id in self.entities:
                raise located.error(f"duplicate entity id {entity.id!r}", "entities", index, "id")
            entity.file, entity.layer = str(located.path), "bundled"
            self._qualify_entity(located, index, entity)
            self.entities[entity.id] = entity
            self.entity_error[entity.id] = _At(located, "entities", index)
        for index, listing in enumerate(doc.listings):
            listing.source = self._qualified(group, doc.sources, listing.source, located,
                                             "listings", index, "source")
            self.listings.append(listing)
            where = _At(located, "listings", index)
            self.ref_checks += [("entity", listing.entity, where), ("list", listing.list, where)]
        seen_evidence = {e.id for e in self.evidence}
        for index, item in enumerate(doc.evidence):
            if item.id in seen_evidence:
                raise located.error(f"duplicate evidence id {item.id!r}", "evidence", index, "id")
            seen_evidence.add(item.id)
            item.source = self._qualified(group, doc.sources, item.source, located, "evidence", index, "source")
            self.evidence.append(item)
            self.ref_checks.append(("entity", item.entity, _At(located, "evidence", index)))
        for index, friend in enumerate(doc.false_friends):
            friend.source = self._qualified(group, doc.sources, friend.source, located,
                                            "false_friends", index, "source")
            self.false_friends.append(friend)
        for index, claim in enumerate(doc.capabilities):
            claim.source = self._qualified(group, doc.sources, claim.source, located, "capabilities", index, "source")
            self.capability_claims.append(claim)
            self.ref_checks.append(("entity", claim.entity, _At(located, "capabilities", index)))

    def add_layer(self, layer: FtmLayer) -> None:
        """Add an FtM layer (entities, listings, lists) read by :func:`read_ftm_layer`."""
        self.sources.update(layer.sources)
        for definition in layer.lists:
            self.lists.setdefault(definition.id, definition)
        for line, entity in layer.entities:
            where = _At(None, layer=layer, line=line)
            if entity.id in self.entities:
                raise where(f"entity id {entity.id!r} is already in the registry ({self.entities[entity.id].file})",
                            "id")
            if entity.layer != layer.name:
                entity.file, entity.layer = str(layer.path), layer.name
            self.entities[entity.id] = entity
            self.entity_error[entity.id] = where
        for line, listing in layer.listings:
            self.listings.append(listing)
            where = _At(None, layer=layer, line=line)
            self.ref_checks += [("entity", listing.entity, where), ("list", listing.list, where)]

    def _qualify_sources(self, group: str, sources: dict[str, Source]) -> None:
        for key, source in sources.items():
            self.sources[f"{group}/{key}"] = source

    @staticmethod
    def _qualified(group: str, sources: dict[str, Source], key: str, located: Located[Any],
                   *loc: int | str) -> str:
        if "/" in key:  # already qualified (entity re-used across loads)
            return key
        if key not in sources:
            raise located.error(f"unknown source {key!r} (not in this file's sources)", *loc)
        return f"{group}/{key}"

    def _qualify_entity(self, located: Located[GroupFile], index: int, entity: Entity) -> None:
        group, sources = located.model.group, located.model.sources
        base = ("entities", index)
        entity.sources = [self._qualified(group, sources, key, located, *base, "sources", i)
                          for i, key in enumerate(entity.sources)]
        for i, former in enumerate(entity.former_parents):
            former.source = self._qualified(group, sources, former.source, located,
                                            *base, "former_parents", i, "source")
        if entity.ownership is not None:
            entity.ownership.source = self._qualified(group, sources, entity.ownership.source, located,
                                                      *base, "ownership", "source")
        for i, relabel in enumerate(entity.relabels):
            relabel.source = self._qualified(group, sources, relabel.source, located,
                                             *base, "relabels", i, "source")
        for name, part in (("announced_sale", entity.announced_sale), ("member_of", entity.member_of)):
            if part is not None:
                part.source = self._qualified(group, sources, part.source, located, *base, name, "source")
        ids = entity.identifiers
        for i, block in enumerate(ids.mac_prefixes):
            block.source = self._qualified(group, sources, block.source, located,
                                           *base, "identifiers", "mac_prefixes", i, "source")
        for i, pen in enumerate(ids.enterprise_numbers):
            pen.source = self._qualified(group, sources, pen.source, located,
                                         *base, "identifiers", "enterprise_numbers", i, "source")
        for i, model in enumerate(ids.models):
            model.source = self._qualified(group, sources, model.source, located,
                                           *base, "identifiers", "models", i, "source")

    def check_references(self) -> None:
        """Parents, relabel makers, listing targets and list ids must all exist; no parent cycles."""
        for entity_id, entity in self.entities.items():
            error = self.entity_error[entity_id]
            if entity.parent is not None and entity.parent not in self.entities:
                raise error(f"unknown parent {entity.parent!r}", "parent")
            for i, former in enumerate(entity.former_parents):
                if former.parent not in self.entities:
                    raise error(f"unknown former parent {former.parent!r}", "former_parents", i, "parent")
            for i, relabel in enumerate(entity.relabels):
                if relabel.maker not in self.entities:
                    raise error(f"unknown maker {relabel.maker!r}", "relabels", i, "maker")
            if entity.member_of is not None:
                self._check_membership(entity, error)
            if entity.announced_sale is not None and entity.parent is None:
                raise error("announced_sale needs a current parent (a completed sale belongs in former_parents)",
                            "announced_sale")
            self._check_no_cycle(entity_id, error)
            for key in _source_keys(entity):
                if key not in self.sources:
                    raise error(f"unknown source {key!r}", "sources")
        for kind, target, where in self.ref_checks:
            if kind == "entity" and target not in self.entities:
                raise where(f"unknown entity {target!r}", "entity")
            if kind == "list" and target not in self.lists:
                raise where(f"unknown list {target!r} (not in lists.yaml)", "list")

    def _check_membership(self, entity: Entity, error: _At) -> None:
        """``member_of`` names the top entity of another group, which is itself no member of a third."""
        assert entity.member_of is not None
        if entity.parent is not None:
            raise error("member_of is for a top entity (parent: null); an entity with a parent is in its parent's "
                        "group", "member_of")
        target = self.entities.get(entity.member_of.group)
        if target is None or target.id == entity.id:
            raise error(f"unknown group {entity.member_of.group!r}", "member_of", "group")
        if target.parent is not None or target.member_of is not None:
            raise error(f"{target.id!r} is not the top entity of a group", "member_of", "group")

    def _check_no_cycle(self, entity_id: str, error: _At) -> None:
        seen: set[str] = set()
        current: str | None = entity_id
        while current is not None:
            if current in seen:
                raise error(f"parent chain of {entity_id!r} loops back on itself", "parent")
            seen.add(current)
            current = self.entities[current].parent if current in self.entities else None


def load_registry(
    data_dir: Path | None = None,
    layers: Sequence[Path] | None = None,
    *,
    bundled: bool = True,
    ieee: IeeeRegistry | None = None,
) -> Registry:
    """Load and validate a registry.

    ``data_dir`` replaces the bundled data folder (for tests and forks); ``layers`` are FtM JSON-lines
    files loaded on top (default: the user's imported layers); ``bundled=False`` loads only the layers
    (with the bundled list definitions). ``ieee`` replaces the shipped IEEE MAC data.
    """
    lists_path, group_paths = bundled_files(data_dir or DATA_DIR)
    layer_paths = list(user_layers() if layers is None else layers)
    ieee = ieee if ieee is not None else IeeeRegistry.shipped()
    from schoon import cache

    # Built once per set of data files (and schoon code), then loaded from the user's cache folder.
    entry_key = cache.key("registry", bundled, lists_path, *(group_paths if bundled else ()), *layer_paths)
    found = cache.load("registry", entry_key)
    if isinstance(found, Registry):
        found.attach_ieee(ieee)
        return found
    registry = _build(lists_path, group_paths if bundled else [], layer_paths)
    cache.store("registry", entry_key, registry)  # built without the IEEE data, attached on every load
    registry.attach_ieee(ieee)
    return registry


def _build(lists_path: Path, group_paths: Sequence[Path], layer_paths: Sequence[Path]) -> Registry:
    """Parse, validate and index the files (what :func:`load_registry` caches)."""
    builder = _Builder()
    builder.digest.update(lists_path.read_bytes() if lists_path.exists() else b"")
    builder.add_lists(load_model(lists_path, ListsFile))
    for path in group_paths:
        builder.digest.update(path.read_bytes())
        builder.add_group(load_model(path, GroupFile))
    if layer_paths:
        from schoon.registry.ftm import read_ftm_layer
    for path in layer_paths:
        builder.digest.update(path.read_bytes())
        builder.add_layer(read_ftm_layer(path, known_lists=builder.lists))
    builder.check_references()
    return Registry(
        builder.entities.values(), builder.lists.values(), builder.listings, builder.evidence,
        builder.false_friends, builder.sources, builder.groups, builder.digest.hexdigest()[:12],
        capability_claims=builder.capability_claims,
    )


@cache
def default_registry() -> Registry:
    """The bundled registry plus the user's layers, loaded once per process."""
    return load_registry()
