"""OpenID Connect login against an organisation's own identity provider (authorization code + PKCE).

The flow, in three calls that carry no web framework:

1. :func:`discover` reads the provider's discovery document (``{issuer}/.well-known/openid-configuration``) and
   checks that it names the configured issuer.
2. :func:`begin_login` makes a fresh ``state``, ``nonce`` and PKCE ``code_verifier`` (kept server-side in the
   caller's session as a :class:`PendingLogin`) and the authorization URL to send the browser to.
3. :func:`finish_login` checks the returned ``state``, exchanges the code (with the verifier) at the token
   endpoint, verifies the ID token's signature against the provider's JWKS and its claims (``iss``, ``aud``,
   ``azp``, ``exp``, ``iat``, ``nonce``), and returns the verified claims.

Which organisation and role the claims give is not decided here: :mod:`schoon.web.oidc_routes` hands the claims
to :func:`schoon.accounts.oidc.principal_for_claims` with the configured mapping. Authlib supplies the OAuth 2.0
pieces (PKCE challenge, authorization URL, token generation); joserfc (Authlib's JOSE library) verifies the JWT.
Every failure is one :class:`schoon.accounts.oidc.OidcError` line that names what was wrong, never the token.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from schoon import settings
from schoon.accounts.oidc import OidcError, OidcSettings

#: Signature algorithms accepted for ID tokens; ``none`` and the HMAC family (keyed with the client secret)
#: are refused.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384")
#: Seconds of clock difference tolerated between us and the provider.
LEEWAY = 60
#: Seconds a login may take between :func:`begin_login` and :func:`finish_login`.
PENDING_LIFETIME = 600
#: Seconds to wait for the provider.
TIMEOUT = 10.0


@dataclass(frozen=True)
class OidcConfig:
    """The provider (issuer, client, claim mapping: :class:`schoon.accounts.oidc.OidcSettings`) and the callback
    URL registered there (empty: this service's ``/auth/oidc/callback`` as the request reached it)."""

    provider: OidcSettings
    redirect_uri: str = ""

    @property
    def enabled(self) -> bool:
        """True when an issuer and a client are configured."""
        return bool(self.provider.issuer and self.provider.client_id)


def parse_mapping(text: str) -> dict[str, str]:
    """Read ``VALUE=ORG:ROLE`` pairs separated by ``;`` (the ``SCHOON_OIDC_MAPPING`` syntax) as ``{VALUE:
    "ORG:ROLE"}``.

    ``;`` separates because group names are often LDAP DNs full of commas; a value may hold ``=`` too (the last
    ``=`` starts the target).
    """
    mapping: dict[str, str] = {}
    for raw in text.split(";"):
        item = raw.strip()
        if not item:
            continue
        value, eq, target = item.rpartition("=")
        org, colon, role = target.partition(":")
        if not eq or not colon or not value.strip() or not org.strip() or not role.strip():
            raise settings.SettingError(
                f"SCHOON_OIDC_MAPPING: {item!r} is not of the form CLAIM-VALUE=ORGANISATION:ROLE")
        mapping[value.strip()] = f"{org.strip()}:{role.strip()}"
    return mapping


def config_from_env() -> OidcConfig | None:
    """The OIDC configuration from the ``SCHOON_OIDC_*`` settings (``docs/settings.md``); None without an issuer."""
    if not settings.get("oidc_issuer"):
        return None
    try:
        provider = OidcSettings.from_mapping({
            "issuer": settings.get("oidc_issuer"), "client_id": settings.get("oidc_client_id"),
            "client_secret": settings.get("oidc_client_secret"), "claim": settings.get("oidc_claim"),
            "mapping": parse_mapping(settings.get("oidc_mapping"))})
    except OidcError as exc:
        raise settings.SettingError(f"SCHOON_OIDC_*: {exc}") from None
    return OidcConfig(provider, settings.get("oidc_redirect_uri"))


@dataclass(frozen=True)
class ProviderMetadata:
    """The endpoints of the provider's discovery document that the code flow needs."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


@dataclass(frozen=True)
class PendingLogin:
    """What :func:`begin_login` keeps server-side until the browser comes back."""

    state: str
    nonce: str
    code_verifier: str
    started: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form for a server-side session."""
        return {"state": self.state, "nonce": self.nonce, "code_verifier": self.code_verifier,
                "started": self.started}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PendingLogin:
        """The inverse of :meth:`to_dict`; a malformed record is an :class:`OidcError`."""
        try:
            return cls(str(data["state"]), str(data["nonce"]), str(data["code_verifier"]), float(data["started"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise OidcError("no login in progress in this session") from exc


def _get_json(client: httpx.Client, url: str, what: str) -> dict[str, Any]:
    try:
        response = client.get(url, timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        raise OidcError(f"the identity provider's {what} could not be read: {type(exc).__name__}") from exc
    if response.status_code != 200:
        raise OidcError(f"the identity provider's {what} answered HTTP {response.status_code}")
    try:
        data = response.json()
    except ValueError as exc:
        raise OidcError(f"the identity provider's {what} is not JSON") from exc
    if not isinstance(data, dict):
        raise OidcError(f"the identity provider's {what} is not a JSON object")
    return data


def discover(config: OidcConfig, client: httpx.Client) -> ProviderMetadata:
    """Read and check the provider's discovery document."""
    issuer = config.provider.issuer
    data = _get_json(client, issuer + "/.well-known/openid-configuration", "discovery document")
    if str(data.get("issuer", "")).rstrip("/") != issuer:
        raise OidcError("the discovery document names another issuer than the one configured")
    try:
        return ProviderMetadata(issuer=issuer,
                                authorization_endpoint=str(data["authorization_endpoint"]),
                                token_endpoint=str(data["token_endpoint"]),
                                jwks_uri=str(data["jwks_uri"]))
    except KeyError as exc:
        raise OidcError(f"the discovery document lacks {exc.args[0]}") from exc


def begin_login(config: OidcConfig, provider: ProviderMetadata, redirect_uri: str) -> tuple[str, PendingLogin]:
    """The authorization URL to redirect to, and the :class:`PendingLogin` to keep until the callback."""
    pending = PendingLogin(state=generate_token(32), nonce=generate_token(32), code_verifier=generate_token(64),
                           started=time.time())
    url = prepare_grant_uri(provider.authorization_endpoint, config.provider.client_id, "code",
                            redirect_uri=redirect_uri, scope=" ".join(config.provider.scopes), state=pending.state,
                            nonce=pending.nonce,
                            code_challenge=create_s256_code_challenge(pending.code_verifier),
                            code_challenge_method="S256")
    return str(url), pending


def _keys(client: httpx.Client, provider: ProviderMetadata) -> KeySet:
    data = _get_json(client, provider.jwks_uri, "key set (JWKS)")
    try:
        return KeySet.import_key_set(data)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise OidcError("the identity provider's key set (JWKS) cannot be read") from exc


def verify_id_token(config: OidcConfig, keys: KeySet, id_token: str, nonce: str,
                    now: float | None = None) -> dict[str, Any]:
    """The claims of ``id_token`` once its signature, issuer, audience, times and nonce are checked."""
    try:
        token = jwt.decode(id_token, keys, algorithms=list(ALGORITHMS))
    except JoseError as exc:
        raise OidcError(f"the ID token's signature does not verify ({exc.error})") from exc
    claims = dict(token.claims)
    registry = jwt.JWTClaimsRegistry(
        now=int(now if now is not None else time.time()), leeway=LEEWAY,
        iss={"essential": True, "value": config.provider.issuer},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise OidcError(f"the ID token is not acceptable ({exc.error}: {exc.description})") from exc
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    client_id = config.provider.client_id
    if client_id not in audiences:
        raise OidcError("the ID token was issued for another client (aud)")
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise OidcError("the ID token names several audiences but another authorised party (azp)")
    if claims.get("nonce") != nonce:
        raise OidcError("the ID token's nonce does not match this login")
    return claims


def finish_login(config: OidcConfig, provider: ProviderMetadata, pending: PendingLogin,
                 params: Mapping[str, str], client: httpx.Client, redirect_uri: str) -> dict[str, Any]:
    """Complete the login from the callback's query ``params``; the verified ID token claims."""
    if "error" in params:
        raise OidcError(f"the identity provider refused the login: {params['error'][:80]}")
    if not params.get("state") or params.get("state") != pending.state:
        raise OidcError("the login's state does not match this session")
    if time.time() - pending.started > PENDING_LIFETIME:
        raise OidcError("the login took too long; start again")
    code = params.get("code")
    if not code:
        raise OidcError("the identity provider returned no authorization code")
    try:
        response = client.post(provider.token_endpoint, timeout=TIMEOUT,
                               auth=(config.provider.client_id, config.provider.client_secret),
                               data={"grant_type": "authorization_code", "code": code,
                                     "redirect_uri": redirect_uri, "code_verifier": pending.code_verifier})
    except httpx.HTTPError as exc:
        raise OidcError(f"the identity provider's token endpoint could not be reached: {type(exc).__name__}") from exc
    if response.status_code != 200:
        raise OidcError(f"the identity provider's token endpoint answered HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError as exc:
        raise OidcError("the token endpoint's answer is not JSON") from exc
    id_token = body.get("id_token") if isinstance(body, dict) else None
    if not isinstance(id_token, str):
        raise OidcError("the token endpoint returned no ID token")
    return verify_id_token(config, _keys(client, provider), id_token, pending.nonce)
