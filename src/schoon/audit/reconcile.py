"""Reconciliation: where registers, scans and earlier decisions disagree, record a discrepancy.

Each rule is a small documented function; its docstring is what reports say about the kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from schoon.audit.identity import Candidate
from schoon.audit.schema import devices, lifecycle_events
from schoon.audit.store import now
from schoon.identify import Finding


@dataclass(frozen=True)
class Discrepancy:
    """One disagreement found by an import."""

    kind: str
    device_id: int | None
    detail: str


@dataclass
class Reconciled:
    discrepancies: list[Discrepancy] = field(default_factory=list)
    confirmed_replaced: int = 0


def label_vs_evidence(device_id: int, candidate: Candidate, finding: Finding) -> Discrepancy | None:
    """The register names one maker, the evidence another (declared "Axis", evidence Hikvision)."""
    if "register" not in candidate.kinds():
        return None
    for conflict in finding.identification.conflicts:
        if conflict.startswith("the label says"):
            return Discrepancy("label-vs-evidence", device_id, conflict)
    return None


def not_in_register(device_id: int, candidate: Candidate, finding: Finding) -> Discrepancy | None:
    """A flagged device on the network that no register line describes."""
    if candidate.kinds() == {"scan"} and finding.verdict == "flagged":
        ident = finding.identification
        where = ident.observation.ip or ident.observation.mac or "?"
        return Discrepancy("not-in-register", device_id,
                           f"{where}: {finding.reason}, but the register has no such device")
    return None


RULES: tuple[Callable[[int, Candidate, Finding], Discrepancy | None], ...] = (label_vs_evidence, not_in_register)


def reconcile(conn: sa.Connection, org_id: str, snapshot_id: int, seen: dict[int, tuple[Candidate, Finding]],
              previous: dict[int, Any], kinds: set[str], scanned_sites: set[int | None]) -> Reconciled:
    """Apply every rule to the devices of one import, and check replacements against what the scan saw."""
    out = Reconciled()
    both = {"register", "scan"} <= kinds
    for device_id, (candidate, finding) in seen.items():
        for rule in RULES:
            if rule is not_in_register and not both:
                continue
            found = rule(device_id, candidate, finding)
            if found is not None:
                out.discrepancies.append(found)
        old = previous.get(device_id)
        if old is not None and old.state == "replaced":
            out.discrepancies.append(Discrepancy(
                "replaced-but-seen", device_id,
                f"marked replaced on {old.state_date} but still seen ({', '.join(sorted(candidate.kinds()))})"))
    if both:
        out.discrepancies += _not_seen_on_network(conn, org_id, seen, scanned_sites)
    if "scan" in kinds:
        out.confirmed_replaced = _confirm_replacements(conn, org_id, set(seen), scanned_sites)
    return out


def _not_seen_on_network(conn: sa.Connection, org_id: str, seen: dict[int, tuple[Candidate, Finding]],
                         scanned_sites: set[int | None]) -> list[Discrepancy]:
    """A networked register entry (with an IP or MAC) at a scanned site that the scan did not see."""
    found = []
    for device_id, (candidate, _finding) in seen.items():
        if candidate.kinds() != {"register"} or candidate.site_id not in scanned_sites:
            continue
        if candidate.first("ip") or candidate.first("mac"):
            label = " ".join(x for x in (candidate.first("declared_vendor"), candidate.first("model")) if x)
            found.append(Discrepancy("not-seen-on-network", device_id,
                                     f"register entry {candidate.first('id') or device_id} ({label or 'no label'}) "
                                     "was not seen by the scan of its site"))
    return found


def _confirm_replacements(conn: sa.Connection, org_id: str, seen: set[int], scanned_sites: set[int | None]) -> int:
    """A device marked replaced that a scan of its site no longer sees: the replacement is confirmed."""
    rows = conn.execute(sa.select(devices.c.id, devices.c.site_id).where(
        devices.c.org_id == org_id, devices.c.state == "replaced", devices.c.replacement_confirmed.is_(False))).all()
    confirmed = [r.id for r in rows if r.id not in seen and r.site_id in scanned_sites]
    if confirmed:
        conn.execute(devices.update().where(devices.c.id.in_(confirmed)).values(replacement_confirmed=True))
        at = now()
        conn.execute(lifecycle_events.insert(), [
            {"device_id": i, "at": at, "from_state": "replaced", "to_state": "replaced", "on_date": None,
             "detail": "replacement confirmed: a scan of the site no longer sees the device", "actor": "import"}
            for i in confirmed])
    return len(confirmed)
