"""Our fingerprint rules: data files in ``rules/``, validated on load, compiled once per field.

A rule says: when this pattern matches this observation field, the device was (probably) made by this
registry entity, with this weight, and here is why in one line. Favicon hashes and well-known ports
have their own simpler lists. The file layout is documented in ``docs/identify.md``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from schoon.errors import DataError
from schoon.identify.multipattern import Backend, Pattern, PatternSet
from schoon.observation import CANONICAL_FIELDS, normalise_md5, normalise_mmh3
from schoon.registry.model import Confidence, DeviceType, Slug, Source, Strict
from schoon.registry.registry import Registry
from schoon.registry.yamlfile import Located, load_model

RULES_DIR = Path(__file__).parent / "rules"
PATTERN_FIELDS = frozenset(CANONICAL_FIELDS) - {"mac", "ports", "favicon_mmh3", "favicon_md5", "snmp_sysobjectid"}


class Rule(Strict):
    """A pattern over one or more fields that points to a maker."""

    id: Slug
    fields: list[str] = Field(min_length=1)
    pattern: str
    case_sensitive: bool = False
    points_to: Slug
    weight: float = Field(gt=0, le=1)
    device_type: DeviceType | None = None
    model_group: int | None = Field(default=None, ge=1)
    firmware_group: int | None = Field(default=None, ge=1)
    explain: str
    source: str
    confidence: Confidence = "high"
    note: str | None = None
    examples: list[str] = Field(min_length=1)
    counterexamples: list[str] = []

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: list[str]) -> list[str]:
        unknown = [f for f in value if f not in PATTERN_FIELDS]
        if unknown:
            raise ValueError(f"not a pattern field: {', '.join(unknown)}")
        return value

    @model_validator(mode="after")
    def _pattern_is_sound(self) -> Rule:
        compiled = Pattern(self.pattern, not self.case_sensitive).compiled()
        for group in (self.model_group, self.firmware_group):
            if group is not None and group > compiled.groups:
                raise ValueError(f"capture group {group} does not exist in the pattern")
        return self


class FaviconRule(Strict):
    """A favicon hash (Shodan mmh3 and/or MD5) that points to a maker."""

    mmh3: int | None = None
    md5: str | None = None
    points_to: Slug
    weight: float = Field(gt=0, le=1)
    device_type: DeviceType | None = None
    verified: bool
    explain: str
    source: str
    note: str | None = None

    @model_validator(mode="after")
    def _has_a_hash(self) -> FaviconRule:
        if self.mmh3 is None and self.md5 is None:
            raise ValueError("a favicon rule needs mmh3 or md5")
        if self.mmh3 is not None:
            self.mmh3 = normalise_mmh3(self.mmh3)
        if self.md5 is not None:
            self.md5 = normalise_md5(self.md5)
        if not self.verified and self.weight > 0.5:
            raise ValueError("an unverified favicon hash may weigh at most 0.5")
        return self


class PortRule(Strict):
    """A well-known port of a maker's protocols: weak evidence, since others reuse ports."""

    port: int = Field(gt=0, lt=65536)
    points_to: Slug
    weight: float = Field(gt=0, le=0.5)
    explain: str
    source: str


class KnownMaker(Strict):
    """A maker outside the registry whose name on a label is evidence of a real company (``makers.yaml``)."""

    name: str = Field(min_length=2)
    aliases: list[str] = []
    ieee: str | None = Field(default=None, pattern=r"^[0-9A-F]{6}$")  # one MA-L block assigned to it
    assignee: str | None = None  # a part of the IEEE assignee's name for that block (tested)
    source: str
    note: str | None = None

    @model_validator(mode="after")
    def _ieee_has_assignee(self) -> KnownMaker:
        if (self.ieee is None) != (self.assignee is None):
            raise ValueError("ieee and assignee go together")
        return self


class RuleFile(Strict):
    """One rule file."""

    sources: dict[str, Source]
    rules: list[Rule] = []
    favicons: list[FaviconRule] = []
    ports: list[PortRule] = []
    makers: list[KnownMaker] = []


@dataclass(frozen=True)
class LoadedRule:
    """A rule with its resolved source and file, ready to explain itself."""

    rule: Rule
    source: Source
    file: str


@dataclass(frozen=True)
class LoadedFavicon:
    rule: FaviconRule
    source: Source


@dataclass(frozen=True)
class LoadedPort:
    rule: PortRule
    source: Source


class RuleBook:
    """All rules, indexed by field (one PatternSet each), favicon hash and port."""

    def __init__(self, rules: list[LoadedRule], favicons: list[LoadedFavicon], ports: list[LoadedPort],
                 backend: Backend | None = None, makers: list[KnownMaker] | None = None) -> None:
        self.rules = rules
        self.makers = makers or []
        self.favicons = favicons
        self.ports = ports
        by_field: dict[str, list[LoadedRule]] = defaultdict(list)
        for loaded in rules:
            for name in loaded.rule.fields:
                by_field[name].append(loaded)
        self.by_field: dict[str, list[LoadedRule]] = dict(by_field)
        self.pattern_sets: dict[str, PatternSet] = {
            name: PatternSet([Pattern(r.rule.pattern, not r.rule.case_sensitive) for r in items], backend)
            for name, items in by_field.items()
        }
        self.by_mmh3 = {f.rule.mmh3: f for f in favicons if f.rule.mmh3 is not None}
        self.by_md5 = {f.rule.md5: f for f in favicons if f.rule.md5 is not None}
        self.by_port: dict[int, list[LoadedPort]] = defaultdict(list)
        for port in ports:
            self.by_port[port.rule.port].append(port)

    @property
    def backend(self) -> str:
        """The pattern backend in use ("hyperscan" or "re")."""
        sets = list(self.pattern_sets.values())
        return sets[0].backend if sets else "re"


def _check_points_to(located: Located[RuleFile], registry: Registry | None) -> None:
    doc = located.model
    items: list[tuple[str, int, str, str | None]] = [
        ("rules", i, r.source, r.points_to) for i, r in enumerate(doc.rules)]
    items += [("favicons", i, f.source, f.points_to) for i, f in enumerate(doc.favicons)]
    items += [("ports", i, p.source, p.points_to) for i, p in enumerate(doc.ports)]
    items += [("makers", i, m.source, None) for i, m in enumerate(doc.makers)]
    for kind, index, source, points_to in items:
        if source not in doc.sources:
            raise located.error(f"unknown source {source!r}", kind, index, "source")
        if registry is not None and points_to is not None and points_to not in registry:
            raise located.error(f"unknown registry entity {points_to!r}", kind, index, "points_to")


def load_rulebook(registry: Registry | None = None, rules_dir: Path = RULES_DIR,
                  backend: Backend | None = None) -> RuleBook:
    """Load and validate every rule file; with a registry, every ``points_to`` must exist in it.

    Built once per set of rule files, registry version and backend, then loaded from the build cache
    (:mod:`schoon.cache`), Hyperscan databases included."""
    from schoon import cache

    paths = sorted(rules_dir.glob("*.yaml"))
    entry_key = cache.key("rules", registry.version if registry is not None else None, backend, *paths)
    found = cache.load("rules", entry_key)
    if isinstance(found, RuleBook):
        return found
    book = _build_rulebook(paths, registry, rules_dir, backend)
    cache.store("rules", entry_key, book)
    return book


def _build_rulebook(paths: list[Path], registry: Registry | None, rules_dir: Path,
                    backend: Backend | None) -> RuleBook:
    rules: list[LoadedRule] = []
    favicons: list[LoadedFavicon] = []
    ports: list[LoadedPort] = []
    makers: list[KnownMaker] = []
    seen: dict[str, str] = {}
    for path in paths:
        located = load_model(path, RuleFile)
        _check_points_to(located, registry)
        doc = located.model
        for index, rule in enumerate(doc.rules):
            if rule.id in seen:
                raise located.error(f"duplicate rule id {rule.id!r} (also in {seen[rule.id]})", "rules", index, "id")
            seen[rule.id] = path.name
            rules.append(LoadedRule(rule, doc.sources[rule.source], path.name))
        favicons += [LoadedFavicon(f, doc.sources[f.source]) for f in doc.favicons]
        ports += [LoadedPort(p, doc.sources[p.source]) for p in doc.ports]
        makers += doc.makers
    if not rules and not favicons:
        raise DataError("no fingerprint rules found", file=str(rules_dir))
    return RuleBook(rules, favicons, ports, backend, makers)


@cache
def default_rulebook(backend: Backend | None = None) -> RuleBook:
    """The shipped rules, checked against the default registry, loaded once per process."""
    from schoon.registry import default_registry

    return load_rulebook(default_registry(), backend=backend)
