"""Index devices by (organisation, state, verdict) and by (state, organisation) for the dashboard.

The dashboard's figures (:mod:`schoon.audit.dashboard`) count devices per organisation, state and verdict and
list the overdue and exempted devices; with these two indexes the counts read the index alone and the lists read
only the devices in that state, instead of every device of the store (measured in docs/performance.md).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_devices_org_state_verdict", "devices", ["org_id", "state", "verdict"])
    op.create_index("ix_devices_state_org", "devices", ["state", "org_id"])


def downgrade() -> None:
    op.drop_index("ix_devices_state_org", table_name="devices")
    op.drop_index("ix_devices_org_state_verdict", table_name="devices")
