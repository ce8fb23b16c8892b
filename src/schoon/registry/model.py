"""The registry's data model: entities, their names and identifiers, listings, evidence, sources.

Every class here validates strictly (unknown keys are errors), so a typo in a YAML file is caught on
load with its file, line and field. The YAML layout is documented in ``docs/registry.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

Confidence = Literal["high", "medium", "low"]
EntityKind = Literal["company", "subsidiary", "brand", "relabel", "government"]
AliasKind = Literal["legal", "common", "short", "former", "pinyin", "brand", "weak", "translation"]
DeviceType = Literal[
    "camera", "thermal_camera", "ptz_camera", "recorder", "encoder", "intercom", "access_control",
    "radio", "drone", "network", "phone", "storage", "body_camera", "other",
]
DEVICE_TYPES: tuple[str, ...] = DeviceType.__args__  # type: ignore[attr-defined]
CapabilityName = Literal["face-detection", "face-recognition", "people-attributes", "ethnicity-or-skin-colour",
                         "crowd-counting"]
CONFIDENCE_RANK: dict[str, int] = {"low": 0, "medium": 1, "high": 2}

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_HEX_PREFIX = re.compile(r"^(?:[0-9A-F]{6}|[0-9A-F]{7}|[0-9A-F]{9})$")


def _partial_date(value: object) -> object:
    """Accept 2021, "2021-03", 2021-03-12 (YAML date) and return an ISO prefix string."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not _PARTIAL_DATE.match(text):
        raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {text!r}")
    return text


def _slug(value: object) -> object:
    if not isinstance(value, str) or not _SLUG.match(value):
        raise ValueError(f"expected a lowercase slug (a-z, 0-9, '-'), got {value!r}")
    return value


def _hex_prefix(value: object) -> str:
    """A MAC block prefix as upper-case hex; separators (- : . space) allowed, anything else refused."""
    text = re.sub(r"[-:. ]", "", str(value)).upper()
    if not _HEX_PREFIX.match(text):
        raise ValueError(f"expected 6, 7 or 9 hex digits, got {value!r}")
    return text


PartialDate = Annotated[str, BeforeValidator(_partial_date)]
OptionalDate = Annotated[str | None, BeforeValidator(_partial_date)]
Slug = Annotated[str, BeforeValidator(_slug)]


class Strict(BaseModel):
    """Base: unknown keys are errors."""

    # defer_build: a model's validator is built on its first validation, so a registry loaded from the build
    # cache (schoon.cache), which validates nothing, does not pay for building every validator at import.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Source(Strict):
    """Where a fact comes from: a document with its title, address and date."""

    title: str
    url: str | None = None
    publisher: str | None = None
    date: PartialDate
    note: str | None = None


class Alias(Strict):
    """Another name of an entity: legal, common, Chinese-script, pinyin, former, brand or weak."""

    name: str = Field(min_length=1)
    kind: AliasKind = "common"
    script: Literal["latin", "han"] = "latin"


class FormerParent(Strict):
    """A corporate relation that has ended: who owned the entity, from when until when (the note says to whom)."""

    parent: Slug
    start: OptionalDate = None
    end: PartialDate
    source: str
    confidence: Confidence = "high"
    note: str | None = None


class AnnouncedSale(Strict):
    """A sale of the current parent's stake that was announced but is not known to be completed.

    The parent stays the current parent until a source confirms completion; then the relation moves to
    ``former_parents`` with the completion date as its ``end``.
    """

    announced: PartialDate
    buyer: str
    stake: float | None = Field(default=None, ge=0, le=100)
    status_checked: PartialDate
    source: str
    confidence: Confidence = "high"
    note: str | None = None


class GroupMembership(Strict):
    """A top entity that belongs to another group although it is not below that group's top entity.

    ``holding``: the entity owns the group's top entity (Huawei Investment & Holding owns Huawei Technologies),
    so its group id is the group's and it counts as the top entity's owner. ``affiliate``: the entity is part of
    the group by common control, not by ownership of the top entity.
    """

    group: Slug
    relation: Literal["holding", "affiliate"]
    source: str
    confidence: Confidence = "high"
    note: str | None = None


class Ownership(Strict):
    """The stake the current parent holds, where known."""

    percentage: float | None = Field(default=None, ge=0, le=100)
    source: str
    confidence: Confidence = "high"
    note: str | None = None


class Relabel(Strict):
    """A brand that sells (or sold) hardware made by another maker."""

    maker: Slug
    confidence: Confidence
    start: OptionalDate = None
    end: OptionalDate = None
    source: str
    note: str | None = None


class MacPrefix(Strict):
    """An IEEE MAC block (MA-L 6, MA-M 7 or MA-S 9 hex digits) not covered by the shipped IEEE data."""

    prefix: str
    source: str
    note: str | None = None

    @field_validator("prefix", mode="before")
    @classmethod
    def _normalise(cls, value: object) -> str:
        return _hex_prefix(value)


class EnterpriseNumber(Strict):
    """An IANA Private Enterprise Number, the root of a maker's SNMP sysObjectID tree."""

    number: int = Field(gt=0)
    source: str


MODEL_FLAGS = re.IGNORECASE | re.MULTILINE  # as identify searches model numbers


class ModelPattern(Strict):
    """A regular expression over model numbers, and the device type it implies.

    ``examples`` are real model numbers it must find and ``counterexamples`` look-alikes (other makers' models,
    neighbouring families) it must not; both are checked when the registry loads, as identify searches them.
    """

    pattern: str
    device_type: DeviceType
    source: str
    note: str | None = None
    examples: list[str] = []
    counterexamples: list[str] = []

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value, MODEL_FLAGS)
        except re.error as exc:
            raise ValueError(f"does not compile as a regular expression: {exc}") from exc
        return value

    @model_validator(mode="after")
    def _examples_hold(self) -> ModelPattern:
        compiled = re.compile(self.pattern, MODEL_FLAGS)
        missed = [e for e in self.examples if not compiled.search(e)]
        if missed:
            raise ValueError(f"pattern {self.pattern!r} does not match its example(s) {', '.join(missed)}")
        wrong = [c for c in self.counterexamples if compiled.search(c)]
        if wrong:
            raise ValueError(f"pattern {self.pattern!r} matches its counterexample(s) {', '.join(wrong)}")
        return self


class Identifiers(Strict):
    """What the identify engine can recognise an entity by."""

    ieee_assignees: list[str] = []
    mac_prefixes: list[MacPrefix] = []
    enterprise_numbers: list[EnterpriseNumber] = []
    models: list[ModelPattern] = []


class Entity(Strict):
    """A company, subsidiary, brand, relabel brand or government body."""

    id: Slug
    name: str = Field(min_length=1)
    kind: EntityKind
    country: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    parent: Slug | None = None
    aliases: list[Alias] = []
    former_parents: list[FormerParent] = []
    ownership: Ownership | None = None
    announced_sale: AnnouncedSale | None = None
    member_of: GroupMembership | None = None
    relabels: list[Relabel] = []
    identifiers: Identifiers = Field(default_factory=Identifiers)
    sources: list[str] = Field(min_length=1)
    confidence: Confidence = "high"
    note: str | None = None
    # Set by the loader, not by the YAML file.
    file: str = Field(default="", exclude=True)
    layer: str = Field(default="bundled", exclude=True)

    @model_validator(mode="after")
    def _low_confidence_says_why(self) -> Entity:
        if self.confidence == "low" and not self.note:
            raise ValueError("a low-confidence entity needs a note saying what could not be confirmed")
        return self

    def all_names(self) -> list[Alias]:
        """The legal name followed by every alias."""
        return [Alias(name=self.name, kind="legal"), *self.aliases]


class Listing(Strict):
    """An entity's inclusion on a legal or advisory list, with its date and scope."""

    list: Slug
    entity: Slug
    date: PartialDate
    end: OptionalDate = None
    scope: str | None = None
    citation: str | None = None
    source: str
    confidence: Confidence = "high"
    note: str | None = None

    def active_on(self, day: str) -> bool:
        """Whether the listing was in force on ``day`` (an ISO date)."""
        return self.date <= day and (self.end is None or day < self.end)


class Evidence(Strict):
    """Documented human-rights involvement that no legal list captures."""

    id: Slug
    entity: Slug
    date: PartialDate
    title: str
    summary: str
    source: str
    confidence: Confidence = "medium"
    note: str | None = None


class FalseFriend(Strict):
    """A name, OUI or enterprise number that looks like one of ours and is not."""

    name: str
    ieee_assignees: list[str] = []
    mac_prefixes: list[str] = []
    enterprise_numbers: list[int] = []
    note: str
    source: str

    @field_validator("mac_prefixes", mode="before")
    @classmethod
    def _normalise(cls, value: object) -> list[str]:
        if not isinstance(value, list):
            raise ValueError("expected a list of hex prefixes")
        return [_hex_prefix(item) for item in value]


class ListDefinition(Strict):
    """A legal or advisory list (FCC Covered List, NDAA §889, BIS Entity List, ...)."""

    id: Slug
    name: str
    authority: str
    jurisdiction: str
    kind: Literal["legal", "advisory"] = "legal"
    legal_basis: str | None = None
    covers_affiliates: bool = False
    url: str | None = None
    source: str
    note: str | None = None


class CapabilityClaim(Strict):
    """A model that a source reports with face recognition or people (ethnicity) analytics.

    ``pattern`` is searched in a device's model number as identify searches model patterns (case-insensitive);
    it must match ``model`` (the model as the source names it) and every example, checked on load.
    """

    model: str = Field(min_length=1)
    pattern: str
    entity: Slug
    capabilities: list[CapabilityName] = Field(min_length=1)
    date: PartialDate
    source: str
    confidence: Confidence = "medium"
    examples: list[str] = []
    note: str | None = None

    @model_validator(mode="after")
    def _pattern_holds(self) -> CapabilityClaim:
        try:
            compiled = re.compile(self.pattern, MODEL_FLAGS)
        except re.error as exc:
            raise ValueError(f"pattern does not compile as a regular expression: {exc}") from exc
        missed = [m for m in (self.model, *self.examples) if not compiled.search(m)]
        if missed:
            raise ValueError(f"pattern {self.pattern!r} does not match {', '.join(missed)}")
        return self

    def matches(self, model: str) -> bool:
        """Whether a device's model number is this model."""
        return re.search(self.pattern, model, MODEL_FLAGS) is not None


class GroupFile(Strict):
    """One YAML file: a corporate group with its entities, listings, evidence and false friends."""

    group: Slug
    name: str
    summary: str | None = None
    sources: dict[str, Source]
    entities: list[Entity] = Field(min_length=1)
    listings: list[Listing] = []
    evidence: list[Evidence] = []
    false_friends: list[FalseFriend] = []
    capabilities: list[CapabilityClaim] = []


class ListsFile(Strict):
    """The file that defines the lists listings refer to."""

    sources: dict[str, Source]
    lists: list[ListDefinition]
