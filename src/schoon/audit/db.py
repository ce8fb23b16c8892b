"""Connecting to the store's database: every difference between SQLite and PostgreSQL lives here.

One URL setting (``SCHOON_DB_URL``) picks the database: a SQLite file by default, PostgreSQL by URL
(``postgresql://user:pass@host:port/db``, driven by psycopg 3). Migrations (Alembic) run on open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from schoon.errors import SchoonError

MIGRATIONS = Path(__file__).parent / "migrations"
# How long a writer waits for another writer of the same organisation (PostgreSQL) or of the database
# (SQLite) before giving up with one line; both databases wait the same time.
LOCK_TIMEOUT_S = 60
# SQLite allows 32,766 bound variables per statement; PostgreSQL 65,535. Batches stay well under both.
INSERT_BATCH_ROWS = 2_000
_MIGRATION_LOCK = 0x5C400_0001  # PostgreSQL advisory lock key held while migrating


class StoreError(SchoonError):
    """The database cannot be reached or is not a schoon store."""


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and drive them with psycopg 3; SQLite as given."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the one writer
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: sa.Connection) -> None:
    """Writers take SQLite's write lock when they begin (see :func:`writing`); readers begin deferred."""
    immediate = connection.get_execution_options().get("schoon_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writing(connection: sa.Connection) -> sa.Connection:
    """Mark a connection as a writer before its transaction begins."""
    return connection.execution_options(schoon_write=True)


def lock_org(connection: sa.Connection, org_id: str) -> None:
    """Serialise writers of one organisation until the transaction ends.

    PostgreSQL: a row lock on the organisation (``FOR NO KEY UPDATE``, which does not block other
    organisations, nor rows that merely refer to this one), waiting at most :data:`LOCK_TIMEOUT_S`.
    SQLite: nothing to do, a writer already holds the database's write lock (``BEGIN IMMEDIATE``).
    """
    if is_sqlite(connection.engine):
        return
    from schoon.audit.schema import organisations

    connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(LOCK_TIMEOUT_S * 1000)}ms'")
    try:
        connection.execute(sa.select(organisations.c.id).where(organisations.c.id == org_id)
                           .with_for_update(key_share=True))
    except sa.exc.OperationalError:
        raise StoreError(f"organisation {org_id!r} is being changed by another import or move for more than "
                         f"{LOCK_TIMEOUT_S} s; nothing was written, try again later") from None


def create(url: str) -> Engine:
    """An engine for ``url``; SQLite files get foreign keys, WAL and a busy timeout for concurrent imports."""
    url = normalise_url(url)
    try:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = sa.create_engine(url, connect_args={"timeout": LOCK_TIMEOUT_S})
            sa.event.listen(engine, "connect", _sqlite_pragmas)
            # SQLite's driver opens transactions lazily; make BEGIN explicit and immediate so a writer
            # takes the write lock up front (no deadlock between two importers upgrading their locks).
            sa.event.listen(engine, "connect", lambda conn, _rec: setattr(conn, "isolation_level", None))
            sa.event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = sa.create_engine(url, pool_pre_ping=True)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use database URL {url!r}: {exc}") from None
    return engine


def _alembic_config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema (creates it when empty)."""
    try:
        with engine.begin() as connection:
            if not is_sqlite(engine):  # two first opens at once must not both create the tables
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            command.upgrade(_alembic_config(connection), "head")
    except sa.exc.OperationalError as exc:
        raise StoreError(f"cannot open the database: {exc.orig}") from None


def require_head(engine: Engine) -> None:
    """Refuse a database that is not at the newest schema (for connections that must not migrate)."""
    try:
        found = current_revision(engine)
    except sa.exc.OperationalError as exc:
        raise StoreError(f"cannot open the database: {exc.orig}") from None
    except sa.exc.ProgrammingError as exc:
        raise StoreError(f"cannot read the database's schema revision: {exc.orig}") from None
    if found != head_revision():
        raise StoreError(f"the database is at schema {found or 'none'}, this schoon needs {head_revision()}: "
                         f"upgrade it first as its owner ('schoon audit init --db URL')")


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None when it has none)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest schema revision this version of schoon knows."""
    return str(ScriptDirectory.from_config(_config_without_connection()).get_current_head())


def _config_without_connection() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config
