"""The two routes of an OpenID Connect login: ``/auth/oidc/login`` and ``/auth/oidc/callback``.

The login route starts a code + PKCE flow (:mod:`schoon.web.oidc`) and keeps the state, nonce and verifier in a
short-lived cookie encrypted with the app's secret (JWE ``dir`` + A256GCM; HttpOnly, SameSite=Lax because the
provider sends the browser back cross-site, path ``/auth/oidc``). The callback verifies everything, maps the ID
token's claims to an organisation and a role (:func:`schoon.accounts.principal_for_claims` over the configured
mapping), creates or finds the user (source ``oidc``, no password) and starts an ordinary session, exactly
like a password login. Without an issuer configured both routes answer 404.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any
from urllib.parse import quote

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from markupsafe import escape

from schoon.accounts.oidc import OidcError, principal_for_claims
from schoon.web import oidc
from schoon.web.auth import SESSION_COOKIE, state_of
from schoon.web.problems import WebError

FLOW_COOKIE = "schoon_oidc"
FLOW_PATH = "/auth/oidc"
#: seconds the provider's discovery document is reused
METADATA_LIFETIME = 300


def _key(secret: str) -> OctKey:
    return OctKey.import_key(hashlib.sha256(b"schoon-oidc-flow|" + secret.encode()).digest())


def seal(secret: str, data: dict[str, Any]) -> str:
    """``data`` encrypted and authenticated with a key derived from the app's secret."""
    return jwe.encrypt_compact({"alg": "dir", "enc": "A256GCM"}, json.dumps(data).encode(), _key(secret))


def unseal(secret: str, token: str | None) -> dict[str, Any]:
    """The inverse of :func:`seal`; a missing, forged or foreign cookie is an :class:`OidcError`."""
    if not token:
        raise OidcError("no login in progress in this browser (cookies blocked, or the login expired)")
    try:
        data = json.loads(jwe.decrypt_compact(token, _key(secret)).plaintext or b"")
    except (JoseError, ValueError) as exc:
        raise OidcError("the login cookie is not valid; start again") from exc
    if not isinstance(data, dict):
        raise OidcError("the login cookie is not valid; start again")
    return data


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def oidc_router(config: oidc.OidcConfig | None) -> APIRouter:
    """The login and callback routes for ``config`` (None: both answer 404)."""
    router = APIRouter(include_in_schema=False)
    cache: dict[str, tuple[float, oidc.ProviderMetadata]] = {}

    def provider(chosen: oidc.OidcConfig, client: httpx.Client) -> oidc.ProviderMetadata:
        cached = cache.get("meta")
        if cached is not None and time.monotonic() - cached[0] < METADATA_LIFETIME:
            return cached[1]
        meta = oidc.discover(chosen, client)
        cache["meta"] = (time.monotonic(), meta)
        return meta

    def configured() -> oidc.OidcConfig:
        if config is None or not config.enabled:
            raise WebError(404, "not found")
        return config

    def redirect_uri(request: Request, chosen: oidc.OidcConfig) -> str:
        return chosen.redirect_uri or str(request.url_for("oidc_callback"))

    @router.get(FLOW_PATH + "/login", name="oidc_login")
    def oidc_login(request: Request, next: str = "/") -> Response:
        """Send the browser to the identity provider."""
        chosen = configured()
        try:
            with httpx.Client() as client:
                url, pending = oidc.begin_login(chosen, provider(chosen, client), redirect_uri(request, chosen))
        except OidcError as exc:
            raise WebError(502, str(exc)) from exc
        response = RedirectResponse(url, status_code=303)
        settings = state_of(request).settings
        response.set_cookie(FLOW_COOKIE, seal(settings.secret, {**pending.to_dict(), "next": _safe_next(next)}),
                            max_age=oidc.PENDING_LIFETIME, path=FLOW_PATH, httponly=True, samesite="lax",
                            secure=settings.secure_cookies)
        return response

    @router.get(FLOW_PATH + "/callback", name="oidc_callback")
    def oidc_callback(request: Request) -> Response:
        """Finish the login: verify the provider's answer, map the claims, start a session."""
        chosen = configured()
        state = state_of(request)
        try:
            flow = unseal(state.settings.secret, request.cookies.get(FLOW_COOKIE))
            pending = oidc.PendingLogin.from_dict(flow)
            with httpx.Client() as client:
                claims = oidc.finish_login(chosen, provider(chosen, client), pending, dict(request.query_params),
                                           client, redirect_uri(request, chosen))
            principal = principal_for_claims(state.accounts, chosen.provider, claims)
        except OidcError as exc:
            raise WebError(403, f"OpenID Connect login refused: {exc}") from exc
        ticket = state.accounts.create_session(principal.user_id, replacing=request.cookies.get(SESSION_COOKIE))
        target = str(escape(_safe_next(str(flow.get("next", "/")))))
        # A page, not a redirect: the SameSite=Strict session cookie is sent on a navigation this site starts,
        # not on the redirect chain the provider started.
        body = (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>schoon</title>'
                f'<meta http-equiv="refresh" content="0;url={target}"></head><body><main><p>'
                f'<a href="{target}">Doorgaan / Continue</a></p></main></body></html>')
        response = HTMLResponse(body)
        response.set_cookie(SESSION_COOKIE, ticket.token, httponly=True, samesite="strict",
                            secure=state.settings.secure_cookies, path="/")  # the server ends the session
        response.delete_cookie(FLOW_COOKIE, path=FLOW_PATH)
        return response

    return router


def login_link(next_path: str = "/") -> str:
    """The address of the OIDC login, for the login page's button."""
    return f"{FLOW_PATH}/login?next={quote(_safe_next(next_path), safe='')}"
