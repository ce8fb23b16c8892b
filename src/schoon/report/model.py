"""The data a report is rendered from: ``ReportData`` and its parts, as typed dataclasses.

The audit store produces this structure; the renderers only read it. It travels as a plain dict (JSON) with
``ReportData.to_dict()`` and ``ReportData.from_dict()``; ``from_dict(to_dict(x)) == x`` holds for every value.
Dates are ISO strings (``2026-11-28``), timestamps ISO datetimes. ``from_dict`` is strict: a missing field,
an unknown field or a value of the wrong type is a ``DataError`` naming the field by its path
(``by_institution[2].flagged``), so a mismatch between the audit store and the renderers shows at once.

Renderers do not sort or recount: rows are shown in the order given, and totals are taken as given.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from schoon.errors import DataError

ReportKind = Literal["national", "institution"]
Language = Literal["nl", "en"]
DiscrepancyKind = Literal["label-vs-evidence", "not-in-register", "not-seen-on-network", "replaced-but-seen"]

REPORT_KINDS: tuple[str, ...] = get_args(ReportKind)
LANGUAGES: tuple[str, ...] = get_args(Language)
DISCREPANCY_KINDS: tuple[str, ...] = get_args(DiscrepancyKind)
LIFECYCLE_STATES: tuple[str, ...] = ("in_use", "scheduled", "replaced", "exempted", "overdue")
VERDICTS: tuple[str, ...] = ("flagged", "clear", "unknown")


@dataclass
class Policy:
    """The policy the devices were judged under."""

    id: str
    title: str
    description: str


@dataclass
class Scope:
    """What the report covers: organisations, number of sites and snapshots, and the snapshot period."""

    organisations: list[str]
    sites: int
    snapshots: int
    first_snapshot: str | None = None
    last_snapshot: str | None = None


@dataclass
class Totals:
    """Device counts over the whole scope.

    ``flagged`` counts devices flagged now and not replaced (in use, scheduled or exempted); ``replaced``
    counts devices confirmed replaced, which are no longer in ``flagged``. ``overdue`` is part of ``flagged``.
    """

    devices: int
    flagged: int
    clear: int
    unknown: int
    in_use: int
    scheduled: int
    replaced: int
    exempted: int
    overdue: int


@dataclass
class InstitutionRow:
    """Counts for one institution (or one unit of it)."""

    org_id: str
    org: str
    parent_org: str | None
    devices: int
    flagged: int
    in_use: int
    scheduled: int
    replaced: int
    exempted: int
    overdue: int
    deadline: str | None = None


@dataclass
class SensitivityRow:
    """Flagged devices on sites of one sensitivity class (``high``, ``normal``, ``public``, ``unknown``)."""

    sensitivity: str
    flagged: int


@dataclass
class DeviceTypeRow:
    """Flagged devices of one device type (``camera``, ``recorder``, ...)."""

    device_type: str
    flagged: int


@dataclass
class GroupRow:
    """Flagged devices made by one corporate group."""

    group_id: str
    group: str
    flagged: int


@dataclass
class BasisRow:
    """Flagged devices falling under one legal list (or ``human-rights-evidence``); a device counts once per list."""

    list_id: str
    list: str
    flagged: int
    official: str | None = None


@dataclass
class TrendPoint:
    """The state at one snapshot: flagged, replaced and still outstanding devices."""

    snapshot_id: str
    date: str
    org: str | None
    flagged: int
    replaced: int
    outstanding: int


@dataclass
class Exemption:
    """A flagged device that stays in use by decision, with the reason, who approved it and when to review."""

    device_id: str
    org: str
    site: str
    group: str
    reason: str
    approver: str
    review_date: str | None
    overdue_review: bool = False


@dataclass
class OverdueItem:
    """A flagged device still in place after its replacement deadline."""

    device_id: str
    org: str
    site: str
    group: str
    device_type: str | None
    deadline: str
    days_overdue: int


@dataclass
class Discrepancy:
    """A gap between what a register says and what the network or the evidence shows."""

    org: str
    site: str
    kind: str
    device_id: str | None
    detail: str


@dataclass
class LandlordCase:
    """Equipment at a site operated by a landlord or contractor rather than the institution itself."""

    org: str
    site: str
    owner: str
    device_count: int
    owner_kind: str = "landlord"


@dataclass
class CapabilityRow:
    """Devices whose capability documents (or registry-listed model) advertise one capability, and the number of
    institutions they are at. ``from_documents`` and ``from_registry`` say where the evidence came from (a device
    with both counts in each)."""

    capability: str
    devices: int
    institutions: int
    from_documents: int = 0
    from_registry: int = 0


@dataclass
class Device:
    """One device with its identification, verdict, lifecycle state and evidence (the appendix).

    ``device_id`` is the institution's own name for it: the register's asset number, else its address, MAC or
    serial, else ``#`` and the store's number (``store_id``). ``evidence`` holds full lines in the report's language,
    ``evidence_short`` a few words per line for tables; ``basis`` names the lists (and documented evidence) the
    device falls under; the full basis is stated once per group in ``ReportData.group_basis``.
    """

    device_id: str
    org: str
    site: str
    sensitivity: str
    label: str | None
    model: str | None
    device_type: str | None
    group_id: str | None
    group: str | None
    brand: str | None
    verdict: str
    state: str | None
    confidence: float
    first_seen: str | None
    last_seen: str | None
    sources: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    basis: list[str] = field(default_factory=list)
    deadline: str | None = None
    store_id: str | None = None
    evidence_short: list[str] = field(default_factory=list)
    capabilities: list[str] = field(default_factory=list)  # one line per capability finding, with its evidence


@dataclass
class GroupBasis:
    """Why the devices of one corporate group fall under the policy: each listing and piece of evidence, once."""

    group_id: str | None
    group: str
    devices: int
    basis: list[str] = field(default_factory=list)
    makers: list[str] = field(default_factory=list)


@dataclass
class ReportData:
    """Everything a national answer or an institution report shows."""

    kind: ReportKind
    language: Language
    title: str
    subtitle: str | None
    generated_at: str
    as_of: str
    policy: Policy
    registry_version: str
    scope: Scope
    totals: Totals
    by_institution: list[InstitutionRow] = field(default_factory=list)
    by_sensitivity: list[SensitivityRow] = field(default_factory=list)
    by_device_type: list[DeviceTypeRow] = field(default_factory=list)
    by_group: list[GroupRow] = field(default_factory=list)
    by_basis: list[BasisRow] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    exemptions: list[Exemption] = field(default_factory=list)
    overdue: list[OverdueItem] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    landlord_cases: list[LandlordCase] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    devices: list[Device] = field(default_factory=list)
    group_basis: list[GroupBasis] = field(default_factory=list)
    capabilities: list[CapabilityRow] = field(default_factory=list)
    capability_documents: int = 0  # devices with at least one capability document
    face_detection_only: int = 0  # devices that detect faces and advertise no face recognition
    capability_unmatched: int = 0  # capability documents that matched no device (kept, reported)

    def __post_init__(self) -> None:
        if self.kind not in REPORT_KINDS:
            raise DataError(f"must be one of {', '.join(REPORT_KINDS)}, not {self.kind!r}", field="kind")
        if self.language not in LANGUAGES:
            raise DataError(f"must be one of {', '.join(LANGUAGES)}, not {self.language!r}", field="language")

    def to_dict(self) -> dict[str, Any]:
        """A plain dict of JSON types (str, int, float, bool, None, list, dict)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> ReportData:
        """Build from a plain dict as ``to_dict`` writes it; ``datetime.date`` values are accepted for dates."""
        return _build(cls, raw, "")


T = TypeVar("T")


def _build(cls: type[T], raw: object, path: str) -> T:
    """Construct dataclass ``cls`` from ``raw``, checking keys and value types field by field."""
    if not isinstance(raw, Mapping):
        raise DataError(f"expected an object, got {type(raw).__name__}", field=path or None)
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        raise DataError(f"unknown field(s): {', '.join(map(str, unknown))}", field=path or None)
    values: dict[str, Any] = {}
    for name, spec in fields.items():
        where = f"{path}.{name}" if path else name
        if name not in raw:
            if spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
                raise DataError("is missing", field=where)
            continue
        values[name] = _convert(hints[name], raw[name], where)
    return cls(**values)


def _convert(hint: Any, value: object, path: str) -> Any:
    """Check (and where needed convert) one value against its type hint."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = get_args(hint)
        if value is None and type(None) in options:
            return None
        (inner,) = [o for o in options if o is not type(None)]
        return _convert(inner, value, path)
    if origin is Literal:
        if value not in get_args(hint):
            raise DataError(f"must be one of {', '.join(map(str, get_args(hint)))}, not {value!r}", field=path)
        return value
    if origin is list:
        if not isinstance(value, list | tuple):
            raise DataError(f"expected a list, got {type(value).__name__}", field=path)
        (item,) = get_args(hint)
        return [_convert(item, v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _build(hint, value, path)
    if hint is str:
        if isinstance(value, dt.date):
            return value.isoformat()
        if not isinstance(value, str):
            raise DataError(f"expected text, got {type(value).__name__}", field=path)
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise DataError(f"expected true or false, got {type(value).__name__}", field=path)
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DataError(f"expected a whole number, got {type(value).__name__}", field=path)
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DataError(f"expected a number, got {type(value).__name__}", field=path)
        return float(value)
    raise TypeError(f"{path}: unsupported type {hint!r}")  # pragma: no cover - a bug in this module
