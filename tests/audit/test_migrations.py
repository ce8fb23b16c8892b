"""The migrations create exactly the tables the code declares (no drift between schema.py and versions/)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from schoon.audit import Store
from schoon.audit.schema import metadata


def test_no_drift(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
