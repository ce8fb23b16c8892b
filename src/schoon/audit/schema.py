"""The audit store's tables (SQLAlchemy Core). Migrations in ``migrations/`` create exactly these.

    organisations ─┬─ sites ─── devices ─┬─ observations (one per source record per snapshot)
                   │                     ├─ findings (one per device per snapshot)
                   │                     ├─ capability_findings (per device per snapshot: documents, registry)
                   │                     └─ lifecycle_events
                   ├─ snapshots ─┬─ snapshot_files
                   │             ├─ discrepancies
                   │             ├─ capability_documents (capability files, matched to a device or not)
                   │             └─ procurement_lines
                   ├─ users ─┬─ api_tokens          (schoon.accounts; migration 0004)
                   │         └─ sessions
                   └─ jobs                          (the web service's background uploads)
    login_attempts (per email), audit_events (append-only; each entry names its organisation)

Devices carry their current state (latest finding and lifecycle) so reports need no history scans; history
lives in findings, observations and lifecycle events.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

organisations = Table(
    "organisations", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("parent_id", String(64), ForeignKey("organisations.id"), nullable=True),
    Column("deadline", String(10), nullable=True),  # ISO date: flagged devices must be gone by then
    Column("created_at", String(32), nullable=False),
)

sites = Table(
    "sites", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", String(64), ForeignKey("organisations.id"), nullable=False),
    Column("key", String(128), nullable=False),
    Column("name", Text, nullable=False),
    Column("address", Text, nullable=True),
    Column("sensitivity", String(16), nullable=False, server_default="unknown"),  # high | normal | public | unknown
    Column("owner_kind", String(16), nullable=False, server_default="own"),  # own | landlord | contractor
    Column("owner_name", Text, nullable=True),
    UniqueConstraint("org_id", "key", name="uq_sites_org_key"),
)

snapshots = Table(
    "snapshots", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", String(64), ForeignKey("organisations.id"), nullable=False),
    Column("site_id", Integer, ForeignKey("sites.id"), nullable=True),
    Column("taken_on", String(10), nullable=False),
    Column("imported_at", String(32), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("policy_id", String(64), nullable=False),
    Column("registry_version", String(32), nullable=False),
    Column("records", Integer, nullable=False),
    Column("rejects", Integer, nullable=False),
    Column("flagged", Integer, nullable=False),
    Column("replaced", Integer, nullable=False),
    Column("outstanding", Integer, nullable=False),
    Column("note", Text, nullable=True),
    UniqueConstraint("org_id", "content_hash", name="uq_snapshots_org_hash"),
)

snapshot_files = Table(
    "snapshot_files", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # register | scan | procurement
    Column("records", Integer, nullable=False),
    Column("rejects", Integer, nullable=False),
)

devices = Table(
    "devices", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", String(64), ForeignKey("organisations.id"), nullable=False),
    Column("site_id", Integer, ForeignKey("sites.id"), nullable=True),
    Column("mac", String(17), nullable=True),
    Column("serial", String(128), nullable=True),
    Column("ip", String(64), nullable=True),
    Column("asset_id", Text, nullable=True),  # the register's own id (inventory number)
    Column("label", Text, nullable=True),  # declared vendor as registered
    Column("model", Text, nullable=True),
    Column("first_seen", String(10), nullable=False),
    Column("last_seen", String(10), nullable=False),
    Column("last_snapshot_id", Integer, nullable=False),
    Column("sources", Text, nullable=False, server_default=""),  # kinds that saw it in the last snapshot
    Column("manufacturer_id", String(64), nullable=True),
    Column("group_id", String(64), nullable=True),
    Column("brand", Text, nullable=True),
    Column("device_type", String(32), nullable=True),
    Column("confidence", Float, nullable=False, server_default="0"),
    Column("verdict", String(16), nullable=False),
    Column("state", String(16), nullable=True),  # in_use | scheduled | replaced | exempted (flagged devices only)
    Column("state_date", String(10), nullable=True),  # scheduled for / replaced on
    Column("replaced_by", Text, nullable=True),
    Column("exempt_reason", Text, nullable=True),
    Column("exempt_approver", Text, nullable=True),
    Column("exempt_review", String(10), nullable=True),
    Column("replacement_confirmed", Boolean, nullable=False, server_default="0"),
)
# A MAC is one device of an organisation: two concurrent imports cannot store a device twice.
Index("uq_devices_org_mac", devices.c.org_id, devices.c.mac, unique=True)
Index("ix_devices_org_serial", devices.c.org_id, devices.c.serial)
Index("ix_devices_site_ip", devices.c.site_id, devices.c.ip)
Index("ix_devices_org_state_verdict", devices.c.org_id, devices.c.state, devices.c.verdict)  # dashboard counts
Index("ix_devices_state_org", devices.c.state, devices.c.org_id)  # overdue and exempted lists

observations = Table(
    "observations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("device_id", Integer, ForeignKey("devices.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("source", Text, nullable=False),
    Column("row", Integer, nullable=True),
    Column("data", Text, nullable=False),  # JSON: the observation's fields and extra columns
)
Index("ix_observations_device", observations.c.device_id)
Index("ix_observations_snapshot", observations.c.snapshot_id)

findings = Table(
    "findings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("device_id", Integer, ForeignKey("devices.id"), nullable=False),
    Column("manufacturer_id", String(64), nullable=True),
    Column("group_id", String(64), nullable=True),
    Column("brand", Text, nullable=True),
    Column("model", Text, nullable=True),
    Column("device_type", String(32), nullable=True),
    Column("confidence", Float, nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("listings", Text, nullable=False),  # JSON list of list ids
    Column("evidence", Text, nullable=False),  # JSON list of evidence details
    Column("basis", Text, nullable=False),  # JSON list of basis lines
    Column("reason", Text, nullable=False),
    Column("policy_id", String(64), nullable=False),
    Column("registry_version", String(32), nullable=False),
)
Index("ix_findings_device_snapshot", findings.c.device_id, findings.c.snapshot_id)
Index("ix_findings_snapshot", findings.c.snapshot_id)

procurement_lines = Table(
    "procurement_lines", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("source", Text, nullable=False),
    Column("row", Integer, nullable=True),
    Column("supplier", Text, nullable=True),
    Column("label", Text, nullable=True),
    Column("model", Text, nullable=True),
    Column("group_id", String(64), nullable=True),
    Column("verdict", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("data", Text, nullable=False),
)

discrepancies = Table(
    "discrepancies", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("device_id", Integer, ForeignKey("devices.id"), nullable=True),
    Column("kind", String(32), nullable=False),  # label-vs-evidence | not-in-register | not-seen-on-network |
    #                                              replaced-but-seen
    Column("detail", Text, nullable=False),
)

lifecycle_events = Table(
    "lifecycle_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("device_id", Integer, ForeignKey("devices.id"), nullable=False),
    Column("at", String(32), nullable=False),
    Column("from_state", String(16), nullable=True),
    Column("to_state", String(16), nullable=False),
    Column("on_date", String(10), nullable=True),
    Column("detail", Text, nullable=True),
    Column("actor", Text, nullable=True),
)
Index("ix_lifecycle_device", lifecycle_events.c.device_id)

# -- accounts (schoon.accounts): who may see and change which organisations' data -------------------------

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, unique=True),  # lowercased
    Column("org_id", String(64), ForeignKey("organisations.id"), nullable=False),
    Column("role", String(16), nullable=False),  # coordinator | org-admin | editor | viewer
    Column("password_hash", Text, nullable=True),  # argon2id; null: invited, or signs in through OIDC only
    Column("invite_hash", String(64), nullable=True, unique=True),  # SHA-256 of the one-time invitation secret
    Column("invite_expires", String(32), nullable=True),
    Column("source", String(16), nullable=False, server_default="local"),  # local | oidc
    Column("disabled", Boolean, nullable=False, server_default="0"),
    Column("created_at", String(32), nullable=False),
)
Index("ix_users_org", users.c.org_id)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", String(32), primary_key=True),  # shown to users; not a secret
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),  # SHA-256 of the secret
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=True),
    Column("revoked_at", String(32), nullable=True),
    Column("last_used_at", String(32), nullable=True),
)
Index("ix_api_tokens_user", api_tokens.c.user_id)

sessions = Table(
    "sessions", metadata,
    Column("id_hash", String(64), primary_key=True),  # SHA-256 of the cookie value
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
)
Index("ix_sessions_user", sessions.c.user_id)

login_attempts = Table(  # per email, known or not: an unknown address is throttled exactly like a known one
    "login_attempts", metadata,
    Column("email", String(254), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("first_failure_at", String(32), nullable=False),
    Column("locked_until", String(32), nullable=True),
)

audit_events = Table(  # append-only: triggers refuse UPDATE and DELETE (migration 0004)
    "audit_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("user_id", Integer, nullable=True),
    Column("actor", Text, nullable=True),  # the user's email, or null for the operator's CLI
    Column("org_id", String(64), nullable=True),  # whose tree the event belongs to (null: system)
    Column("action", String(64), nullable=False),
    Column("target", Text, nullable=True),
    Column("detail", Text, nullable=True),
)
Index("ix_audit_events_org", audit_events.c.org_id)

jobs = Table(  # background work of the web service (uploads), visible to the organisation's tree
    "jobs", metadata,
    Column("id", String(32), primary_key=True),
    Column("org_id", String(64), ForeignKey("organisations.id"), nullable=False),
    Column("user_id", Integer, nullable=True),
    Column("kind", String(32), nullable=False),
    Column("state", String(16), nullable=False),  # queued | running | done | failed
    Column("progress", Text, nullable=True),
    Column("result", Text, nullable=True),  # JSON
    Column("created_at", String(32), nullable=False),
    Column("finished_at", String(32), nullable=True),
)
Index("ix_jobs_org", jobs.c.org_id)

capability_documents = Table(
    "capability_documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("org_id", String(64), ForeignKey("organisations.id"), nullable=False),
    Column("device_id", Integer, ForeignKey("devices.id"), nullable=True),  # null: matched no device (reported)
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("kind", String(32), nullable=False),  # hik-system-capabilities | ... | dahua-video-analyse-rule
    Column("vendor", String(16), nullable=False),
    Column("link", Text, nullable=False),  # how it was matched to its device, or why it was not
    Column("notes", Text, nullable=False),  # JSON list: recognised fields that prove nothing
    Column("imported_at", String(32), nullable=False),
)
Index("ix_capability_documents_device", capability_documents.c.device_id)
Index("ix_capability_documents_snapshot", capability_documents.c.snapshot_id)

capability_findings = Table(
    "capability_findings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("device_id", Integer, ForeignKey("devices.id"), nullable=False),
    Column("document_id", Integer, ForeignKey("capability_documents.id", ondelete="CASCADE"), nullable=True),
    Column("capability", String(32), nullable=False),  # face-detection | face-recognition | people-attributes |
    #                                                    ethnicity-or-skin-colour | crowd-counting
    Column("origin", String(16), nullable=False),  # document | registry
    Column("document", Text, nullable=False),  # the file, or "registry"
    Column("field", Text, nullable=False),  # the field path, or the registry's model pattern
    Column("value", Text, nullable=False),
    Column("line", Integer, nullable=True),
    Column("meaning", Text, nullable=False),
    Column("source", Text, nullable=False),  # where the field's meaning (or the model claim) comes from
    Column("verified", Boolean, nullable=False),
)
Index("ix_capability_findings_device_snapshot", capability_findings.c.device_id, capability_findings.c.snapshot_id)
Index("ix_capability_findings_document", capability_findings.c.document_id)
