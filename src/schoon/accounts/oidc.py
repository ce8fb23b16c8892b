"""OpenID Connect sign-in: from an identity provider's claims to an organisation, a role and a Principal.

Pure logic, no HTTP: the web service runs the Authlib flow (discovery, code exchange, ID-token signature and
nonce checks) and hands the verified claims here. The settings name the issuer, the client, and a mapping from
claim values (a group, a department code ...) to (organisation, role). A staff member of an institution signs
in with their own organisation's provider (the NL GOV OIDC profile); DigiD's BSN is not an employee identity.

A user who signs in for the first time is created (source ``oidc``, no password); at each sign-in their
organisation and role follow the provider's current claims, so removing someone from a group takes effect at
their next sign-in. A disabled user stays disabled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from schoon.accounts.principal import Principal
from schoon.accounts.roles import ROLES, Role, RoleError, parse_role
from schoon.accounts.service import AccountError, Accounts, AuthError, normalise_email
from schoon.audit.schema import organisations, users


class OidcError(AuthError):
    """Claims that do not give a sign-in: wrong issuer, no email, no mapped group, or two organisations."""


@dataclass(frozen=True)
class OidcSettings:
    """One identity provider: its issuer URL, our client there, and the claim mapping.

    ``mapping`` maps a claim value to ``(organisation id, role)``; the claim named ``claim`` may hold one value
    or a list (groups). When several values map to the same organisation the strongest role wins; values that
    map to different organisations are refused (a user belongs to one organisation).
    """

    issuer: str
    client_id: str
    client_secret: str
    claim: str = "groups"
    mapping: Mapping[str, tuple[str, Role]] = field(default_factory=dict)
    email_claim: str = "email"
    require_verified_email: bool = True
    scopes: Sequence[str] = ("openid", "email", "profile")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> OidcSettings:
        """Settings from plain data (a YAML/JSON settings file): ``mapping`` as ``{value: "org:role"}`` or
        ``{value: {org: ..., role: ...}}``; a missing or bad entry is one OidcError line."""
        missing = [k for k in ("issuer", "client_id", "client_secret") if not data.get(k)]
        if missing:
            raise OidcError(f"OIDC settings need {', '.join(missing)}")
        mapping: dict[str, tuple[str, Role]] = {}
        for value, target in dict(data.get("mapping") or {}).items():
            if isinstance(target, str) and ":" in target:
                org, _, role = target.partition(":")
            elif isinstance(target, Mapping):
                org, role = str(target.get("org", "")), str(target.get("role", ""))
            else:
                raise OidcError(f"OIDC mapping of {value!r}: give 'org:role' or {{org, role}}, not {target!r}")
            if not org.strip():
                raise OidcError(f"OIDC mapping of {value!r}: no organisation")
            try:
                mapping[str(value)] = (org.strip(), parse_role(role))
            except RoleError as exc:
                raise OidcError(f"OIDC mapping of {value!r}: {exc}") from None
        return cls(issuer=str(data["issuer"]).rstrip("/"), client_id=str(data["client_id"]),
                   client_secret=str(data["client_secret"]), claim=str(data.get("claim") or "groups"),
                   mapping=mapping, email_claim=str(data.get("email_claim") or "email"),
                   require_verified_email=bool(data.get("require_verified_email", True)))


def map_claims(settings: OidcSettings, claims: Mapping[str, Any]) -> tuple[str, str, Role]:
    """(email, organisation, role) from verified ID-token claims, or one OidcError line saying why not."""
    issuer = str(claims.get("iss", "")).rstrip("/")
    if issuer != settings.issuer:
        raise OidcError(f"the sign-in came from {issuer or 'no issuer'!r}, not from {settings.issuer!r}")
    raw_email = claims.get(settings.email_claim)
    if not raw_email:
        raise OidcError(f"the identity provider sent no {settings.email_claim!r} claim")
    if settings.require_verified_email and claims.get("email_verified") is False:
        raise OidcError("the identity provider has not verified this email address")
    try:
        email = normalise_email(str(raw_email))
    except AccountError:
        raise OidcError(f"the {settings.email_claim!r} claim is not an email address") from None
    values = claims.get(settings.claim)
    found = [values] if isinstance(values, str) else [str(v) for v in values or [] if isinstance(v, (str, int))]
    targets = {settings.mapping[v] for v in found if v in settings.mapping}
    if not targets:
        raise OidcError(f"{email} has no {settings.claim!r} value that this service maps to an organisation")
    orgs = {org for org, _ in targets}
    if len(orgs) > 1:
        raise OidcError(f"{email} maps to several organisations ({', '.join(sorted(orgs))}); a user belongs to one")
    role = min((r for _, r in targets), key=ROLES.index)  # ROLES runs from the strongest to the weakest
    return email, orgs.pop(), role


def principal_for_claims(accounts: Accounts, settings: OidcSettings, claims: Mapping[str, Any]) -> Principal:
    """The principal of an OIDC sign-in: the user is created on first sign-in, and their organisation and role
    follow the claims each time; a disabled user is refused."""
    email, org_id, role = map_claims(settings, claims)
    with accounts.store.write() as conn:
        if conn.execute(sa.select(organisations.c.id).where(organisations.c.id == org_id)).first() is None:
            raise OidcError(f"the OIDC mapping names organisation {org_id!r}, which does not exist")
        row = conn.execute(sa.select(users).where(users.c.email == email)).first()
        if row is not None and row.disabled:
            raise OidcError(f"{email} is disabled")
        if row is None:
            conn.execute(users.insert().values(email=email, org_id=org_id, role=role, source="oidc",
                                               disabled=False, created_at=accounts._now()))
            action = "user.add"
        elif (row.org_id, row.role) != (org_id, role):
            conn.execute(users.update().where(users.c.id == row.id).values(org_id=org_id, role=role))
            action = "user.remap"
        else:
            action = ""
        if action:
            accounts._event(conn, None, action, email, f"OIDC {settings.issuer}: {org_id} {role}", org_id)
        user = conn.execute(sa.select(users).where(users.c.email == email)).first()
        assert user is not None
        accounts._event(conn, None, "sign-in", email, f"OIDC {settings.issuer}", org_id, actor=email,
                        user_id=int(user.id))
        return accounts._principal(conn, user)
