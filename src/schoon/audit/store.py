"""The audit store: organisations, sites, snapshots, devices and their history in one database.

Open one with :meth:`Store.open` (default URL from the ``SCHOON_DB_URL`` setting); the schema is created or
upgraded on open. Every write is one transaction: an import, a lifecycle move or a bulk of moves either
happens whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from schoon import settings
from schoon.audit import db
from schoon.audit.schema import devices, organisations, sites, snapshots
from schoon.errors import SchoonError
from schoon.slug import is_ascii_slug, slug

SENSITIVITIES = ("high", "normal", "public", "unknown")
OWNER_KINDS = ("own", "landlord", "contractor")


class AuditError(SchoonError):
    """A request the store refuses: unknown ids, bad dates, moves that make no sense."""


def site_key(name: str) -> str:
    """The key of a site name (:func:`schoon.slug.slug`: every script kept, so different names never merge)."""
    key = slug(name)
    if not key:
        raise AuditError(f"a site needs a name: {name!r}")
    return key


def parse_date(text: str | None, what: str) -> str | None:
    """An ISO date (YYYY-MM-DD) or None; anything else is a one-line AuditError naming ``what``."""
    if text is None or text == "":
        return None
    try:
        return dt.date.fromisoformat(str(text).strip()).isoformat()
    except ValueError:
        raise AuditError(f"{what}: not a date (YYYY-MM-DD): {text!r}") from None


def now() -> str:
    """The current UTC time as an ISO string (seconds)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    parent_id: str | None
    deadline: str | None


@dataclass(frozen=True)
class Site:
    id: int
    org_id: str
    key: str
    name: str
    sensitivity: str
    owner_kind: str
    owner_name: str | None
    address: str | None


class Store:
    """A schoon audit database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True) -> Store:
        """Open (and create or upgrade) the store at ``url`` (default: the ``db_url`` setting).

        ``migrate=False`` is for a role that may not change the schema (the web service's application role on
        PostgreSQL): the store must already be at the newest schema, else one StoreError line says so.
        """
        engine = db.create(url or settings.get("db_url"))
        try:
            if migrate:
                db.upgrade(engine)
            else:
                db.require_head(engine)
        except BaseException:
            engine.dispose()  # no connection outlives a store that did not open
            raise
        return cls(engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One write transaction: committed if the block ends normally, rolled back otherwise.

        A database that is locked too long by another writer, or goes away, is one StoreError line.
        """
        try:
            with self.engine.connect() as connection:
                connection = db.writing(connection)
                with connection.begin():
                    yield connection
        except sa.exc.OperationalError as exc:
            raise db.StoreError(f"the database refused the change, nothing was written: {exc.orig}") from None
        except sa.exc.IntegrityError as exc:  # a constraint caught what the locks should have prevented
            first = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
            raise db.StoreError(f"a concurrent change conflicts with this one, nothing was written: {first}"
                                ) from None

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A read-only connection."""
        try:
            with self.engine.connect() as connection:
                yield connection
        except sa.exc.OperationalError as exc:
            raise db.StoreError(f"cannot read the database: {exc.orig}") from None

    # -- organisations --------------------------------------------------------------------------------

    def add_org(self, org_id: str, name: str | None = None, parent: str | None = None,
                deadline: str | None = None) -> Organisation:
        """Create an organisation (a ministry, an agency under it, ...)."""
        org_id = org_id.strip()
        if not is_ascii_slug(org_id):
            raise AuditError(f"organisation id must be a lowercase slug (a-z, 0-9, '-'): {org_id!r}")
        deadline = parse_date(deadline, "deadline")
        try:
            with self.write() as conn:
                if conn.execute(sa.select(organisations.c.id).where(organisations.c.id == org_id)).first():
                    raise AuditError(f"organisation {org_id!r} exists already")
                if parent is not None and not conn.execute(
                        sa.select(organisations.c.id).where(organisations.c.id == parent)).first():
                    raise AuditError(f"unknown parent organisation {parent!r}")
                conn.execute(organisations.insert().values(id=org_id, name=name or org_id, parent_id=parent,
                                                           deadline=deadline, created_at=now()))
        except db.StoreError:
            if any(o.id == org_id for o in self.orgs()):  # added by someone else at the same moment
                raise AuditError(f"organisation {org_id!r} exists already") from None
            raise
        return Organisation(org_id, name or org_id, parent, deadline)

    def ensure_org(self, org_id: str) -> Organisation:
        """The organisation ``org_id``, created with defaults if missing (safe when others do it at once)."""
        try:
            return self.org(org_id)
        except AuditError:
            pass
        try:
            return self.add_org(org_id)
        except AuditError:
            if any(o.id == org_id for o in self.orgs()):
                return self.org(org_id)
            raise

    def set_deadline(self, org_id: str, deadline: str | None) -> None:
        """Set (or clear) an organisation's replacement deadline."""
        self.org(org_id)
        with self.write() as conn:
            conn.execute(organisations.update().where(organisations.c.id == org_id)
                         .values(deadline=parse_date(deadline, "deadline")))

    def org(self, org_id: str) -> Organisation:
        """An organisation by id."""
        with self.read() as conn:
            row = conn.execute(sa.select(organisations).where(organisations.c.id == org_id)).first()
        if row is None:
            raise AuditError(f"unknown organisation {org_id!r} (add it with 'schoon audit org add')")
        return Organisation(row.id, row.name, row.parent_id, row.deadline)

    def orgs(self) -> list[Organisation]:
        """All organisations, by id."""
        with self.read() as conn:
            rows = conn.execute(sa.select(organisations).order_by(organisations.c.id)).all()
        return [Organisation(r.id, r.name, r.parent_id, r.deadline) for r in rows]

    def deadline_of(self, org_id: str) -> str | None:
        """The organisation's deadline, or its nearest parent's."""
        self.org(org_id)
        return inherited_deadline({o.id: o for o in self.orgs()}, org_id)

    # -- sites ----------------------------------------------------------------------------------------

    def add_site(self, org_id: str, key: str, name: str | None = None, sensitivity: str = "unknown",
                 owner_kind: str = "own", owner_name: str | None = None, address: str | None = None) -> Site:
        """Add a site to an organisation; sensitivity high | normal | public | unknown."""
        self.org(org_id)
        if sensitivity not in SENSITIVITIES:
            raise AuditError(f"sensitivity must be one of {', '.join(SENSITIVITIES)}: {sensitivity!r}")
        if owner_kind not in OWNER_KINDS:
            raise AuditError(f"owner kind must be one of {', '.join(OWNER_KINDS)}: {owner_kind!r}")
        key = site_key(key)
        with self.write() as conn:
            if self._site_row(conn, org_id, key) is not None:
                raise AuditError(f"site {key!r} of {org_id!r} exists already")
            conn.execute(sites.insert().values(org_id=org_id, key=key, name=name or key, sensitivity=sensitivity,
                                               owner_kind=owner_kind, owner_name=owner_name, address=address))
        return self.site(org_id, key)

    def ensure_site(self, conn: sa.Connection, org_id: str, name: str) -> int:
        """The id of the organisation's site named ``name`` (by key), created with defaults if missing."""
        key = site_key(name)
        row = self._site_row(conn, org_id, key)
        if row is not None:
            return int(row.id)
        result = conn.execute(sites.insert().values(org_id=org_id, key=key, name=name))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    @staticmethod
    def _site_row(conn: sa.Connection, org_id: str, key: str) -> Any:
        return conn.execute(sa.select(sites).where(sites.c.org_id == org_id, sites.c.key == key)).first()

    def site(self, org_id: str, key: str) -> Site:
        """A site by organisation and key."""
        with self.read() as conn:
            row = self._site_row(conn, org_id, site_key(key))
        if row is None:
            raise AuditError(f"unknown site {key!r} of {org_id!r}")
        return _site(row)

    def sites(self, org_id: str | None = None) -> list[Site]:
        """Sites, of one organisation or all."""
        query = sa.select(sites).order_by(sites.c.org_id, sites.c.key)
        if org_id is not None:
            query = query.where(sites.c.org_id == org_id)
        with self.read() as conn:
            return [_site(r) for r in conn.execute(query).all()]

    # -- devices and snapshots (reads) ----------------------------------------------------------------

    def device(self, device_id: int) -> Mapping[str, Any]:
        """One device's current record."""
        with self.read() as conn:
            row = conn.execute(sa.select(devices).where(devices.c.id == device_id)).first()
        if row is None:
            raise AuditError(f"unknown device {device_id} (see 'schoon audit devices')")
        return dict(row._mapping)

    def devices(self, org_id: str | None = None, verdict: str | None = None,
                state: str | None = None) -> list[Mapping[str, Any]]:
        """Devices with their current state, optionally filtered."""
        query = sa.select(devices).order_by(devices.c.id)
        if org_id is not None:
            query = query.where(devices.c.org_id == org_id)
        if verdict is not None:
            query = query.where(devices.c.verdict == verdict)
        if state is not None:
            query = query.where(devices.c.state == state)
        with self.read() as conn:
            return [dict(r._mapping) for r in conn.execute(query).all()]

    def snapshots(self, org_id: str | None = None) -> list[Mapping[str, Any]]:
        """Snapshots in the order they were taken."""
        query = sa.select(snapshots).order_by(snapshots.c.taken_on, snapshots.c.id)
        if org_id is not None:
            query = query.where(snapshots.c.org_id == org_id)
        with self.read() as conn:
            return [dict(r._mapping) for r in conn.execute(query).all()]


def inherited_deadline(orgs: Mapping[str, Any], org_id: str) -> str | None:
    """The deadline of ``org_id`` or of its nearest parent that has one (``orgs``: id → row with ``deadline``
    and ``parent_id``)."""
    seen: set[str] = set()
    current: str | None = org_id
    while current is not None and current not in seen and current in orgs:
        seen.add(current)
        if orgs[current].deadline:
            return str(orgs[current].deadline)
        current = orgs[current].parent_id
    return None


def _site(row: Any) -> Site:
    return Site(row.id, row.org_id, row.key, row.name, row.sensitivity, row.owner_kind, row.owner_name, row.address)
