"""Capability findings in the audit store: import capability documents, record the registry's model claims, and
read a device's current capabilities.

``schoon audit capabilities PATH... --org ORG`` attaches documents to the organisation's latest snapshot (or
``--snapshot``): they were exported (or collected) separately from the register and the scan, often later, and
they say what a device *can* do, not whether it is there, so they neither make a new snapshot nor change the
content hash of the register import. Each document is matched to one device of the organisation by its manifest
links, by the serial or MAC inside it, or by a serial, MAC or asset id in its file name; a document that matches
no device (or several) is stored and reported with the reason, never dropped. Reading is all or nothing: the
first bad document or manifest row stops the import before anything is written.

Registry claims (models sources report with such analytics) are recorded for every device of every snapshot by
the import (:func:`record_model_capabilities`). A device's *current* capabilities (:func:`capabilities_of`) are
the registry findings of its last snapshot plus the findings of its latest document of each kind.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from schoon.audit.db import INSERT_BATCH_ROWS, lock_org
from schoon.audit.schema import capability_documents, capability_findings, devices, snapshots
from schoon.audit.store import AuditError, Store, now
from schoon.capabilities import CapabilityFinding, LinkedDocument, model_findings, read_documents
from schoon.registry import Registry

_HEX = re.compile(r"[^0-9a-f]")
LINK_ORDER = ("mac", "serial", "asset_id", "ip")  # strongest first


@dataclass
class CapabilityImport:
    """What an import of capability documents did."""

    snapshot_id: int
    documents: int = 0
    matched: int = 0
    findings: int = 0
    replaced: int = 0  # documents of this snapshot imported before with the same content, now replaced
    by_capability: dict[str, int] = field(default_factory=dict)  # capability -> devices
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (document, why)


class _Devices:
    """The organisation's devices, indexed by MAC, serial, address and asset id."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self.rows = list(rows)
        self.by: dict[str, dict[str, set[int]]] = {k: defaultdict(set) for k in ("mac", "serial", "ip", "asset_id")}
        for row in self.rows:
            for key in self.by:
                value = _norm(key, getattr(row, key))
                if value:
                    self.by[key][value].add(int(row.id))

    def match(self, doc: LinkedDocument) -> tuple[int | None, str]:
        """The device a document belongs to and how it was matched, or None and why not."""
        if doc.links:
            return self._by_links(doc.links, doc.link_source)
        return self._by_name(doc.name_hint)

    def _by_links(self, links: dict[str, str], origin: str) -> tuple[int | None, str]:
        """The strongest link (MAC, serial, asset id, address) that names exactly one device; a link that names
        several (an address used at two sites) is passed over; two links naming different devices conflict."""
        unique: list[tuple[str, str, int]] = []
        several: list[str] = []
        for key in LINK_ORDER:
            if key not in links:
                continue
            ids = self.by[key].get(_norm(key, links[key]), set())
            if len(ids) == 1:
                unique.append((key, links[key], next(iter(ids))))
            elif ids:
                several.append(f"{key}={links[key]} ({len(ids)} devices)")
        said = ", ".join(f"{k}={v}" for k, v in links.items())
        if unique and all(device == unique[0][2] for _, _, device in unique):
            key, value, device = unique[0]
            return device, f"{origin}: {key}={value}"
        if unique:
            named = ", ".join(f"{k}={v} is device {d}" for k, v, d in unique)
            return None, f"{origin} links point to different devices: {named}"
        if several:
            return None, f"{origin} links name several devices: {', '.join(several)}"
        return None, f"no device of the organisation has {said} ({origin})"

    def _by_name(self, hint: str) -> tuple[int | None, str]:
        name_hex = _HEX.sub("", hint.lower())
        tokens = {t for t in re.split(r"[\s_.]+", hint.strip().upper()) if t}
        hits: dict[int, str] = {}
        for row in self.rows:
            mac = _norm("mac", row.mac)
            serial = _norm("serial", row.serial)
            asset = _norm("asset_id", row.asset_id)
            if mac and mac.replace(":", "") in name_hex:
                hits[int(row.id)] = f"MAC {row.mac}"
            elif serial and len(serial) >= 6 and serial in hint.upper():
                hits[int(row.id)] = f"serial {row.serial}"
            elif asset and (asset.upper() in tokens or re.search(rf"(?<![0-9A-Z]){re.escape(asset.upper())}"
                                                                 rf"(?![0-9A-Z])", hint.upper())):
                hits[int(row.id)] = f"asset id {row.asset_id}"
        if len(hits) == 1:
            device_id, how = next(iter(hits.items()))
            return device_id, f"file name: {how}"
        if hits:
            return None, f"the file name {hint!r} names {len(hits)} devices"
        return None, ("nothing links it to a device: no manifest row, no serial or MAC inside, none in the name "
                      f"{hint!r}")


def _norm(key: str, value: object) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    if key == "mac":
        digits = _HEX.sub("", text.lower())
        return ":".join(digits[i:i + 2] for i in range(0, 12, 2)) if len(digits) == 12 else ""
    if key == "serial":
        return text.upper()
    return text


def _latest_snapshot(conn: sa.Connection, org_id: str) -> int:
    row = conn.execute(sa.select(snapshots.c.id).where(snapshots.c.org_id == org_id)
                       .order_by(snapshots.c.taken_on.desc(), snapshots.c.id.desc()).limit(1)).first()
    if row is None:
        raise AuditError(f"organisation {org_id!r} has no snapshot yet: import its register or scan first "
                         "('schoon audit import'), then its capability documents")
    return int(row.id)


def import_capabilities(store: Store, org_id: str, inputs: Sequence[Path | str], *,
                        snapshot_id: int | None = None) -> CapabilityImport:
    """Read, classify and store capability documents for ``org_id`` (latest snapshot unless ``snapshot_id``)."""
    store.org(org_id)
    linked = read_documents(inputs)  # every error surfaces here, before anything is written
    with store.write() as conn:
        lock_org(conn, org_id)
        if snapshot_id is None:
            snapshot_id = _latest_snapshot(conn, org_id)
        else:
            owner = conn.execute(sa.select(snapshots.c.org_id).where(snapshots.c.id == snapshot_id)).scalar()
            if owner != org_id:
                raise AuditError(f"snapshot {snapshot_id} is not a snapshot of {org_id!r}")
        result = CapabilityImport(snapshot_id)
        known = _Devices(conn.execute(sa.select(devices.c.id, devices.c.mac, devices.c.serial, devices.c.ip,
                                                devices.c.asset_id).where(devices.c.org_id == org_id)))
        hashes = sorted({d.document.sha256 for d in linked})
        for start in range(0, len(hashes), INSERT_BATCH_ROWS):  # the same documents again: replaced, not doubled
            old = conn.execute(sa.select(capability_documents.c.id).where(
                capability_documents.c.snapshot_id == snapshot_id, capability_documents.c.org_id == org_id,
                capability_documents.c.sha256.in_(hashes[start: start + INSERT_BATCH_ROWS]))).scalars().all()
            if old:
                conn.execute(sa.delete(capability_findings).where(capability_findings.c.document_id.in_(old)))
                conn.execute(sa.delete(capability_documents).where(capability_documents.c.id.in_(old)))
                result.replaced += len(old)
        per_capability: dict[str, set[int]] = defaultdict(set)
        at = now()
        for doc in linked:
            device_id, how = known.match(doc)
            document_id = int(conn.execute(capability_documents.insert().values(
                snapshot_id=snapshot_id, org_id=org_id, device_id=device_id, path=doc.document.name,
                sha256=doc.document.sha256, kind=doc.document.kind, vendor=doc.document.vendor, link=how,
                notes=json.dumps(doc.classification.notes, ensure_ascii=False), imported_at=at,
            )).inserted_primary_key[0])  # type: ignore[index]
            result.documents += 1
            if device_id is None:
                result.unmatched.append((doc.document.name, how))
                continue
            result.matched += 1
            rows = [_row(snapshot_id, device_id, document_id, "document", f) for f in doc.classification.findings]
            _insert(conn, rows)
            result.findings += len(rows)
            for finding in doc.classification.findings:
                per_capability[finding.capability].add(device_id)
        result.by_capability = {k: len(v) for k, v in sorted(per_capability.items())}
    return result


def _row(snapshot_id: int, device_id: int, document_id: int | None, origin: str,
         finding: CapabilityFinding) -> dict[str, Any]:
    return {"snapshot_id": snapshot_id, "device_id": device_id, "document_id": document_id,
            "capability": finding.capability, "origin": origin, "document": finding.document,
            "field": finding.field, "value": finding.value, "line": finding.line, "meaning": finding.meaning,
            "source": finding.source, "verified": finding.verified}


def _insert(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), INSERT_BATCH_ROWS):
        conn.execute(capability_findings.insert(), rows[start: start + INSERT_BATCH_ROWS])


def record_model_capabilities(conn: sa.Connection, snapshot_id: int, models: Mapping[int, str | None],
                              registry: Registry) -> int:
    """Store the registry's capability claims for each device (id → model number) seen in a snapshot; the
    number of findings stored. Called by the import inside its transaction."""
    if not registry.capability_claims:
        return 0
    rows = [_row(snapshot_id, device_id, None, "registry", finding)
            for device_id, model in models.items() for finding in model_findings(registry, model)]
    _insert(conn, rows)
    return len(rows)


def current_capabilities(conn: sa.Connection, device_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Each device's current capability findings (plain dicts, documents first then the registry): the registry
    findings of its last snapshot, and the findings of its latest document of each kind."""
    out: dict[int, list[dict[str, Any]]] = {}
    for start in range(0, len(device_ids), INSERT_BATCH_ROWS):
        chunk = list(device_ids[start: start + INSERT_BATCH_ROWS])
        out.update(_current(conn, capability_documents.c.device_id.in_(chunk),
                            capability_findings.c.device_id.in_(chunk)))
    return out


def capabilities_in(conn: sa.Connection, org_ids: Sequence[str]) -> dict[int, list[dict[str, Any]]]:
    """:func:`current_capabilities` of every device of these organisations (for reports)."""
    in_scope = sa.select(devices.c.id).where(devices.c.org_id.in_(list(org_ids)))
    return _current(conn, capability_documents.c.device_id.in_(in_scope), capability_findings.c.device_id.in_(in_scope))


def all_capabilities(conn: sa.Connection) -> dict[int, list[dict[str, Any]]]:
    """:func:`current_capabilities` of every device in the store (the national figures: no list of organisations
    to filter by)."""
    return _current(conn, capability_documents.c.device_id.is_not(None), sa.true())


def documented_devices(conn: sa.Connection, org_ids: Sequence[str]) -> set[int]:
    """Devices of these organisations with at least one capability document (whatever it showed)."""
    query = (sa.select(capability_documents.c.device_id).distinct()
             .where(capability_documents.c.org_id.in_(list(org_ids)), capability_documents.c.device_id.is_not(None)))
    return {int(r) for r in conn.execute(query).scalars()}


def _current(conn: sa.Connection, documents_of: Any, findings_of: Any) -> dict[int, list[dict[str, Any]]]:
    latest_docs: dict[tuple[int, str], int] = {}
    for row in conn.execute(sa.select(capability_documents.c.id, capability_documents.c.device_id,
                                      capability_documents.c.kind)
                            .where(documents_of, capability_documents.c.device_id.is_not(None))
                            .order_by(capability_documents.c.id)):
        latest_docs[(int(row.device_id), row.kind)] = int(row.id)
    current_docs = set(latest_docs.values())
    query = (sa.select(capability_findings, snapshots.c.taken_on, devices.c.last_snapshot_id)
             .join(snapshots, snapshots.c.id == capability_findings.c.snapshot_id)
             .join(devices, devices.c.id == capability_findings.c.device_id)
             .where(findings_of)
             .order_by(capability_findings.c.origin, capability_findings.c.id))
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in conn.execute(query):
        if row.origin == "registry" and row.snapshot_id != row.last_snapshot_id:
            continue
        if row.origin == "document" and row.document_id not in current_docs:
            continue
        out[int(row.device_id)].append({
            "capability": row.capability, "origin": row.origin, "document": row.document, "field": row.field,
            "value": row.value, "line": row.line, "meaning": row.meaning, "source": row.source,
            "verified": bool(row.verified), "snapshot_id": int(row.snapshot_id), "taken_on": row.taken_on,
        })
    return dict(out)


def capabilities_of(conn_or_store: Store | sa.Connection, device_id: int) -> list[dict[str, Any]]:
    """A device's current capability findings, each with its evidence (for the device page and the API)."""
    if isinstance(conn_or_store, Store):
        with conn_or_store.read() as conn:
            return current_capabilities(conn, [device_id]).get(device_id, [])
    return current_capabilities(conn_or_store, [device_id]).get(device_id, [])


def unmatched_documents(conn: sa.Connection, org_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Capability documents of these organisations that matched no device, with the reason."""
    query = (sa.select(capability_documents.c.org_id, capability_documents.c.path, capability_documents.c.link,
                       capability_documents.c.snapshot_id)
             .where(capability_documents.c.org_id.in_(list(org_ids)), capability_documents.c.device_id.is_(None))
             .order_by(capability_documents.c.id))
    return [dict(r._mapping) for r in conn.execute(query)]
