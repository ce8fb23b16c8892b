"""``schoon user``, ``schoon token`` and ``schoon db``: accounts of the web service, for the operator.

These commands act as the operator (the database owner): no principal, every organisation. Passwords are read
from standard input when it is not a terminal (first line), else prompted for twice without echo; they never
appear on the command line.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from schoon.accounts.pgroles import create_app_role
from schoon.accounts.roles import ROLES, parse_role
from schoon.accounts.service import Accounts
from schoon.audit import Store
from schoon.cli.options import choices_metavar, db_option
from schoon.cli.output import DataTable, say
from schoon.errors import SchoonError
from schoon.settings import DbUse, check_db_url

user_app = typer.Typer(help="Users of the web service: add, list, disable, enable, set a password, unlock.",
                       no_args_is_help=True)
token_app = typer.Typer(help="API tokens (Authorization: Bearer) of the web service: create, list, revoke.",
                        no_args_is_help=True)
db_app = typer.Typer(help="Database roles: the web service's application role (PostgreSQL row-level security).",
                     no_args_is_help=True)

DbOption = db_option()


class InputError(SchoonError):
    """Nothing usable on standard input."""


@contextmanager
def _accounts(db: str | None) -> Iterator[Accounts]:
    """The accounts of the store at ``--db`` (or the setting); the connections close when the command ends."""
    store = Store.open(check_db_url(db, DbUse.READ))
    try:
        yield Accounts(store)
    finally:
        store.close()


def read_secret(what: str) -> str:
    """A password: the first line of standard input when it is not a terminal, else prompted for twice."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InputError(f"no {what} on standard input (its first line is the {what})")
        return line
    return str(typer.prompt(what.capitalize(), hide_input=True, confirmation_prompt=True))


@user_app.command("add")
def user_add(email: str = typer.Argument(..., metavar="EMAIL", help="The user's email address (their login)."),
             org: str = typer.Option(..., "--org", metavar="ORG", help="Their organisation id."),
             role: str = typer.Option(..., "--role", metavar=choices_metavar(ROLES), parser=parse_role,
                                      help="What they may do in their organisation's tree."),
             invite: bool = typer.Option(False, "--invite",
                                         help="No password now: print a one-time invitation (valid 7 days)."),
             base_url: str = typer.Option(None, "--base-url", metavar="URL",
                                          help="With --invite: the web service's address, to print a link."),
             db: str = DbOption) -> None:
    """Add a user; the password comes from standard input (or a prompt), or --invite prints an invitation.

    Example: schoon user add anna@mvz.nl --org mvz --role editor < password.txt
    """
    password = None if invite else read_secret("password")
    with _accounts(db) as accounts:
        user, invitation = accounts.add_user(email, org, role, password)
    say(f"added {user.role} {user.email} of {user.org_id}")
    if invitation is not None:
        say("one-time invitation (valid 7 days, shown once):")
        say(f"{base_url.rstrip('/')}/invite/{invitation}" if base_url else invitation)


@user_app.command("list")
def user_list(org: str = typer.Option(None, "--org", metavar="ORG", help="Only this organisation's users."),
              db: str = DbOption) -> None:
    """List users (tab-separated when piped).

    Example: schoon user list --org mvz
    """
    table = DataTable("email", "org", "role", "state", "sign-in", "created")
    with _accounts(db) as accounts:
        found = accounts.users()
    for user in found:
        if org is None or user.org_id == org:
            table.add_row(user.email, user.org_id, user.role, "disabled" if user.disabled else "active",
                          "password" if user.has_password else ("oidc" if user.source == "oidc" else "invited"),
                          user.created_at)
    table.show()


@user_app.command("disable")
def user_disable(email: str = typer.Argument(..., metavar="EMAIL", help="The user's email address."),
                 db: str = DbOption) -> None:
    """Disable a user: sessions end, tokens stop working, sign-in is refused.

    Example: schoon user disable anna@mvz.nl
    """
    with _accounts(db) as accounts:
        user = accounts.disable(email)
    say(f"disabled {user.email}")


@user_app.command("enable")
def user_enable(email: str = typer.Argument(..., metavar="EMAIL", help="The user's email address."),
                db: str = DbOption) -> None:
    """Enable a disabled user again.

    Example: schoon user enable anna@mvz.nl
    """
    with _accounts(db) as accounts:
        user = accounts.enable(email)
    say(f"enabled {user.email}")


@user_app.command("password")
def user_password(email: str = typer.Argument(..., metavar="EMAIL", help="The user's email address."),
                  db: str = DbOption) -> None:
    """Set a user's password (standard input or a prompt); their sessions end.

    Example: schoon user password anna@mvz.nl < password.txt
    """
    password = read_secret("password")
    with _accounts(db) as accounts:
        accounts.set_password(email, password)
    say(f"password of {email.strip().lower()} set")


@user_app.command("unlock")
def user_unlock(email: str = typer.Argument(..., metavar="EMAIL", help="The email address that is locked out."),
                db: str = DbOption) -> None:
    """Lift a sign-in lockout (after too many wrong passwords).

    Example: schoon user unlock anna@mvz.nl
    """
    with _accounts(db) as accounts:
        accounts.unlock(email)
    say(f"{email.strip().lower()} may sign in again")


@token_app.command("create")
def token_create(email: str = typer.Argument(..., metavar="EMAIL", help="Whose token: it acts as this user."),
                 expires: int = typer.Option(None, "--expires", metavar="DAYS", min=1, max=3650,
                                             help="Days until the token stops working (default: never)."),
                 db: str = DbOption) -> None:
    """Create an API token; the token is printed once, on the last line.

    Example: schoon token create anna@mvz.nl --expires 90
    """
    with _accounts(db) as accounts:
        token_id, secret = accounts.create_token(email, expires)
    ends = f"expires in {expires} days" if expires else "does not expire"
    say(f"token {token_id} for {email.strip().lower()} ({ends}); keep it secret, it is not shown again:")
    say(secret)


@token_app.command("list")
def token_list(email: str = typer.Option(None, "--email", metavar="EMAIL", help="Only this user's tokens."),
               db: str = DbOption) -> None:
    """List API tokens (never their secrets).

    Example: schoon token list --email anna@mvz.nl
    """
    table = DataTable("id", "email", "created", "expires", "revoked", "last used")
    wanted = email.strip().lower() if email else None
    with _accounts(db) as accounts:
        found = accounts.tokens()
    for token in found:
        if wanted is None or token.email == wanted:
            table.add_row(token.id, token.email, token.created_at, token.expires_at or "-", token.revoked_at or "-",
                          token.last_used_at or "-")
    table.show()


@token_app.command("revoke")
def token_revoke(token_id: str = typer.Argument(..., metavar="ID", help="The token's id (see 'schoon token list')."),
                 db: str = DbOption) -> None:
    """Revoke an API token at once.

    Example: schoon token revoke 3f9a0c1d2e4b
    """
    with _accounts(db) as accounts:
        accounts.revoke_token(token_id)
    say(f"token {token_id.strip()} revoked")


@db_app.command("app-role")
def db_app_role(name: str = typer.Argument("schoon_app", metavar="NAME", help="The role's name."),
                no_password: bool = typer.Option(False, "--no-password",
                                                 help="Set no password (peer or certificate authentication)."),
                db: str = DbOption) -> None:
    """Create or update the web service's PostgreSQL role (row-level security applies to it); run as the owner,
    again after each upgrade. Its password comes from standard input or a prompt.

    Example: schoon db app-role schoon_app --db postgresql://owner@db/schoon
    """
    password = None if no_password else read_secret("password")
    store = Store.open(check_db_url(db, DbUse.READ))
    try:
        done = create_app_role(store.engine, name, password)
    finally:
        store.close()
    for line in done:
        say(line)
