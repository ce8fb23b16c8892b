"""ScopedStore: THE one place that scopes every read and write to the caller's organisation tree.

The web service never touches :class:`schoon.audit.Store` directly: it builds a ScopedStore for the principal
of each request and asks it. Every query here filters on the principal's organisations (the first wall), and
every transaction carries the tenant for PostgreSQL's row-level security (the second wall,
:mod:`schoon.accounts.tenant`). An object of another tree is :class:`NotFound` with the same message as one that
does not exist, and never appears in a list, a count, a page or a report. A principal who may see an object but
not change it gets :class:`Forbidden`.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from schoon.accounts.principal import Principal
from schoon.accounts.service import append_event
from schoon.accounts.tenant import TenantStore
from schoon.audit import dashboard as dashboard_figures
from schoon.audit import lifecycle, reportdata
from schoon.audit.capabilities import CapabilityImport, capabilities_of
from schoon.audit.capabilities import import_capabilities as _import_capabilities
from schoon.audit.devicequery import DeviceFilter, DevicePage, page
from schoon.audit.importer import ImportResult
from schoon.audit.importer import import_snapshot as _import_snapshot
from schoon.audit.lifecycle import Move, make_move
from schoon.audit.reconcile import describe
from schoon.audit.schema import (
    devices,
    discrepancies,
    findings,
    jobs,
    lifecycle_events,
    observations,
    organisations,
    snapshot_files,
    snapshots,
)
from schoon.audit.store import AuditError, Organisation, Site, Store, inherited_deadline, now
from schoon.errors import SchoonError
from schoon.identify import Engine
from schoon.registry import Registry
from schoon.registry.policy import Policy

JOB_STATES = ("queued", "running", "done", "failed")


class NotFound(SchoonError):
    """No such object for this caller: it does not exist, or it belongs to another organisation tree."""


class Forbidden(SchoonError):
    """The caller may see this object but their role does not allow the change."""


def _rows(result: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in result]


class ScopedStore:
    """The store as one principal may see and change it."""

    def __init__(self, store: Store, principal: Principal) -> None:
        self.principal = principal
        self.store = TenantStore.of(store, principal)

    # -- the filter -----------------------------------------------------------------------------------

    def _within(self, column: Any) -> Any:
        """The SQL condition "``column`` is one of the caller's organisations" (for the coordinator, who sees every
        organisation, no condition: a list of every id would only cost time)."""
        if self.principal.is_coordinator:
            return column.is_not(None)
        return column.in_(sorted(self.principal.orgs))

    @property
    def _visible(self) -> Collection[str] | None:
        return None if self.principal.is_coordinator else self.principal.orgs

    def _log(self, action: str, target: str, detail: str | None, org_id: str) -> None:
        """Append a change to the audit log (after it is done; the log is append-only)."""
        with self.store.write() as conn:
            append_event(conn, now(), self.principal, action, target, detail, org_id)

    def _require_edit(self, org_id: str, what: str) -> None:
        if not self.principal.can_read(org_id):
            raise NotFound(what)
        if not self.principal.can_edit(org_id):
            raise Forbidden(f"{self.principal.role} {self.principal.email} may not change {what}")

    def _require_admin(self, org_id: str, what: str) -> None:
        if not self.principal.can_read(org_id):
            raise NotFound(what)
        if not self.principal.can_admin(org_id):
            raise Forbidden(f"{self.principal.role} {self.principal.email} may not administer {what}")

    # -- organisations and sites ----------------------------------------------------------------------

    def orgs(self) -> list[Organisation]:
        """The caller's organisations, by id."""
        with self.store.read() as conn:
            rows = conn.execute(sa.select(organisations).where(self._within(organisations.c.id))
                                .order_by(organisations.c.id)).all()
        return [Organisation(r.id, r.name, r.parent_id, r.deadline) for r in rows]

    def org(self, org_id: str) -> Organisation:
        """One of the caller's organisations (NotFound otherwise)."""
        if not self.principal.can_read(org_id):
            raise NotFound(f"unknown organisation {org_id!r}")
        with self.store.read() as conn:
            row = conn.execute(sa.select(organisations).where(organisations.c.id == org_id)).first()
        if row is None:
            raise NotFound(f"unknown organisation {org_id!r}")
        return Organisation(row.id, row.name, row.parent_id, row.deadline)

    def add_org(self, org_id: str, name: str | None = None, parent: str | None = None,
                deadline: str | None = None) -> Organisation:
        """Add an organisation: the coordinator only (the principal's tree grows with its next sign-in)."""
        if not self.principal.is_coordinator:
            raise Forbidden(f"{self.principal.role} {self.principal.email} may not add organisations")
        if parent is not None:
            self.org(parent)
        added = self.store.add_org(org_id, name, parent, deadline)
        self._log("org.add", added.id, f"parent {parent}" if parent else None, added.id)
        return added

    def deadline_of(self, org_id: str) -> str | None:
        """The replacement deadline of one of the caller's organisations (its own, or inherited)."""
        self.org(org_id)
        return inherited_deadline(self._deadline_rows(), org_id)

    def set_deadline(self, org_id: str, deadline: str | None) -> None:
        """Set an organisation's deadline (its org-admins and the coordinator)."""
        self._require_admin(org_id, f"organisation {org_id!r}")
        self.store.set_deadline(org_id, deadline)
        self._log("org.deadline", org_id, deadline or "none", org_id)

    def sites(self, org_id: str | None = None) -> list[Site]:
        """The caller's sites (of one of its organisations, or all)."""
        if org_id is not None:
            self.org(org_id)
        return [s for s in self.store.sites(org_id) if self.principal.can_read(s.org_id)]

    def site(self, site_id: int) -> Site:
        """One of the caller's sites by id."""
        for s in self.sites():
            if s.id == site_id:
                return s
        raise NotFound(f"unknown site {site_id}")

    def add_site(self, org_id: str, key: str, name: str | None = None, sensitivity: str = "unknown",
                 owner_kind: str = "own", owner_name: str | None = None, address: str | None = None) -> Site:
        """Add a site to one of the caller's organisations (its org-admins and the coordinator)."""
        self._require_admin(org_id, f"organisation {org_id!r}")
        site = self.store.add_site(org_id, key, name, sensitivity, owner_kind, owner_name, address)
        self._log("site.add", site.key, site.name, org_id)
        return site

    # -- devices --------------------------------------------------------------------------------------

    def devices(self, flt: DeviceFilter | None = None, *, sort: str = "id", cursor: str | None = None,
                limit: int = 50) -> DevicePage:
        """One page of the caller's devices matching ``flt`` (see :mod:`schoon.audit.devicequery`)."""
        flt = flt or DeviceFilter()
        if flt.org is not None and not self.principal.can_read(flt.org):
            return DevicePage([], None, 0)  # another tree's organisation holds nothing for this caller
        with self.store.read() as conn:
            return page(conn, flt, self._visible, sort=sort, cursor=cursor, limit=limit)

    def device_rows(self, flt: DeviceFilter | None = None, *, sort: str = "id",
                    batch: int = 1_000) -> Iterator[Mapping[str, Any]]:
        """Every device matching ``flt``, page by page (for exports of exactly what is filtered)."""
        cursor: str | None = None
        while True:
            current = self.devices(flt, sort=sort, cursor=cursor, limit=batch)
            yield from current.items
            if current.next_cursor is None:
                return
            cursor = current.next_cursor

    def device(self, device_id: int) -> dict[str, Any]:
        """One of the caller's devices (NotFound otherwise, with the same message as a device that does not
        exist)."""
        with self.store.read() as conn:
            row = conn.execute(sa.select(devices).where(devices.c.id == int(device_id),
                                                        self._within(devices.c.org_id))).first()
        if row is None:
            raise NotFound(f"unknown device {device_id}")
        return dict(row._mapping)

    def observations(self, device_id: int) -> list[dict[str, Any]]:
        """What each snapshot saw of one device (oldest first), with the snapshot's date."""
        self.device(device_id)
        with self.store.read() as conn:
            rows = conn.execute(sa.select(observations, snapshots.c.taken_on)
                                .join(snapshots, snapshots.c.id == observations.c.snapshot_id)
                                .where(observations.c.device_id == int(device_id))
                                .order_by(snapshots.c.taken_on, observations.c.id))
            out = _rows(rows)
        for row in out:
            row["data"] = json.loads(row["data"])
        return out

    def findings(self, device_id: int) -> list[dict[str, Any]]:
        """The device's finding per snapshot (oldest first), with listings, evidence and basis decoded."""
        self.device(device_id)
        with self.store.read() as conn:
            out = _rows(conn.execute(sa.select(findings, snapshots.c.taken_on)
                                     .join(snapshots, snapshots.c.id == findings.c.snapshot_id)
                                     .where(findings.c.device_id == int(device_id))
                                     .order_by(snapshots.c.taken_on, findings.c.id)))
        for row in out:
            for key in ("listings", "evidence", "basis"):
                row[key] = json.loads(row[key])
        return out

    def lifecycle(self, device_id: int) -> list[dict[str, Any]]:
        """The device's lifecycle events, oldest first."""
        self.device(device_id)
        with self.store.read() as conn:
            return _rows(conn.execute(sa.select(lifecycle_events)
                                      .where(lifecycle_events.c.device_id == int(device_id))
                                      .order_by(lifecycle_events.c.id)))

    def capabilities(self, device_id: int) -> list[dict[str, Any]]:
        """What the device's capability documents (or the registry's model claims) say it can do, with evidence."""
        self.device(device_id)
        with self.store.read() as conn:
            return capabilities_of(conn, int(device_id))

    # -- snapshots and discrepancies ------------------------------------------------------------------

    def snapshots(self, org_id: str | None = None) -> list[dict[str, Any]]:
        """The caller's snapshots in the order they were taken."""
        if org_id is not None:
            self.org(org_id)
        query = sa.select(snapshots).where(self._within(snapshots.c.org_id)).order_by(snapshots.c.taken_on,
                                                                                       snapshots.c.id)
        if org_id is not None:
            query = query.where(snapshots.c.org_id == org_id)
        with self.store.read() as conn:
            return _rows(conn.execute(query))

    def snapshot(self, snapshot_id: int) -> dict[str, Any]:
        """One of the caller's snapshots, with its files."""
        with self.store.read() as conn:
            row = conn.execute(sa.select(snapshots).where(snapshots.c.id == int(snapshot_id),
                                                          self._within(snapshots.c.org_id))).first()
            if row is None:
                raise NotFound(f"unknown snapshot {snapshot_id}")
            out = dict(row._mapping)
            out["files"] = _rows(conn.execute(sa.select(snapshot_files)
                                              .where(snapshot_files.c.snapshot_id == row.id)
                                              .order_by(snapshot_files.c.id)))
        return out

    def discrepancies(self, snapshot_id: int | None = None, language: str = "en") -> list[dict[str, Any]]:
        """Discrepancies of one snapshot, or of each of the caller's organisations' latest snapshot; ``text`` is
        the stored detail in words, in ``language``."""
        with self.store.read() as conn:
            if snapshot_id is not None:
                ids = [int(snapshot_id)] if conn.execute(
                    sa.select(snapshots.c.id).where(snapshots.c.id == int(snapshot_id),
                                                    self._within(snapshots.c.org_id))).first() else []
                if not ids:
                    raise NotFound(f"unknown snapshot {snapshot_id}")
            else:
                latest: dict[str, int] = {}
                for r in conn.execute(sa.select(snapshots.c.id, snapshots.c.org_id)
                                      .where(self._within(snapshots.c.org_id))
                                      .order_by(snapshots.c.taken_on, snapshots.c.id)):
                    latest[r.org_id] = int(r.id)
                ids = sorted(latest.values())
            if not ids:
                return []
            out = _rows(conn.execute(
                sa.select(discrepancies, snapshots.c.org_id, snapshots.c.taken_on)
                .join(snapshots, snapshots.c.id == discrepancies.c.snapshot_id)
                .where(discrepancies.c.snapshot_id.in_(ids), self._within(snapshots.c.org_id))
                .order_by(discrepancies.c.id)))
        for row in out:
            row["text"] = describe(row["detail"], language)
        return out

    # -- changes --------------------------------------------------------------------------------------

    def _device_ref(self, ref: str) -> str:
        """A move's device reference after checking that the caller may change it (an id, or ORG/ASSET)."""
        if ref.isdigit():
            self._require_edit(str(self.device(int(ref))["org_id"]), f"device {ref}")
            return ref
        org_id = ref.partition("/")[0]
        if not self.principal.can_read(org_id):
            raise NotFound(f"unknown device {ref}")
        self._require_edit(org_id, f"device {ref}")
        return ref

    def apply_moves(self, moves: Sequence[Move], today: str | None = None) -> int:
        """Apply lifecycle moves (validated whole, as the CLI does), all on devices the caller may change."""
        checked = [Move(**{**m.__dict__, "device": self._device_ref(m.device), "actor": self.principal.email})
                   for m in moves]
        try:
            applied = lifecycle.apply(self.store, checked, today)
        except AuditError as exc:
            if str(exc).startswith("unknown device"):
                raise NotFound(str(exc).split(" (")[0]) from None
            raise
        with self.store.write() as conn:
            for move in checked:
                org_id = move.device.partition("/")[0] if not move.device.isdigit() else str(
                    conn.execute(sa.select(devices.c.org_id).where(devices.c.id == int(move.device))).scalar())
                append_event(conn, now(), self.principal, f"device.{move.state}", f"device {move.device}",
                             move.on_date or move.reason, org_id)
        return applied

    def move(self, device_id: int, state: str, *, on_date: str | None = None, replaced_by: str | None = None,
             reason: str | None = None, approver: str | None = None, review: str | None = None,
             today: str | None = None) -> dict[str, Any]:
        """One lifecycle move of one device (same checks as ``schoon audit mark``); the device after it."""
        self.apply_moves([make_move(str(device_id), state, on_date, replaced_by, reason, approver, review)], today)
        return self.device(device_id)

    def schedule(self, device_id: int, on_date: str) -> dict[str, Any]:
        """Schedule a flagged device's replacement for ``on_date``."""
        return self.move(device_id, "scheduled", on_date=on_date)

    def replace(self, device_id: int, on_date: str, replaced_by: str | None = None,
                today: str | None = None) -> dict[str, Any]:
        """Record that a flagged device was replaced on ``on_date`` (by what)."""
        return self.move(device_id, "replaced", on_date=on_date, replaced_by=replaced_by, today=today)

    def exempt(self, device_id: int, reason: str, approver: str, review: str) -> dict[str, Any]:
        """Exempt a flagged device, with a reason, an approver and a review date."""
        return self.move(device_id, "exempted", reason=reason, approver=approver, review=review)

    def back_in_use(self, device_id: int) -> dict[str, Any]:
        """Put a device back to in use (undo a schedule, exemption or replacement)."""
        return self.move(device_id, "in_use")

    def import_snapshot(self, engine: Engine, org_id: str, paths: Sequence[str], **options: Any) -> ImportResult:
        """Import files as a snapshot of one of the caller's organisations (editors and org-admins); the
        options are :func:`schoon.audit.importer.import_snapshot`'s."""
        self._require_edit(org_id, f"organisation {org_id!r}")
        result = _import_snapshot(self.store, engine, org_id, paths, **options)
        if not result.already_imported:
            self._log("snapshot.import", f"snapshot {result.snapshot_id}",
                      f"{len(paths)} file(s), {result.records} records, {result.flagged} flagged", org_id)
        return result

    def import_capabilities(self, org_id: str, inputs: Sequence[Path | str], *,
                            snapshot_id: int | None = None) -> CapabilityImport:
        """Import capability documents for one of the caller's organisations (editors and org-admins), see
        :func:`schoon.audit.capabilities.import_capabilities`."""
        self._require_edit(org_id, f"organisation {org_id!r}")
        if snapshot_id is not None:
            self.snapshot(snapshot_id)
        result = _import_capabilities(self.store, org_id, inputs, snapshot_id=snapshot_id)
        self._log("capabilities.import", f"snapshot {result.snapshot_id}",
                  f"{result.documents} document(s), {result.matched} matched", org_id)
        return result

    # -- reports and lists ----------------------------------------------------------------------------

    def report(self, registry: Registry, policy: Policy, *, org_id: str | None = None, as_of: str | None = None,
               language: str = "en") -> dict[str, Any]:
        """Report data (:func:`schoon.audit.reportdata.build`): national for the coordinator when ``org_id`` is
        None; for anyone else, None means their own organisation's tree, never the nation."""
        if org_id is None and not self.principal.is_coordinator:
            org_id = self.principal.org_id
        if org_id is not None:
            self.org(org_id)
        return reportdata.build(self.store, registry, policy, org_id=org_id, as_of=as_of, language=language)

    def dashboard(self, registry: Registry, policy: Policy, *, as_of: str | None = None, language: str = "en",
                  limit: int = dashboard_figures.DEFAULT_LIMIT) -> dashboard_figures.DashboardFigures:
        """The dashboard's figures (:func:`schoon.audit.dashboard.build`): the report's numbers by aggregate
        queries, national for the coordinator, the caller's own organisation's tree for anyone else."""
        org_id = None if self.principal.is_coordinator else self.principal.org_id
        if org_id is not None:
            self.org(org_id)
        return dashboard_figures.build(self.store, registry, policy, org_id=org_id, as_of=as_of, language=language,
                                       limit=limit)

    def _deadline_rows(self) -> dict[str, Any]:
        wanted = sorted(self.principal.orgs | self.principal.ancestors)
        with self.store.read() as conn:
            return {r.id: r for r in conn.execute(sa.select(organisations).where(organisations.c.id.in_(wanted)))}

    def overdue(self, as_of: str | None = None, default_deadline: str | None = None) -> list[dict[str, Any]]:
        """Flagged devices still in use or scheduled after their organisation's deadline (inherited, else
        ``default_deadline``: the policy's), most overdue first."""
        day = as_of or dt.date.today().isoformat()
        orgs = self._deadline_rows()
        deadlines = {o: inherited_deadline(orgs, o) or default_deadline for o in self.principal.orgs}
        late = sorted(o for o, deadline in deadlines.items() if deadline is not None and deadline < day)
        if not late:
            return []
        with self.store.read() as conn:  # only organisations past their deadline: the rows that can be overdue
            rows = _rows(conn.execute(sa.select(devices).where(self._within(devices.c.org_id),
                                                               devices.c.org_id.in_(late),
                                                               devices.c.state.in_(("in_use", "scheduled")))
                                      .order_by(devices.c.id)))
        out = []
        for row in rows:
            deadline = deadlines.get(row["org_id"])
            if lifecycle.overdue(deadline, row["state"], day):
                assert deadline is not None
                row["deadline"] = deadline
                row["days_overdue"] = (dt.date.fromisoformat(day) - dt.date.fromisoformat(deadline)).days
                out.append(row)
        return sorted(out, key=lambda r: (-r["days_overdue"], r["id"]))

    def exemptions_due(self, as_of: str | None = None, within_days: int = 30,
                       limit: int | None = None) -> list[dict[str, Any]]:
        """Exempted devices whose review date is past or within ``within_days``, earliest first (the first
        ``limit`` of them when given; :meth:`exemptions_due_count` counts them all)."""
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
        horizon = (day + dt.timedelta(days=within_days)).isoformat()
        with self.store.read() as conn:
            return _rows(conn.execute(sa.select(devices).where(self._within(devices.c.org_id),
                                                               devices.c.state == "exempted",
                                                               devices.c.exempt_review <= horizon)
                                      .order_by(devices.c.exempt_review, devices.c.id).limit(limit)))

    def exemptions_due_count(self, as_of: str | None = None, within_days: int = 30) -> int:
        """How many exempted devices have a review date past or within ``within_days``."""
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
        horizon = (day + dt.timedelta(days=within_days)).isoformat()
        with self.store.read() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(devices)
                                    .where(self._within(devices.c.org_id), devices.c.state == "exempted",
                                           devices.c.exempt_review <= horizon)).scalar_one())

    # -- background jobs (the web service's uploads) --------------------------------------------------

    def create_job(self, kind: str, org_id: str | None = None) -> str:
        """Register a background job of the caller for one of its organisations (default: the caller's own);
        its id."""
        org = org_id or self.principal.org_id
        self._require_edit(org, f"organisation {org!r}")
        job_id = secrets.token_hex(12)
        with self.store.write() as conn:
            conn.execute(jobs.insert().values(id=job_id, org_id=org, user_id=self.principal.user_id, kind=kind,
                                              state="queued", created_at=now()))
        return job_id

    def update_job(self, job_id: str, *, state: str | None = None, progress: str | None = None,
                   result: Mapping[str, Any] | None = None) -> None:
        """Record a job's progress; ``done`` and ``failed`` also record when it finished."""
        self.job(job_id)
        values: dict[str, Any] = {}
        if state is not None:
            if state not in JOB_STATES:
                raise AuditError(f"job state must be one of {', '.join(JOB_STATES)}: {state!r}")
            values["state"] = state
            if state in ("done", "failed"):
                values["finished_at"] = now()
        if progress is not None:
            values["progress"] = progress
        if result is not None:
            values["result"] = json.dumps(result, ensure_ascii=False, default=str)
        if values:
            with self.store.write() as conn:
                conn.execute(jobs.update().where(jobs.c.id == job_id).values(values))

    def job(self, job_id: str) -> dict[str, Any]:
        """One of the caller's jobs (NotFound for another tree's, like an unknown id), result decoded."""
        with self.store.read() as conn:
            row = conn.execute(sa.select(jobs).where(jobs.c.id == str(job_id), self._within(jobs.c.org_id))).first()
        if row is None:
            raise NotFound(f"unknown job {job_id}")
        out = dict(row._mapping)
        out["result"] = json.loads(out["result"]) if out["result"] else None
        return out

    def jobs(self, limit: int = 100) -> list[dict[str, Any]]:
        """The caller's tree's jobs, newest first."""
        with self.store.read() as conn:
            rows = _rows(conn.execute(sa.select(jobs).where(self._within(jobs.c.org_id))
                                      .order_by(jobs.c.created_at.desc(), jobs.c.id).limit(limit)))
        for row in rows:
            row["result"] = json.loads(row["result"]) if row["result"] else None
        return rows
