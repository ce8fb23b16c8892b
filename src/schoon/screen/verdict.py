"""What a screening match means under a policy: the verdict, the listings, and the dated ownership path.

A match says *which* registry entity a name may be; :func:`judge` says what that entity's status is on a day
under the policy in force, and why, in one line a council can read:

- "flagged under 'default': listed itself on BIS Entity List (2019-10-09), FCC Covered List (2021-03-12) ..."
- "flagged under 'default': Hikvision subsidiary (48%); through Hangzhou Hikvision Digital Technology Co., Ltd.
  (parent company): BIS Entity List (2019-10-09) ...; not listed itself"
- "clear under 'default': former Dahua subsidiary, sold 2024-01; not listed itself"
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schoon.registry.ownership import relations, summary
from schoon.registry.policy import Basis, Policy, decide
from schoon.registry.registry import Registry

NOT_LISTED = "not listed itself"
MAX_LISTS_SHOWN = 4  # per entity in the one-line explanation; the full basis is in ``basis``


@dataclass(frozen=True)
class Judgement:
    """A policy's verdict on a matched entity on a day, with the listings, basis and ownership path."""

    verdict: str
    policy_id: str
    as_of: str
    listings: list[str] = field(default_factory=list)
    basis: list[dict[str, object]] = field(default_factory=list)
    relation: str = ""
    ownership: list[dict[str, object]] = field(default_factory=list)
    explanation: str = ""


def _basis_record(registry: Registry, basis: Basis) -> dict[str, object]:
    return {"kind": basis.kind, "entity_id": basis.entity_id, "entity_name": registry.get(basis.entity_id).name,
            "inherited": basis.via is not None, "reference": basis.reference, "title": basis.title,
            "date": basis.date, "scope": basis.scope, "confidence": basis.confidence,
            "source": {"title": basis.source_title, "url": basis.source_url, "date": basis.source_date}}


def _list_dates(items: list[Basis]) -> list[str]:
    """Each list once, with its earliest date: ['BIS Entity List (2019-10-09)', ...], at most
    :data:`MAX_LISTS_SHOWN` and a count of the rest."""
    lists: dict[str, str] = {}
    for item in items:
        if item.kind == "listing":
            lists[item.title] = min(lists.get(item.title, item.date), item.date)
    shown = [f"{title} ({date})" for title, date in list(lists.items())[:MAX_LISTS_SHOWN]]
    if len(lists) > MAX_LISTS_SHOWN:
        shown.append(f"{len(lists) - MAX_LISTS_SHOWN} more")
    return shown


def _evidence(items: list[Basis]) -> str:
    count = sum(1 for item in items if item.kind == "evidence")
    return f"{count} documented human-rights evidence item{'s' if count > 1 else ''}" if count else ""


def judge(registry: Registry, policy: Policy, entity_id: str, as_of: str) -> Judgement:
    """The verdict of ``policy`` on ``entity_id`` on ``as_of`` (ISO date), explained with its listings and its
    dated ownership path (a former subsidiary says so, with the date it was sold)."""
    decision = decide(policy, registry, entity_id, as_of)
    own = [b for b in decision.basis if b.via is None]
    relation = summary(registry, entity_id, as_of, _list_dates(own))
    counted = {b.reference for b in own if b.kind == "listing"}
    uncounted: dict[str, str] = {}
    for listing in registry.listings_of(entity_id):
        if listing.list not in counted and listing.active_on(as_of):
            title = registry.lists[listing.list].name
            uncounted[title] = min(uncounted.get(title, listing.date), listing.date)
    if uncounted:
        others = ", ".join(f"{title} ({date})" for title, date in uncounted.items())
        if relation.endswith(NOT_LISTED):
            relation = relation[: -len(NOT_LISTED)] + f"no listing that '{policy.id}' counts; listed itself on {others}"
        else:
            relation += f"; also on list(s) that '{policy.id}' does not count: {others}"
    reasons = [text for text in [_evidence(own)] if text]
    by_owner: dict[str, list[Basis]] = {}
    for item in decision.basis:
        if item.via is not None:
            by_owner.setdefault(item.entity_id, []).append(item)
    for owner, items in by_owner.items():
        grounds = ", ".join(x for x in [*_list_dates(items), _evidence(items)] if x)
        reasons.append(f"through its owner {registry.get(owner).name}: {grounds}")
    explanation = "; ".join([f"{decision.verdict} under '{policy.id}': {relation}", *reasons])
    return Judgement(
        decision.verdict, policy.id, as_of, decision.listings, [_basis_record(registry, b) for b in decision.basis],
        relation, [r.record(registry) for r in relations(registry, entity_id, as_of)], explanation)
