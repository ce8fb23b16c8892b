"""Signals: single pieces of evidence that point to a maker (or name a brand), each explained.

Every extractor here is a small documented function ``(observation, context) -> list[Signal]``; its
docstring is its user-facing description (``schoon identify --list-signals`` prints them). Weights say how
strongly one signal alone names the maker (0..1); the engine combines them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from schoon.identify.labels import CompanyNames, OwnNames, names_nothing
from schoon.identify.multipattern import Pattern, PatternSet
from schoon.identify.rules import LoadedFavicon, RuleBook
from schoon.placeholders import fold
from schoon.registry.registry import Registry

if TYPE_CHECKING:
    from schoon.names.resolver import NameResolver

Role = Literal["maker", "brand"]
OID_ENTERPRISES = "1.3.6.1.4.1."
RELABEL_WEIGHT = {"high": 0.55, "medium": 0.4, "low": 0.2}  # a brand name alone: who made it is a guess
ARTEFACT_RELABEL_FACTOR = {"high": 1.0, "medium": 0.75, "low": 0.4}  # a brand's firmware artefact
MAC_WEIGHT_OURS = 0.9
MAC_WEIGHT_OTHER = 0.7
PEN_WEIGHT = 0.85
MODEL_WEIGHT = 0.6
DECLARED_WEIGHT = 0.6
SUPPLIER_WEIGHT = 0.8  # bought from the maker or a member of its group
OUTSIDE_SUPPLIER_WEIGHT = 0.5  # bought from a known maker outside the registry
OUTSIDE_DECLARED_WEIGHT = 0.5
SHORT_NAME_FACTOR = 0.75  # a label that is only a registered short name ("UNV", "HIK")
DESCRIPTION_BRAND_WEIGHT = 0.55  # a brand named in a procurement line's description
DESCRIPTION_MODEL_FACTOR = 0.9  # a model number found among a description's words
MAX_DETAIL_VALUE = 80


@dataclass(frozen=True, slots=True)
class Signal:
    """One piece of evidence: what was seen, what it points to, how strongly, and why."""

    signal: str  # the kind of evidence, e.g. "mac-oui", "snmp-enterprise", "http-server"
    field: str  # the observation field it was read from
    value: str  # the value seen (shortened for display)
    points_to: str | None  # registry entity id, or None for a maker outside the registry
    weight: float
    detail: str  # one line for people
    role: Role = "maker"
    maker: str | None = None  # the maker's name when it is not in the registry
    device_type: str | None = None
    model: str | None = None
    firmware: str | None = None
    rule: str | None = None


@dataclass
class SignalContext:
    """What extractors need: the registry, the rules, the name resolver and the model patterns."""

    registry: Registry
    rules: RuleBook
    names: NameResolver
    today: str = dt.date.today().isoformat()

    def __post_init__(self) -> None:
        self._companies: CompanyNames | None = None
        self.own_names = OwnNames(self.registry)
        self._description_names: dict[str, list[tuple[tuple[str, ...], str, str | None]]] | None = None
        self.subdivided = {":".join((p[0:2], p[2:4], p[4:6])).lower() for p in self.registry.subdivided_blocks()}
        entries = [(entity.id, model) for entity in self.registry.entities.values()
                   for model in entity.identifiers.models]
        self.model_entries = entries
        self.model_patterns = PatternSet([Pattern(m.pattern) for _, m in entries],
                                         backend=self.rules.backend)  # type: ignore[arg-type]


    @property
    def companies(self) -> CompanyNames:
        """The known makers' names (built on first use: it needs the names package's normalisation)."""
        if self._companies is None:
            self._companies = CompanyNames(self.rules.makers)
        return self._companies

    def description_names(self) -> dict[str, list[tuple[tuple[str, ...], str, str | None]]]:
        """First word -> (words, display name, registry entity id or None for a known maker outside the
        registry), longest first: the names a free-text description is searched for. Registry names of the
        bundled groups and relabel brands (not weak aliases, at least four letters) and the known makers; built
        on first use."""
        if self._description_names is None:
            index: dict[str, list[tuple[tuple[str, ...], str, str | None]]] = {}

            def add(name: str, display: str, entity_id: str | None) -> None:
                words = tuple(words_of(name))
                if words and len("".join(words)) >= 4 and not names_nothing(name):
                    index.setdefault(words[0], []).append((words, display, entity_id))

            for entity in self.registry.entities.values():
                if self.registry.group_of(entity.id) not in self.registry.group_names and not entity.relabels:
                    continue  # names imported in bulk (FtM layers) are screened, not searched in free text
                for alias in entity.all_names():
                    if alias.kind != "weak" and alias.script == "latin":
                        add(alias.name, alias.name, entity.id)
            for maker in self.rules.makers:
                for name in (maker.name, *maker.aliases):
                    add(name, maker.name, None)
            for entries in index.values():
                entries.sort(key=lambda e: -len(e[0]))
            self._description_names = index
        return self._description_names


_WORD = re.compile(r"[0-9a-z]+")
_MODEL_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.+-]*[A-Za-z0-9]")


def words_of(text: str) -> list[str]:
    """Lower-case words of a text (letters and digits), for name search in descriptions."""
    return _WORD.findall(text.casefold())


def _short(value: str) -> str:
    return value if len(value) <= MAX_DETAIL_VALUE else value[: MAX_DETAIL_VALUE - 1] + "…"


def _maker_name(ctx: SignalContext, entity_id: str) -> str:
    group = ctx.registry.group_of(entity_id)
    entity = ctx.registry.get(entity_id)
    return entity.name if group == entity_id else f"{entity.name} (part of {ctx.registry.get(group).name})"


Signals = tuple[Signal, ...]
NONE: Signals = ()


def mac_oui(mac: str, ctx: SignalContext) -> Signals:
    """MAC address: the IEEE block it was assigned from names the maker of the network interface."""
    if int(mac[:2], 16) & 0x02:
        return (Signal("mac-oui", "mac", mac, None, 0.0,
                       "locally administered (randomised) MAC address: says nothing about the maker"),)
    match = ctx.registry.resolve_mac(mac)
    if match is None:
        return NONE
    block = f"{match.prefix} ({mac[:8]}…)"
    if match.false_friend is not None:
        return (Signal("mac-oui", "mac", block, None, MAC_WEIGHT_OTHER,
                       f"MAC block {match.prefix} belongs to {match.assignee}, not to a registry company "
                       f"({match.false_friend.note})", maker=match.false_friend.name),)
    if match.entity_id is None:
        return (Signal("mac-oui", "mac", block, None, MAC_WEIGHT_OTHER,
                       f"MAC block {match.prefix} is assigned to {match.assignee}", maker=match.assignee),)
    entity = ctx.registry.get(match.entity_id)
    if entity.kind in ("relabel", "brand") and entity.relabels:
        brand = Signal("mac-oui", "mac", block, entity.id, 0.0,
                       f"MAC block {match.prefix} is assigned to {match.assignee}, a brand that sells other makers' "
                       "hardware", role="brand")
        return (brand, *_relabel_signals(ctx, entity.id, "mac", block, MAC_WEIGHT_OURS))
    return (Signal("mac-oui", "mac", block, match.entity_id, MAC_WEIGHT_OURS,
                   f"MAC block {match.prefix} is assigned to {match.assignee} ({_maker_name(ctx, match.entity_id)})"),)


def mac_cache_key(mac: str, ctx: SignalContext) -> str:
    """MACs share their signals per IEEE block: per MA-L (24 bits) unless that range holds smaller blocks."""
    return mac[:13] if mac[:8] in ctx.subdivided else mac[:8]


def snmp_enterprise(oid: str, ctx: SignalContext) -> Signals:
    """SNMP sysObjectID: the IANA enterprise number under 1.3.6.1.4.1 names the maker's MIB tree."""
    if not oid.startswith(OID_ENTERPRISES):
        return NONE
    number = int(oid[len(OID_ENTERPRISES):].split(".")[0])
    entity_id = ctx.registry.entity_for_enterprise_number(number)
    if entity_id is not None:
        return (Signal("snmp-enterprise", "snmp_sysobjectid", oid, entity_id, PEN_WEIGHT,
                       f"sysObjectID is under enterprise number {number}, assigned by IANA to "
                       f"{_maker_name(ctx, entity_id)}"),)
    friend = ctx.registry.false_friend_for_enterprise_number(number)
    maker = friend.name if friend is not None else f"IANA enterprise {number}"
    return (Signal("snmp-enterprise", "snmp_sysobjectid", oid, None, 0.6,
                   f"sysObjectID is under enterprise number {number} ({maker}), not a registry company",
                   maker=maker),)


def banner_rules(field_name: str, book: RuleBook | None = None) -> Callable[[str, SignalContext], Signals]:
    """Banners and texts (HTTP, RTSP, TLS, SNMP sysDescr, telnet, SSH, ONVIF, UPnP): our fingerprint rules."""
    fixed = (book.by_field[field_name], book.pattern_sets[field_name]) if book is not None else None

    def extract(value: str, ctx: SignalContext) -> Signals:
        found: list[Signal] = []
        rules, pattern_set = fixed or (ctx.rules.by_field[field_name], ctx.rules.pattern_sets[field_name])
        for index, match in pattern_set.search(value):
            rule = rules[index].rule
            model = match.group(rule.model_group) if rule.model_group else None
            firmware = match.group(rule.firmware_group) if rule.firmware_group else None
            detail = rule.explain.replace("{value}", _short(value)).replace("{model}", model or "")
            found += _through_brand(ctx, Signal(field_name.replace("_", "-"), field_name, _short(value),
                                                rule.points_to, rule.weight, detail, device_type=rule.device_type,
                                                model=model, firmware=firmware, rule=rule.id))
        return tuple(found) if found else NONE

    extract.__doc__ = banner_rules.__doc__
    return extract


def favicon_mmh3(value: int, ctx: SignalContext) -> Signals:
    """Favicon: the hash of the web interface's icon (Shodan's mmh3, or MD5) identifies the firmware family."""
    loaded = ctx.rules.by_mmh3.get(value)
    return _favicon_signal(ctx, "favicon_mmh3", str(value), loaded) if loaded else NONE


def favicon_md5(value: str, ctx: SignalContext) -> Signals:
    """Favicon: the hash of the web interface's icon (Shodan's mmh3, or MD5) identifies the firmware family."""
    loaded = ctx.rules.by_md5.get(value)
    return _favicon_signal(ctx, "favicon_md5", value, loaded) if loaded else NONE


def _favicon_signal(ctx: SignalContext, field_name: str, value: str, loaded: LoadedFavicon) -> Signals:
    rule = loaded.rule
    return tuple(_through_brand(ctx, Signal("favicon", field_name, value, rule.points_to, rule.weight, rule.explain,
                                            device_type=rule.device_type, rule=f"favicon:{rule.mmh3 or rule.md5}")))


def ports(value: tuple[int, ...], ctx: SignalContext) -> Signals:
    """Open ports: a maker's own protocol ports (e.g. an SDK port) are weak evidence, since others reuse them."""
    found: list[Signal] = []
    for port in value:
        for loaded in ctx.rules.by_port.get(port, []):
            rule = loaded.rule
            found += _through_brand(ctx, Signal("port", "ports", str(port), rule.points_to, rule.weight, rule.explain))
    return tuple(found) if found else NONE


def model_number(field_name: str) -> Callable[[str, SignalContext], Signals]:
    """Model number: the maker's model-numbering scheme (e.g. Hikvision DS-2CD…, Dahua IPC-HFW…) and device type."""

    def extract(value: str, ctx: SignalContext) -> Signals:
        found: list[Signal] = []
        for index, _match in ctx.model_patterns.search(value):
            entity_id, model = ctx.model_entries[index]
            weight = MODEL_WEIGHT if field_name != "serial" else MODEL_WEIGHT * 0.8
            note = f" ({model.note})" if model.note else ""
            found.append(Signal("model-number", field_name, _short(value), entity_id, weight,
                                f"{field_name.replace('_', ' ')} {_short(value)!r} follows the model numbering of "
                                f"{_maker_name(ctx, entity_id)} ({model.device_type.replace('_', ' ')}){note}",
                                device_type=model.device_type, model=value if field_name != "serial" else None))
        return tuple(found) if found else NONE

    extract.__doc__ = model_number.__doc__
    return extract


def _through_brand(ctx: SignalContext, signal: Signal) -> list[Signal]:
    """A signal that names a relabel brand (a brand's own firmware artefact) becomes the brand on the label
    plus signals for the makers the brand is documented to relabel."""
    entity = ctx.registry.get(signal.points_to) if signal.points_to else None
    if entity is None or entity.kind not in ("relabel", "brand") or not entity.relabels:
        return [signal]
    brand = replace(signal, weight=0.0, role="brand")
    makers = _relabel_signals(ctx, entity.id, signal.field, signal.value, signal.weight, ARTEFACT_RELABEL_FACTOR)
    return [brand, *(replace(m, device_type=signal.device_type, model=signal.model, rule=signal.rule,
                             detail=f"{signal.detail}; {m.detail}") for m in makers)]


def _relabel_signals(ctx: SignalContext, entity_id: str, field_name: str, value: str, scale: float,
                     factors: dict[str, float] = RELABEL_WEIGHT) -> list[Signal]:
    entity = ctx.registry.get(entity_id)
    found: list[Signal] = []
    for relabel in entity.relabels:
        ended = relabel.end is not None and relabel.end <= ctx.today
        weight = factors[relabel.confidence] * scale * (0.75 if ended else 1.0)
        period = f" until {relabel.end}" if relabel.end else ""
        found.append(Signal("relabel", field_name, _short(value), relabel.maker, round(weight, 3),
                            f"{entity.name} is documented to sell hardware made by "
                            f"{_maker_name(ctx, relabel.maker)}{period} ({relabel.confidence} confidence)"))
    return found


def declared_vendor(field_name: str) -> Callable[[str, SignalContext], Signals]:
    """Declared vendor (register, ONVIF or UPnP manufacturer): names the brand; a maker's own name also points to it."""

    def extract(value: str, ctx: SignalContext) -> Signals:
        hit = ctx.names.resolve(value)
        if hit is not None:
            return _label_signals(ctx, field_name, value, hit.entity_id, hit.score, hit.explanation)
        short = ctx.names.short_name(value)
        groups = {ctx.registry.group_of(e) for e in short}
        if short and len(groups) == 1:
            entity = ctx.registry.get(short[0])
            # A relabel brand's short name counts at the relabel's own confidence ("LTS" as "Annke"); a
            # maker's short name alone ("UNV", "HIK") is a lead, not proof.
            factor = 1.0 if entity.kind in ("relabel", "brand") and entity.relabels else SHORT_NAME_FACTOR
            return _label_signals(ctx, field_name, value, entity.id, factor,
                                  f"a registered short name of {entity.name}")
        return _outside_label(ctx, field_name, value)

    extract.__doc__ = declared_vendor.__doc__
    return extract


def _label_signals(ctx: SignalContext, field_name: str, value: str, entity_id: str, score: float,
                   explanation: str) -> Signals:
    """A label that names a registry entity: the brand, and the maker (or the makers a relabel brand sells)."""
    label = field_name.replace("_", " ")
    entity = ctx.registry.get(entity_id)
    found = [Signal("declared-vendor", field_name, _short(value), entity.id, 0.0,
                    f"the label says {_short(value)!r} = {entity.name} ({explanation})", role="brand")]
    scale = score * (0.85 if field_name not in ("declared_vendor", "description") else 1.0)
    if entity.kind in ("relabel", "brand") and entity.relabels:
        found += _relabel_signals(ctx, entity.id, field_name, value, scale)
    else:
        weight = DECLARED_WEIGHT if field_name != "description" else DESCRIPTION_BRAND_WEIGHT
        found.append(Signal("declared-vendor", field_name, _short(value), entity.id, round(weight * scale, 3),
                            f"{label} {_short(value)!r} is {_maker_name(ctx, entity.id)} ({explanation})"))
    return tuple(found)


def _outside_label(ctx: SignalContext, field_name: str, value: str) -> Signals:
    """A label that is no registry name: evidence of a maker outside the registry only when it names a real
    company (a known maker, an IEEE assignee, a legal form); otherwise the brand as written and nothing more."""
    label = field_name.replace("_", " ")
    brand = Signal("declared-vendor", field_name, _short(value), None, 0.0,
                   f"{label} {_short(value)!r} is not a registry name", role="brand", maker=value)
    company = ctx.companies.evidence(value)
    if company is None:
        return (brand, Signal("declared-vendor", field_name, _short(value), None, 0.0,
                              f"{label} {_short(value)!r} names no maker we can confirm (not a registry name, not a "
                              "known maker, no IEEE assignee, no legal form): no evidence", maker=value))
    return (brand, Signal("declared-vendor", field_name, _short(value), None, OUTSIDE_DECLARED_WEIGHT,
                          f"{label} {_short(value)!r} names a maker outside the registry: {company.detail}",
                          maker=company.name if company.basis == "known-maker" else value))


def description(value: str, ctx: SignalContext) -> Signals:
    """Description (a procurement line's Omschrijving): brand names and model numbers among its words."""
    found: list[Signal] = []
    words = words_of(value)
    index = ctx.description_names()
    seen: set[str] = set()
    i = 0
    while i < len(words):
        for name_words, display, entity_id in index.get(words[i], ()):
            if tuple(words[i:i + len(name_words)]) == name_words:
                key = entity_id or display
                if key not in seen:
                    seen.add(key)
                    found += _description_name(ctx, value, display, entity_id)
                i += len(name_words) - 1
                break
        i += 1
    for token in dict.fromkeys(_MODEL_TOKEN.findall(value)):
        if any(c.isdigit() for c in token) and len(token) >= 4:
            found += [replace(sig, field="description", value=_short(value), model=token,
                              weight=round(sig.weight * DESCRIPTION_MODEL_FACTOR, 3),
                              detail=f"the description mentions model {token!r}, which follows "
                                     + sig.detail.split(" follows ", 1)[-1])
                      for sig in _MODEL_NUMBER(token, ctx)]
    return tuple(found) if found else NONE


_MODEL_NUMBER = model_number("model")

#: Input columns (kept in ``Observation.extra``) read as a free-text description, compared after folding.
DESCRIPTION_COLUMNS: frozenset[str] = frozenset({
    "omschrijving", "description", "artikelomschrijving", "productomschrijving", "omschrijvingartikel",
    "regelomschrijving", "itemdescription", "productdescription", "linedescription", "artikelnaam", "productnaam",
    "productname", "itemname", "omschr",
})


@cache
def is_description_column(header: str) -> bool:
    """Whether an input column (a key of ``Observation.extra``) holds a free-text description."""
    return fold(header) in DESCRIPTION_COLUMNS


def description_of(extra: dict[str, str]) -> str | None:
    """The free-text description of a record: the values of its description columns, joined, or None."""
    texts = [value for key, value in extra.items() if is_description_column(key) and value.strip()]
    return " | ".join(texts) if texts else None


def _description_name(ctx: SignalContext, value: str, display: str, entity_id: str | None) -> list[Signal]:
    if entity_id is not None:
        entity = ctx.registry.get(entity_id)
        return [replace(sig, signal="description", maker=display if sig.role == "brand" else sig.maker) for sig in
                _label_signals(ctx, "description", value, entity_id, 1.0, f"names {entity.name}")]
    return [Signal("description", "description", _short(value), None, 0.0,
                   f"the description names {display}, not a registry name", role="brand", maker=display),
            Signal("description", "description", _short(value), None, OUTSIDE_DECLARED_WEIGHT,
                   f"the description names {display}, a known maker outside the registry", maker=display)]


def supplier(value: str, ctx: SignalContext) -> Signals:
    """Supplier: a line bought from the maker or a member of its group is strong evidence of that maker."""
    hit = ctx.names.resolve(value)
    if hit is None:
        maker = ctx.companies.known_maker(value)
        if maker is None:
            return NONE
        return (Signal("supplier", "supplier", _short(value), None, OUTSIDE_SUPPLIER_WEIGHT,
                       f"supplier {_short(value)!r} is {maker.name}, a known maker outside the registry",
                       maker=maker.name),)
    entity = ctx.registry.get(hit.entity_id)
    if entity.kind in ("relabel", "brand") and entity.relabels:
        return tuple(_relabel_signals(ctx, entity.id, "supplier", value, hit.score * 0.8))
    return (Signal("supplier", "supplier", _short(value), entity.id, round(SUPPLIER_WEIGHT * hit.score, 3),
                   f"bought from {_short(value)!r}, which is {_maker_name(ctx, entity.id)} ({hit.explanation})"),)


@dataclass(frozen=True)
class FieldExtractor:
    """Which extractor reads which observation field, and how values of that field share a cache entry."""

    field: str
    extract: Callable[[Any, SignalContext], Signals]
    cache_key: Callable[[Any, SignalContext], Any] | None = None


def field_extractors(rules: RuleBook) -> list[FieldExtractor]:
    """Every (field, extractor) pair the engine runs, in a fixed order."""
    found = [FieldExtractor("mac", mac_oui, mac_cache_key), FieldExtractor("snmp_sysobjectid", snmp_enterprise)]
    found += [FieldExtractor(name, banner_rules(name, rules)) for name in rules.pattern_sets]
    found += [FieldExtractor("favicon_mmh3", favicon_mmh3), FieldExtractor("favicon_md5", favicon_md5),
              FieldExtractor("ports", ports)]
    found += [FieldExtractor(name, model_number(name)) for name in ("model", "onvif_model", "upnp_model", "serial")]
    found += [FieldExtractor(name, declared_vendor(name))
              for name in ("declared_vendor", "onvif_manufacturer", "upnp_manufacturer")]
    found.append(FieldExtractor("supplier", supplier))
    return found


EXTRACTORS: tuple[Callable[..., Any], ...] = (
    mac_oui, snmp_enterprise, banner_rules, favicon_mmh3, ports, model_number, declared_vendor, supplier,
    description,
)


def describe_extractors() -> list[tuple[str, str]]:
    """(name, one-line description) of every kind of extractor, for docs and tests."""
    return [(f.__name__, (f.__doc__ or "").strip().splitlines()[0]) for f in EXTRACTORS]
