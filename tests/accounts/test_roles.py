"""Roles and principals: who may read, change and administer which organisations."""

from __future__ import annotations

import pytest

from schoon.accounts.principal import ancestors, make_principal, tree
from schoon.accounts.roles import ROLES, RoleError, may_administer, may_edit, may_grant, parse_role

PARENTS = [("mvz", None), ("dvt", "mvz"), ("dvt-noord", "dvt"), ("mob", None), ("loop-a", "loop-b"),
           ("loop-b", "loop-a")]


def test_parse_role_accepts_the_four_and_nothing_else() -> None:
    assert [parse_role(r) for r in (" Coordinator", "org_admin", "EDITOR", "viewer")] == list(ROLES)
    with pytest.raises(RoleError, match="unknown role 'admin': use one of coordinator, org-admin, editor, viewer"):
        parse_role("admin")


def test_what_each_role_may_do() -> None:
    assert [may_edit(r) for r in ROLES] == [False, True, True, False]
    assert [may_administer(r) for r in ROLES] == [True, True, False, False]
    assert may_grant("coordinator", "coordinator") and may_grant("org-admin", "org-admin")
    assert not may_grant("org-admin", "coordinator")
    assert not any(may_grant(r, "viewer") for r in ("editor", "viewer"))


def test_tree_follows_parents_down_only() -> None:
    assert tree(PARENTS, "mvz") == {"mvz", "dvt", "dvt-noord"}
    assert tree(PARENTS, "dvt") == {"dvt", "dvt-noord"}
    assert tree(PARENTS, "mob") == {"mob"}
    assert tree(PARENTS, "loop-a") == {"loop-a", "loop-b"}  # a cycle ends
    assert ancestors(PARENTS, "dvt-noord") == {"dvt", "mvz"}
    assert ancestors(PARENTS, "mvz") == frozenset()
    assert ancestors(PARENTS, "loop-a") == {"loop-b"}


def test_principal_permissions_per_role_and_tree() -> None:
    editor = make_principal(1, "e@x.nl", "dvt", "editor", PARENTS)
    assert editor.orgs == {"dvt", "dvt-noord"} and editor.ancestors == {"mvz"}
    assert editor.can_read("dvt-noord") and editor.can_edit("dvt-noord") and not editor.can_admin("dvt")
    assert not editor.can_read("mvz") and not editor.can_edit("mvz")  # the parent is not in the tree
    assert not editor.can_read(None)
    viewer = make_principal(2, "v@x.nl", "mvz", "viewer", PARENTS)
    assert viewer.can_read("dvt") and not viewer.can_edit("dvt") and not viewer.can_admin("dvt")
    admin = make_principal(3, "a@x.nl", "mvz", "org-admin", PARENTS)
    assert admin.can_edit("dvt-noord") and admin.can_admin("dvt-noord") and not admin.can_admin("mob")
    coordinator = make_principal(4, "c@x.nl", "mvz", "coordinator", PARENTS)
    assert coordinator.orgs == {o for o, _ in PARENTS} and coordinator.is_coordinator
    assert coordinator.can_read("mob") and coordinator.can_admin("mob")
    assert not coordinator.can_edit("mob")  # read-only on the data
