"""``schoon user``, ``schoon token`` and ``schoon db app-role``, run as a user would."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from schoon.accounts.pgroles import check_app_role
from schoon.accounts.service import Accounts, AuthError, LockedOut
from schoon.audit import Store
from tests.accounts.conftest import PASSWORD
from tests.cli.helpers import run


def test_user_add_list_disable_enable_password_unlock(orgs: Store, db_url: str) -> None:
    added = run("user", "add", "Anna@MVZ.nl", "--org", "mvz", "--role", "editor", "--db", db_url,
                stdin=PASSWORD + "\n")
    assert (added.code, added.out) == (0, "added editor anna@mvz.nl of mvz\n")
    assert Accounts(orgs).authenticate("anna@mvz.nl", PASSWORD).role == "editor"
    invited = run("user", "add", "bob@dvt.nl", "--org", "dvt", "--role", "viewer", "--invite",
                  "--base-url", "https://schoon.example/", "--db", db_url)
    assert invited.code == 0
    link = invited.out.splitlines()[-1]
    assert link.startswith("https://schoon.example/invite/invite_")
    assert Accounts(orgs).accept_invitation(link.rsplit("/", 1)[1], PASSWORD).org_id == "dvt"
    listed = run("user", "list", "--db", db_url)
    assert [line.rsplit("\t", 1)[0] for line in listed.out.splitlines()] == [
        "email\torg\trole\tstate\tsign-in", "anna@mvz.nl\tmvz\teditor\tactive\tpassword",
        "bob@dvt.nl\tdvt\tviewer\tactive\tpassword"]
    assert run("user", "list", "--org", "dvt", "--db", db_url).out.count("\n") == 2
    assert run("user", "disable", "anna@mvz.nl", "--db", db_url).out == "disabled anna@mvz.nl\n"
    assert "\tdisabled\t" in run("user", "list", "--db", db_url).out
    assert run("user", "enable", "anna@mvz.nl", "--db", db_url).code == 0
    changed = run("user", "password", "anna@mvz.nl", "--db", db_url, stdin="een nieuwe lange zin\n")
    assert changed.code == 0 and Accounts(orgs).authenticate("anna@mvz.nl", "een nieuwe lange zin")
    for _ in range(5):
        with pytest.raises(AuthError):
            Accounts(orgs).authenticate("anna@mvz.nl", "wrong wrong wrong")
    with pytest.raises(LockedOut):
        Accounts(orgs).authenticate("anna@mvz.nl", "een nieuwe lange zin")
    assert run("user", "unlock", "anna@mvz.nl", "--db", db_url).out == "anna@mvz.nl may sign in again\n"
    assert Accounts(orgs).authenticate("anna@mvz.nl", "een nieuwe lange zin").email == "anna@mvz.nl"


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (("user", "add", "c@mvz.nl", "--org", "mvz", "--role", "editor"), "kort\n", "at least 12 characters"),
    (("user", "add", "c@mvz.nl", "--org", "mvz", "--role", "editor"), "", "no password on standard input"),
    (("user", "add", "c@mvz.nl", "--org", "mvz", "--role", "boss"), PASSWORD, "unknown role 'boss'"),
    (("user", "add", "c@mvz.nl", "--org", "nope", "--role", "viewer"), PASSWORD, "unknown organisation 'nope'"),
    (("user", "disable", "nobody@mvz.nl"), None, "unknown user 'nobody@mvz.nl'"),
    (("token", "create", "nobody@mvz.nl"), None, "unknown user 'nobody@mvz.nl'"),
    (("token", "revoke", "abc"), None, "unknown token 'abc'"),
])
def test_bad_requests_are_one_line(orgs: Store, db_url: str, args: tuple[str, ...], stdin: str | None,
                                   message: str) -> None:
    result = run(*args, "--db", db_url, stdin=stdin)
    assert result.code == 2 and message in result.err and result.err.count("\n") == 1, result.err
    assert result.err.startswith("schoon: error: ")


def test_token_create_prints_the_secret_once_on_the_last_line(orgs: Store, db_url: str) -> None:
    Accounts(orgs).add_user("anna@mvz.nl", "mvz", "editor", PASSWORD)
    created = run("token", "create", "anna@mvz.nl", "--expires", "30", "--db", db_url)
    assert created.code == 0
    *_, secret = created.out.splitlines()
    accounts = Accounts(orgs)
    principal = accounts.principal_for_token(secret)
    assert principal is not None and principal.email == "anna@mvz.nl"
    [token] = accounts.tokens()
    assert created.out.startswith(f"token {token.id} for anna@mvz.nl (expires in 30 days)")
    listed = run("token", "list", "--db", db_url).out
    assert token.id in listed and secret not in listed
    assert run("token", "revoke", token.id, "--db", db_url).out == f"token {token.id} revoked\n"
    assert accounts.principal_for_token(secret) is None
    assert run("token", "create", "anna@mvz.nl", "--expires", "0", "--db", db_url).code == 2


def test_db_app_role(orgs: Store, db_url: str) -> None:
    name = f"app_{uuid.uuid4().hex[:10]}"
    result = run("db", "app-role", name, "--db", db_url, stdin="role-password\n")
    if not db_url.startswith("postgresql"):
        assert result.code == 2 and "for PostgreSQL" in result.err
        return
    try:
        assert result.code == 0, result.err
        assert result.out.splitlines()[0] == f"role {name} created"
        assert check_app_role(orgs.engine, name) == []
        again = run("db", "app-role", name, "--no-password", "--db", db_url)
        assert again.out.splitlines()[0] == f"role {name} updated"
    finally:
        with orgs.engine.begin() as conn:
            conn.execute(sa.text(f'DROP OWNED BY "{name}"'))
        orgs.engine.dispose()
        with orgs.engine.connect() as conn:
            conn.execute(sa.text(f'DROP ROLE IF EXISTS "{name}"'))
            conn.commit()
