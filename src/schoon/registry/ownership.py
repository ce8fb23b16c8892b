"""Dated corporate relations of one entity, for people: who owns it, who owned it, whose hardware it sells.

>>> [r.text(reg) for r in relations(reg, "dahua-usa", "2026-11-28")]
['former Dahua subsidiary, sold 2024-01']

:func:`relations` lists every relation with its dates and source (current parents up to the group top, the
holding company that owns the top, an announced sale, former parents, relabels); :func:`summary` makes the one
line a screening or identify result carries, e.g. "former Dahua subsidiary, sold 2024-01; not listed itself".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from schoon.registry.model import Entity
from schoon.registry.registry import Registry

RelationKind = Literal["parent", "holding", "holding-of", "former-parent", "relabel"]
Status = Literal["current", "ended", "sale-announced", "not-yet"]


@dataclass(frozen=True)
class Relation:
    """One dated relation between ``entity_id`` and ``other_id``, with its source.

    ``parent``: ``other_id`` owns ``entity_id`` now (``percentage`` if known; ``status`` ``sale-announced`` when a
    sale of that stake is announced, with ``buyer`` and ``announced``). ``holding``: ``other_id`` is the holding
    company that owns this group top. ``holding-of``: this entity is the holding company owning ``other_id``.
    ``former-parent``: ``other_id`` owned it from ``start`` to ``end`` (the ``note`` says to whom it was sold).
    ``relabel``: it sells hardware made by ``other_id`` (from ``start`` to ``end``).
    """

    kind: RelationKind
    entity_id: str
    other_id: str
    status: Status
    start: str | None = None
    end: str | None = None
    percentage: float | None = None
    buyer: str | None = None
    announced: str | None = None
    checked: str | None = None
    confidence: str = "high"
    source: str = ""
    note: str | None = None

    def text(self, registry: Registry) -> str:
        """One line for people, e.g. "former Dahua subsidiary, sold 2024-01"."""
        other = short_name(registry, self.other_id)
        if self.kind == "parent":
            stake = f" ({self.percentage:g}%)" if self.percentage is not None else ""
            is_brand = registry.get(self.entity_id).kind == "brand"
            text = f"brand of {other}{stake}" if is_brand else f"{other} subsidiary{stake}"
            if self.status == "sale-announced":
                text += (f"; sale of the stake to {self.buyer} announced {self.announced}, completion not confirmed"
                         + (f" (checked {self.checked})" if self.checked else ""))
            return text
        if self.kind == "holding":
            return f"owned by its holding company {registry.get(self.other_id).name}"
        if self.kind == "holding-of":
            return f"holding company of the {other} group (owns {registry.get(self.other_id).name})"
        if self.kind == "former-parent":
            if self.status == "not-yet":
                return f"{other} subsidiary only from {self.start}"
            if self.status == "current":
                return f"{other} subsidiary at the time ({_period(self.start, self.end)})"
            since = f" from {self.start}" if self.start else ""
            return f"former {other} subsidiary{since}, sold {self.end}"
        period = _period(self.start, self.end)
        state = "sold" if self.status == "ended" else "sells"
        when = f" ({period})" if period else ""
        return f"{state} hardware made by {other}{when}, {self.confidence} confidence"

    def record(self, registry: Registry) -> dict[str, object]:
        """The relation as a JSON-ready mapping, with its source's title, address and date."""
        source = registry.sources.get(self.source)
        return {
            "relation": self.kind, "entity_id": self.entity_id, "other_id": self.other_id,
            "other_name": registry.get(self.other_id).name, "status": self.status, "start": self.start,
            "end": self.end, "percentage": self.percentage, "buyer": self.buyer, "announced": self.announced,
            "checked": self.checked, "confidence": self.confidence, "text": self.text(registry),
            "source": None if source is None else {"title": source.title, "url": source.url, "date": source.date},
        }


def _period(start: str | None, end: str | None) -> str:
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"since {start}"
    if end:
        return f"until {end}"
    return ""


def short_name(registry: Registry, entity_id: str) -> str:
    """The name people use: the group's name for a group top ("Dahua"), else the entity's first common alias,
    else its legal name."""
    if entity_id in registry.group_names:
        return registry.group_names[entity_id]
    entity = registry.get(entity_id)
    common = next((a.name for a in entity.aliases if a.kind == "common"), None)
    return common or entity.name


def _chain_relations(registry: Registry, entity: Entity) -> list[Relation]:
    out: list[Relation] = []
    for member in registry.ancestors(entity.id):
        if member.parent is not None:
            stake = member.ownership
            sale = member.announced_sale
            out.append(Relation(
                "parent", member.id, member.parent, "sale-announced" if sale else "current",
                percentage=(sale.stake if sale and sale.stake is not None else stake.percentage if stake else None),
                buyer=sale.buyer if sale else None, announced=sale.announced if sale else None,
                checked=sale.status_checked if sale else None,
                confidence=(sale.confidence if sale else stake.confidence if stake else member.confidence),
                source=(sale.source if sale else stake.source if stake else member.sources[0]),
                note=sale.note if sale else None))
        else:
            for holding in registry.holdings_of(member.id):
                assert holding.member_of is not None
                out.append(Relation("holding", member.id, holding.id, "current",
                                    confidence=holding.member_of.confidence, source=holding.member_of.source))
            if member.member_of is not None and member.member_of.relation == "holding":
                out.append(Relation("holding-of", member.id, member.member_of.group, "current",
                                    confidence=member.member_of.confidence, source=member.member_of.source))
    return out


def relations(registry: Registry, entity_id: str, day: str) -> list[Relation]:
    """Every recorded relation of ``entity_id`` as seen on ``day`` (ISO date): the current ownership chain up to
    the group top (and the holding company above it), the entity's former parents, and its relabels."""
    entity = registry.get(entity_id)
    out = _chain_relations(registry, entity)
    for former in entity.former_parents:
        start = former.start or ""
        status: Status = "not-yet" if day < start else "current" if day < former.end else "ended"
        out.append(Relation("former-parent", entity.id, former.parent, status, former.start, former.end,
                            confidence=former.confidence, source=former.source, note=former.note))
    for relabel in entity.relabels:
        ended = relabel.end is not None and relabel.end <= day
        out.append(Relation("relabel", entity.id, relabel.maker, "ended" if ended else "current", relabel.start,
                            relabel.end, confidence=relabel.confidence, source=relabel.source, note=relabel.note))
    return out


def summary(registry: Registry, entity_id: str, day: str, listed_itself: list[str] | None = None) -> str:
    """The relations of ``entity_id`` on ``day`` in one line, ending with whether it is listed itself.

    ``listed_itself`` names the lists the entity itself is on (under the policy in force); empty or None gives
    "not listed itself", e.g. "former Dahua subsidiary, sold 2024-01; not listed itself". A group top without
    relations says "top of the X group".
    """
    parts: list[str] = []
    chain: list[str] = []
    for relation in relations(registry, entity_id, day):
        if relation.status == "not-yet" or (relation.kind == "holding" and relation.entity_id != entity_id):
            continue
        if relation.kind == "parent":
            chain.append(relation.text(registry))
        else:
            parts.append(relation.text(registry))
    if chain:
        parts.insert(0, ", a ".join(chain))
    if not parts and registry.group_of(entity_id) == entity_id:
        parts = [f"top of the {short_name(registry, entity_id)} group"]
    own = "listed itself: " + ", ".join(listed_itself) if listed_itself else "not listed itself"
    return "; ".join([*parts, own])
