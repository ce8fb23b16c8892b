"""The four roles: what each may read, change and administer within its organisation tree.

    coordinator  every organisation, read-only on the data; manages organisations and users
    org-admin    own tree: data (like an editor), users, sites, deadlines
    editor       own tree: uploads, lifecycle moves, screening decisions
    viewer       own tree, read-only
"""

from __future__ import annotations

from typing import Literal

from schoon.errors import SchoonError

Role = Literal["coordinator", "org-admin", "editor", "viewer"]
ROLES: tuple[Role, ...] = ("coordinator", "org-admin", "editor", "viewer")

#: roles that may change data (imports, lifecycle moves, decisions) inside their tree
EDITING: frozenset[str] = frozenset({"org-admin", "editor"})
#: roles that may manage users, sites and deadlines (the coordinator everywhere, an org-admin in its tree)
ADMINISTERING: frozenset[str] = frozenset({"coordinator", "org-admin"})


class RoleError(SchoonError):
    """A role name that is not one of :data:`ROLES`."""


def parse_role(text: str) -> Role:
    """A role from user input (case and surrounding spaces ignored); anything else is one RoleError line."""
    value = str(text).strip().lower().replace("_", "-")
    if value not in ROLES:
        raise RoleError(f"unknown role {text!r}: use one of {', '.join(ROLES)}")
    return value  # narrowed to Role by the membership test above


def may_edit(role: str) -> bool:
    """Whether the role may change data (within its tree)."""
    return role in EDITING


def may_administer(role: str) -> bool:
    """Whether the role may manage users, sites and deadlines (within its tree; the coordinator everywhere)."""
    return role in ADMINISTERING


def may_grant(granter: str, role: str) -> bool:
    """Whether a user of role ``granter`` may give ``role`` to someone: only a coordinator makes coordinators."""
    if granter == "coordinator":
        return True
    return granter == "org-admin" and role != "coordinator"
