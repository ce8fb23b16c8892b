"""Reconciliation: where registers, scans and earlier decisions disagree, record a discrepancy.

Each rule is a small documented function; its docstring is what reports say about the kind. A discrepancy's
detail is stored as a code and its parameters (``{"code": "label-vs-evidence", "label": "Axis", "maker": ...}``,
see ``schoon.report.phrases``), never as an English sentence, so each report writes it in its own language;
``describe`` writes a stored detail (or the plain text of rows stored before) in Dutch or English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from schoon.audit.identity import Candidate
from schoon.audit.schema import devices, lifecycle_events
from schoon.audit.store import now
from schoon.identify import Finding
from schoon.identify.labels import label_discrepancy
from schoon.report.phrases import decode, encode, say


@dataclass(frozen=True)
class Discrepancy:
    """One disagreement found by an import: its kind, the device, and the detail as code and parameters."""

    kind: str
    device_id: int | None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def detail(self) -> str:
        """The stored form of the detail: JSON of the code (the kind) and its parameters."""
        return encode(self.kind, **self.params)

    def text(self, lang: str = "en") -> str:
        """The detail in words, in ``lang``."""
        return say(self.kind, self.params, lang)


#: Plain-text details as stored before details became codes, read back into code and parameters.
LEGACY: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("label-vs-evidence", re.compile(r"^the label says '(?P<label>.*)' but the evidence says (?P<maker>.+)$")),
    ("replaced-but-seen", re.compile(r"^marked replaced on (?P<date>\S+) but still seen \((?P<kinds>[^)]*)\)$")),
    ("not-seen-on-network", re.compile(r"^register entry (?P<entry>.+?) \((?P<label>.*)\) was not seen by the scan "
                                       r"of its site$")),
    ("not-in-register", re.compile(r"^(?P<where>[^:]+(?::[^:\s]+)*): .*, but the register has no such device$")),
)


def describe(detail: str, lang: str = "en") -> str:
    """A stored discrepancy detail in words, in ``lang``; old plain-text rows are read back where they can be,
    else shown as they were stored."""
    decoded = decode(detail)
    if decoded is not None:
        return say(decoded[0], decoded[1], lang)
    for code, pattern in LEGACY:
        match = pattern.match(detail)
        if match is not None:
            params: dict[str, Any] = dict(match.groupdict())
            if code == "replaced-but-seen":
                params["kinds"] = [k.strip() for k in str(params["kinds"]).split(",") if k.strip()]
            if code == "not-seen-on-network" and params.get("label") == "no label":
                params["label"] = say("no-label", {}, lang)
            if code == "not-in-register":
                params["maker"] = say("unknown-maker", {}, lang)
            return say(code, params, lang)
    return detail


@dataclass
class Reconciled:
    discrepancies: list[Discrepancy] = field(default_factory=list)
    confirmed_replaced: int = 0


def label_vs_evidence(device_id: int, candidate: Candidate, finding: Finding) -> Discrepancy | None:
    """The register names one maker, the evidence another (declared "Axis", evidence Hikvision)."""
    if "register" not in candidate.kinds():
        return None
    found = label_discrepancy(finding.identification)  # judged in identify: own short names, relabels
    if found is None:
        return None
    label = candidate.first("declared_vendor") or found.label
    return Discrepancy("label-vs-evidence", device_id, {"label": label, "maker": found.maker})


def not_in_register(device_id: int, candidate: Candidate, finding: Finding) -> Discrepancy | None:
    """A flagged device on the network that no register line describes."""
    if candidate.kinds() == {"scan"} and finding.verdict == "flagged":
        ident = finding.identification
        where = ident.observation.ip or ident.observation.mac or "?"
        return Discrepancy("not-in-register", device_id, {"where": where, "maker": ident.manufacturer})
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
                "replaced-but-seen", device_id, {"date": old.state_date, "kinds": sorted(candidate.kinds())}))
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
                                     {"entry": candidate.first("id") or str(device_id), "label": label or None}))
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
