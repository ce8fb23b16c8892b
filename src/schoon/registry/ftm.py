"""FollowTheMoney (FtM) JSON lines: export the registry, and read FtM files as user registry layers.

Export writes one FtM entity per line: ``Company`` (companies, subsidiaries, government bodies),
``Organization`` (brands and relabel brands), ``Ownership`` (current and former parent links, with
dates and stake) and ``Sanction`` (listings, with list, date and scope). OpenSanctions users can load the
file into their own tools (yente, nomenklatura). Each line also carries a top-level ``schoon`` object with
what FtM has no property for (entity kind, confidence, alias kinds, identifiers), so that an export read
back gives the same entities. Foreign FtM files (an OpenSanctions dataset, say) have no such object:
their names, aliases, countries, ownerships and sanctions are mapped as well as FtM allows.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from schoon.errors import DataError
from schoon.files import check_file
from schoon.registry.model import Alias, Entity, EntityKind, Evidence, Identifiers, ListDefinition, Listing, Source
from schoon.registry.registry import Registry
from schoon.slug import ascii_slug

_NO_IDENTIFIERS = Identifiers()  # shared by foreign entities, which have none; never mutated
_NO_ALIASES: list[Any] = []  # likewise (shared; never appended to)
_ENTITY_FIELDS = set(Entity.model_fields)  # every field is given; one shared set for all foreign entities
ENTITY_SCHEMATA = {"Company", "Organization", "LegalEntity", "PublicBody"}
LISTED_TOPICS = {"sanction", "export.control", "debarment", "sanction.linked", "export.control.linked"}
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


# -- export ---------------------------------------------------------------------------------------

def _source_urls(registry: Registry, keys: list[str]) -> list[str]:
    return [u for u in (registry.sources[k].url for k in keys if k in registry.sources) if u]


def entity_to_ftm(registry: Registry, entity: Entity) -> dict[str, Any]:
    """One registry entity as an FtM ``Company`` or ``Organization`` dict."""
    schema = "Organization" if entity.kind in ("brand", "relabel") else "Company"
    props: dict[str, list[str]] = {"name": [entity.name]}
    strong = [a.name for a in entity.aliases if a.kind not in ("weak", "former")]
    weak = [a.name for a in entity.aliases if a.kind == "weak"]
    former = [a.name for a in entity.aliases if a.kind == "former"]
    if strong:
        props["alias"] = strong
    if weak:
        props["weakAlias"] = weak
    if former:
        props["previousName"] = former
    if entity.country:
        props["jurisdiction" if schema == "Company" else "country"] = [entity.country]
    urls = _source_urls(registry, entity.sources)
    if urls:
        props["sourceUrl"] = urls
    if entity.note:
        props["notes"] = [entity.note]
    topics = sorted({_topic(registry, lst.list) for lst in registry.listings_of(entity.id)})
    if topics:
        props["topics"] = topics
    extension = entity.model_dump(mode="json", exclude={"id", "name", "parent", "former_parents", "ownership"},
                                  exclude_defaults=True)
    extension["kind"] = entity.kind
    extension["sources"] = list(entity.sources)
    used = [*entity.sources, *(r.source for r in entity.relabels)]
    ids = entity.identifiers
    used += [x.source for x in ids.mac_prefixes] + [x.source for x in ids.enterprise_numbers]
    used += [x.source for x in ids.models]
    extension["source_catalog"] = {key: _source_dump(registry, key) for key in dict.fromkeys(used)}
    return {"id": entity.id, "schema": schema, "properties": props, "schoon": extension}


def _topic(registry: Registry, list_id: str) -> str:
    definition = registry.lists.get(list_id)
    if definition is not None and definition.kind == "advisory":
        return "export.risk"
    if list_id in ("us-bis-entity-list", "us-bis-mieu"):
        return "export.control"
    if list_id in ("us-ndaa-889", "us-fcc-covered", "us-dod-1260h"):
        return "debarment"
    return "sanction"


def _source_dump(registry: Registry, key: str) -> dict[str, Any]:
    return {"key": key.split("/", 1)[-1], **registry.sources[key].model_dump(mode="json", exclude_none=True)}


def iter_ftm(registry: Registry) -> Iterator[dict[str, Any]]:
    """The registry as FtM entity dicts: entities, then ownerships, then sanctions."""
    for entity in registry.entities.values():
        yield entity_to_ftm(registry, entity)
    for entity in registry.entities.values():
        if entity.parent:
            props: dict[str, list[str]] = {"owner": [entity.parent], "asset": [entity.id]}
            extension: dict[str, Any] = {}
            if entity.ownership is not None:
                if entity.ownership.percentage is not None:
                    props["percentage"] = [f"{entity.ownership.percentage:g}"]
                extension["ownership"] = entity.ownership.model_dump(mode="json", exclude_none=True)
                extension["ownership"]["source"] = _source_dump(registry, entity.ownership.source)
            yield {"id": f"own-{entity.parent}-{entity.id}", "schema": "Ownership", "properties": props,
                   "schoon": extension}
        for former in entity.former_parents:
            props = {"owner": [former.parent], "asset": [entity.id], "endDate": [former.end]}
            if former.start:
                props["startDate"] = [former.start]
            extension = {"former": True, "confidence": former.confidence,
                         "source": _source_dump(registry, former.source)}
            if former.note:
                extension["note"] = former.note
            yield {"id": f"own-{former.parent}-{entity.id}-until-{former.end}", "schema": "Ownership",
                   "properties": props, "schoon": extension}
    for index, listing in enumerate(registry.listings):
        definition = registry.lists[listing.list]
        props = {"entity": [listing.entity], "authority": [definition.authority], "program": [definition.name],
                 "programId": [listing.list], "startDate": [listing.date]}
        if listing.end:
            props["endDate"] = [listing.end]
        if listing.scope:
            props["provisions"] = [listing.scope]
        source = registry.sources[listing.source]
        if source.url:
            props["sourceUrl"] = [source.url]
        extension = listing.model_dump(mode="json", exclude={"source"}, exclude_none=True)
        extension["source"] = _source_dump(registry, listing.source)
        yield {"id": f"san-{listing.list}-{listing.entity}-{index}", "schema": "Sanction",
               "properties": props, "schoon": extension}


def write_ftm(registry: Registry, out: IO[str]) -> int:
    """Write the registry as FtM JSON lines; return the number of lines."""
    count = 0
    for item in iter_ftm(registry):
        out.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


# -- import ---------------------------------------------------------------------------------------

@dataclass
class FtmLayer:
    """What an FtM file contributes: entities, listings, lists and sources, each with its line number."""

    name: str
    path: Path
    entities: list[tuple[int, Entity]] = field(default_factory=list)
    listings: list[tuple[int, Listing]] = field(default_factory=list)
    evidence: list[tuple[int, Evidence]] = field(default_factory=list)
    lists: list[ListDefinition] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    topics: dict[str, set[str]] = field(default_factory=dict)
    first_seen: dict[str, str] = field(default_factory=dict)
    _sources: dict[str, list[str]] = field(default_factory=dict)

    @property
    def path_text(self) -> str:
        """The layer file's path as text (one string shared by all its entities)."""
        return self._sources.setdefault("\0path", [str(self.path)])[0]

    def shared_sources(self, key: str) -> list[str]:
        """One ``[key]`` list shared by every entity that cites only this source."""
        return self._sources.setdefault(key, [key])

    def error(self, message: str, line: int, field_name: str | None = None) -> DataError:
        """A DataError at a line of this file."""
        return DataError(message, file=str(self.path), line=line, field=field_name)


MAX_NAME_CHARS = 1000  # a longer "name" is not a company name; it would only make every later lookup costly
MAX_LINE_BYTES = 16 * 1024 * 1024  # one FtM entity per line; a longer line is refused, never held whole


class _BadEntity(Exception):
    """A property of the wrong type or form; becomes a DataError at the entity's line."""

    def __init__(self, message: str, field_name: str | None = None) -> None:
        super().__init__(message)
        self.field_name = field_name


def _values(props: dict[str, Any], key: str) -> list[str]:
    """An FtM property as a list of strings (FtM properties are lists of strings; a bare string or number is
    taken as a list of one); anything else is refused with the property's name."""
    value = props.get(key)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            raise _BadEntity(f"property {key!r} must be a list of strings, not {type(item).__name__}",
                             f"properties.{key}")
        out.append(str(item))
    return out


def _first(props: dict[str, Any], key: str) -> str | None:
    values = _values(props, key)
    return values[0] if values else None


def _mapping(item: dict[str, Any], key: str) -> dict[str, Any]:
    """A sub-object (``properties``, ``schoon``) that must be a mapping when present."""
    value = item.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _BadEntity(f"{key!r} must be an object, not {type(value).__name__}", key)
    return value


#: What a malformed line can make the mapping code raise; each becomes a DataError at that line.
_LINE_ERRORS = (_BadEntity, TypeError, AttributeError, KeyError, ValueError, IndexError, RecursionError,
                OverflowError)


def _located(layer: FtmLayer, line: int, err: BaseException) -> DataError:
    if isinstance(err, DataError):
        return err
    if isinstance(err, _BadEntity):
        return layer.error(str(err), line, err.field_name)
    if isinstance(err, RecursionError):
        return layer.error("not a usable FtM entity: nested too deeply", line)
    return layer.error(f"not a usable FtM entity: {type(err).__name__}: {str(err)[:200]}", line)


def _text(value: object) -> str | None:
    """A value that must be text (or absent); anything else is refused."""
    if value is None or isinstance(value, str):
        return value
    raise _BadEntity(f"expected text, got {type(value).__name__}")


def _ftm_date(value: object) -> str | None:
    value = _text(value)
    if not value:
        return None
    match = re.match(r"^\d{4}(-\d{2}(-\d{2})?)?", value)
    return match.group(0) if match else None


def read_ftm_layer(path: Path, known_lists: dict[str, ListDefinition]) -> FtmLayer:
    """Parse an FtM JSON-lines file into a layer; a bad line raises a DataError naming its line."""
    layer = FtmLayer(name=ascii_slug(path.name.removesuffix(".json").removesuffix(".ftm")), path=path)
    file_source_key = f"{layer.name}/file"
    today = dt.date.today().isoformat()
    layer.sources[file_source_key] = Source(title=f"FtM file {path.name}", url=None, date=today)
    pending_owners: list[tuple[int, dict[str, Any]]] = []
    sanctions: list[tuple[int, dict[str, Any]]] = []
    entities: dict[str, tuple[int, Entity]] = {}
    check_file(path, "FtM file", None)  # a regular file: never /dev/zero, a FIFO or a directory
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None
    with handle:
        line_number = 0
        while data := handle.readline(MAX_LINE_BYTES + 1):
            line_number += 1
            if len(data) > MAX_LINE_BYTES and not data.endswith(b"\n"):
                raise layer.error(f"line longer than {MAX_LINE_BYTES // 2**20} MiB; not an FtM entity", line_number)
            try:
                line = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise layer.error(f"not UTF-8 text (byte {exc.start + 1} of the line)", line_number) from None
            if not line.strip():
                continue
            try:
                _read_line(layer, line, line_number, entities, pending_owners, sanctions, file_source_key)
            except _LINE_ERRORS as exc:
                raise _located(layer, line_number, exc) from None
    _apply_ownerships(layer, entities, pending_owners)
    _apply_sanctions(layer, entities, sanctions, known_lists, file_source_key)
    layer.entities = list(entities.values())
    return layer


def _read_line(layer: FtmLayer, line: str, line_number: int, entities: dict[str, tuple[int, Entity]],
               pending_owners: list[tuple[int, dict[str, Any]]], sanctions: list[tuple[int, dict[str, Any]]],
               file_source_key: str) -> None:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise layer.error(f"not valid JSON: {exc.msg}", line_number) from None
    if not isinstance(item, dict):
        raise layer.error("not an FtM entity object", line_number)
    props = _mapping(item, "properties")
    _mapping(item, "schoon")
    schema, raw_id = item.get("schema"), item.get("id")
    if not isinstance(schema, str) or not isinstance(raw_id, str) or not raw_id:
        raise layer.error("an FtM entity needs a string 'id' and 'schema'", line_number,
                          "id" if not raw_id else "schema")
    if len(raw_id) > MAX_NAME_CHARS:
        raise layer.error(f"an id of {len(raw_id):,} characters (at most {MAX_NAME_CHARS:,})", line_number, "id")
    if lone_surrogate_in(line):
        raise layer.error("text that is not valid Unicode (a lone surrogate escape such as \\ud800)", line_number)
    if schema in ENTITY_SCHEMATA:
        entity = _entity_from_ftm(layer, item, line_number, file_source_key)
        if entity.id in entities:
            raise layer.error(f"duplicate entity id {raw_id!r}", line_number, "id")
        entities[entity.id] = (line_number, entity)
        if "schoon" not in item:
            layer.topics[entity.id] = set(_values(props, "topics"))
            first_seen = item.get("first_seen")
            seen = _ftm_date(first_seen if isinstance(first_seen, str) else None)
            if seen:
                layer.first_seen[entity.id] = seen
    elif schema == "Ownership":
        pending_owners.append((line_number, item))
    elif schema == "Sanction":
        sanctions.append((line_number, item))
    else:
        layer.skipped[schema[:100]] = layer.skipped.get(schema[:100], 0) + 1


def lone_surrogate_in(line: str) -> bool:
    """Whether a JSON line escapes a lone surrogate (``\\ud800`` not followed by a low surrogate)."""
    if "\\u" not in line or not _SURROGATE_ESCAPE.search(line):
        return False
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in json.dumps(json.loads(line), ensure_ascii=False))


def _source_from_dump(layer: FtmLayer, dump: dict[str, Any], line: int) -> str:
    data = {k: v for k, v in dump.items() if k != "key"}
    key = f"{layer.name}/{dump.get('key') or 'src'}"
    try:
        source = Source.model_validate(data)
    except ValidationError as exc:
        raise layer.error(exc.errors()[0]["msg"], line, "schoon.sources") from None
    existing = layer.sources.get(key)
    if existing is not None and existing != source:
        key = f"{key}-{line}"
    layer.sources[key] = source
    return key


def _rekey_sources(data: Any, keys: dict[str, str]) -> None:
    """Replace every ``source`` value and ``sources`` item in a nested dump by the layer's own keys."""
    if isinstance(data, dict):
        for name, value in data.items():
            if name == "source" and isinstance(value, str):
                data[name] = keys.get(value, value)
            elif name == "sources" and isinstance(value, list):
                data[name] = [keys.get(v, v) if isinstance(v, str) else v for v in value]
            else:
                _rekey_sources(value, keys)
    elif isinstance(data, list):
        for value in data:
            _rekey_sources(value, keys)


def _entity_from_ftm(layer: FtmLayer, item: dict[str, Any], line: int, file_source: str) -> Entity:
    props: dict[str, Any] = _mapping(item, "properties")
    extension: dict[str, Any] = _mapping(item, "schoon")
    all_names = [n.strip() for n in _values(props, "name") if n.strip()]
    names = [n for n in all_names if len(n) <= MAX_NAME_CHARS]
    if not all_names:
        raise layer.error("an FtM entity needs at least one 'name'", line, "properties.name")
    if not names:
        raise layer.error(f"every name is longer than {MAX_NAME_CHARS:,} characters", line, "properties.name")
    try:
        if extension:
            data = json.loads(json.dumps(extension))
            catalog = data.pop("source_catalog", {})
            keys = {key: _source_from_dump(layer, {**dump, "key": key}, line) for key, dump in catalog.items()}
            _rekey_sources(data, keys)
            data.update(id=ascii_slug(item["id"]), name=names[0])
            return Entity.model_validate(data)
        # Foreign entities are built without per-field validation (a million of them load in seconds); what
        # could be wrong is checked here: names are non-empty strings, the id is a slug, the country two letters.
        aliases = [Alias.model_construct(name=n, kind=alias_kind, script="latin") for alias_kind, values in (
            ("common", names[1:]), ("common", _values(props, "alias")), ("weak", _values(props, "weakAlias")),
            ("former", _values(props, "previousName"))) for n in (v.strip() for v in values)
            if n and len(n) <= MAX_NAME_CHARS]
        too_long = sum(1 for key in ("name", "alias", "weakAlias", "previousName") for v in _values(props, key)
                       if len(v.strip()) > MAX_NAME_CHARS)
        if too_long:
            label = f"names longer than {MAX_NAME_CHARS:,} characters (left out)"
            layer.skipped[label] = layer.skipped.get(label, 0) + too_long
        country = (_first(props, "jurisdiction") or _first(props, "country") or "").lower() or None
        kind: EntityKind = "government" if item["schema"] == "PublicBody" else "company"
        # Parts that are the same for every entity of the layer are shared, not copied: a million entities
        # must fit in memory. Nothing mutates them in place (ownerships replace former_parents).
        return Entity.model_construct(
            _fields_set=_ENTITY_FIELDS,
            id=ascii_slug(item["id"]), name=names[0], kind=kind,
            country=country if country and len(country) == 2 and country.isalpha() else None, parent=None,
            aliases=aliases or _NO_ALIASES, former_parents=_NO_ALIASES, ownership=None, relabels=_NO_ALIASES,
            identifiers=_NO_IDENTIFIERS, sources=layer.shared_sources(file_source), confidence="high",
            note=_first(props, "notes"), file=layer.path_text, layer=layer.name)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise layer.error(first["msg"], line, f"schoon.{where}" if extension else where) from None


def _apply_ownerships(layer: FtmLayer, entities: dict[str, tuple[int, Entity]],
                      owners: list[tuple[int, dict[str, Any]]]) -> None:
    for line, item in owners:
        try:
            _apply_ownership(layer, entities, line, item)
        except _LINE_ERRORS as exc:
            raise _located(layer, line, exc) from None


def _apply_ownership(layer: FtmLayer, entities: dict[str, tuple[int, Entity]], line: int,
                     item: dict[str, Any]) -> None:
    from schoon.registry.model import FormerParent, Ownership

    props: dict[str, Any] = _mapping(item, "properties")
    owner, asset = _first(props, "owner"), _first(props, "asset")
    if not owner or not asset:
        raise layer.error("an Ownership needs 'owner' and 'asset'", line, "properties")
    owner_id, asset_id = ascii_slug(owner), ascii_slug(asset)
    if asset_id not in entities:
        layer.skipped["Ownership (asset not in file)"] = layer.skipped.get("Ownership (asset not in file)", 0) + 1
        return
    entity = entities[asset_id][1]
    extension: dict[str, Any] = _mapping(item, "schoon")
    end = _ftm_date(_first(props, "endDate"))
    source = (_source_from_dump(layer, extension["source"], line) if "source" in extension
              else f"{layer.name}/file")
    if end:
        entity.former_parents = [*entity.former_parents, FormerParent(
            parent=owner_id, start=_ftm_date(_first(props, "startDate")), end=end, source=source,
            confidence=extension.get("confidence", "high"), note=extension.get("note"))]
        return
    entity.parent = owner_id
    if "ownership" in extension:
        data = dict(extension["ownership"])
        data["source"] = _source_from_dump(layer, data["source"], line)
        entity.ownership = Ownership.model_validate(data)
    elif _first(props, "percentage"):
        try:
            percentage = float(str(_first(props, "percentage")).rstrip("%"))
        except ValueError:
            raise layer.error("percentage is not a number", line, "properties.percentage") from None
        entity.ownership = Ownership(percentage=percentage, source=source)


def _apply_sanctions(layer: FtmLayer, entities: dict[str, tuple[int, Entity]],
                     sanctions: list[tuple[int, dict[str, Any]]], known_lists: dict[str, ListDefinition],
                     file_source: str) -> None:
    needs_own_list = False
    for line, item in sanctions:
        try:
            needs_own_list = _apply_sanction(layer, line, item, known_lists, file_source) or needs_own_list
        except _LINE_ERRORS as exc:
            raise _located(layer, line, exc) from None
    _topic_listings(layer, entities, file_source, needs_own_list)


def _apply_sanction(layer: FtmLayer, line: int, item: dict[str, Any], known_lists: dict[str, ListDefinition],
                    file_source: str) -> bool:
    """Add one Sanction line's listing; True when it needs the layer's own list."""
    own_list = f"ftm-{layer.name}"
    needs_own_list = False
    props: dict[str, Any] = _mapping(item, "properties")
    target = _first(props, "entity")
    if not target:
        raise layer.error("a Sanction needs an 'entity'", line, "properties.entity")
    extension: dict[str, Any] = _mapping(item, "schoon")
    list_id = extension.get("list") or _first(props, "programId") or ""
    if list_id not in known_lists:
        list_id, needs_own_list = own_list, True
    date = (_ftm_date(extension.get("date")) or _ftm_date(_first(props, "startDate"))
            or _ftm_date(_first(props, "listingDate")) or _ftm_date(_text(item.get("first_seen")))
            or dt.date.today().isoformat())
    source = (_source_from_dump(layer, extension["source"], line) if "source" in extension else file_source)
    try:
        listing = Listing(
            list=list_id, entity=ascii_slug(target), date=date,
            end=_ftm_date(extension.get("end")) or _ftm_date(_first(props, "endDate")),
            scope=extension.get("scope") or _first(props, "provisions") or _first(props, "reason"),
            citation=extension.get("citation"), source=source,
            confidence=extension.get("confidence", "high"), note=extension.get("note"))
    except ValidationError as exc:
        raise layer.error(exc.errors()[0]["msg"], line, "properties") from None
    layer.listings.append((line, listing))
    return needs_own_list


def _topic_listings(layer: FtmLayer, entities: dict[str, tuple[int, Entity]], file_source: str,
                    needs_own_list: bool) -> None:
    """Listings for foreign entities flagged only by their topics, and the layer's own list when needed."""
    own_list = f"ftm-{layer.name}"
    listed = {listing.entity for _, listing in layer.listings}
    for entity_id, (line, _entity) in entities.items():
        # Foreign entities flagged only by their topics (no Sanction line) still count as listed.
        flagged_topics = sorted(layer.topics.get(entity_id, set()) & LISTED_TOPICS)
        if flagged_topics and entity_id not in listed:
            needs_own_list = True
            layer.listings.append((line, Listing(
                list=own_list, entity=entity_id, date=layer.first_seen.get(entity_id) or dt.date.today().isoformat(),
                scope="FtM topics: " + ", ".join(flagged_topics), source=file_source)))
    if needs_own_list:
        layer.lists.append(ListDefinition(
            id=own_list, name=f"Listings imported from {layer.path.name}", authority="(from the FtM file)",
            jurisdiction="xx", kind="legal", source=file_source,
            note="Sanction entities whose program is not one of schoon's lists."))
