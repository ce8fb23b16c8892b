"""Policies: named, data-driven rules that decide whether an entity counts as flagged.

A policy says which lists count (all, or named ones, and of which kind), whether documented human-rights
evidence counts, the lowest confidence of a fact it accepts, and whether subsidiaries and affiliates
inherit their parents' status. Built-in policies live in ``policies/*.yaml``; users pass their own file
with ``--policy path.yaml``. Every decision carries its basis: the listings or evidence, with date and
source, that made it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from schoon.errors import PolicyError
from schoon.files import MAX_POLICY_BYTES, check_file
from schoon.registry.model import CONFIDENCE_RANK, Confidence, OptionalDate, Slug, Strict
from schoon.registry.registry import Registry
from schoon.registry.yamlfile import cached_model

POLICY_DIR = Path(__file__).parent / "policies"
Verdict = Literal["flagged", "clear", "unknown"]


class Policy(Strict):
    """What counts as flagged."""

    id: Slug
    title: str
    description: str
    lists: Literal["any"] | list[Slug] = "any"
    list_kinds: list[Literal["legal", "advisory"]] = ["legal"]
    evidence: bool = False
    min_confidence: Confidence = "low"
    affiliates: bool = True
    deadline: OptionalDate = None  # flagged devices must be gone by then, where an organisation sets none


@dataclass(frozen=True)
class Basis:
    """One reason for a verdict: a listing or a piece of evidence, of the entity or of a parent."""

    kind: Literal["listing", "evidence"]
    entity_id: str
    via: str | None  # None: the entity itself; else the id of the descendant it passed through
    reference: str  # list id, or evidence id
    title: str  # list name, or evidence title
    date: str
    scope: str | None
    source_title: str
    source_url: str | None
    source_date: str
    confidence: Confidence

    def describe(self, registry: Registry) -> str:
        """One line for people: what, since when, from which source, and through which parent."""
        who = registry.get(self.entity_id).name
        relation = "" if self.via is None else " (parent company)"
        if self.kind == "listing":
            text = f"{who}{relation} on {self.title} since {self.date}"
        else:
            text = f"{who}{relation}: {self.title} ({self.date})"
        return f"{text}; source: {self.source_title}, {self.source_date}"


@dataclass(frozen=True)
class Decision:
    """A policy's verdict on one entity, with every basis for it."""

    entity_id: str | None
    policy_id: str
    verdict: Verdict
    basis: tuple[Basis, ...] = field(default_factory=tuple)

    @property
    def listings(self) -> list[str]:
        """The ids of the lists in the basis, without repeats, in order."""
        return list(dict.fromkeys(b.reference for b in self.basis if b.kind == "listing"))


def builtin_policies() -> dict[str, Path]:
    """Built-in policy names and their files."""
    return {p.stem: p for p in sorted(POLICY_DIR.glob("*.yaml"))}


def load_policy(name_or_path: str | Path) -> Policy:
    """A built-in policy by name, or a user's policy from a YAML file."""
    builtin = builtin_policies()
    if isinstance(name_or_path, str) and name_or_path in builtin:
        return cached_model(builtin[name_or_path], Policy)
    path = Path(name_or_path)
    if not path.exists():
        raise PolicyError(f"no policy {str(name_or_path)!r}: not a built-in ({', '.join(builtin)}) nor a file")
    check_file(path, "policy file", MAX_POLICY_BYTES)  # a regular file of a sane size, before reading
    return cached_model(path, Policy)


def check_policy(policy: Policy, registry: Registry) -> None:
    """Refuse a policy that names lists the registry does not define."""
    if policy.lists != "any":
        unknown = [lst for lst in policy.lists if lst not in registry.lists]
        if unknown:
            raise PolicyError(f"policy {policy.id!r} names unknown lists: {', '.join(unknown)}")


def _accepts(policy: Policy, confidence: str) -> bool:
    return CONFIDENCE_RANK[confidence] >= CONFIDENCE_RANK[policy.min_confidence]


def _basis_for(policy: Policy, registry: Registry, entity_id: str, via: str | None, day: str) -> list[Basis]:
    found: list[Basis] = []
    for listing in registry.listings_of(entity_id):
        definition = registry.lists[listing.list]
        if policy.lists != "any" and listing.list not in policy.lists:
            continue
        if definition.kind not in policy.list_kinds or not listing.active_on(day):
            continue
        if not _accepts(policy, listing.confidence):
            continue
        source = registry.source(listing.source)
        found.append(Basis("listing", entity_id, via, listing.list, definition.name, listing.date, listing.scope,
                           source.title, source.url, source.date, listing.confidence))
    if policy.evidence:
        for item in registry.evidence_of(entity_id):
            if item.date > day or not _accepts(policy, item.confidence):
                continue
            source = registry.source(item.source)
            found.append(Basis("evidence", entity_id, via, item.id, item.title, item.date, item.summary,
                               source.title, source.url, source.date, item.confidence))
    return found


def decide(policy: Policy, registry: Registry, entity_id: str | None, as_of: str | None = None) -> Decision:
    """The verdict of ``policy`` on ``entity_id`` on the day ``as_of`` (default today).

    ``None`` (maker unknown) gives ``unknown``. The entity's own listings and evidence count; with
    ``affiliates`` those of its owners on that day count too: current parents, and former parents only
    for days within their recorded period (so Lorex is judged as Dahua's for 2018 to 2022-11, not today).
    """
    if entity_id is None:
        return Decision(None, policy.id, "unknown")
    day = as_of or dt.date.today().isoformat()
    basis = _basis_for(policy, registry, entity_id, None, day)
    if policy.affiliates:
        for parent in registry.owners_on(entity_id, day):
            basis += _basis_for(policy, registry, parent, entity_id, day)
    return Decision(entity_id, policy.id, "flagged" if basis else "clear", tuple(basis))
