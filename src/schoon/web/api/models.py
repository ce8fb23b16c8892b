"""The API's response models: declared on every operation so the OpenAPI document is exact."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Me(BaseModel):
    """The caller: who, their organisation and role, and the organisations they see."""

    email: str
    org_id: str
    role: str
    orgs: list[str]


class Organisation(BaseModel):
    """An organisation of the caller's tree."""

    id: str
    name: str
    parent_id: str | None = None
    deadline: str | None = None


class Site(BaseModel):
    """A site of one of the caller's organisations."""

    id: int
    org_id: str
    key: str
    name: str
    sensitivity: str
    owner_kind: str
    owner_name: str | None = None
    address: str | None = None


class Device(BaseModel):
    """A device's current record."""

    id: int
    org_id: str
    site_id: int | None = None
    site_key: str | None = None
    site_name: str | None = None
    sensitivity: str | None = None
    mac: str | None = None
    serial: str | None = None
    ip: str | None = None
    asset_id: str | None = None
    label: str | None = None
    model: str | None = None
    first_seen: str
    last_seen: str
    last_snapshot_id: int
    sources: str
    manufacturer_id: str | None = None
    group_id: str | None = None
    brand: str | None = None
    device_type: str | None = None
    confidence: float
    verdict: str
    state: str | None = None
    state_date: str | None = None
    replaced_by: str | None = None
    exempt_reason: str | None = None
    exempt_approver: str | None = None
    exempt_review: str | None = None
    replacement_confirmed: bool


class DevicePage(BaseModel):
    """One page of devices; follow ``next_cursor`` (absent on the last page)."""

    items: list[Device]
    total: int
    next_cursor: str | None = None


class Finding(BaseModel):
    """What one snapshot concluded about a device, with its evidence."""

    snapshot_id: int
    taken_on: str
    manufacturer_id: str | None = None
    group_id: str | None = None
    brand: str | None = None
    model: str | None = None
    device_type: str | None = None
    confidence: float
    verdict: str
    listings: list[Any]
    evidence: list[Any]
    basis: list[Any]
    reason: str
    policy_id: str
    registry_version: str


class LifecycleEvent(BaseModel):
    """One lifecycle move of a device."""

    id: int
    at: str
    from_state: str | None = None
    to_state: str
    on_date: str | None = None
    detail: str | None = None
    actor: str | None = None


class DeviceDetail(BaseModel):
    """A device with its evidence chain and lifecycle history."""

    device: Device
    findings: list[Finding]
    lifecycle: list[LifecycleEvent]


class MoveRequest(BaseModel):
    """A lifecycle move: the same fields and checks as ``schoon audit mark``."""

    model_config = ConfigDict(extra="forbid")

    state: Literal["in_use", "scheduled", "replaced", "exempted"]
    date: dt.date | None = Field(None, description="Scheduled for / replaced on.")
    replaced_by: str | None = Field(None, max_length=500)
    reason: str | None = Field(None, max_length=2000)
    approver: str | None = Field(None, max_length=200)
    review: dt.date | None = Field(None, description="Exemption review date.")


class Snapshot(BaseModel):
    """A snapshot: what one import saw of one organisation on one day."""

    id: int
    org_id: str
    site_id: int | None = None
    taken_on: str
    imported_at: str
    policy_id: str
    registry_version: str
    records: int
    rejects: int
    flagged: int
    replaced: int
    outstanding: int
    note: str | None = None


class Discrepancy(BaseModel):
    """A gap between register and network (or evidence), in words."""

    id: int
    snapshot_id: int
    org_id: str
    taken_on: str
    device_id: int | None = None
    kind: str
    text: str


class Job(BaseModel):
    """A background job (an upload being imported) and, when done, its result."""

    id: str
    org_id: str
    kind: str
    state: str
    progress: str | None = None
    result: dict[str, Any] | None = None
    created_at: str
    finished_at: str | None = None


class ScreenResult(BaseModel):
    """The screening of one name (the fields of ``schoon screen --format jsonl``)."""

    name: str | None = None
    status: str
    group_id: str | None = None
    entity_id: str | None = None
    score: float | None = None
    explanation: str
    matched_name: str | None = None
    verdict: str | None = None
    listings: list[Any] = []
    ownership: list[Any] = []


class RegistryGroup(BaseModel):
    """A corporate group of the registry."""

    id: str
    name: str
    members: int
    lists: list[str]


class RegistryEntity(BaseModel):
    """An entity of a group (maker, subsidiary, brand) with its sources."""

    id: str
    name: str
    kind: str
    parent: str | None = None
    sources: list[str]


class RegistryListing(BaseModel):
    """An entity on a legal or advisory list, with its source."""

    list: str
    entity: str
    date: str
    source: str


class RegistryEvidence(BaseModel):
    """Documented human-rights evidence about an entity, with its source."""

    id: str
    entity: str
    date: str
    title: str
    summary: str
    source: str


class RegistryGroupDetail(BaseModel):
    """A group with its entities, listings and evidence."""

    group: RegistryGroup
    entities: list[RegistryEntity]
    listings: list[RegistryListing]
    evidence: list[RegistryEvidence]
