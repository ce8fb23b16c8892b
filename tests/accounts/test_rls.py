"""PostgreSQL row-level security, the second wall: as the application role, a query that forgets the scope sees
no row of another tree (none at all without a tenant), and the owner's CLI keeps seeing everything."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa

from schoon.accounts.pgroles import RoleSetupError, check_app_role, create_app_role
from schoon.accounts.principal import Principal
from schoon.accounts.scope import NotFound, ScopedStore
from schoon.accounts.service import Accounts
from schoon.accounts.tenant import TenantStore, set_tenant
from schoon.audit import Store
from schoon.audit.db import StoreError, normalise_url
from schoon.audit.schema import audit_events, devices, findings, observations, organisations, snapshots, users
from tests.audit.conftest import PG_URL

TENANT_TABLES = ("devices", "sites", "snapshots", "observations", "findings", "discrepancies", "lifecycle_events",
                 "snapshot_files", "users", "api_tokens", "audit_events", "jobs", "capability_documents",
                 "capability_findings")


def _count(conn: sa.Connection, table: str) -> int:
    return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() or 0)


def test_app_role_without_a_tenant_sees_nothing(app_url: str, two_trees: Store,
                                                people: Callable[[str], Principal]) -> None:
    app = Store.open(app_url, migrate=False)
    try:
        with app.read() as conn:
            assert {t: _count(conn, t) for t in TENANT_TABLES} == dict.fromkeys(TENANT_TABLES, 0)
            assert _count(conn, "organisations") == 0
        with two_trees.read() as conn:  # the owner (the operator's CLI) sees every row
            assert _count(conn, "devices") == len(two_trees.devices()) > 0
    finally:
        app.close()


def test_forgotten_python_filter_still_sees_only_the_tree(app_url: str, two_trees: Store,
                                                          people: Callable[[str], Principal]) -> None:
    """The tenant set, but no WHERE on organisations: the database itself leaves out tree B."""
    app = Store.open(app_url, migrate=False)
    try:
        with app.read() as conn:
            set_tenant(conn, "mvz,dvt")
            orgs = set(conn.execute(sa.select(devices.c.org_id)).scalars())
            assert orgs == {"mvz", "dvt"}
            seen = conn.execute(sa.select(observations.c.device_id)).scalars().all()
            assert seen and all(d in {r["id"] for r in two_trees.devices("mvz") + two_trees.devices("dvt")}
                                for d in seen)
            assert set(conn.execute(sa.select(snapshots.c.org_id)).scalars()) == {"mvz", "dvt"}
            assert set(conn.execute(sa.select(users.c.org_id)).scalars()) == {"mvz", "dvt"}
            assert conn.execute(sa.select(sa.func.count()).select_from(findings)).scalar() == \
                len(two_trees.devices("mvz")) + len(two_trees.devices("dvt"))
            assert set(conn.execute(sa.select(organisations.c.id)).scalars()) == {"mvz", "dvt"}
        with app.read() as conn:  # SET LOCAL ended with the transaction: nothing again
            assert _count(conn, "devices") == 0
        with app.read() as conn:
            set_tenant(conn, "dvt", "mvz")  # an agency: its parent row is readable (inherited deadline)
            assert set(conn.execute(sa.select(devices.c.org_id)).scalars()) == {"dvt"}
            assert set(conn.execute(sa.select(organisations.c.id)).scalars()) == {"dvt", "mvz"}
    finally:
        app.close()


def test_app_role_cannot_write_into_another_tree_or_rewrite_the_log(app_url: str, two_trees: Store,
                                                                   people: Callable[[str], Principal]) -> None:
    app = Store.open(app_url, migrate=False)
    tree_a = TenantStore(app.engine, "mvz,dvt")
    try:
        with pytest.raises(StoreError, match="row-level security"), tree_a.write() as conn:
            conn.execute(audit_events.insert().values(at="x", org_id="mob", action="forged"))
        [device_b] = [d["id"] for d in two_trees.devices("mob")][:1]
        with tree_a.write() as conn:
            changed = conn.execute(devices.update().where(devices.c.id == device_b).values(state="replaced"))
            assert changed.rowcount == 0  # invisible rows cannot be updated
        assert two_trees.device(device_b)["state"] != "replaced"
        with pytest.raises(StoreError, match="permission denied"), TenantStore(app.engine, "*").write() as conn:
            conn.execute(audit_events.delete())
        assert len(Accounts(two_trees).events()) > 0
        with pytest.raises(StoreError, match="append-only"), TenantStore.system(two_trees).write() as conn:
            conn.execute(audit_events.delete())
    finally:
        app.close()


def test_scoped_store_works_as_the_app_role(app_url: str, two_trees: Store,
                                            people: Callable[[str], Principal]) -> None:
    """End to end as the web service runs: accounts and scoped reads and moves through the app role."""
    app = Store.open(app_url, migrate=False)
    try:
        accounts = Accounts(app)
        principal = accounts.authenticate("a_editor@example.org", "tulp fiets lamp negen")
        scoped = ScopedStore(app, principal)
        page = scoped.devices(limit=500)
        assert page.total == len(two_trees.devices("mvz")) + len(two_trees.devices("dvt"))
        flagged = next(d for d in page.items if d["state"] == "in_use")
        assert scoped.schedule(flagged["id"], "2026-12-01")["state"] == "scheduled"
        other = two_trees.devices("mob")[0]["id"]
        with pytest.raises(NotFound):
            scoped.device(other)
        coordinator = ScopedStore(app, accounts.authenticate("coord@example.org", "tulp fiets lamp negen"))
        assert coordinator.devices(limit=500).total == len(two_trees.devices())
        assert scoped.report.__self__ is scoped  # reports go through the same tenant store
        with TenantStore.of(app, principal).read() as conn:
            assert set(conn.execute(sa.select(devices.c.org_id)).scalars()) == {"mvz", "dvt"}
    finally:
        app.close()


def test_unsafe_roles_are_refused(two_trees: Store, db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        with pytest.raises(RoleSetupError, match="PostgreSQL"):
            create_app_role(two_trees.engine, "schoon_app")
        return
    with pytest.raises(RoleSetupError, match="lowercase"):
        create_app_role(two_trees.engine, 'x"; DROP TABLE devices; --')
    superuser, bypass, owner = check_app_role(two_trees.engine, "postgres")
    assert superuser == "role postgres is a superuser: row-level security does not apply to it"
    assert bypass == "role postgres has BYPASSRLS: row-level security does not apply to it"
    assert owner.startswith("role postgres owns ") and owner.endswith(": use a role that owns no table")
    assert {"devices", "users", "audit_events", "organisations"} <= set(owner[len("role postgres owns "):
                                                                              -len(": use a role that owns no table")]
                                                                        .split(", "))
    assert check_app_role(two_trees.engine, "nobody_here") == ["role nobody_here does not exist"]


@pytest.fixture
def owner_url() -> Iterator[str]:
    """A database owned by an ordinary (non-superuser) role, as in production: FORCE applies to that owner."""
    if not PG_URL:
        pytest.skip("no PostgreSQL server: set SCHOON_TEST_PG_URL (make test starts one with "
                    "scripts/pg-test-server.sh)")
    suffix = uuid.uuid4().hex[:10]
    role, database = f"owner_{suffix}", f"t_owner_{suffix}"
    admin = sa.create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD 'owner-secret' NOSUPERUSER NOBYPASSRLS"))
        conn.execute(sa.text(f'CREATE DATABASE "{database}" OWNER "{role}"'))
    rest = PG_URL.partition("@")[2].rsplit("/", 1)[0]
    yield f"postgresql://{role}:owner-secret@{rest}/{database}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(sa.text(f'DROP ROLE IF EXISTS "{role}"'))
    admin.dispose()


def test_force_holds_the_owner_to_a_tenant_it_sets(owner_url: str) -> None:
    """The owner (the operator's CLI) sees every row while it sets no tenant; once a transaction sets one, even
    the owner sees only that tree: FORCE ROW LEVEL SECURITY, tested on a non-superuser owner."""
    store = Store.open(owner_url)
    try:
        store.add_org("mvz")
        store.add_org("mob")
        store.add_site("mvz", "Den Haag")
        store.add_site("mob", "Groningen")
        assert {s.org_id for s in store.sites()} == {"mvz", "mob"}
        with TenantStore(store.engine, "mvz").read() as conn:
            assert set(conn.execute(sa.text("SELECT org_id FROM sites")).scalars()) == {"mvz"}
        with pytest.raises(StoreError, match="row-level security"), TenantStore(store.engine, "mvz").write() as conn:
            conn.execute(sa.text("INSERT INTO sites (org_id, key, name) VALUES ('mob', 'x', 'x')"))
        with store.read() as conn:
            assert conn.execute(sa.text("SELECT relforcerowsecurity FROM pg_class WHERE relname = 'sites'")).scalar()
    finally:
        store.close()


def test_every_tenant_table_has_forced_row_security(two_trees: Store, db_url: str) -> None:
    """A table added later without a policy would be readable across trees by the application role: every table
    but the schema revision and the per-address sign-in counts must have FORCE ROW LEVEL SECURITY and a policy."""
    if not db_url.startswith("postgresql"):
        pytest.skip("row-level security exists on PostgreSQL only (SQLite has the Python scope alone)")
    with two_trees.read() as conn:
        rows = conn.execute(sa.text(
            "SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity AS forced, "
            "EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname) AS policy "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = current_schema()")).all()
    unprotected = sorted(r.relname for r in rows if not (r.forced and r.policy))
    assert unprotected == ["alembic_version", "login_attempts"]
