"""What a report says, computed from the store: the national answer and the per-institution report.

The result is the plain dictionary that :class:`schoon.report.model.ReportData` reads; every count is
computed here, so all renderers show the same figures.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from schoon.audit.lifecycle import overdue
from schoon.audit.schema import devices, discrepancies, findings, observations, organisations, sites, snapshots
from schoon.audit.store import Store, inherited_deadline, now
from schoon.registry import Registry
from schoon.registry.policy import Policy

OUTSTANDING = ("in_use", "scheduled", "exempted")
APPENDIX_LIMIT = 5_000

CAVEATS = {
    "en": [
        "Counts are devices found in the registers and network scans the institutions supplied; equipment that "
        "neither a register nor a scan shows is not counted.",
        "A device counts as flagged when its maker is identified with confidence of at least 0.5 and the policy "
        "covers that maker; {unknown} devices could not be identified with that confidence and may include "
        "relabelled equipment.",
        "Makers are judged under policy '{policy}' with registry version {version}; listings and evidence are "
        "dated and sourced in the registry.",
        "A replacement counts as confirmed only when a later scan of its site no longer sees the device.",
    ],
    "nl": [
        "De aantallen zijn apparaten uit de registers en netwerkscans die de instellingen aanleverden; apparatuur "
        "die in geen register of scan voorkomt, is niet meegeteld.",
        "Een apparaat telt als gemarkeerd als de fabrikant met een zekerheid van minstens 0,5 is vastgesteld en "
        "het beleid die fabrikant omvat; {unknown} apparaten konden niet met die zekerheid worden vastgesteld en "
        "kunnen omgelabelde apparatuur bevatten.",
        "Fabrikanten zijn beoordeeld volgens beleid '{policy}' met registerversie {version}; vermeldingen en "
        "bewijs staan met datum en bron in het register.",
        "Een vervanging geldt pas als bevestigd wanneer een latere scan van de locatie het apparaat niet meer ziet.",
    ],
}
TITLES = {
    ("national", "en"): "Equipment from companies implicated in human-rights abuses in government institutions",
    ("national", "nl"): "Apparatuur van bedrijven betrokken bij mensenrechtenschendingen bij overheidsinstellingen",
    ("institution", "en"): "{org}: equipment from companies implicated in human-rights abuses",
    ("institution", "nl"): "{org}: apparatuur van bedrijven betrokken bij mensenrechtenschendingen",
}


def _descendants(conn: sa.Connection, org_id: str) -> list[str]:
    rows = conn.execute(sa.select(organisations.c.id, organisations.c.parent_id)).all()
    children: dict[str | None, list[str]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row.id)
    out, frontier = [org_id], [org_id]
    while frontier:
        for child in children.get(frontier.pop(), []):
            out.append(child)
            frontier.append(child)
    return out


def build(store: Store, registry: Registry, policy: Policy, *, org_id: str | None = None,
          as_of: str | None = None, language: str = "en") -> dict[str, Any]:
    """The report data: national when ``org_id`` is None, else for that institution and its agencies."""
    day = as_of or dt.date.today().isoformat()
    with store.read() as conn:
        orgs = {r.id: r for r in conn.execute(sa.select(organisations)).all()}
        scope = _descendants(conn, org_id) if org_id is not None else sorted(orgs)
        site_rows = {r.id: r for r in conn.execute(sa.select(sites).where(sites.c.org_id.in_(scope))).all()}
        device_rows = conn.execute(sa.select(devices).where(devices.c.org_id.in_(scope))
                                   .order_by(devices.c.id)).all()
        snapshot_rows = list(conn.execute(sa.select(snapshots).where(snapshots.c.org_id.in_(scope))
                                     .order_by(snapshots.c.taken_on, snapshots.c.id)).all())
        latest = _latest_findings(conn, scope)
        found = _latest_discrepancies(conn, snapshot_rows)
        appendix_ids = [d.id for d in device_rows if d.verdict != "clear"][:APPENDIX_LIMIT] if org_id else []
        sources = _sources(conn, appendix_ids)
    deadlines = {o: inherited_deadline(orgs, o) or policy.deadline for o in scope}
    kind = "institution" if org_id else "national"
    title_org = orgs[org_id].name if org_id else ""
    unknown = sum(1 for d in device_rows if d.verdict == "unknown")
    group_name = {g: registry.group_names.get(g, g) for g in registry.groups()}

    def site_of(d: Any) -> Any:
        return site_rows.get(d.site_id)

    def is_overdue(d: Any) -> bool:
        return overdue(deadlines.get(d.org_id), d.state, day)

    outstanding = [d for d in device_rows if d.state in OUTSTANDING]
    data: dict[str, Any] = {
        "kind": kind, "language": language,
        "title": TITLES[(kind, language)].format(org=title_org),
        "subtitle": None, "generated_at": now(), "as_of": day,
        "policy": {"id": policy.id, "title": policy.title, "description": policy.description},
        "registry_version": registry.version,
        "scope": {"organisations": [orgs[o].name for o in scope], "sites": len(site_rows),
                  "snapshots": len(snapshot_rows),
                  "first_snapshot": snapshot_rows[0].taken_on if snapshot_rows else None,
                  "last_snapshot": snapshot_rows[-1].taken_on if snapshot_rows else None},
        "totals": _totals(device_rows, is_overdue),
        "by_institution": [_institution_row(orgs[o], [d for d in device_rows if d.org_id == o], deadlines[o],
                                            is_overdue, orgs) for o in scope],
        "by_sensitivity": _counted(outstanding, lambda d: site_of(d).sensitivity if site_of(d) else "unknown",
                                   "sensitivity"),
        "by_device_type": _counted(outstanding, lambda d: d.device_type or "unknown", "device_type"),
        "by_group": [{"group_id": g, "group": group_name.get(g, g), "flagged": n}
                     for g, n in Counter(d.group_id or "?" for d in outstanding).most_common()],
        "by_basis": _by_basis(outstanding, latest, registry),
        "trend": _trend(snapshot_rows, org_id is None),
        "exemptions": [_exemption(d, orgs, site_of(d), group_name, day) for d in device_rows
                       if d.state == "exempted"],
        "overdue": [_overdue_item(d, orgs, site_of(d), group_name, deadlines[d.org_id], day)
                    for d in outstanding if is_overdue(d)],
        "discrepancies": [{"org": orgs[r.org_id].name, "site": _site_name(site_rows.get(r.site_id)),
                           "kind": r.kind, "device_id": None if r.device_id is None else str(r.device_id),
                           "detail": r.detail} for r in found],
        "landlord_cases": _landlord_cases(site_rows, outstanding, orgs),
        "caveats": [c.format(unknown=unknown, policy=policy.id, version=registry.version)
                    for c in CAVEATS[language]],
        "devices": [_device(d, orgs, site_of(d), group_name, latest.get(d.id), sources.get(d.id, []),
                            deadlines[d.org_id]) for d in device_rows if d.id in set(appendix_ids)],
    }
    return data


def _totals(rows: Iterable[Any], is_overdue: Any) -> dict[str, int]:
    rows = list(rows)
    states = Counter(d.state for d in rows)
    return {
        "devices": len(rows),
        "flagged": sum(states[s] for s in OUTSTANDING),
        "clear": sum(1 for d in rows if d.verdict == "clear"),
        "unknown": sum(1 for d in rows if d.verdict == "unknown"),
        "in_use": states["in_use"], "scheduled": states["scheduled"], "replaced": states["replaced"],
        "exempted": states["exempted"], "overdue": sum(1 for d in rows if is_overdue(d)),
    }


def _institution_row(org: Any, rows: list[Any], deadline: str | None, is_overdue: Any,
                     orgs: dict[str, Any]) -> dict[str, Any]:
    totals = _totals(rows, is_overdue)
    return {"org_id": org.id, "org": org.name, "parent_org": orgs[org.parent_id].name if org.parent_id else None,
            "devices": totals["devices"], "flagged": totals["flagged"], "in_use": totals["in_use"],
            "scheduled": totals["scheduled"], "replaced": totals["replaced"], "exempted": totals["exempted"],
            "overdue": totals["overdue"], "deadline": deadline}


def _counted(rows: list[Any], key: Any, name: str) -> list[dict[str, Any]]:
    return [{name: k, "flagged": n} for k, n in Counter(key(d) for d in rows).most_common()]


def _latest_findings(conn: sa.Connection, scope: list[str]) -> dict[int, Any]:
    query = (sa.select(findings.c.device_id, findings.c.listings, findings.c.evidence, findings.c.basis,
                       findings.c.reason)
             .join(devices, sa.and_(devices.c.id == findings.c.device_id,
                                    devices.c.last_snapshot_id == findings.c.snapshot_id))
             .where(devices.c.org_id.in_(scope)))
    return {int(r.device_id): r for r in conn.execute(query)}


def _by_basis(rows: list[Any], latest: dict[int, Any], registry: Registry) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    for d in rows:
        finding = latest.get(d.id)
        if finding is None:
            continue
        for list_id in json.loads(finding.listings):
            counts[list_id] += 1
        if "human-rights evidence" in finding.reason:
            counts["human-rights-evidence"] += 1
    names = {k: v.name for k, v in registry.lists.items()}
    names["human-rights-evidence"] = "Documented human-rights evidence"
    return [{"list_id": k, "list": names.get(k, k), "flagged": n} for k, n in counts.most_common()]


def _trend(rows: list[Any], national: bool) -> list[dict[str, Any]]:
    if not national:
        return [{"snapshot_id": str(r.id), "date": r.taken_on, "org": None, "flagged": r.flagged,
                 "replaced": r.replaced, "outstanding": r.outstanding} for r in rows]
    latest_per_org: dict[str, Any] = {}
    points: dict[str, dict[str, Any]] = {}
    for row in rows:  # chronological: each date shows every organisation's latest state so far
        latest_per_org[row.org_id] = row
        points[row.taken_on] = {
            "snapshot_id": str(row.id), "date": row.taken_on, "org": None,
            "flagged": sum(r.flagged for r in latest_per_org.values()),
            "replaced": sum(r.replaced for r in latest_per_org.values()),
            "outstanding": sum(r.outstanding for r in latest_per_org.values())}
    return list(points.values())


def _site_name(site: Any) -> str:
    return str(site.name) if site is not None else "-"


def _exemption(d: Any, orgs: dict[str, Any], site: Any, groups: dict[str, str], day: str) -> dict[str, Any]:
    return {"device_id": str(d.id), "org": orgs[d.org_id].name, "site": _site_name(site),
            "group": groups.get(d.group_id, d.group_id or "?"), "reason": d.exempt_reason or "",
            "approver": d.exempt_approver or "", "review_date": d.exempt_review,
            "overdue_review": bool(d.exempt_review and d.exempt_review < day)}


def _overdue_item(d: Any, orgs: dict[str, Any], site: Any, groups: dict[str, str], deadline: str | None,
                  day: str) -> dict[str, Any]:
    assert deadline is not None
    days = (dt.date.fromisoformat(day) - dt.date.fromisoformat(deadline)).days
    return {"device_id": str(d.id), "org": orgs[d.org_id].name, "site": _site_name(site),
            "group": groups.get(d.group_id, d.group_id or "?"), "device_type": d.device_type,
            "deadline": deadline, "days_overdue": days}


def _latest_discrepancies(conn: sa.Connection, snapshot_rows: list[Any]) -> list[Any]:
    latest: dict[str, Any] = {}
    for row in snapshot_rows:
        latest[row.org_id] = row
    ids = [r.id for r in latest.values()]
    if not ids:
        return []
    query = (sa.select(discrepancies, snapshots.c.org_id, devices.c.site_id)
             .join(snapshots, snapshots.c.id == discrepancies.c.snapshot_id)
             .outerjoin(devices, devices.c.id == discrepancies.c.device_id)
             .where(discrepancies.c.snapshot_id.in_(ids)).order_by(discrepancies.c.id))
    return list(conn.execute(query).all())


def _landlord_cases(site_rows: dict[int, Any], rows: list[Any], orgs: dict[str, Any]) -> list[dict[str, Any]]:
    counts = Counter(d.site_id for d in rows)
    return [{"org": orgs[s.org_id].name, "site": s.name, "owner": f"{s.owner_name or '?'} ({s.owner_kind})",
             "device_count": counts.get(s.id, 0)}
            for s in site_rows.values() if s.owner_kind != "own"]


def _sources(conn: sa.Connection, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 2000):
        chunk = ids[start: start + 2000]
        query = (sa.select(observations.c.device_id, observations.c.kind, observations.c.source, observations.c.row,
                           snapshots.c.taken_on)
                 .join(snapshots, snapshots.c.id == observations.c.snapshot_id)
                 .where(observations.c.device_id.in_(chunk)).order_by(observations.c.id))
        for row in conn.execute(query):
            line = f"{row.taken_on} {row.kind}: {row.source}" + (f":{row.row}" if row.row is not None else "")
            if line not in out[row.device_id]:
                out[row.device_id].append(line)
    return out


def _device(d: Any, orgs: dict[str, Any], site: Any, groups: dict[str, str], finding: Any, sources: list[str],
            deadline: str | None) -> dict[str, Any]:
    return {
        "device_id": str(d.id), "org": orgs[d.org_id].name, "site": _site_name(site),
        "sensitivity": site.sensitivity if site is not None else "unknown", "label": d.label, "model": d.model,
        "device_type": d.device_type, "group_id": d.group_id,
        "group": groups.get(d.group_id, d.group_id) if d.group_id else None, "brand": d.brand,
        "verdict": d.verdict, "state": d.state, "confidence": float(d.confidence), "first_seen": d.first_seen,
        "last_seen": d.last_seen, "sources": sources,
        "evidence": json.loads(finding.evidence) if finding is not None else [],
        "basis": json.loads(finding.basis) if finding is not None else [], "deadline": deadline,
    }
