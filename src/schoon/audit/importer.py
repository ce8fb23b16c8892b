"""Import files as one snapshot: ingest → identify → de-duplicate → reconcile → store, all or nothing.

A snapshot is what one import saw of one organisation on one day. Re-importing the same files for the same
organisation and site is idempotent (the snapshot is recognised by the files' content). An import that is
interrupted (killed, a database error) leaves the database exactly as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from schoon.audit.capabilities import record_model_capabilities
from schoon.audit.db import INSERT_BATCH_ROWS, lock_org
from schoon.audit.identity import Candidate, KnownDevices, group_records, merge
from schoon.audit.reconcile import Discrepancy, reconcile
from schoon.audit.schema import (
    devices,
    discrepancies,
    findings,
    lifecycle_events,
    observations,
    procurement_lines,
    snapshot_files,
    snapshots,
)
from schoon.audit.store import AuditError, Store, now, parse_date
from schoon.identify import Engine, Finding
from schoon.ingest import ReadOptions, Reject, detect_format, read
from schoon.ingest.problems import Problems
from schoon.observation import Observation

KINDS = ("register", "scan", "procurement")
_JSON_TEXT = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(..., ensure_ascii=False), one encoder
KIND_OF_FORMAT = {"nmap-xml": "scan", "jsonl": "scan", "csv": "register", "xlsx": "register",
                  "procurement-csv": "procurement"}


@dataclass
class ImportResult:
    """What an import did."""

    snapshot_id: int
    already_imported: bool
    records: int = 0
    rejects: list[Reject] = field(default_factory=list)
    devices_new: int = 0
    devices_seen: int = 0
    flagged: int = 0
    procurement_lines: int = 0
    discrepancies: list[Discrepancy] = field(default_factory=list)
    confirmed_replaced: int = 0
    rejected: int = 0  # every rejected row; ``rejects`` holds them only when no Problems sink took them
    readings: list[str] = field(default_factory=list)  # per file: rows read, used, rejected, skipped


@dataclass
class _Source:
    path: str
    kind: str
    sha256: str
    records: int = 0
    rejects: int = 0


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _kind(path: str, input_format: str | None, kinds: Mapping[str, str]) -> str:
    if path in kinds:
        return kinds[path]
    with open(path, "rb") as handle:
        head = handle.read(8192)
    return KIND_OF_FORMAT.get(input_format or detect_format(head, path), "register")


def import_snapshot(store: Store, engine: Engine, org_id: str, paths: Sequence[str], *, site: str | None = None,
                    taken_on: str | None = None, kinds: Mapping[str, str] | None = None,
                    input_format: str | None = None, column_map: Mapping[str, str] | None = None,
                    note: str | None = None, progress: Callable[[str], None] | None = None,
                    options: ReadOptions | None = None, problems: Problems | None = None) -> ImportResult:
    """Import ``paths`` as one snapshot of ``org_id`` (sites from the records' own site column, else ``site``).

    ``progress`` receives a line at each stage (read, identified, writing, written). ``options`` are the reader
    options (``input_format`` and ``column_map`` are shorthands for two of them); ``problems`` receives the
    rejects and dropped cells as they happen (else the rejects are kept in ``ImportResult.rejects``).
    """
    if options is None or input_format is not None or column_map is not None:
        base = options or ReadOptions()
        options = dataclasses.replace(base, input_format=input_format or base.input_format,
                                      column_map=column_map if column_map is not None else base.column_map)
    input_format = options.input_format
    say = progress or (lambda _line: None)
    store.org(org_id)
    day = parse_date(taken_on, "date") or dt.date.today().isoformat()
    for kind in (kinds or {}).values():
        if kind not in KINDS:
            raise AuditError(f"source kind must be one of {', '.join(KINDS)}: {kind!r}")
    for path in paths:
        if not Path(path).is_file():
            raise AuditError(f"{path}: no such file")
    sources = [_Source(p, _kind(p, input_format, kinds or {}), _sha256(p)) for p in paths]
    content = hashlib.sha256("\n".join([org_id, site or "", *sorted(s.sha256 for s in sources)]).encode())
    content_hash = content.hexdigest()
    with store.read() as conn:
        existing = _existing(conn, org_id, content_hash)
    if existing is not None:
        return ImportResult(existing, already_imported=True)
    result = ImportResult(0, already_imported=False)
    records: list[tuple[str, Observation, str | None]] = []
    procurement: list[tuple[Observation, Finding]] = []
    for source in sources:
        reading = read(source.path, options, log=problems.log() if problems is not None else None)
        for item in reading:
            if isinstance(item, Reject):
                source.rejects += 1
                if problems is None:
                    result.rejects.append(item)
                continue
            source.records += 1
            if source.kind == "procurement":
                procurement.append((item, engine.run(item)))
            else:
                records.append((source.kind, item, item.site or site))
        result.readings.append(f"{reading.name}: {reading.log.summary()}")
    result.records = sum(s.records for s in sources)
    result.rejected = sum(s.rejects for s in sources)
    say(f"read {result.records} records ({result.rejected} rejected) from {len(sources)} files")
    with store.write() as conn:
        say("writing the snapshot (one transaction)")
        lock_org(conn, org_id)  # one writer per organisation; the next one sees this one's devices
        existing = _existing(conn, org_id, content_hash)
        if existing is not None:  # the same files went in while this import was reading them
            return ImportResult(existing, already_imported=True)
        _write(conn, store, engine, org_id, site, day, content_hash, note, sources, records, procurement, result)
    say(f"snapshot {result.snapshot_id} committed")
    return result


def _existing(conn: sa.Connection, org_id: str, content_hash: str) -> int | None:
    row = conn.execute(sa.select(snapshots.c.id).where(
        snapshots.c.org_id == org_id, snapshots.c.content_hash == content_hash)).first()
    return None if row is None else int(row.id)


def _claim(candidates: list[Candidate], known: KnownDevices, day: str
           ) -> tuple[dict[int, tuple[Candidate, Observation]], list[tuple[Candidate, Observation]]]:
    """Known devices with the candidate that is each of them, and the candidates that are new devices, each
    with its merged observation. Two candidates the store knows as one device are joined into one: a device
    is never stored twice (the store's unique MAC per organisation backs this)."""
    claimed: dict[int, tuple[Candidate, Observation]] = {}
    fresh: list[tuple[Candidate, Observation]] = []
    for candidate in candidates:
        merged = merge(candidate)
        device_id = known.find(merged, candidate.site_id, day)
        if device_id is None:
            fresh.append((candidate, merged))
        elif device_id in claimed:
            first = claimed[device_id][0]
            first.records.extend(candidate.records)
            claimed[device_id] = (first, merge(first))
        else:
            claimed[device_id] = (candidate, merged)
    return claimed, fresh


def _write(conn: sa.Connection, store: Store, engine: Engine, org_id: str, site: str | None, day: str,
           content_hash: str, note: str | None, sources: list[_Source],
           records: list[tuple[str, Observation, str | None]], procurement: list[tuple[Observation, Finding]],
           result: ImportResult) -> None:
    site_ids: dict[str, int] = {}

    def site_id_of(name: str | None) -> int | None:
        if not name:
            return None
        if name not in site_ids:
            site_ids[name] = store.ensure_site(conn, org_id, name)
        return site_ids[name]

    default_site = site_id_of(site)
    snapshot_id = int(conn.execute(snapshots.insert().values(
        org_id=org_id, site_id=default_site, taken_on=day, imported_at=now(), content_hash=content_hash,
        policy_id=engine.policy.id, registry_version=engine.registry.version, records=result.records,
        rejects=result.rejected, flagged=0, replaced=0, outstanding=0, note=note,
    )).inserted_primary_key[0])  # type: ignore[index]
    result.snapshot_id = snapshot_id
    _batched(conn, snapshot_files, [{"snapshot_id": snapshot_id, "path": s.path, "sha256": s.sha256, "kind": s.kind,
                                     "records": s.records, "rejects": s.rejects} for s in sources])
    candidates = group_records([(kind, obs, site_id_of(name)) for kind, obs, name in records])
    claimed, fresh = _claim(candidates, _known_devices(conn, org_id), day)
    seen_ids: dict[int, tuple[Candidate, Finding]] = {
        device_id: (candidate, engine.run(merged)) for device_id, (candidate, merged) in claimed.items()}
    existing = list(claimed)
    new_rows: list[tuple[Candidate, Finding, dict[str, Any]]] = []
    for candidate, merged in fresh:
        finding = engine.run(merged)
        new_rows.append((candidate, finding, _device_row(org_id, candidate, merged, finding, day, snapshot_id)))
    inserted = _insert_devices(conn, [row for _, _, row in new_rows])
    for device_id, (candidate, finding, _row) in zip(inserted, new_rows, strict=True):
        seen_ids[device_id] = (candidate, finding)
    result.devices_new = len(new_rows)
    result.devices_seen = len(seen_ids)
    previous = _previous_states(conn, existing)
    _update_seen(conn, seen_ids, previous, day, snapshot_id)
    _history(conn, snapshot_id, seen_ids, engine)
    record_model_capabilities(conn, snapshot_id, {  # the model the device row keeps (as _update_seen does)
        d: f.identification.model or (previous[d].model if d in previous else None) for d, (_, f) in seen_ids.items()
    }, engine.registry)
    _new_flagged_events(conn, seen_ids, previous)
    found = reconcile(conn, org_id, snapshot_id, seen_ids, previous, {s.kind for s in sources},
                      {c.site_id for c in candidates if "scan" in c.kinds()})
    result.discrepancies = found.discrepancies
    result.confirmed_replaced = found.confirmed_replaced
    _batched(conn, discrepancies, [{"snapshot_id": snapshot_id, "device_id": d.device_id, "kind": d.kind,
                                    "detail": d.detail} for d in found.discrepancies])
    _procurement(conn, snapshot_id, procurement)
    result.procurement_lines = len(procurement)
    result.flagged = sum(1 for _, f in seen_ids.values() if f.verdict == "flagged")
    _snapshot_stats(conn, org_id, snapshot_id)


def _insert_devices(conn: sa.Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Insert new devices; their ids in the order of ``rows``.

    PostgreSQL returns the ids batch by batch (``RETURNING``). SQLite would run such an insert one row at a
    time (SQLAlchemy cannot vouch for the order of its ``RETURNING`` rows), a hundred thousand statements for a
    large estate; there the rows go in as plain batches, and the ids are read back: SQLite gives each new row
    the next id, and this transaction holds the database's only write lock. The rows read back are checked
    against the rows written (organisation, site, MAC, asset id), so a surprise aborts the import (nothing
    is stored) rather than mixing devices up."""
    if conn.dialect.name != "sqlite":
        ids: list[int] = []
        for start in range(0, len(rows), INSERT_BATCH_ROWS):
            batch = rows[start: start + INSERT_BATCH_ROWS]
            ids += [int(i) for i in conn.execute(devices.insert().returning(
                devices.c.id, sort_by_parameter_order=True), batch).scalars().all()]
        return ids
    if not rows:
        return []
    before = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(devices.c.id), 0))).scalar_one())
    _batched(conn, devices, rows)
    written = conn.execute(sa.select(devices.c.id, devices.c.org_id, devices.c.site_id, devices.c.mac,
                                     devices.c.asset_id).where(devices.c.id > before).order_by(devices.c.id)).all()
    if len(written) != len(rows) or any(
            (w.org_id, w.site_id, w.mac, w.asset_id) != (r["org_id"], r["site_id"], r["mac"], r["asset_id"])
            for w, r in zip(written, rows, strict=False)):
        raise AuditError("the new devices were not stored in the order they were written; import undone")
    return [int(w.id) for w in written]


def _batched(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), INSERT_BATCH_ROWS):
        conn.execute(table.insert(), rows[start: start + INSERT_BATCH_ROWS])


def _known_devices(conn: sa.Connection, org_id: str) -> KnownDevices:
    known = KnownDevices()
    query = sa.select(devices.c.id, devices.c.mac, devices.c.serial, devices.c.asset_id, devices.c.site_id,
                      devices.c.ip, devices.c.last_seen).where(devices.c.org_id == org_id)
    for row in conn.execute(query):
        if row.mac:
            known.by_mac[row.mac] = row.id
        if row.serial:
            known.by_serial[row.serial.strip().upper()] = row.id
        if row.asset_id:
            known.by_asset[row.asset_id.strip()] = row.id
        if row.ip:
            known.by_site_ip[(row.site_id, row.ip.strip())] = (row.id, row.last_seen, row.mac)
    return known


def _device_row(org_id: str, candidate: Candidate, merged: Observation, finding: Finding, day: str,
                snapshot_id: int) -> dict[str, Any]:
    ident = finding.identification
    flagged = finding.verdict == "flagged"
    return {
        "org_id": org_id, "site_id": candidate.site_id, "mac": merged.mac, "serial": merged.serial, "ip": merged.ip,
        "asset_id": candidate.first("id"), "label": candidate.first("declared_vendor"), "model": ident.model,
        "first_seen": day, "last_seen": day, "last_snapshot_id": snapshot_id,
        "sources": ",".join(sorted(candidate.kinds())), "manufacturer_id": ident.manufacturer_id,
        "group_id": ident.group_id, "brand": ident.brand, "device_type": ident.device_type,
        "confidence": ident.confidence, "verdict": finding.verdict, "state": "in_use" if flagged else None,
        "state_date": None, "replaced_by": None, "exempt_reason": None, "exempt_approver": None,
        "exempt_review": None, "replacement_confirmed": False,
    }


def _previous_states(conn: sa.Connection, ids: list[int]) -> dict[int, Any]:
    out: dict[int, Any] = {}
    for start in range(0, len(ids), INSERT_BATCH_ROWS):
        chunk = ids[start: start + INSERT_BATCH_ROWS]
        for row in conn.execute(sa.select(devices).where(devices.c.id.in_(chunk))):
            out[int(row.id)] = row
    return out


def _update_seen(conn: sa.Connection, seen: dict[int, tuple[Candidate, Finding]], previous: dict[int, Any],
                 day: str, snapshot_id: int) -> None:
    """Devices seen again get the new evidence; a newly flagged device enters the lifecycle as in use."""
    rows = []
    for device_id, old in previous.items():
        candidate, finding = seen[device_id]
        ident = finding.identification
        state = old.state
        if finding.verdict == "flagged" and state is None:
            state = "in_use"
        rows.append({
            "b_id": device_id, "last_seen": max(day, old.last_seen), "first_seen": min(day, old.first_seen),
            "last_snapshot_id": snapshot_id, "sources": ",".join(sorted(candidate.kinds())),
            "manufacturer_id": ident.manufacturer_id, "group_id": ident.group_id, "brand": ident.brand,
            "device_type": ident.device_type, "confidence": ident.confidence, "verdict": finding.verdict,
            "model": ident.model or old.model, "label": candidate.first("declared_vendor") or old.label,
            "mac": old.mac or ident.observation.mac, "serial": old.serial or ident.observation.serial,
            "ip": ident.observation.ip or old.ip, "state": state,
            "asset_id": candidate.first("id") or old.asset_id,
        })
    if rows:
        statement = devices.update().where(devices.c.id == sa.bindparam("b_id")).values(
            {name: sa.bindparam(name) for name in rows[0] if name != "b_id"})
        for start in range(0, len(rows), INSERT_BATCH_ROWS):
            conn.execute(statement, rows[start: start + INSERT_BATCH_ROWS])


def _history(conn: sa.Connection, snapshot_id: int, seen: dict[int, tuple[Candidate, Finding]],
             engine: Engine) -> None:
    """One finding per device and one observation row per source record, for the evidence appendix."""
    finding_rows, observation_rows = [], []
    # every column but the model depends only on the evidence, whose outcome the engine shares between devices
    # with the same evidence: worked out (and encoded as JSON) once per outcome
    by_outcome: dict[int, tuple[object, dict[str, Any]]] = {}
    for device_id, (candidate, finding) in seen.items():
        ident = finding.identification
        known = by_outcome.get(id(ident.outcome))
        if known is None or known[0] is not ident.outcome:
            known = by_outcome[id(ident.outcome)] = (ident.outcome, {
                "manufacturer_id": ident.manufacturer_id, "group_id": ident.group_id, "brand": ident.brand,
                "device_type": ident.device_type, "confidence": ident.confidence, "verdict": finding.verdict,
                "listings": json.dumps(finding.listings),
                "evidence": json.dumps([s.detail for s in ident.evidence() if s.weight > 0] + list(ident.conflicts)),
                "basis": json.dumps(list(finding.basis)), "reason": finding.reason, "policy_id": engine.policy.id,
                "registry_version": engine.registry.version})
        finding_rows.append({"snapshot_id": snapshot_id, "device_id": device_id, "model": ident.model, **known[1]})
        for kind, obs in candidate.records:
            observation_rows.append({
                "snapshot_id": snapshot_id, "device_id": device_id, "kind": kind, "source": obs.source or "-",
                "row": obs.row, "data": _JSON_TEXT({**obs.to_dict(), **obs.extra}),
            })
    _batched(conn, findings, finding_rows)
    _batched(conn, observations, observation_rows)


def _new_flagged_events(conn: sa.Connection, seen: dict[int, tuple[Candidate, Finding]],
                        previous: dict[int, Any]) -> None:
    at = now()
    rows = [{"device_id": device_id, "at": at, "from_state": None, "to_state": "in_use", "on_date": None,
             "detail": "found flagged: " + finding.reason, "actor": "import"}
            for device_id, (_, finding) in seen.items()
            if finding.verdict == "flagged" and (device_id not in previous or previous[device_id].state is None)]
    _batched(conn, lifecycle_events, rows)


def _procurement(conn: sa.Connection, snapshot_id: int, lines: list[tuple[Observation, Finding]]) -> None:
    _batched(conn, procurement_lines, [{
        "snapshot_id": snapshot_id, "source": obs.source or "-", "row": obs.row, "supplier": obs.supplier,
        "label": obs.declared_vendor, "model": obs.model, "group_id": finding.identification.group_id,
        "verdict": finding.verdict, "reason": finding.reason,
        "data": json.dumps({**obs.to_dict(), **obs.extra}, ensure_ascii=False),
    } for obs, finding in lines])


def _snapshot_stats(conn: sa.Connection, org_id: str, snapshot_id: int) -> None:
    """The organisation's totals after this snapshot, for the trend over snapshots."""
    query = (sa.select(devices.c.state, sa.func.count()).where(devices.c.org_id == org_id,
                                                               devices.c.state.is_not(None))
             .group_by(devices.c.state))
    counts: dict[str, int] = {str(state): int(n) for state, n in conn.execute(query)}
    replaced = int(counts.get("replaced", 0))
    outstanding = sum(n for state, n in counts.items() if state in ("in_use", "scheduled", "exempted"))
    conn.execute(snapshots.update().where(snapshots.c.id == snapshot_id).values(
        flagged=outstanding + replaced, replaced=replaced, outstanding=outstanding))
