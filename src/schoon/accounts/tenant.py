"""The tenant of a database transaction: on PostgreSQL, ``SET LOCAL app.orgs`` for row-level security.

Every transaction that the web service opens for a principal says which organisations it may see
(``app.orgs``: comma-separated ids, or ``*`` for all) and which lie above its own (``app.org_ancestors``, for
inherited deadlines). The policies of migration 0004 read them; a role other than the owner sees no row in a
transaction that sets nothing. On SQLite this is a no-op: the Python scope (:mod:`schoon.accounts.scope`) is
the only wall there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from schoon.accounts.principal import Principal
from schoon.audit.db import StoreError
from schoon.audit.store import Store

ALL = "*"  # app.orgs marker: every organisation (the coordinator; the sign-in step before anyone is known)


def setting_of(principal: Principal) -> tuple[str, str]:
    """The (``app.orgs``, ``app.org_ancestors``) values for a principal."""
    if principal.is_coordinator:
        return ALL, ""
    return ",".join(sorted(principal.orgs)), ",".join(sorted(principal.ancestors))


def set_tenant(connection: sa.Connection, orgs: str, ancestors: str = "") -> None:
    """``SET LOCAL`` the tenant for the rest of the connection's current transaction (PostgreSQL only)."""
    if connection.dialect.name != "postgresql":
        return
    connection.execute(sa.text("SELECT set_config('app.orgs', :orgs, true), "
                               "set_config('app.org_ancestors', :ancestors, true)"),
                       {"orgs": orgs, "ancestors": ancestors})


class TenantStore(Store):
    """A Store whose every transaction carries one tenant: what schoon.audit's functions receive from the web.

    ``schoon.audit`` (importer, lifecycle, report data) opens its transactions through ``store.read()`` and
    ``store.write()``; handing it a TenantStore puts ``SET LOCAL app.orgs`` at the start of each of them.
    """

    def __init__(self, engine: Engine, orgs: str, ancestors: str = "") -> None:
        super().__init__(engine)
        self.tenant_orgs = orgs
        self.tenant_ancestors = ancestors

    @classmethod
    def system(cls, store: Store) -> TenantStore:
        """The store seen by the accounts service itself (sign-in, tokens: before a tenant is known)."""
        return cls(store.engine, ALL)

    @classmethod
    def of(cls, store: Store, principal: Principal) -> TenantStore:
        """The store as ``principal`` sees it."""
        return cls(store.engine, *setting_of(principal))

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One write transaction with the tenant set (see :meth:`Store.write`); a row the tenant may not write,
        or a change to the append-only audit log, is one StoreError line and nothing is written."""
        try:
            with super().write() as connection:
                set_tenant(connection, self.tenant_orgs, self.tenant_ancestors)
                yield connection
        except (sa.exc.ProgrammingError, sa.exc.InternalError) as exc:
            raise StoreError(f"the database refused the change, nothing was written: {_first_line(exc)}") from None

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A read-only transaction with the tenant set (see :meth:`Store.read`)."""
        with super().read() as connection:
            set_tenant(connection, self.tenant_orgs, self.tenant_ancestors)
            yield connection


def _first_line(exc: sa.exc.DBAPIError) -> str:
    text = str(exc.orig).strip()
    return text.splitlines()[0] if text else type(exc.orig).__name__
