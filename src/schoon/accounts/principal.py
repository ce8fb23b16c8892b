"""Principal: who is asking, and which organisations' data they may see, change and administer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from schoon.accounts.roles import Role, may_administer, may_edit


@dataclass(frozen=True)
class Principal:
    """A signed-in user (or an API token's user) with the organisation tree they see.

    ``orgs`` is the user's organisation and every organisation below it (through ``parent_id``); for the
    coordinator it is every organisation. ``ancestors`` are the organisations above the user's own (whose
    deadlines it inherits); they are not part of what the user sees.
    """

    user_id: int
    email: str
    org_id: str
    role: Role
    orgs: frozenset[str]
    ancestors: frozenset[str] = frozenset()

    @property
    def is_coordinator(self) -> bool:
        """Whether this is the coordinator (sees every organisation)."""
        return self.role == "coordinator"

    def can_read(self, org_id: str | None) -> bool:
        """Whether the principal may see data of ``org_id``."""
        return org_id is not None and org_id in self.orgs

    def can_edit(self, org_id: str | None) -> bool:
        """Whether the principal may change data of ``org_id`` (editors and org-admins, in their tree)."""
        return may_edit(self.role) and self.can_read(org_id)

    def can_admin(self, org_id: str | None) -> bool:
        """Whether the principal may manage users, sites and deadlines of ``org_id``."""
        return may_administer(self.role) and self.can_read(org_id)


def tree(parents: Iterable[tuple[str, str | None]], root: str) -> frozenset[str]:
    """``root`` and every organisation below it, from (id, parent id) pairs (cycles are harmless)."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for org_id, parent in parents:
        children[parent].append(org_id)
    seen = {root}
    frontier = [root]
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in seen:
                seen.add(child)
                frontier.append(child)
    return frozenset(seen)


def ancestors(parents: Iterable[tuple[str, str | None]], org_id: str) -> frozenset[str]:
    """The organisations above ``org_id`` (its parent, the parent's parent, ...)."""
    parent_of = dict(parents)
    out: set[str] = set()
    current = parent_of.get(org_id)
    while current is not None and current not in out and current != org_id:
        out.add(current)
        current = parent_of.get(current)
    return frozenset(out)


def make_principal(user_id: int, email: str, org_id: str, role: Role,
                   parents: Iterable[tuple[str, str | None]]) -> Principal:
    """The principal of a user, with the tree computed from every organisation's (id, parent id)."""
    pairs = list(parents)
    orgs = frozenset(o for o, _ in pairs) if role == "coordinator" else tree(pairs, org_id)
    above = frozenset() if role == "coordinator" else ancestors(pairs, org_id)
    return Principal(user_id, email, org_id, role, orgs, above)
