"""Accounts: users, invitations, sign-in with throttling and lockout, API tokens, sessions, the audit log.

Secrets are never stored: API tokens, session ids and invitation links are 32 random bytes, of which only the
SHA-256 is kept; passwords are argon2id hashes. Sign-in failures are counted per email address, known or not
(``login_attempts``), so an unknown address is throttled exactly like a known one and answers as slowly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from schoon.accounts.passwords import burn_time, check_password, hash_password, needs_rehash, verify_password
from schoon.accounts.principal import Principal, make_principal
from schoon.accounts.roles import Role, may_grant, parse_role
from schoon.accounts.tenant import TenantStore
from schoon.audit.schema import api_tokens, audit_events, login_attempts, organisations, sessions, users
from schoon.audit.store import Store
from schoon.errors import SchoonError

MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
LOCKOUT = dt.timedelta(minutes=15)
SESSION_LIFETIME = dt.timedelta(hours=12)
INVITATION_LIFETIME = dt.timedelta(days=7)
TOKEN_PREFIX = "schoon_"
INVITE_PREFIX = "invite_"
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
_GENERIC = "wrong email address or password"


class AccountError(SchoonError):
    """A request about accounts that cannot be done (unknown user, duplicate email, bad input)."""


class AuthError(AccountError):
    """Sign-in refused. The message never says whether the address exists."""


class LockedOut(AuthError):
    """Too many failed sign-ins for this address: refused until the lock ends (``until``, ISO UTC)."""

    def __init__(self, until: str) -> None:
        self.until = until
        super().__init__(f"too many failed sign-ins for this address: try again after {until[11:16]} UTC")


class AccessDenied(AccountError):
    """The acting principal may not do this (their role or tree does not allow it)."""


@dataclass(frozen=True)
class User:
    """A user as listed (no secrets)."""

    id: int
    email: str
    org_id: str
    role: str
    disabled: bool
    source: str
    has_password: bool
    created_at: str


@dataclass(frozen=True)
class TokenInfo:
    """An API token as listed (never its secret)."""

    id: str
    email: str
    created_at: str
    expires_at: str | None
    revoked_at: str | None
    last_used_at: str | None


@dataclass(frozen=True)
class SessionTicket:
    """A new session: the cookie value (given once), its CSRF token and when it ends."""

    token: str
    csrf: str
    expires_at: str


@dataclass(frozen=True)
class SessionInfo:
    """A live session: whose it is, its CSRF token and when it ends."""

    principal: Principal
    csrf: str
    expires_at: str


@dataclass(frozen=True)
class Event:
    """One entry of the audit log."""

    id: int
    at: str
    actor: str | None
    org_id: str | None
    action: str
    target: str | None
    detail: str | None


def sha256(text: str) -> str:
    """The hex SHA-256 of a secret (what is stored instead of it)."""
    return hashlib.sha256(text.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """An email address as stored: trimmed and lowercased; not an address is one AccountError line."""
    value = str(email).strip().lower()
    if not _EMAIL.match(value) or len(value) > 254:
        raise AccountError(f"not an email address: {email!r}")
    return value


def utcnow() -> dt.datetime:
    """The current UTC time, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def _user(row: Any) -> User:
    return User(int(row.id), row.email, row.org_id, row.role, bool(row.disabled), row.source,
                row.password_hash is not None, row.created_at)


class Accounts:
    """The accounts of one store. ``clock`` gives the current UTC time (tests move it)."""

    def __init__(self, store: Store, *, clock: Callable[[], dt.datetime] = utcnow,
                 max_failures: int = MAX_FAILURES, lockout: dt.timedelta = LOCKOUT,
                 session_lifetime: dt.timedelta = SESSION_LIFETIME) -> None:
        self.store = TenantStore.system(store)
        self.clock = clock
        self.max_failures = max_failures
        self.lockout = lockout
        self.session_lifetime = session_lifetime

    def _now(self) -> str:
        return _iso(self.clock())

    # -- principals -----------------------------------------------------------------------------------

    def _parents(self, conn: sa.Connection) -> list[tuple[str, str | None]]:
        return [(r.id, r.parent_id) for r in conn.execute(sa.select(organisations.c.id, organisations.c.parent_id))]

    def _principal(self, conn: sa.Connection, row: Any) -> Principal:
        return make_principal(int(row.id), row.email, row.org_id, parse_role(row.role), self._parents(conn))

    def principal_for_user(self, user_id: int) -> Principal | None:
        """The principal of a user id, or None when the user is unknown or disabled."""
        with self.store.read() as conn:
            row = conn.execute(sa.select(users).where(users.c.id == user_id)).first()
            if row is None or row.disabled:
                return None
            return self._principal(conn, row)

    def principal_for_email(self, email: str) -> Principal | None:
        """The principal of an email address, or None when unknown or disabled (the operator's CLI)."""
        with self.store.read() as conn:
            row = conn.execute(sa.select(users).where(users.c.email == normalise_email(email))).first()
            if row is None or row.disabled:
                return None
            return self._principal(conn, row)

    # -- users ----------------------------------------------------------------------------------------

    def add_user(self, email: str, org_id: str, role: str, password: str | None = None, *,
                 by: Principal | None = None, source: str = "local") -> tuple[User, str | None]:
        """Add a user; without a password, the second value is a one-time invitation secret (valid 7 days).

        ``by`` is the acting user (None: the operator's CLI); an org-admin adds users to its own tree only,
        and only a coordinator makes coordinators.
        """
        email = normalise_email(email)
        chosen: Role = parse_role(role)
        if by is not None and not (by.can_admin(org_id) and may_grant(by.role, chosen)):
            raise AccessDenied(f"{by.email} may not add a {chosen} to {org_id!r}")
        if password is not None:
            check_password(password, email)
        invitation = None if password is not None or source != "local" else INVITE_PREFIX + secrets.token_urlsafe(32)
        values = {"email": email, "org_id": org_id, "role": chosen,
                  "password_hash": hash_password(password) if password is not None else None,
                  "invite_hash": sha256(invitation) if invitation else None,
                  "invite_expires": _iso(self.clock() + INVITATION_LIFETIME) if invitation else None,
                  "source": source, "disabled": False, "created_at": self._now()}
        with self.store.write() as conn:
            if conn.execute(sa.select(organisations.c.id).where(organisations.c.id == org_id)).first() is None:
                raise AccountError(f"unknown organisation {org_id!r} (add it with 'schoon audit org add')")
            if conn.execute(sa.select(users.c.id).where(users.c.email == email)).first() is not None:
                raise AccountError(f"user {email} exists already")
            conn.execute(users.insert().values(values))
            self._event(conn, by, "user.add", email, f"role {chosen}", org_id)
        return self.user(email), invitation

    def user(self, email: str) -> User:
        """One user by email address (the operator's view: any organisation)."""
        with self.store.read() as conn:
            row = conn.execute(sa.select(users).where(users.c.email == normalise_email(email))).first()
        if row is None:
            raise AccountError(f"unknown user {email!r} (see 'schoon user list')")
        return _user(row)

    def users(self, principal: Principal | None = None) -> list[User]:
        """Users by email: all of them for the operator (None) and the coordinator, else the caller's tree
        (org-admins only: editors and viewers are refused)."""
        query = sa.select(users).order_by(users.c.email)
        if principal is not None:
            if principal.role not in ("coordinator", "org-admin"):
                raise AccessDenied(f"{principal.email} may not list users")
            if not principal.is_coordinator:
                query = query.where(users.c.org_id.in_(sorted(principal.orgs)))
        with self.store.read() as conn:
            return [_user(r) for r in conn.execute(query)]

    def _admin_target(self, email: str, by: Principal | None) -> User:
        """The user ``by`` wants to manage; a user outside their tree is unknown to them."""
        try:
            target = self.user(email)
        except AccountError:
            raise AccountError(f"unknown user {email!r}") from None
        if by is not None and not by.can_read(target.org_id):
            raise AccountError(f"unknown user {email!r}")
        if by is not None and not (by.can_admin(target.org_id) and may_grant(by.role, target.role)):
            raise AccessDenied(f"{by.email} may not manage {target.email}")
        return target

    def disable(self, email: str, *, by: Principal | None = None) -> User:
        """Disable a user: their sessions end, their tokens stop working, they cannot sign in."""
        target = self._admin_target(email, by)
        with self.store.write() as conn:
            conn.execute(users.update().where(users.c.id == target.id).values(disabled=True))
            conn.execute(sessions.delete().where(sessions.c.user_id == target.id))
            self._event(conn, by, "user.disable", target.email, None, target.org_id)
        return self.user(target.email)

    def enable(self, email: str, *, by: Principal | None = None) -> User:
        """Enable a disabled user again."""
        target = self._admin_target(email, by)
        with self.store.write() as conn:
            conn.execute(users.update().where(users.c.id == target.id).values(disabled=False))
            self._event(conn, by, "user.enable", target.email, None, target.org_id)
        return self.user(target.email)

    def set_password(self, email: str, password: str, *, by: Principal | None = None) -> None:
        """Set a user's password (checked against the rules); their other sessions end."""
        target = self._admin_target(email, by) if by is None or by.email != normalise_email(email) else \
            self.user(email)
        check_password(password, target.email)
        with self.store.write() as conn:
            conn.execute(users.update().where(users.c.id == target.id)
                         .values(password_hash=hash_password(password), invite_hash=None, invite_expires=None))
            conn.execute(sessions.delete().where(sessions.c.user_id == target.id))
            self._event(conn, by, "user.password", target.email, None, target.org_id)

    def accept_invitation(self, invitation: str, password: str) -> Principal:
        """Set the password of an invited user from their one-time invitation; the invitation is then used up."""
        with self.store.read() as conn:
            row = conn.execute(sa.select(users).where(users.c.invite_hash == sha256(invitation))).first()
        if row is None or row.disabled or (row.invite_expires or "") < self._now():
            raise AccountError("this invitation is unknown, used or expired; ask for a new one")
        check_password(password, row.email)
        with self.store.write() as conn:
            done = conn.execute(users.update().where(users.c.id == row.id, users.c.invite_hash == row.invite_hash)
                                .values(password_hash=hash_password(password), invite_hash=None,
                                        invite_expires=None)).rowcount
            if done != 1:
                raise AccountError("this invitation is unknown, used or expired; ask for a new one")
            self._event(conn, None, "user.invitation-accepted", row.email, None, row.org_id, actor=row.email,
                        user_id=int(row.id))
        principal = self.principal_for_user(int(row.id))
        assert principal is not None
        return principal

    # -- sign-in --------------------------------------------------------------------------------------

    def authenticate(self, email: str, password: str) -> Principal:
        """The principal of a correct email and password; AuthError otherwise, LockedOut after too many failures.

        ``max_failures`` wrong passwords within 15 minutes lock the address for ``lockout``; the count is per
        address whether or not it has an account, and an unknown address costs as much time as a known one.
        """
        try:
            address = normalise_email(email)
        except AccountError:
            burn_time(password)
            raise AuthError(_GENERIC) from None
        now = self._now()
        with self.store.read() as conn:
            attempt = conn.execute(sa.select(login_attempts).where(login_attempts.c.email == address)).first()
            row = conn.execute(sa.select(users).where(users.c.email == address)).first()
        if attempt is not None and attempt.locked_until and attempt.locked_until > now:
            raise LockedOut(attempt.locked_until)
        if row is None or row.password_hash is None:
            burn_time(password)
            ok = False
        else:
            ok = verify_password(row.password_hash, password) and not row.disabled
        if not ok:
            locked = self._fail(address)
            self.record_event(None, "sign-in.failed", address, None,
                              org_id=row.org_id if row is not None else None)
            if locked is not None:
                raise LockedOut(locked)
            raise AuthError(_GENERIC)
        assert row is not None  # ok implies a user
        with self.store.write() as conn:
            conn.execute(login_attempts.delete().where(login_attempts.c.email == address))
            if needs_rehash(row.password_hash):
                conn.execute(users.update().where(users.c.id == row.id).values(password_hash=hash_password(password)))
            self._event(conn, None, "sign-in", address, None, row.org_id, actor=address, user_id=int(row.id))
            return self._principal(conn, row)

    def _fail(self, address: str) -> str | None:
        """Count one failure; the end of the lock when this failure locks the address."""
        now = self.clock()
        window_start = _iso(now - FAILURE_WINDOW)
        with self.store.write() as conn:
            row = conn.execute(sa.select(login_attempts).where(login_attempts.c.email == address)).first()
            if row is None or row.first_failure_at < window_start:
                failures, first = 1, _iso(now)
            else:
                failures, first = int(row.failures) + 1, row.first_failure_at
            locked = _iso(now + self.lockout) if failures >= self.max_failures else None
            values = {"failures": 0 if locked else failures, "first_failure_at": first, "locked_until": locked}
            if row is None:
                conn.execute(login_attempts.insert().values(email=address, **values))
            else:
                conn.execute(login_attempts.update().where(login_attempts.c.email == address).values(values))
        return locked

    def unlock(self, email: str) -> None:
        """Lift a lockout (the operator, or an admin helping a user)."""
        with self.store.write() as conn:
            conn.execute(login_attempts.delete().where(login_attempts.c.email == normalise_email(email)))

    # -- API tokens -----------------------------------------------------------------------------------

    def create_token(self, email: str, expires_days: int | None = None, *,
                     by: Principal | None = None) -> tuple[str, str]:
        """A new API token for the user: (its id, its secret). The secret is shown once; only its hash is kept."""
        if expires_days is not None and not 1 <= expires_days <= 3650:
            raise AccountError(f"a token expires after 1 to 3650 days: {expires_days}")
        target = self.user(email) if by is None or by.email == normalise_email(email) else \
            self._admin_target(email, by)
        if target.disabled:
            raise AccountError(f"user {target.email} is disabled")
        token_id = secrets.token_hex(6)
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        expires = _iso(self.clock() + dt.timedelta(days=expires_days)) if expires_days else None
        with self.store.write() as conn:
            conn.execute(api_tokens.insert().values(id=token_id, user_id=target.id, secret_hash=sha256(secret),
                                                    created_at=self._now(), expires_at=expires))
            self._event(conn, by, "token.create", token_id, f"for {target.email}", target.org_id)
        return token_id, secret

    def tokens(self, principal: Principal | None = None) -> list[TokenInfo]:
        """API tokens (never their secrets): all for the operator, else the caller's own, or their tree's for
        admins."""
        query = (sa.select(api_tokens, users.c.email, users.c.org_id).join(users, users.c.id == api_tokens.c.user_id)
                 .order_by(api_tokens.c.created_at, api_tokens.c.id))
        if principal is not None and not principal.is_coordinator:
            if principal.role == "org-admin":
                query = query.where(users.c.org_id.in_(sorted(principal.orgs)))
            else:
                query = query.where(users.c.id == principal.user_id)
        with self.store.read() as conn:
            return [TokenInfo(r.id, r.email, r.created_at, r.expires_at, r.revoked_at, r.last_used_at)
                    for r in conn.execute(query)]

    def revoke_token(self, token_id: str, *, by: Principal | None = None) -> None:
        """Revoke an API token at once; an unknown id (or one outside ``by``'s reach) is one line."""
        with self.store.write() as conn:
            row = conn.execute(sa.select(api_tokens, users.c.org_id, users.c.email)
                               .join(users, users.c.id == api_tokens.c.user_id)
                               .where(api_tokens.c.id == str(token_id).strip())).first()
            visible = row is not None and (by is None or row.user_id == by.user_id or by.can_admin(row.org_id))
            if row is None or not visible:
                raise AccountError(f"unknown token {token_id!r} (see 'schoon token list')")
            if row.revoked_at is None:
                conn.execute(api_tokens.update().where(api_tokens.c.id == row.id).values(revoked_at=self._now()))
            self._event(conn, by, "token.revoke", row.id, f"of {row.email}", row.org_id)

    def principal_for_token(self, secret: str) -> Principal | None:
        """The principal behind a bearer token; None when unknown, revoked, expired or its user is disabled."""
        if not secret or not secret.startswith(TOKEN_PREFIX):
            return None
        now = self._now()
        with self.store.read() as conn:
            row = conn.execute(sa.select(api_tokens).where(api_tokens.c.secret_hash == sha256(secret))).first()
            if row is None or row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
                return None
            user = conn.execute(sa.select(users).where(users.c.id == row.user_id)).first()
            if user is None or user.disabled:
                return None
            principal = self._principal(conn, user)
            stale = row.last_used_at is None or row.last_used_at < _iso(self.clock() - dt.timedelta(minutes=1))
        if stale:  # at most one write a minute per token
            with self.store.write() as conn:
                conn.execute(api_tokens.update().where(api_tokens.c.id == row.id).values(last_used_at=now))
        return principal

    # -- sessions -------------------------------------------------------------------------------------

    def create_session(self, user_id: int, *, replacing: str | None = None) -> SessionTicket:
        """A new server-side session for a signed-in user; ``replacing`` (the old cookie) ends, so a session id
        planted before sign-in is worthless after it (no fixation)."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        expires = _iso(self.clock() + self.session_lifetime)
        with self.store.write() as conn:
            if replacing:
                conn.execute(sessions.delete().where(sessions.c.id_hash == sha256(replacing)))
            conn.execute(sessions.insert().values(id_hash=sha256(token), user_id=user_id, csrf=csrf,
                                                  created_at=self._now(), expires_at=expires))
        return SessionTicket(token, csrf, expires)

    def session(self, token: str | None) -> SessionInfo | None:
        """The live session of a cookie value; None when unknown, ended, expired, or the user is disabled."""
        if not token:
            return None
        with self.store.read() as conn:
            row = conn.execute(sa.select(sessions).where(sessions.c.id_hash == sha256(token))).first()
            if row is None or row.expires_at <= self._now():
                return None
            user = conn.execute(sa.select(users).where(users.c.id == row.user_id)).first()
            if user is None or user.disabled:
                return None
            return SessionInfo(self._principal(conn, user), row.csrf, row.expires_at)

    def principal_for_session(self, token: str | None) -> Principal | None:
        """The principal of a session cookie, or None."""
        info = self.session(token)
        return info.principal if info else None

    def end_session(self, token: str | None) -> None:
        """End a session (sign-out); unknown tokens are ignored."""
        if token:
            with self.store.write() as conn:
                conn.execute(sessions.delete().where(sessions.c.id_hash == sha256(token)))

    def purge_expired(self) -> int:
        """Delete expired sessions; how many."""
        with self.store.write() as conn:
            return int(conn.execute(sessions.delete().where(sessions.c.expires_at <= self._now())).rowcount)

    # -- audit log ------------------------------------------------------------------------------------

    def _event(self, conn: sa.Connection, principal: Principal | None, action: str, target: str | None,
               detail: str | None, org_id: str | None, *, actor: str | None = None,
               user_id: int | None = None) -> None:
        append_event(conn, self._now(), principal, action, target, detail, org_id, actor=actor, user_id=user_id)

    def record_event(self, principal: Principal | None, action: str, target: str | None = None,
                     detail: str | None = None, *, org_id: str | None = None) -> None:
        """Append one entry to the audit log (who did what, to what, when); ``org_id`` defaults to the actor's."""
        with self.store.write() as conn:
            self._event(conn, principal, action, target, detail, org_id)

    def events(self, principal: Principal | None = None, *, limit: int = 500,
               before: int | None = None) -> list[Event]:
        """The audit log, newest first: everything for the operator and the coordinator, else the caller's tree."""
        query = sa.select(audit_events).order_by(audit_events.c.id.desc()).limit(limit)
        if before is not None:
            query = query.where(audit_events.c.id < before)
        if principal is not None and not principal.is_coordinator:
            query = query.where(audit_events.c.org_id.in_(sorted(principal.orgs)))
        with self.store.read() as conn:
            rows = conn.execute(query).all()
        return [Event(int(r.id), r.at, r.actor, r.org_id, r.action, r.target, r.detail) for r in rows]


def append_event(conn: sa.Connection, at: str, principal: Principal | None, action: str, target: str | None,
                 detail: str | None, org_id: str | None, *, actor: str | None = None,
                 user_id: int | None = None) -> None:
    """Append one audit-log entry in the connection's transaction (``org_id`` defaults to the actor's)."""
    conn.execute(audit_events.insert().values(
        at=at, user_id=principal.user_id if principal else user_id,
        actor=principal.email if principal else actor,
        org_id=org_id if org_id is not None else (principal.org_id if principal else None),
        action=action, target=target, detail=detail))


def summary(user: User) -> Mapping[str, Any]:
    """A user as a plain mapping (for tables and JSON)."""
    return {"id": user.id, "email": user.email, "org": user.org_id, "role": user.role,
            "disabled": user.disabled, "source": user.source, "password": user.has_password,
            "created_at": user.created_at}
