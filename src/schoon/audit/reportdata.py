"""What a report says, computed from the store: the national answer and the per-institution report.

The result is the plain dictionary that :class:`schoon.report.model.ReportData` reads; every count is
computed here, so all renderers show the same figures. Every sentence is written here in the report's language
from codes and parameters (``schoon.report.phrases``): discrepancy details, the basis of each group (decided
under the policy on the as-of day), evidence lines (``schoon.report.evidence``), caveats. Devices are named by the
institution's own asset number.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from schoon.audit.capabilities import capabilities_in, documented_devices, unmatched_documents
from schoon.audit.lifecycle import overdue
from schoon.audit.reconcile import describe
from schoon.audit.schema import devices, discrepancies, findings, observations, organisations, sites, snapshots
from schoon.audit.store import Store, inherited_deadline, now
from schoon.capabilities import CAPABILITIES
from schoon.registry import Registry
from schoon.registry.policy import Basis, Decision, Policy, decide
from schoon.report import evidence as evidence_lines
from schoon.report.i18n import date, decimal, list_name, policy_text, t, term
from schoon.report.phrases import count, say

OUTSTANDING = ("in_use", "scheduled", "exempted")
APPENDIX_LIMIT = 5_000

CAVEATS = ("caveat.coverage", "caveat.confidence", "caveat.policy", "caveat.replacement", "caveat.titles")
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
        capable = capabilities_in(conn, scope)
        documented = documented_devices(conn, scope)
        unmatched = len(unmatched_documents(conn, scope))
        appendix_ids = [d.id for d in device_rows if d.verdict != "clear" or d.id in capable][:APPENDIX_LIMIT] \
            if org_id else []
        sources = _sources(conn, appendix_ids, language)
    deadlines = {o: inherited_deadline(orgs, o) or policy.deadline for o in scope}
    kind = "institution" if org_id else "national"
    title_org = orgs[org_id].name if org_id else ""
    unknown = sum(1 for d in device_rows if d.verdict == "unknown")
    group_name = {g: registry.group_names.get(g, g) for g in registry.groups()}
    judge = _Judge(policy, registry, day, language)
    policy_title, policy_description = policy_text(policy.id, policy.title, policy.description, language)

    def site_of(d: Any) -> Any:
        return site_rows.get(d.site_id)

    def is_overdue(d: Any) -> bool:
        return overdue(deadlines.get(d.org_id), d.state, day)

    outstanding = [d for d in device_rows if d.state in OUTSTANDING]
    data: dict[str, Any] = {
        "kind": kind, "language": language,
        "title": TITLES[(kind, language)].format(org=title_org),
        "subtitle": None, "generated_at": now(), "as_of": day,
        "policy": {"id": policy.id, "title": policy_title, "description": policy_description},
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
        "by_basis": _by_basis(outstanding, judge),
        "trend": _trend(snapshot_rows),
        "exemptions": [_exemption(d, orgs, site_of(d), group_name, day) for d in device_rows
                       if d.state == "exempted"],
        "overdue": [_overdue_item(d, orgs, site_of(d), group_name, deadlines[d.org_id], day)
                    for d in outstanding if is_overdue(d)],
        "discrepancies": [{"org": orgs[r.org_id].name, "site": _site_name(site_rows.get(r.site_id)),
                           "kind": r.kind, "device_id": None if r.device_id is None else device_name(r, r.device_id),
                           "detail": describe(r.detail, language)} for r in found],
        "landlord_cases": _landlord_cases(site_rows, outstanding, orgs, language),
        "caveats": [say(c, {"unknown": count(unknown, language), "policy": policy_title,
                            "version": registry.version, "threshold": decimal(0.5, language, 1)}, language)
                    for c in CAVEATS],
    }
    data["capabilities"] = _capability_rows(device_rows, capable, documented)
    data["capability_documents"] = len(documented)
    data["capability_unmatched"] = unmatched
    data["face_detection_only"] = sum(1 for found in capable.values()
                                      if {c["capability"] for c in found} >= {"face-detection"}
                                      and "face-recognition" not in {c["capability"] for c in found})
    makers = maker_names(registry)
    chosen = set(appendix_ids)
    appendix = [d for d in device_rows if d.id in chosen]
    data["devices"] = [_device(d, orgs, site_of(d), group_name, latest.get(d.id), sources.get(d.id, []),
                               deadlines[d.org_id], judge, makers) for d in appendix]
    for item, d in zip(data["devices"], appendix, strict=True):
        item["capabilities"] = [_capability_line(c, language) for c in capable.get(d.id, [])]
    data["group_basis"] = _group_basis(appendix, group_name, judge)
    return data


def _capability_rows(rows: Iterable[Any], capable: dict[int, list[dict[str, Any]]],
                     documented: set[int]) -> list[dict[str, Any]]:
    """Per capability: devices advertising it, at how many institutions, and from which evidence. Empty when no
    capability document was imported and no device has a model the registry has a claim for."""
    if not capable and not documented:
        return []  # (documents that matched no device alone are counted in capability_unmatched)
    org_of = {d.id: d.org_id for d in rows}
    out = []
    for capability in CAPABILITIES:
        having = {i: [c for c in found if c["capability"] == capability] for i, found in capable.items()
                  if i in org_of}
        having = {i: found for i, found in having.items() if found}
        out.append({"capability": capability, "devices": len(having),
                    "institutions": len({org_of[i] for i in having}),
                    "from_documents": sum(1 for found in having.values() if any(c["origin"] == "document"
                                                                                for c in found)),
                    "from_registry": sum(1 for found in having.values() if any(c["origin"] == "registry"
                                                                               for c in found))})
    return out


def _capability_line(finding: dict[str, Any], lang: str) -> str:
    """One capability finding with its evidence, in the report's language (field meanings stay as recorded)."""
    label = term("capability", finding["capability"], lang)
    where = finding["document"] if finding["line"] is None else f"{finding['document']}:{finding['line']}"
    if finding["origin"] == "registry":
        where = t("capability.registry", lang)
    unverified = "" if finding["verified"] else f"; {t('capability.unverified', lang)}"
    return (f"{label}: {where}: {finding['field']} = {finding['value']!r} ({finding['meaning']}{unverified}; "
            f"{t('capability.source', lang)}: {finding['source']})")


def device_name(d: Any, store_id: int | None = None) -> str:
    """What the institution calls a device: its asset number, else its address, MAC or serial, else ``#`` and
    the store's number (``store_id``, default the row's ``id``)."""
    for value in (d.asset_id, d.ip, d.mac, d.serial):
        if value and str(value).strip():
            return str(value).strip()
    return f"#{d.id if store_id is None else store_id}"


class _Judge:
    """The policy's decision per maker on the report's day, and its basis in the report's language."""

    def __init__(self, policy: Policy, registry: Registry, day: str, lang: str) -> None:
        self.policy, self.registry, self.day, self.lang = policy, registry, day, lang
        self._cache: dict[str | None, Decision] = {}

    def decision(self, manufacturer_id: str | None) -> Decision:
        """The policy's decision on one maker (cached)."""
        if manufacturer_id not in self._cache:
            known = manufacturer_id is not None and manufacturer_id in self.registry.entities
            self._cache[manufacturer_id] = decide(self.policy, self.registry, manufacturer_id if known else None,
                                                  self.day)
        return self._cache[manufacturer_id]

    def list_label(self, list_id: str) -> str:
        """A list's name in the report's language (the Dutch name, or the official one)."""
        official = self.registry.lists[list_id].name if list_id in self.registry.lists else list_id
        return list_name(list_id, official, self.lang)

    def grounds(self, manufacturer_id: str | None) -> list[str]:
        """The short grounds of one maker: the lists it is on, and documented evidence when that counts."""
        decision = self.decision(manufacturer_id)
        out = [self.list_label(ref) for ref in decision.listings]
        if any(b.kind == "evidence" for b in decision.basis):
            out.append(term("basis", "human-rights-evidence", self.lang))
        return out

    def line(self, basis: Basis, makers: set[str]) -> str:
        """One listing or piece of evidence in words, with its date and source; the company is named only when it
        is not one of ``makers`` (the group's makers, named once above the lines)."""
        entity = self.registry.get(basis.entity_id).name
        via = "" if basis.entity_id in makers else \
            say("basis.via" if basis.via is not None else "basis.entity", {"entity": entity}, self.lang)
        published = "" if basis.source_date == basis.date else f", {date(basis.source_date, self.lang)}"
        params = {"via": via, "date": basis.date, "source": basis.source_title, "published": published,
                  "title": basis.title}
        if basis.kind == "listing":
            official = self.registry.lists[basis.reference].name if basis.reference in self.registry.lists else ""
            name = self.list_label(basis.reference)
            shown = say("basis.official", {"name": name, "official": official}, self.lang) \
                if name != official else name
            return say("basis.listing", {**params, "list": shown}, self.lang)
        return say("basis.evidence", params, self.lang)


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


def _by_basis(rows: list[Any], judge: _Judge) -> list[dict[str, Any]]:
    """Outstanding devices per list (and documented evidence) under the policy on the report's day."""
    return by_basis_counted(((d.manufacturer_id, 1) for d in rows), judge)


def by_basis_counted(groups: Iterable[tuple[str | None, int]], judge: _Judge) -> list[dict[str, Any]]:
    """Outstanding devices per list (and documented evidence), from (maker, number of devices) pairs in first-seen
    order; one pair per device gives the report's count, one per maker with its count gives the dashboard's."""
    counts: Counter[str] = Counter()
    for maker, n in groups:
        decision = judge.decision(maker)
        for list_id in decision.listings:
            counts[list_id] += n
        if any(b.kind == "evidence" for b in decision.basis):
            counts["human-rights-evidence"] += n
    out = []
    for list_id, n in counts.most_common():
        if list_id == "human-rights-evidence":
            out.append({"list_id": list_id, "list": term("basis", list_id, judge.lang), "flagged": n,
                        "official": None})
        else:
            official = judge.registry.lists[list_id].name if list_id in judge.registry.lists else list_id
            out.append({"list_id": list_id, "list": judge.list_label(list_id), "flagged": n, "official": official})
    return out


def _trend(rows: list[Any]) -> list[dict[str, Any]]:
    """One point per snapshot date: the sum of every organisation's latest state on that date.

    Each snapshot records its organisation's totals after the import; an organisation that did not import on a
    date keeps its previous state, so another organisation's import does not make the line jump.
    """
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
    return {"device_id": device_name(d), "org": orgs[d.org_id].name, "site": _site_name(site),
            "group": groups.get(d.group_id, d.group_id or "?"), "reason": d.exempt_reason or "",
            "approver": d.exempt_approver or "", "review_date": d.exempt_review,
            "overdue_review": bool(d.exempt_review and d.exempt_review < day)}


def _overdue_item(d: Any, orgs: dict[str, Any], site: Any, groups: dict[str, str], deadline: str | None,
                  day: str) -> dict[str, Any]:
    assert deadline is not None
    days = (dt.date.fromisoformat(day) - dt.date.fromisoformat(deadline)).days
    return {"device_id": device_name(d), "org": orgs[d.org_id].name, "site": _site_name(site),
            "group": groups.get(d.group_id, d.group_id or "?"), "device_type": d.device_type,
            "deadline": deadline, "days_overdue": days}


def _latest_discrepancies(conn: sa.Connection, snapshot_rows: list[Any]) -> list[Any]:
    latest: dict[str, Any] = {}
    for row in snapshot_rows:
        latest[row.org_id] = row
    ids = [r.id for r in latest.values()]
    if not ids:
        return []
    query = (sa.select(discrepancies, snapshots.c.org_id, devices.c.site_id, devices.c.asset_id, devices.c.ip,
                       devices.c.mac, devices.c.serial)
             .join(snapshots, snapshots.c.id == discrepancies.c.snapshot_id)
             .outerjoin(devices, devices.c.id == discrepancies.c.device_id)
             .where(discrepancies.c.snapshot_id.in_(ids)).order_by(discrepancies.c.id))
    return list(conn.execute(query).all())


def _landlord_cases(site_rows: dict[int, Any], rows: list[Any], orgs: dict[str, Any],
                    lang: str) -> list[dict[str, Any]]:
    counts = Counter(d.site_id for d in rows)
    return [{"org": orgs[s.org_id].name, "site": s.name,
             "owner": f"{s.owner_name or '?'} ({term('owner_kind', s.owner_kind, lang)})",
             "owner_kind": s.owner_kind, "device_count": counts.get(s.id, 0)}
            for s in site_rows.values() if s.owner_kind != "own"]


def _sources(conn: sa.Connection, ids: list[int], lang: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 2000):
        chunk = ids[start: start + 2000]
        query = (sa.select(observations.c.device_id, observations.c.kind, observations.c.source, observations.c.row,
                           snapshots.c.taken_on)
                 .join(snapshots, snapshots.c.id == observations.c.snapshot_id)
                 .where(observations.c.device_id.in_(chunk)).order_by(observations.c.id))
        for row in conn.execute(query):
            where = f"{row.source}:{row.row}" if row.row is not None else str(row.source)
            line = f"{say('source.kind', {'kinds': [row.kind]}, lang)}: {where} ({date(row.taken_on, lang)})"
            if line not in out[row.device_id]:
                out[row.device_id].append(line)
    return out


def maker_names(registry: Registry) -> list[str]:
    """Names to look for in fingerprint explanations: group names and the names of brands and relabels."""
    names = set(registry.group_names.values())
    names |= {e.name for e in registry.entities.values() if e.kind in ("relabel", "brand")}
    return sorted(names, key=len, reverse=True)


def _device(d: Any, orgs: dict[str, Any], site: Any, groups: dict[str, str], finding: Any, sources: list[str],
            deadline: str | None, judge: _Judge, makers: list[str]) -> dict[str, Any]:
    lang = judge.lang
    stored = json.loads(finding.evidence) if finding is not None else []
    read = [ev for line in stored for ev in evidence_lines.read(str(line), makers)]
    return {
        "device_id": device_name(d), "store_id": str(d.id), "org": orgs[d.org_id].name, "site": _site_name(site),
        "sensitivity": site.sensitivity if site is not None else "unknown", "label": d.label, "model": d.model,
        "device_type": d.device_type, "group_id": d.group_id,
        "group": groups.get(d.group_id, d.group_id) if d.group_id else None, "brand": d.brand,
        "verdict": d.verdict, "state": d.state, "confidence": float(d.confidence), "first_seen": d.first_seen,
        "last_seen": d.last_seen, "sources": sources,
        "evidence": list(dict.fromkeys(ev.text(lang) for ev in read)),
        "evidence_short": list(dict.fromkeys(ev.short(lang) for ev in read)),
        "basis": judge.grounds(d.manufacturer_id) if d.verdict == "flagged" else [], "deadline": deadline,
    }


def _group_basis(rows: list[Any], groups: dict[str, str], judge: _Judge) -> list[dict[str, Any]]:
    """Per group of the appendix (largest first; makers not identified last): its basis, each line once."""
    by_group: dict[str | None, list[Any]] = defaultdict(list)
    for d in rows:
        by_group[d.group_id if d.verdict == "flagged" else None].append(d)
    order = sorted(by_group, key=lambda g: (g is None, -len(by_group[g]), groups.get(g or "", g or "")))
    out = []
    for group_id in order:
        members = by_group[group_id]
        lines: dict[str, None] = {}
        makers = [m for m in dict.fromkeys(d.manufacturer_id for d in members) if m in judge.registry.entities]
        if group_id is not None:
            for maker in makers:
                for basis in judge.decision(maker).basis:
                    lines[judge.line(basis, set(makers))] = None
        name = groups.get(group_id, group_id) if group_id else t("group.unidentified", judge.lang)
        out.append({"group_id": group_id, "group": name, "devices": len(members), "basis": list(lines),
                    "makers": [judge.registry.get(m).name for m in makers] if group_id else []})
    return out
