"""Capability documents and capability findings per device and snapshot.

``capability_documents`` holds every capability document imported (``schoon audit capabilities``), matched to a
device or not (a document that matches no device is kept with ``device_id`` null, so it is reported, not lost);
``capability_findings`` holds what each document (``origin = document``) or the registry's sourced model claims
(``origin = registry``, recorded on every import) say a device can do. Existing stores get empty tables: registry
findings appear for a device with its next import.

On PostgreSQL both tables get the row-level security of revision 0004 (``FORCE``, one ``schoon_tenant`` policy):
a document is visible in its organisation's tree, a finding with its device.

Revision ID: 0005
Revises: 0004 (written on 0003, re-chained onto 0004 when the accounts tables were merged)
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


#: table -> row-level security policy (PostgreSQL), as revision 0004 writes them
POLICIES: dict[str, str] = {
    "capability_documents": "((SELECT schoon_tenant_all()) OR org_id = ANY ((SELECT schoon_tenant_orgs())::text[]))",
    "capability_findings": "EXISTS (SELECT 1 FROM devices d WHERE d.id = device_id)",
}


def upgrade() -> None:
    op.create_table(
        "capability_documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
        sa.Column("org_id", sa.String(64), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("device_id", sa.Integer, sa.ForeignKey("devices.id"), nullable=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("vendor", sa.String(16), nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("imported_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_capability_documents_device", "capability_documents", ["device_id"])
    op.create_index("ix_capability_documents_snapshot", "capability_documents", ["snapshot_id"])
    op.create_table(
        "capability_findings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
        sa.Column("device_id", sa.Integer, sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("capability_documents.id", ondelete="CASCADE"),
                  nullable=True),
        sa.Column("capability", sa.String(32), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("line", sa.Integer, nullable=True),
        sa.Column("meaning", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("verified", sa.Boolean, nullable=False),
    )
    op.create_index("ix_capability_findings_device_snapshot", "capability_findings", ["device_id", "snapshot_id"])
    op.create_index("ix_capability_findings_document", "capability_findings", ["document_id"])
    if op.get_bind().dialect.name == "postgresql":
        for table, expression in POLICIES.items():
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY schoon_tenant ON {table} USING ({expression}) WITH CHECK ({expression})")


def downgrade() -> None:
    op.drop_table("capability_findings")
    op.drop_table("capability_documents")
