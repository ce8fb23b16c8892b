"""The audit store: institutions, sites, devices and snapshots over time, reconciliation and lifecycle."""

from schoon.audit.importer import ImportResult, import_snapshot
from schoon.audit.lifecycle import Move, apply, apply_file, make_move
from schoon.audit.store import AuditError, Organisation, Site, Store

__all__ = ["AuditError", "ImportResult", "Move", "Organisation", "Site", "Store", "apply", "apply_file",
           "import_snapshot", "make_move"]
