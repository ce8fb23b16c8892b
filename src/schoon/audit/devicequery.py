"""Devices filtered, sorted and paged: the one query behind every device list (web pages, API, exports).

Filters: group, verdict, state, site, device type, site sensitivity, free-text search (asset number, address,
MAC, serial, label, model, brand), and the organisations the caller may see. Pages are keyset-paged: the
cursor carries the last row's sort value and id, so a page costs the same at the start and at the end of a
long list, and rows added meanwhile do not shift pages.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from schoon.audit.schema import devices, sites
from schoon.audit.store import AuditError

MAX_LIMIT = 1_000

#: sort name -> (column expression, kind); a leading '-' on the name sorts descending
SORTS: dict[str, Any] = {
    "id": devices.c.id,
    "asset": sa.func.coalesce(devices.c.asset_id, ""),
    "ip": sa.func.coalesce(devices.c.ip, ""),
    "org": devices.c.org_id,
    "site": sa.func.coalesce(sites.c.name, ""),
    "group": sa.func.coalesce(devices.c.group_id, ""),
    "brand": sa.func.coalesce(devices.c.brand, ""),
    "model": sa.func.coalesce(devices.c.model, ""),
    "type": sa.func.coalesce(devices.c.device_type, ""),
    "verdict": devices.c.verdict,
    "state": sa.func.coalesce(devices.c.state, ""),
    "confidence": devices.c.confidence,
    "first_seen": devices.c.first_seen,
    "last_seen": devices.c.last_seen,
}


@dataclass(frozen=True)
class DeviceFilter:
    """What to list: every field None means no filter on it."""

    group: str | None = None
    verdict: str | None = None
    state: str | None = None
    site: int | None = None
    type: str | None = None
    sensitivity: str | None = None
    search: str | None = None
    org: str | None = None


@dataclass(frozen=True)
class DevicePage:
    """One page of devices: the rows, the cursor of the next page (None on the last) and the total count."""

    items: list[Mapping[str, Any]]
    next_cursor: str | None
    total: int
    extra: dict[str, Any] = field(default_factory=dict)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


SEARCHED = (devices.c.asset_id, devices.c.ip, devices.c.mac, devices.c.serial, devices.c.label, devices.c.model,
            devices.c.brand)


def filtered(flt: DeviceFilter, orgs: Collection[str] | None, dialect: str = "sqlite") -> sa.Select[Any]:
    """Devices (with their site's key, name and sensitivity) matching ``flt``, within ``orgs`` (None: all), as a
    query for ``dialect`` (``sqlite`` or ``postgresql``)."""
    query = (sa.select(devices, sites.c.key.label("site_key"), sites.c.name.label("site_name"),
                       sites.c.sensitivity.label("sensitivity"))
             .select_from(devices.outerjoin(sites, sites.c.id == devices.c.site_id)))
    if orgs is not None:
        query = query.where(devices.c.org_id.in_(sorted(orgs)))
    if flt.org is not None:
        query = query.where(devices.c.org_id == flt.org)
    if flt.group is not None:
        query = query.where(devices.c.group_id == flt.group)
    if flt.verdict is not None:
        query = query.where(devices.c.verdict == flt.verdict)
    if flt.state is not None:
        query = query.where(devices.c.state == flt.state)
    if flt.site is not None:
        query = query.where(devices.c.site_id == flt.site)
    if flt.type is not None:
        query = query.where(devices.c.device_type == flt.type)
    if flt.sensitivity is not None:
        query = query.where(sa.func.coalesce(sites.c.sensitivity, "unknown") == flt.sensitivity)
    if flt.search:
        # ILIKE on PostgreSQL; on SQLite, LIKE is already case-blind (ASCII, as SQLite's lower() is) and cheaper
        # than lower() on every cell
        pattern = _like(flt.search.strip().lower())
        query = query.where(sa.or_(*(column.ilike(pattern, escape="\\") if dialect == "postgresql"
                                     else column.like(pattern, escape="\\") for column in SEARCHED)))
    return query


def _sort(sort: str) -> tuple[Any, bool]:
    descending = sort.startswith("-")
    name = sort.removeprefix("-")
    if name not in SORTS:
        raise AuditError(f"cannot sort devices by {name!r}: use one of {', '.join(SORTS)} (prefix '-' to reverse)")
    return SORTS[name], descending


def encode_cursor(value: Any, device_id: int) -> str:
    """The opaque cursor after a row with sort value ``value`` and id ``device_id``."""
    return base64.urlsafe_b64encode(json.dumps([value, device_id]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, int]:
    """The (sort value, id) a cursor carries; a damaged cursor is one AuditError line."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, device_id = json.loads(raw)
        if not isinstance(device_id, int) or isinstance(value, (list, dict)):
            raise ValueError
        return value, device_id
    except (ValueError, binascii.Error, TypeError):
        raise AuditError(f"not a page cursor of this list: {cursor[:40]!r}") from None


def page(conn: sa.Connection, flt: DeviceFilter, orgs: Collection[str] | None, *, sort: str = "id",
         cursor: str | None = None, limit: int = 50) -> DevicePage:
    """One page of the devices matching ``flt`` within ``orgs``, sorted by ``sort`` (ties by id)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise AuditError(f"a page holds 1 to {MAX_LIMIT} devices: {limit}")
    key, descending = _sort(sort)
    base = filtered(flt, orgs, conn.dialect.name)
    total = int(conn.execute(sa.select(sa.func.count()).select_from(base.subquery())).scalar() or 0)
    query = base.add_columns(key.label("_sort_key"))
    if cursor is not None:
        value, last_id = decode_cursor(cursor)
        if descending:
            query = query.where(sa.or_(key < value, sa.and_(key == value, devices.c.id < last_id)))
        else:
            query = query.where(sa.or_(key > value, sa.and_(key == value, devices.c.id > last_id)))
    order = (key.desc(), devices.c.id.desc()) if descending else (key.asc(), devices.c.id.asc())
    rows = conn.execute(query.order_by(*order).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items: list[Mapping[str, Any]] = [{k: v for k, v in row._mapping.items() if k != "_sort_key"} for row in rows]
    next_cursor = encode_cursor(rows[-1]._sort_key, int(rows[-1].id)) if more and rows else None
    return DevicePage(items, next_cursor, total)
