"""Accounts: users, invitations, sign-in with lockout, API tokens, sessions and the audit log, on SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from schoon.accounts.passwords import PasswordError
from schoon.accounts.principal import Principal
from schoon.accounts.roles import RoleError
from schoon.accounts.service import (
    AccessDenied,
    AccountError,
    Accounts,
    AuthError,
    LockedOut,
    TokenInfo,
    sha256,
)
from schoon.accounts.tenant import TenantStore
from schoon.audit.db import StoreError
from schoon.audit.schema import api_tokens, audit_events, sessions, users
from tests.accounts.conftest import PASSWORD, Clock


def test_add_user_with_password_and_sign_in(accounts: Accounts) -> None:
    user, invitation = accounts.add_user(" Anna@MVZ.nl ", "mvz", "editor", PASSWORD)
    assert invitation is None and (user.email, user.org_id, user.role, user.has_password) == \
        ("anna@mvz.nl", "mvz", "editor", True)
    principal = accounts.authenticate("ANNA@mvz.nl", PASSWORD)
    assert (principal.email, principal.role, principal.orgs) == ("anna@mvz.nl", "editor", {"mvz", "dvt"})
    with accounts.store.read() as conn:
        stored = conn.execute(sa.select(users.c.password_hash)).scalar()
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored


def test_add_user_refuses_bad_input(accounts: Accounts) -> None:
    accounts.add_user("anna@mvz.nl", "mvz", "editor", PASSWORD)
    with pytest.raises(AccountError, match=r"user anna@mvz\.nl exists already"):
        accounts.add_user("ANNA@mvz.nl", "dvt", "viewer", PASSWORD)
    with pytest.raises(AccountError, match="unknown organisation 'nope'"):
        accounts.add_user("bob@mvz.nl", "nope", "viewer", PASSWORD)
    with pytest.raises(AccountError, match="not an email address"):
        accounts.add_user("bob", "mvz", "viewer", PASSWORD)
    with pytest.raises(RoleError):
        accounts.add_user("bob@mvz.nl", "mvz", "boss", PASSWORD)
    with pytest.raises(PasswordError, match="your email address or name"):
        accounts.add_user("bob.smit@mvz.nl", "mvz", "viewer", "smit smit smit smit")
    assert [u.email for u in accounts.users()] == ["anna@mvz.nl"]


def test_invitation_is_one_time_and_expires(accounts: Accounts, clock: Clock) -> None:
    user, invitation = accounts.add_user("bob@mvz.nl", "mvz", "viewer")
    assert invitation is not None and not user.has_password
    with pytest.raises(AuthError):  # an invited user has no password yet
        accounts.authenticate("bob@mvz.nl", "")
    with pytest.raises(PasswordError):
        accounts.accept_invitation(invitation, "short")
    principal = accounts.accept_invitation(invitation, PASSWORD)
    assert principal.email == "bob@mvz.nl" and accounts.authenticate("bob@mvz.nl", PASSWORD).role == "viewer"
    with pytest.raises(AccountError, match="unknown, used or expired"):
        accounts.accept_invitation(invitation, "another long passphrase")
    _, late = accounts.add_user("carl@mvz.nl", "mvz", "viewer")
    assert late is not None
    clock.advance(days=8)
    with pytest.raises(AccountError, match="unknown, used or expired"):
        accounts.accept_invitation(late, PASSWORD)
    with accounts.store.read() as conn:
        assert conn.execute(sa.select(users.c.invite_hash).where(users.c.email == "carl@mvz.nl")).scalar() == \
            sha256(late)  # only the hash of the invitation is stored


def test_wrong_password_unknown_and_disabled_users_get_the_same_answer(accounts: Accounts) -> None:
    accounts.add_user("anna@mvz.nl", "mvz", "editor", PASSWORD)
    accounts.add_user("dora@mvz.nl", "mvz", "editor", PASSWORD)
    accounts.disable("dora@mvz.nl")
    answers = set()
    for email, password in (("anna@mvz.nl", "wrong wrong wrong"), ("nobody@mvz.nl", PASSWORD),
                            ("dora@mvz.nl", PASSWORD), ("not an email", PASSWORD)):
        with pytest.raises(AuthError) as caught:
            accounts.authenticate(email, password)
        answers.add(str(caught.value))
    assert answers == {"wrong email address or password"}


def test_lockout_after_five_failures_for_fifteen_minutes(accounts: Accounts, clock: Clock) -> None:
    accounts.add_user("anna@mvz.nl", "mvz", "editor", PASSWORD)
    for _ in range(4):
        with pytest.raises(AuthError, match="wrong email"):
            accounts.authenticate("anna@mvz.nl", "not the password")
    with pytest.raises(LockedOut, match="try again after 09:15 UTC"):
        accounts.authenticate("anna@mvz.nl", "not the password")
    with pytest.raises(LockedOut):  # even the right password is refused while locked
        accounts.authenticate("anna@mvz.nl", PASSWORD)
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(LockedOut):
        accounts.authenticate("anna@mvz.nl", PASSWORD)
    clock.advance(seconds=2)
    assert accounts.authenticate("anna@mvz.nl", PASSWORD).email == "anna@mvz.nl"
    # a success clears the count: four more failures do not lock
    for _ in range(4):
        with pytest.raises(AuthError, match="wrong email"):
            accounts.authenticate("anna@mvz.nl", "not the password")
    assert accounts.authenticate("anna@mvz.nl", PASSWORD).email == "anna@mvz.nl"


def test_failures_spread_over_time_do_not_lock(accounts: Accounts, clock: Clock) -> None:
    accounts.add_user("anna@mvz.nl", "mvz", "editor", PASSWORD)
    for _ in range(8):
        with pytest.raises(AuthError, match="wrong email"):
            accounts.authenticate("anna@mvz.nl", "not the password")
        clock.advance(minutes=4)  # a new window every fifteen minutes: never five within one
        if _ % 4 == 3:
            clock.advance(minutes=4)
    assert accounts.authenticate("anna@mvz.nl", PASSWORD).email == "anna@mvz.nl"


def test_unknown_addresses_lock_too_and_unlock_lifts_it(accounts: Accounts) -> None:
    for _ in range(5):
        with pytest.raises(AuthError):
            accounts.authenticate("ghost@mvz.nl", PASSWORD)
    with pytest.raises(LockedOut):
        accounts.authenticate("ghost@mvz.nl", PASSWORD)
    accounts.add_user("anna@mvz.nl", "mvz", "editor", PASSWORD)
    for _ in range(5):
        with pytest.raises(AuthError):
            accounts.authenticate("anna@mvz.nl", "not the password")
    accounts.unlock("anna@mvz.nl")
    assert accounts.authenticate("anna@mvz.nl", PASSWORD).email == "anna@mvz.nl"


def test_disable_ends_sessions_and_tokens_enable_restores_sign_in(accounts: Accounts) -> None:
    accounts.add_user("anna@mvz.nl", "mvz", "editor", PASSWORD)
    principal = accounts.authenticate("anna@mvz.nl", PASSWORD)
    ticket = accounts.create_session(principal.user_id)
    _, secret = accounts.create_token("anna@mvz.nl")
    assert accounts.principal_for_session(ticket.token) == principal == accounts.principal_for_token(secret)
    assert accounts.disable("anna@mvz.nl").disabled
    assert accounts.principal_for_session(ticket.token) is None
    assert accounts.principal_for_token(secret) is None
    assert accounts.principal_for_user(principal.user_id) is None
    with pytest.raises(AccountError, match="disabled"):
        accounts.create_token("anna@mvz.nl")
    accounts.enable("anna@mvz.nl")
    assert accounts.principal_for_token(secret) == principal  # tokens work again; sessions stay ended
    assert accounts.principal_for_session(ticket.token) is None


def test_tokens_are_hashed_expire_and_revoke(accounts: Accounts, clock: Clock) -> None:
    accounts.add_user("anna@mvz.nl", "mvz", "editor", PASSWORD)
    token_id, secret = accounts.create_token("anna@mvz.nl", expires_days=30)
    assert secret.startswith("schoon_") and len(secret) > 40
    with accounts.store.read() as conn:
        row = conn.execute(sa.select(api_tokens)).one()
    assert row.secret_hash == sha256(secret) and secret not in str(tuple(row))
    assert accounts.principal_for_token(secret) is not None
    assert accounts.principal_for_token(secret + "x") is None
    assert accounts.principal_for_token("") is None and accounts.principal_for_token("Bearer x") is None
    [info] = accounts.tokens()
    assert isinstance(info, TokenInfo) and info.id == token_id and info.last_used_at == "2026-11-29T09:00:00+00:00"
    clock.advance(days=29, hours=23)
    assert accounts.principal_for_token(secret) is not None
    clock.advance(hours=1)
    assert accounts.principal_for_token(secret) is None  # expired
    other_id, other = accounts.create_token("anna@mvz.nl")
    accounts.revoke_token(other_id)
    assert accounts.principal_for_token(other) is None
    accounts.revoke_token(other_id)  # revoking twice is harmless
    with pytest.raises(AccountError, match="unknown token 'nope'"):
        accounts.revoke_token("nope")
    with pytest.raises(AccountError, match="1 to 3650 days"):
        accounts.create_token("anna@mvz.nl", expires_days=0)


def test_sessions_rotate_end_and_expire(accounts: Accounts, clock: Clock) -> None:
    accounts.add_user("anna@mvz.nl", "mvz", "editor", PASSWORD)
    principal = accounts.authenticate("anna@mvz.nl", PASSWORD)
    planted = accounts.create_session(principal.user_id)
    fresh = accounts.create_session(principal.user_id, replacing=planted.token)  # sign-in rotates the id
    assert fresh.token != planted.token and fresh.csrf != planted.csrf
    assert accounts.session(planted.token) is None
    info = accounts.session(fresh.token)
    assert info is not None and info.principal == principal and info.csrf == fresh.csrf
    with accounts.store.read() as conn:
        assert conn.execute(sa.select(sessions.c.id_hash)).scalars().all() == [sha256(fresh.token)]
    accounts.end_session(fresh.token)
    assert accounts.session(fresh.token) is None and accounts.session(None) is None
    late = accounts.create_session(principal.user_id)
    clock.advance(hours=12)
    assert accounts.principal_for_session(late.token) is None
    assert accounts.purge_expired() == 1


def test_admins_manage_their_tree_only(accounts: Accounts, people: Callable[[str], Principal]) -> None:
    admin_a, admin_b, editor_a = people("a_admin"), people("b_admin"), people("a_editor")
    user, _ = accounts.add_user("new@dvt.nl", "dvt", "editor", PASSWORD, by=admin_a)
    assert user.org_id == "dvt"
    with pytest.raises(AccessDenied):
        accounts.add_user("x@mob.nl", "mob", "viewer", PASSWORD, by=admin_a)
    with pytest.raises(AccessDenied):
        accounts.add_user("boss@mvz.nl", "mvz", "coordinator", PASSWORD, by=admin_a)
    with pytest.raises(AccessDenied):
        accounts.add_user("y@mvz.nl", "mvz", "viewer", PASSWORD, by=editor_a)
    assert {u.org_id for u in accounts.users(admin_a)} == {"mvz", "dvt"}
    assert {u.org_id for u in accounts.users(admin_b)} == {"mob"}
    assert len(accounts.users(people("coord"))) == len(accounts.users())
    with pytest.raises(AccessDenied):
        accounts.users(editor_a)
    with pytest.raises(AccountError, match=r"unknown user 'b_viewer@example\.org'"):  # another tree: unknown
        accounts.disable("b_viewer@example.org", by=admin_a)
    with pytest.raises(AccessDenied):  # an org-admin cannot disable the coordinator of its tree
        accounts.disable("coord@example.org", by=admin_a)
    accounts.disable("a_viewer@example.org", by=admin_a)
    token_b, _ = accounts.create_token("b_viewer@example.org")
    with pytest.raises(AccountError, match="unknown token"):
        accounts.revoke_token(token_b, by=admin_a)
    with pytest.raises(AccountError, match="unknown token"):
        accounts.revoke_token(token_b, by=people("b_editor"))  # not theirs, not an admin
    accounts.revoke_token(token_b, by=admin_b)
    own_id, _ = accounts.create_token("a_editor@example.org", by=editor_a)
    assert [t.id for t in accounts.tokens(editor_a)] == [own_id]
    assert {t.email for t in accounts.tokens(admin_b)} == {"b_viewer@example.org"}


def test_audit_log_is_scoped_and_append_only(accounts: Accounts, people: Callable[[str], Principal]) -> None:
    editor_a, editor_b = people("a_editor"), people("b_editor")
    accounts.record_event(editor_a, "device.move", "#1", "scheduled")
    accounts.record_event(editor_b, "device.move", "#9", "replaced")
    accounts.record_event(None, "system.start")
    seen_a = [(e.actor, e.action, e.target) for e in accounts.events(editor_a) if e.action == "device.move"]
    assert seen_a == [("a_editor@example.org", "device.move", "#1")]
    assert all(e.org_id in {"mvz", "dvt"} for e in accounts.events(editor_a))
    assert all(e.org_id == "mob" for e in accounts.events(editor_b))
    everything = accounts.events(people("coord"))
    assert {e.action for e in everything} >= {"device.move", "system.start", "user.add"}
    assert everything == sorted(everything, key=lambda e: -e.id)
    assert accounts.events(limit=2, before=everything[0].id) == everything[1:3]
    for statement in (audit_events.update().values(action="forged"), audit_events.delete()):
        with pytest.raises(StoreError, match="append-only"), TenantStore.system(accounts.store).write() as conn:
            conn.execute(statement)
    assert len(accounts.events()) == len(everything)


def test_set_password_checks_rules_and_ends_sessions(accounts: Accounts, people: Callable[[str], Principal]) -> None:
    editor = people("a_editor")
    ticket = accounts.create_session(editor.user_id)
    with pytest.raises(PasswordError):
        accounts.set_password("a_editor@example.org", "password2024")
    accounts.set_password("a_editor@example.org", "nieuwe lange zin hier", by=editor)
    assert accounts.session(ticket.token) is None
    assert accounts.authenticate("a_editor@example.org", "nieuwe lange zin hier") == editor
    with pytest.raises(AccountError, match="unknown user"):
        accounts.set_password("b_editor@example.org", "nieuwe lange zin hier", by=editor)


def test_lookups_of_unknown_users(accounts: Accounts, people: Callable[[str], Principal]) -> None:
    editor = people("a_editor")
    assert accounts.principal_for_user(editor.user_id) == editor
    assert accounts.principal_for_user(987654) is None
    assert accounts.principal_for_email("nobody@example.org") is None
    with pytest.raises(AccountError, match=r"unknown user 'nobody@example\.org'"):
        accounts.user("nobody@example.org")
    agency = people("agency_editor")
    assert (agency.orgs, agency.ancestors) == ({"dvt"}, {"mvz"})
    assert people("coord").orgs == {"mvz", "dvt", "mob"}
