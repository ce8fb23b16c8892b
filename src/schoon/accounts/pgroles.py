"""PostgreSQL: the web service's application role, to which row-level security applies.

Row-level security (migration 0004) is a wall only for a role that is neither superuser, nor ``BYPASSRLS``, nor
the tables' owner. The owner (who runs migrations and the operator's CLI) creates that role once per database
with :func:`create_app_role` (``schoon db app-role NAME``), and again after each upgrade (new tables need
grants); the web service then connects as it. The role may read and write the data tables but may not change
the schema, update or delete the audit log, or move the schema revision.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from schoon.errors import SchoonError

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
APPEND_ONLY = ("audit_events",)
READ_ONLY = ("alembic_version",)


class RoleSetupError(SchoonError):
    """The application role cannot be made or is not safe (superuser, BYPASSRLS, owner)."""


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise RoleSetupError(f"a role name is lowercase letters, digits and '_' (at most 63): {name!r}")
    return name


def create_app_role(engine: Engine, name: str, password: str | None = None) -> list[str]:
    """Create (or update) the login role ``name`` for the web service and grant it the data tables; run as the
    database owner. Returns what was done, one line each."""
    if engine.dialect.name != "postgresql":
        raise RoleSetupError("an application role is for PostgreSQL; on SQLite the web service's own scope "
                             "is the only wall")
    _check_name(name)
    done: list[str] = []
    with engine.begin() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first()
        secret = "" if password is None else \
            " PASSWORD " + str(conn.execute(sa.text("SELECT quote_literal(:p)"), {"p": password}).scalar())
        options = "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT" + secret
        if exists:
            conn.execute(sa.text(f'ALTER ROLE "{name}" WITH {options}'))
            done.append(f"role {name} updated")
        else:
            conn.execute(sa.text(f'CREATE ROLE "{name}" WITH {options}'))
            done.append(f"role {name} created")
        database = conn.execute(sa.text("SELECT current_database()")).scalar()
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar()
        conn.execute(sa.text(f'GRANT CONNECT ON DATABASE "{database}" TO "{name}"'))
        conn.execute(sa.text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{name}"'))
        conn.execute(sa.text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{name}"'))
        conn.execute(sa.text(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{name}"'))
        for table in APPEND_ONLY:
            conn.execute(sa.text(f'REVOKE UPDATE, DELETE, TRUNCATE ON "{table}" FROM "{name}"'))
        for table in READ_ONLY:
            conn.execute(sa.text(f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "{table}" FROM "{name}"'))
        done.append(f"granted {name} the data tables of {database} (audit log: insert and read only)")
    problems = check_app_role(engine, name)
    if problems:
        raise RoleSetupError("; ".join(problems))
    return done


def check_app_role(engine: Engine, name: str) -> list[str]:
    """Why ``name`` would bypass row-level security (superuser, BYPASSRLS, owner of a table); empty when safe."""
    _check_name(name)
    with engine.connect() as conn:
        role = conn.execute(sa.text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :n"),
                            {"n": name}).first()
        if role is None:
            return [f"role {name} does not exist"]
        owned = conn.execute(sa.text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                                     "AND tableowner = :n ORDER BY tablename"), {"n": name}).scalars().all()
    problems = []
    if role.rolsuper:
        problems.append(f"role {name} is a superuser: row-level security does not apply to it")
    if role.rolbypassrls:
        problems.append(f"role {name} has BYPASSRLS: row-level security does not apply to it")
    if owned:
        problems.append(f"role {name} owns {', '.join(owned)}: use a role that owns no table")
    return problems
