"""The loaded registry: entities with their corporate tree, listings, evidence, and lookups.

Build one with :func:`schoon.registry.load_registry`; it is immutable once built.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from schoon.errors import DataError, LookupFailed
from schoon.registry import ftmpack
from schoon.registry.ieee import IeeeRegistry, mac_hex
from schoon.registry.model import CapabilityClaim, Entity, Evidence, FalseFriend, ListDefinition, Listing, Source

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def name_key(text: str) -> str:
    """A comparison key for exact name lookups: width- and case-folded, punctuation as single spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", folded).strip()


@dataclass(frozen=True)
class MacMatch:
    """What a MAC address says about its maker: the IEEE block, its assignee and our entity (if any)."""

    prefix: str
    assignee: str
    entity_id: str | None
    false_friend: FalseFriend | None
    via: str  # "ieee-assignee" | "registry-prefix" | "false-friend"


class Registry:
    """Entities, lists, listings, evidence and false friends, indexed for lookups."""

    def __init__(
        self,
        entities: Iterable[Entity],
        lists: Iterable[ListDefinition],
        listings: Iterable[Listing],
        evidence: Iterable[Evidence],
        false_friends: Iterable[FalseFriend],
        sources: dict[str, Source],
        groups: dict[str, str],
        version: str,
        ieee: IeeeRegistry | None = None,
        capability_claims: Iterable[CapabilityClaim] = (),
    ) -> None:
        self.entities: dict[str, Entity] = {e.id: e for e in entities}
        self.lists: dict[str, ListDefinition] = {ld.id: ld for ld in lists}
        self.listings: list[Listing] = list(listings)
        self.evidence: list[Evidence] = list(evidence)
        self.false_friends: list[FalseFriend] = list(false_friends)
        self.capability_claims: list[CapabilityClaim] = list(capability_claims)
        self.sources = sources
        self.group_names = groups
        self.version = version
        self._ieee = ieee
        self._children: dict[str, list[str]] = defaultdict(list)
        self._holdings: dict[str, list[str]] = defaultdict(list)
        self._relabelled_by: dict[str, list[str]] = defaultdict(list)
        self._listings_of: dict[str, list[Listing]] = defaultdict(list)
        self._evidence_of: dict[str, list[Evidence]] = defaultdict(list)
        # One id as a plain string, several as a tuple: most names belong to one entity, and a set per name
        # would cost a million registry names about 200 MB.
        self._by_name: dict[str, str | tuple[str, ...]] = {}
        self._by_assignee: dict[str, str] = {}
        self._by_prefix: dict[str, str] = {}
        self._by_pen: dict[int, str] = {}
        self._ff_assignee: dict[str, FalseFriend] = {}
        self._ff_prefix: dict[str, FalseFriend] = {}
        self._ff_pen: dict[int, FalseFriend] = {}
        self._group_of: dict[str, str] = {}
        self._build_indexes()

    def __getstate__(self) -> dict[str, object]:
        # a large registry (imported FtM layers) is cached with its entities as plain tuples, made into models
        # when read (schoon.registry.ftmpack); the bundled registry as it is
        state = dict(self.__dict__)
        if len(self.entities) >= ftmpack.LAZY_MIN:
            state["entities"] = ftmpack.LazyEntities(ftmpack.packed_entities(self.entities))
        return state

    def _index_name(self, key: str, entity_id: str) -> None:
        known = self._by_name.get(key)
        if known is None:
            self._by_name[key] = entity_id
        elif isinstance(known, str):
            if known != entity_id:
                self._by_name[key] = (known, entity_id)
        elif entity_id not in known:
            self._by_name[key] = (*known, entity_id)

    def _ids_named(self, key: str) -> tuple[str, ...]:
        known = self._by_name.get(key)
        return () if known is None else (known,) if isinstance(known, str) else known

    def _build_indexes(self) -> None:
        for entity in self.entities.values():
            if entity.parent:
                self._children[entity.parent].append(entity.id)
            if entity.member_of is not None and entity.member_of.relation == "holding":
                self._holdings[entity.member_of.group].append(entity.id)
            for relabel in entity.relabels:
                self._relabelled_by[relabel.maker].append(entity.id)
            for alias in entity.all_names():
                self._index_name(name_key(alias.name), entity.id)
            ids = entity.identifiers
            for assignee in ids.ieee_assignees:
                owner = self._by_assignee.setdefault(name_key(assignee), entity.id)
                if owner != entity.id:
                    raise DataError(f"IEEE assignee {assignee!r} is claimed by both {owner!r} and {entity.id!r}",
                                    file=entity.file or None, field="identifiers.ieee_assignees")
            for block in ids.mac_prefixes:
                self._by_prefix[block.prefix] = entity.id
            for pen in ids.enterprise_numbers:
                self._by_pen[pen.number] = entity.id
        for listing in self.listings:
            self._listings_of[listing.entity].append(listing)
        for item in self.evidence:
            self._evidence_of[item.entity].append(item)
        for friend in self.false_friends:
            for assignee in friend.ieee_assignees:
                self._ff_assignee[name_key(assignee)] = friend
            for prefix in friend.mac_prefixes:
                self._ff_prefix[prefix] = friend
            for number in friend.enterprise_numbers:
                self._ff_pen[number] = friend

    # -- entities and the corporate tree -------------------------------------------------------

    def get(self, entity_id: str) -> Entity:
        """The entity with this id; LookupFailed names the id if there is none."""
        try:
            return self.entities[entity_id]
        except KeyError:
            raise LookupFailed(f"no entity with id {entity_id!r} in the registry") from None

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.entities

    def ancestors(self, entity_id: str) -> list[Entity]:
        """The entity followed by its current parents, up to the top of its corporate tree."""
        chain: list[Entity] = []
        seen: set[str] = set()
        current: str | None = entity_id
        while current is not None and current not in seen:
            seen.add(current)
            entity = self.get(current)
            chain.append(entity)
            current = entity.parent
        return chain

    def holdings_of(self, entity_id: str) -> list[Entity]:
        """Holding companies recorded (``member_of`` with relation ``holding``) as owning this group top."""
        return [self.entities[h] for h in sorted(self._holdings.get(entity_id, []))]

    def owners_on(self, entity_id: str, day: str) -> list[str]:
        """Ids of every entity above ``entity_id`` on ``day``: current parents (and the holding companies of a
        group's top entity), and former parents whose recorded period (start to end) contains the day; nearest
        first, without repeats."""
        found: list[str] = []
        frontier = [entity_id]
        while frontier:
            entity = self.get(frontier.pop(0))
            above = [entity.parent] if entity.parent else []
            above += self._holdings.get(entity.id, [])
            above += [f.parent for f in entity.former_parents if (f.start or "") <= day < f.end]
            for parent in above:
                if parent not in found and parent != entity_id:
                    found.append(parent)
                    frontier.append(parent)
        return found

    def group_of(self, entity_id: str) -> str:
        """The entity's group id: the top of its current corporate tree, or the group that top is recorded as a
        member of (``member_of``: a holding company belongs to the group of the company it owns)."""
        group = self._group_of.get(entity_id)
        if group is None:
            top = self.ancestors(entity_id)[-1]
            group = self._group_of[entity_id] = top.member_of.group if top.member_of is not None else top.id
        return group

    def members(self, group_id: str) -> list[Entity]:
        """Every entity whose group id is ``group_id``: the top, its tree, and members outside the tree (holding
        companies and their trees), the top first, then by id."""
        found = [e for e in self.entities.values() if e.id != group_id and self.group_of(e.id) == group_id]
        top = [self.entities[group_id]] if group_id in self.entities else []
        return top + sorted(found, key=lambda e: e.id)

    def children(self, entity_id: str) -> list[Entity]:
        """Entities whose current parent is ``entity_id``, sorted by id."""
        return [self.entities[c] for c in sorted(self._children.get(entity_id, []))]

    def descendants(self, entity_id: str) -> list[Entity]:
        """Every entity below ``entity_id`` in the current tree, depth first."""
        out: list[Entity] = []
        for child in self.children(entity_id):
            out.append(child)
            out.extend(self.descendants(child.id))
        return out

    def relabellers_of(self, maker_id: str) -> list[Entity]:
        """Brands documented to sell hardware made by ``maker_id`` (or one of its entities)."""
        ids = {maker_id, *(e.id for e in self.descendants(maker_id))}
        found = {r for m in ids for r in self._relabelled_by.get(m, [])}
        return [self.entities[r] for r in sorted(found)]

    def groups(self) -> list[str]:
        """Ids of the tops of the corporate trees defined by group files, in file order."""
        return list(self.group_names)

    def listings_of(self, entity_id: str) -> list[Listing]:
        """Listings recorded for this very entity (not its parents)."""
        return list(self._listings_of.get(entity_id, []))

    def evidence_of(self, entity_id: str) -> list[Evidence]:
        """Human-rights evidence recorded for this very entity (not its parents)."""
        return list(self._evidence_of.get(entity_id, []))

    def capability_claims_for(self, model: str | None) -> list[CapabilityClaim]:
        """The capability claims (models sources report with face recognition or people analytics) that match a
        device's model number; none without a model."""
        if not model or not model.strip():
            return []
        return [claim for claim in self.capability_claims if claim.matches(model.strip())]

    def source(self, key: str) -> Source:
        """A source by its qualified key (``file-group/key``)."""
        try:
            return self.sources[key]
        except KeyError:
            raise LookupFailed(f"no source {key!r} in the registry") from None

    # -- lookups by name and identifier -------------------------------------------------------

    def find_by_name(self, text: str) -> list[Entity]:
        """Entities one of whose names equals ``text`` after case, width and punctuation folding."""
        return [self.entities[i] for i in sorted(self._ids_named(name_key(text)))]

    def search(self, text: str, limit: int = 20) -> list[Entity]:
        """Entities whose id or any name contains ``text`` (folded), best (shortest name) first."""
        needle = name_key(text)
        if not needle:
            return []
        hits: dict[str, int] = {}
        for key in self._by_name:
            if needle in key:
                ids = self._ids_named(key)
                for entity_id in ids:
                    hits[entity_id] = min(hits.get(entity_id, 10**6), len(key))
        for entity_id in self.entities:
            if needle in entity_id:
                hits[entity_id] = min(hits.get(entity_id, 10**6), len(entity_id))
        ranked = sorted(hits, key=lambda i: (hits[i], i))
        return [self.entities[i] for i in ranked[:limit]]

    def entity_for_assignee(self, assignee: str) -> str | None:
        """Our entity whose IEEE assignee name this is, or None."""
        return self._by_assignee.get(name_key(assignee))

    def false_friend_for_assignee(self, assignee: str) -> FalseFriend | None:
        """The false friend whose IEEE assignee name this is, or None."""
        return self._ff_assignee.get(name_key(assignee))

    def resolve_mac(self, mac: str) -> MacMatch | None:
        """Who a MAC address was assigned to, and which of our entities (if any) that is.

        Explicit registry blocks and false friends are checked longest first, then the IEEE data.
        Returns None for an unassigned or malformed address.
        """
        digits = mac_hex(mac)
        if digits is None:
            return None
        for width in (9, 7, 6):
            prefix = digits[:width]
            if prefix in self._by_prefix:
                entity_id = self._by_prefix[prefix]
                return MacMatch(prefix, self.entities[entity_id].name, entity_id, None, "registry-prefix")
            if prefix in self._ff_prefix:
                friend = self._ff_prefix[prefix]
                return MacMatch(prefix, friend.name, None, friend, "false-friend")
        if self._ieee is None:
            return None
        assignment = self._ieee.lookup(digits)
        if assignment is None:
            return None
        known_friend = self.false_friend_for_assignee(assignment.assignee)
        if known_friend is not None:
            return MacMatch(assignment.prefix, assignment.assignee, None, known_friend, "false-friend")
        return MacMatch(assignment.prefix, assignment.assignee,
                        self.entity_for_assignee(assignment.assignee), None, "ieee-assignee")

    def attach_ieee(self, ieee: IeeeRegistry | None) -> None:
        """Use ``ieee`` for MAC assignees (the loader attaches it after building or loading from the cache)."""
        self._ieee = ieee

    def subdivided_blocks(self) -> set[str]:
        """24-bit prefixes (6 hex digits) inside which smaller blocks (MA-M, MA-S) are known."""
        long_prefixes = [*self._by_prefix, *self._ff_prefix]
        if self._ieee is not None:
            long_prefixes += self._ieee.long_prefixes()
        return {p[:6] for p in long_prefixes if len(p) > 6}

    def entity_for_enterprise_number(self, number: int) -> str | None:
        """Our entity that owns this IANA enterprise number, or None (false friends give None)."""
        return self._by_pen.get(number)

    def false_friend_for_enterprise_number(self, number: int) -> FalseFriend | None:
        """The false friend that owns this enterprise number, or None."""
        return self._ff_pen.get(number)
