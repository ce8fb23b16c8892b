"""Accounts, API tokens, sessions, login throttling, an append-only audit log and background jobs; on PostgreSQL,
row-level security as the second wall between organisation trees.

Row-level security (PostgreSQL only): every tenant table gets ``ENABLE`` and ``FORCE ROW LEVEL SECURITY`` and
one policy, ``schoon_tenant``. A row is visible when its organisation is in ``app.orgs`` (a comma-separated
list of organisation ids that the web service sets with ``SET LOCAL`` in each transaction), or when
``app.orgs`` is ``*`` (the coordinator, and the sign-in step before anyone is known). When ``app.orgs`` is not
set, only the role that ran this migration (the owner: the operator's CLI) sees rows; every other role, such as
the web service's application role (``schoon db app-role``), sees none. ``organisations`` rows are also visible
when listed in ``app.org_ancestors`` (an institution's parents, whose deadlines it inherits). Tables without an
organisation column follow their parent row (a device, a snapshot, a user) through that table's own policy.

``audit_events`` is append-only on both databases: triggers refuse UPDATE and DELETE.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The tenant test: every organisation (``*``, or the owner with no tenant set) or one listed in ``app.orgs``. The
# settings are read in scalar sub-selects, which PostgreSQL evaluates once per statement (an InitPlan), not once
# per row; ``org_id = ANY (...)`` can then use an index.
_VISIBLE = "((SELECT schoon_tenant_all()) OR {column} = ANY ((SELECT schoon_tenant_orgs())::text[]))"

#: tenant table -> policy expression (PostgreSQL)
POLICIES: dict[str, str] = {
    "organisations": _VISIBLE.format(column="id") + " OR id = ANY ((SELECT schoon_tenant_ancestors())::text[])",
    "sites": _VISIBLE.format(column="org_id"),
    "snapshots": _VISIBLE.format(column="org_id"),
    "devices": _VISIBLE.format(column="org_id"),
    "users": _VISIBLE.format(column="org_id"),
    "jobs": _VISIBLE.format(column="org_id"),
    "audit_events": _VISIBLE.format(column="org_id"),
    "snapshot_files": "EXISTS (SELECT 1 FROM snapshots s WHERE s.id = snapshot_id)",
    "procurement_lines": "EXISTS (SELECT 1 FROM snapshots s WHERE s.id = snapshot_id)",
    "discrepancies": "EXISTS (SELECT 1 FROM snapshots s WHERE s.id = snapshot_id)",
    "observations": "EXISTS (SELECT 1 FROM devices d WHERE d.id = device_id)",
    "findings": "EXISTS (SELECT 1 FROM devices d WHERE d.id = device_id)",
    "lifecycle_events": "EXISTS (SELECT 1 FROM devices d WHERE d.id = device_id)",
    "api_tokens": "EXISTS (SELECT 1 FROM users u WHERE u.id = user_id)",
    "sessions": "EXISTS (SELECT 1 FROM users u WHERE u.id = user_id)",
}

_FUNCTIONS = (
    """CREATE OR REPLACE FUNCTION schoon_tenant_all() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT CASE coalesce(current_setting('app.orgs', true), '')
    WHEN '' THEN current_user = {owner}
    WHEN '*' THEN true
    ELSE false
  END
$$""",
    """CREATE OR REPLACE FUNCTION schoon_tenant_orgs() RETURNS text[] LANGUAGE sql STABLE AS $$
  SELECT string_to_array(coalesce(current_setting('app.orgs', true), ''), ',')
$$""",
    """CREATE OR REPLACE FUNCTION schoon_tenant_ancestors() RETURNS text[] LANGUAGE sql STABLE AS $$
  SELECT string_to_array(coalesce(current_setting('app.org_ancestors', true), ''), ',')
$$""",
)
_APPEND_ONLY_PG = """
CREATE OR REPLACE FUNCTION schoon_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("invite_hash", sa.String(length=64), nullable=True),
        sa.Column("invite_expires", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=16), server_default="local", nullable=False),
        sa.Column("disabled", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
        sa.UniqueConstraint("invite_hash"),
    )
    op.create_index("ix_users_org", "users", ["org_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("expires_at", sa.String(length=32), nullable=True),
        sa.Column("revoked_at", sa.String(length=32), nullable=True),
        sa.Column("last_used_at", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("secret_hash"),
    )
    op.create_index("ix_api_tokens_user", "api_tokens", ["user_id"])
    op.create_table(
        "sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("expires_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    op.create_index("ix_sessions_user", "sessions", ["user_id"])
    op.create_table(
        "login_attempts",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failure_at", sa.String(length=32), nullable=False),
        sa.Column("locked_until", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("email"),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.Text(), nullable=True),
        sa.Column("org_id", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_events_org", "audit_events", ["org_id"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Text(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("finished_at", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_jobs_org", "jobs", ["org_id"])
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for operation in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_events_no_{operation.lower()} BEFORE {operation} ON audit_events "
                       f"BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: {operation} refused'); END")
        return
    owner = bind.execute(sa.text("SELECT quote_literal(current_user)")).scalar()
    for function in _FUNCTIONS:
        op.execute(function.replace("{owner}", str(owner)))
    op.execute(_APPEND_ONLY_PG)
    op.execute("CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
               "FOR EACH ROW EXECUTE FUNCTION schoon_append_only()")
    op.execute("CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
               "FOR EACH STATEMENT EXECUTE FUNCTION schoon_append_only()")
    for table, expression in POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY schoon_tenant ON {table} USING ({expression}) WITH CHECK ({expression})")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        for table in POLICIES:
            op.execute(f"DROP POLICY IF EXISTS schoon_tenant ON {table}")
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for table in ("jobs", "audit_events", "login_attempts", "sessions", "api_tokens", "users"):
        op.drop_table(table)
    if bind.dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS schoon_append_only()")
        for function in ("schoon_tenant_all", "schoon_tenant_orgs", "schoon_tenant_ancestors"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
