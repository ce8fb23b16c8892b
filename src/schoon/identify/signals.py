"""Signals: single pieces of evidence that point to a maker (or name a brand), each explained.

Every extractor here is a small documented function ``(observation, context) -> list[Signal]``; its
docstring is its user-facing description (``schoon identify --list-signals`` prints them). Weights say how
strongly one signal alone names the maker (0..1); the engine combines them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal, Protocol

from schoon.identify.multipattern import Pattern, PatternSet
from schoon.identify.rules import RuleBook
from schoon.observation import Observation
from schoon.registry.registry import Registry, name_key

Role = Literal["maker", "brand"]
OID_ENTERPRISES = "1.3.6.1.4.1."
RELABEL_WEIGHT = {"high": 0.55, "medium": 0.4, "low": 0.2}
MAC_WEIGHT_OURS = 0.9
MAC_WEIGHT_OTHER = 0.7
PEN_WEIGHT = 0.85
MODEL_WEIGHT = 0.6
DECLARED_WEIGHT = 0.6
SUPPLIER_WEIGHT = 0.45
OUTSIDE_DECLARED_WEIGHT = 0.5
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


@dataclass(frozen=True)
class NameHit:
    """A name that resolved to a registry entity, with a score in 0..1 and an explanation."""

    entity_id: str
    score: float
    matched_name: str
    explanation: str


class NameResolver(Protocol):
    """The seam through which declared vendors and suppliers become registry entities."""

    def resolve(self, text: str) -> NameHit | None:
        """The best registry entity for ``text``, or None."""


class ExactNameResolver:
    """Resolve a name by exact match on a registry name or alias, folded, with or without its legal form.

    A stand-in until the screening matcher (``schoon.names``) is wired in through the same seam.
    """

    _LEGAL = ("co ltd", "co", "ltd", "limited", "inc", "corp", "corporation", "llc", "b v", "bv", "gmbh", "company")

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._index: dict[str, str] = {}
        for entity in registry.entities.values():
            for alias in entity.all_names():
                if alias.kind == "weak":
                    continue
                key = name_key(alias.name)
                self._index.setdefault(key, entity.id)
                self._index.setdefault(self._core(key), entity.id)

    def _core(self, key: str) -> str:
        for suffix in self._LEGAL:
            if key.endswith(" " + suffix):
                return self._core(key[: -len(suffix) - 1].strip())
        return key

    def resolve(self, text: str) -> NameHit | None:
        key = name_key(text)
        if key in self._index:
            entity_id = self._index[key]
            return NameHit(entity_id, 1.0, self.registry.get(entity_id).name, "exact name match")
        core = self._core(key)
        if core and core in self._index:
            entity_id = self._index[core]
            return NameHit(entity_id, 0.95, self.registry.get(entity_id).name, "same name but for the legal form")
        return None


@dataclass
class SignalContext:
    """What extractors need: the registry, the rules, the name resolver and the model patterns."""

    registry: Registry
    rules: RuleBook
    names: NameResolver
    today: str = dt.date.today().isoformat()
    cache_limit: int = 200_000

    def __post_init__(self) -> None:
        self._cache: dict[tuple[str, str], list[Signal]] = {}
        entries = [(entity.id, model) for entity in self.registry.entities.values()
                   for model in entity.identifiers.models]
        self.model_entries = entries
        self.model_patterns = PatternSet([Pattern(m.pattern) for _, m in entries],
                                         backend=self.rules.backend)  # type: ignore[arg-type]


    def cached(self, kind: str, value: str, compute: Callable[[], list[Signal]]) -> list[Signal]:
        """Signals for a (kind, value) pair, computed once: real estates repeat the same banners endlessly."""
        key = (kind, value)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= self.cache_limit:
                self._cache.clear()
            found = self._cache[key] = compute()
        return found


def _short(value: str) -> str:
    return value if len(value) <= MAX_DETAIL_VALUE else value[: MAX_DETAIL_VALUE - 1] + "…"


def _maker_name(ctx: SignalContext, entity_id: str) -> str:
    group = ctx.registry.group_of(entity_id)
    entity = ctx.registry.get(entity_id)
    return entity.name if group == entity_id else f"{entity.name} (part of {ctx.registry.get(group).name})"


def mac_oui(obs: Observation, ctx: SignalContext) -> list[Signal]:
    """MAC address: the IEEE block it was assigned from names the maker of the network interface."""
    if not obs.mac:
        return []
    first = int(obs.mac[:2], 16)
    if first & 0x02:
        return [Signal("mac-oui", "mac", obs.mac, None, 0.0,
                       "locally administered (randomised) MAC address: says nothing about the maker")]
    match = ctx.registry.resolve_mac(obs.mac)
    if match is None:
        return []
    if match.false_friend is not None:
        return [Signal("mac-oui", "mac", obs.mac, None, MAC_WEIGHT_OTHER,
                       f"MAC block {match.prefix} belongs to {match.assignee}, not to a registry company "
                       f"({match.false_friend.note})", maker=match.false_friend.name)]
    if match.entity_id is None:
        return [Signal("mac-oui", "mac", obs.mac, None, MAC_WEIGHT_OTHER,
                       f"MAC block {match.prefix} is assigned to {match.assignee}", maker=match.assignee)]
    entity = ctx.registry.get(match.entity_id)
    if entity.kind in ("relabel", "brand") and entity.relabels:
        brand = Signal("mac-oui", "mac", obs.mac, entity.id, 0.0,
                       f"MAC block {match.prefix} is assigned to {match.assignee}, a brand that sells other makers' "
                       "hardware", role="brand")
        return [brand, *_relabel_signals(ctx, entity.id, "mac", obs.mac, MAC_WEIGHT_OURS)]
    return [Signal("mac-oui", "mac", obs.mac, match.entity_id, MAC_WEIGHT_OURS,
                   f"MAC block {match.prefix} is assigned to {match.assignee} ({_maker_name(ctx, match.entity_id)})")]


def snmp_enterprise(obs: Observation, ctx: SignalContext) -> list[Signal]:
    """SNMP sysObjectID: the IANA enterprise number under 1.3.6.1.4.1 names the maker's MIB tree."""
    oid = obs.snmp_sysobjectid
    if not oid or not oid.startswith(OID_ENTERPRISES):
        return []
    number = int(oid[len(OID_ENTERPRISES):].split(".")[0])
    entity_id = ctx.registry.entity_for_enterprise_number(number)
    if entity_id is not None:
        return [Signal("snmp-enterprise", "snmp_sysobjectid", oid, entity_id, PEN_WEIGHT,
                       f"sysObjectID is under enterprise number {number}, assigned by IANA to "
                       f"{_maker_name(ctx, entity_id)}")]
    friend = ctx.registry.false_friend_for_enterprise_number(number)
    maker = friend.name if friend is not None else f"IANA enterprise {number}"
    return [Signal("snmp-enterprise", "snmp_sysobjectid", oid, None, 0.6,
                   f"sysObjectID is under enterprise number {number} ({maker}), not a registry company",
                   maker=maker)]


def patterns(obs: Observation, ctx: SignalContext) -> list[Signal]:
    """Banners and texts (HTTP, RTSP, TLS, SNMP sysDescr, telnet, SSH, ONVIF, UPnP): our fingerprint rules."""
    found: list[Signal] = []
    for field_name in ctx.rules.pattern_sets:
        value = getattr(obs, field_name)
        if value:
            found += ctx.cached(field_name, value, partial(_match_rules, ctx, field_name, value))
    return found


def _match_rules(ctx: SignalContext, field_name: str, value: str) -> list[Signal]:
    found: list[Signal] = []
    rules = ctx.rules.by_field[field_name]
    for index, match in ctx.rules.pattern_sets[field_name].search(value):
        rule = rules[index].rule
        model = match.group(rule.model_group) if rule.model_group else None
        firmware = match.group(rule.firmware_group) if rule.firmware_group else None
        detail = rule.explain.replace("{value}", _short(value)).replace("{model}", model or "")
        found.append(Signal(field_name.replace("_", "-"), field_name, _short(value), rule.points_to,
                            rule.weight, detail, device_type=rule.device_type, model=model,
                            firmware=firmware, rule=rule.id))
    return found


def favicon(obs: Observation, ctx: SignalContext) -> list[Signal]:
    """Favicon: the hash of the web interface's icon (Shodan's mmh3, or MD5) identifies the firmware family."""
    found: list[Signal] = []
    hits = []
    if obs.favicon_mmh3 is not None and obs.favicon_mmh3 in ctx.rules.by_mmh3:
        hits.append(("favicon_mmh3", str(obs.favicon_mmh3), ctx.rules.by_mmh3[obs.favicon_mmh3]))
    if obs.favicon_md5 is not None and obs.favicon_md5 in ctx.rules.by_md5:
        hits.append(("favicon_md5", obs.favicon_md5, ctx.rules.by_md5[obs.favicon_md5]))
    seen: set[int] = set()
    for field_name, value, loaded in hits:
        if id(loaded) in seen:
            continue
        seen.add(id(loaded))
        rule = loaded.rule
        found.append(Signal("favicon", field_name, value, rule.points_to, rule.weight, rule.explain,
                            device_type=rule.device_type))
    return found


def ports(obs: Observation, ctx: SignalContext) -> list[Signal]:
    """Open ports: a maker's own protocol ports (e.g. an SDK port) are weak evidence, since others reuse them."""
    found: list[Signal] = []
    for port in obs.ports:
        for loaded in ctx.rules.by_port.get(port, []):
            rule = loaded.rule
            found.append(Signal("port", "ports", str(port), rule.points_to, rule.weight, rule.explain))
    return found


def model_number(obs: Observation, ctx: SignalContext) -> list[Signal]:
    """Model number: the maker's model-numbering scheme (e.g. Hikvision DS-2CD…, Dahua IPC-HFW…) and device type."""
    found: list[Signal] = []
    for field_name in ("model", "onvif_model", "upnp_model", "serial"):
        value = getattr(obs, field_name)
        if value:
            found += ctx.cached(field_name + ":model", value, partial(_match_models, ctx, field_name, value))
    return found


def _match_models(ctx: SignalContext, field_name: str, value: str) -> list[Signal]:
    found: list[Signal] = []
    for index, _match in ctx.model_patterns.search(value):
        entity_id, model = ctx.model_entries[index]
        weight = MODEL_WEIGHT if field_name != "serial" else MODEL_WEIGHT * 0.8
        note = f" ({model.note})" if model.note else ""
        found.append(Signal("model-number", field_name, _short(value), entity_id, weight,
                            f"{field_name.replace('_', ' ')} {_short(value)!r} follows the model numbering of "
                            f"{_maker_name(ctx, entity_id)} ({model.device_type.replace('_', ' ')}){note}",
                            device_type=model.device_type, model=value if field_name != "serial" else None))
    return found


def _relabel_signals(ctx: SignalContext, entity_id: str, field_name: str, value: str, scale: float) -> list[Signal]:
    entity = ctx.registry.get(entity_id)
    found: list[Signal] = []
    for relabel in entity.relabels:
        ended = relabel.end is not None and relabel.end <= ctx.today
        weight = RELABEL_WEIGHT[relabel.confidence] * scale * (0.75 if ended else 1.0)
        period = f" until {relabel.end}" if relabel.end else ""
        found.append(Signal("relabel", field_name, _short(value), relabel.maker, round(weight, 3),
                            f"{entity.name} is documented to sell hardware made by "
                            f"{_maker_name(ctx, relabel.maker)}{period} ({relabel.confidence} confidence)"))
    return found


def declared_vendor(obs: Observation, ctx: SignalContext) -> list[Signal]:
    """Declared vendor (register, ONVIF or UPnP manufacturer): names the brand; a maker's own name also points to it."""
    found: list[Signal] = []
    for field_name in ("declared_vendor", "onvif_manufacturer", "upnp_manufacturer"):
        value = getattr(obs, field_name)
        if value:
            found += ctx.cached(field_name, value, partial(_declared, ctx, field_name, value))
    return found


def _declared(ctx: SignalContext, field_name: str, value: str) -> list[Signal]:
    found: list[Signal] = []
    hit = ctx.names.resolve(value)
    if hit is None:
        label = field_name.replace("_", " ")
        found.append(Signal("declared-vendor", field_name, _short(value), None, 0.0,
                            f"{label} {_short(value)!r} is not a registry name", role="brand", maker=value))
        found.append(Signal("declared-vendor", field_name, _short(value), None, OUTSIDE_DECLARED_WEIGHT,
                            f"{label} {_short(value)!r} names a maker outside the registry", maker=value))
        return found
    entity = ctx.registry.get(hit.entity_id)
    found.append(Signal("declared-vendor", field_name, _short(value), entity.id, 0.0,
                        f"the label says {_short(value)!r} = {entity.name} ({hit.explanation})", role="brand"))
    scale = hit.score * (0.85 if field_name != "declared_vendor" else 1.0)
    if entity.kind in ("relabel", "brand") and entity.relabels:
        found += _relabel_signals(ctx, entity.id, field_name, value, scale)
    else:
        found.append(Signal("declared-vendor", field_name, _short(value), entity.id,
                            round(DECLARED_WEIGHT * scale, 3),
                            f"{field_name.replace('_', ' ')} {_short(value)!r} is "
                            f"{_maker_name(ctx, entity.id)} ({hit.explanation})"))
    return found


def supplier(obs: Observation, ctx: SignalContext) -> list[Signal]:
    """Supplier: a procurement line's supplier that is a registry company (or relabel brand) points to its maker."""
    if not obs.supplier:
        return []
    hit = ctx.names.resolve(obs.supplier)
    if hit is None:
        return []
    entity = ctx.registry.get(hit.entity_id)
    if entity.kind in ("relabel", "brand") and entity.relabels:
        return _relabel_signals(ctx, entity.id, "supplier", obs.supplier, hit.score * 0.8)
    return [Signal("supplier", "supplier", _short(obs.supplier), entity.id, round(SUPPLIER_WEIGHT * hit.score, 3),
                   f"supplier {_short(obs.supplier)!r} is {_maker_name(ctx, entity.id)} ({hit.explanation})")]


EXTRACTORS: tuple[Callable[[Observation, SignalContext], list[Signal]], ...] = (
    mac_oui, snmp_enterprise, patterns, favicon, ports, model_number, declared_vendor, supplier,
)


def describe_extractors() -> list[tuple[str, str]]:
    """(name, one-line description) of every extractor, for docs and ``--list-signals``."""
    return [(f.__name__, (f.__doc__ or "").strip().splitlines()[0]) for f in EXTRACTORS]

