"""Alembic environment: schoon runs migrations itself (``schoon.audit.db.upgrade``), on the connection it passes."""

from __future__ import annotations

from alembic import context

from schoon.audit.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic command by hand
    raise RuntimeError("run migrations through schoon (schoon audit init), which passes a connection")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
