"""Index findings by (device, snapshot): a device's latest finding is found without scanning the snapshot.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.drop_index("ix_findings_device")
        batch.create_index("ix_findings_device_snapshot", ["device_id", "snapshot_id"])


def downgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.drop_index("ix_findings_device_snapshot")
        batch.create_index("ix_findings_device", ["device_id"])
