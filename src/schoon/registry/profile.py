"""A profile of one entity: its corporate tree, relabel brands, listings and evidence, all sourced.

This is what ``schoon registry show`` prints, as a JSON-ready dict so every front end shows the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from schoon.registry.model import Entity
from schoon.registry.ownership import relations, summary
from schoon.registry.policy import Policy, decide
from schoon.registry.registry import Registry


def _source(registry: Registry, key: str) -> dict[str, Any]:
    src = registry.source(key)
    return {"title": src.title, "url": src.url, "date": src.date}


def _node(registry: Registry, entity: Entity) -> dict[str, Any]:
    node: dict[str, Any] = {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "confidence": entity.confidence,
        "sources": [_source(registry, k) for k in entity.sources],
        "children": [_node(registry, child) for child in registry.children(entity.id)],
    }
    if entity.ownership is not None and entity.ownership.percentage is not None:
        node["ownership"] = entity.ownership.percentage
    if entity.note:
        node["note"] = entity.note
    return node


def profile(registry: Registry, entity_id: str, policy: Policy | None = None,
            as_of: str | None = None) -> dict[str, Any]:
    """Everything the registry knows about ``entity_id`` and the tree below it."""
    entity = registry.get(entity_id)
    is_group = registry.group_of(entity_id) == entity_id
    family = registry.members(entity_id) if is_group else [entity, *registry.descendants(entity_id)]
    family_ids = {member.id for member in family}
    day = as_of or dt.date.today().isoformat()
    result: dict[str, Any] = {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "group": registry.group_of(entity.id),
        "parents": [{"id": p.id, "name": p.name} for p in registry.ancestors(entity_id)[1:]],
        "country": entity.country,
        "aliases": [a.model_dump(mode="json") for a in entity.aliases],
        "tree": _node(registry, entity),
        "holdings": [{"id": h.id, "name": h.name, "tree": _node(registry, h)} for h in registry.holdings_of(entity_id)],
        "member_of": (None if entity.member_of is None else
                      {**entity.member_of.model_dump(mode="json", exclude={"source"}),
                       "source": _source(registry, entity.member_of.source)}),
        "announced_sale": (None if entity.announced_sale is None else
                           {**entity.announced_sale.model_dump(mode="json", exclude={"source"}),
                            "source": _source(registry, entity.announced_sale.source)}),
        "relation": summary(registry, entity_id, day, list(dict.fromkeys(
            registry.lists[li.list].name for li in registry.listings_of(entity_id) if li.active_on(day)))),
        "ownership": [r.record(registry) for r in relations(registry, entity_id, day)],
        "former_parents": [
            {**f.model_dump(mode="json", exclude={"source"}), "source": _source(registry, f.source)}
            for f in entity.former_parents
        ],
        "relabels": [
            {**r.model_dump(mode="json", exclude={"source"}), "source": _source(registry, r.source)}
            for r in entity.relabels
        ],
        "relabelled_by": [
            {"id": b.id, "name": b.name,
             "relations": [{**r.model_dump(mode="json", exclude={"source"}), "source": _source(registry, r.source)}
                           for r in b.relabels if r.maker in family_ids]}
            for b in registry.relabellers_of(entity_id)
        ],
        "listings": [
            {**li.model_dump(mode="json", exclude={"source"}), "list_name": registry.lists[li.list].name,
             "source": _source(registry, li.source)}
            for member in family for li in registry.listings_of(member.id)
        ],
        "evidence": [
            {**ev.model_dump(mode="json", exclude={"source"}), "source": _source(registry, ev.source)}
            for member in family for ev in registry.evidence_of(member.id)
        ],
        "identifiers": entity.identifiers.model_dump(mode="json", exclude_defaults=True),
        "confidence": entity.confidence,
        "note": entity.note,
    }
    if policy is not None:
        decision = decide(policy, registry, entity_id, as_of)
        result["decision"] = {
            "policy": policy.id,
            "verdict": decision.verdict,
            "basis": [b.describe(registry) for b in decision.basis],
        }
    return result
