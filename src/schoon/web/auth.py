"""Who is calling: one dependency turns a request into a Principal and a ScopedStore.

Browsers carry a session cookie (HttpOnly, SameSite=Strict, Secure behind TLS) whose value the accounts store
keeps only as a hash; the id is new at every login. API clients send ``Authorization: Bearer TOKEN``. Every
form carries a CSRF token: the session's own (bound to it) once signed in, and before that (the login form) an
HMAC of a random cookie, so a form posted from elsewhere is refused with 403.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fastapi import Depends, Form, Request

from schoon.accounts.principal import Principal
from schoon.accounts.scope import ScopedStore
from schoon.web.problems import WebError
from schoon.web.state import AppState

SESSION_COOKIE = "schoon_session"
NONCE_COOKIE = "schoon_csrf"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class Caller:
    """The signed-in caller of a request: who, and the store as they may see it."""

    principal: Principal
    scoped: ScopedStore
    lang: str
    via_token: bool


class LoginRequired(Exception):
    """A page needs a signed-in user: the app answers with a redirect to the login page."""


def state_of(request: Request) -> AppState:
    """The app's shared state (store, accounts, settings, jobs)."""
    state: AppState = request.app.state.schoon
    return state


def _signed_nonce(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), b"csrf|" + nonce.encode(), hashlib.sha256).hexdigest()


def prepare(request: Request) -> None:
    """Per request, before the route: the language, the caller (if any) and the CSRF token for forms."""
    state = state_of(request)
    from schoon.web import i18n

    request.state.lang = i18n.choose(request, state.settings.default_language)
    request.state.principal = None
    request.state.session_id = None
    request.state.set_nonce = None
    session_id = request.cookies.get(SESSION_COOKIE)
    session = state.accounts.session(session_id) if session_id else None
    if session is not None:
        request.state.principal = session.principal
        request.state.session_id = session_id
        request.state.csrf = session.csrf
        return
    nonce = request.cookies.get(NONCE_COOKIE)
    if not nonce or len(nonce) != 32:
        nonce = secrets.token_hex(16)
        request.state.set_nonce = nonce
    request.state.csrf = _signed_nonce(state.settings.secret, nonce)


def check_csrf(request: Request, token: str | None) -> None:
    """Refuse (403) a form or cookie-authenticated API call whose CSRF token is missing or wrong."""
    expected = getattr(request.state, "csrf", None)
    if request.state.set_nonce is not None or not expected or not token \
            or not hmac.compare_digest(str(expected), token):
        raise WebError(403, "missing or wrong CSRF token; reload the form and try again")


def csrf_form(request: Request, csrf: str = Form("", description="The form's CSRF token.")) -> None:
    """Dependency of every form POST: the CSRF token must match."""
    check_csrf(request, csrf)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def page_caller(request: Request) -> Caller:
    """The signed-in user of a page; a visitor without a session is sent to the login page."""
    principal = request.state.principal
    if principal is None:
        raise LoginRequired()
    return Caller(principal, ScopedStore(state_of(request).store, principal), request.state.lang, False)


def api_caller(request: Request) -> Caller:
    """The caller of an API operation: a Bearer token, or a session cookie (then unsafe methods need the CSRF
    header). No valid credentials: 401."""
    state = state_of(request)
    token = _bearer(request)
    if token is not None:
        principal = state.accounts.principal_for_token(token)
        if principal is None:
            raise WebError(401, "invalid, expired or revoked token",
                           {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return Caller(principal, ScopedStore(state.store, principal), request.state.lang, True)
    principal = request.state.principal
    if principal is None:
        raise WebError(401, "sign in or send a bearer token", {"WWW-Authenticate": "Bearer"})
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        check_csrf(request, request.headers.get(CSRF_HEADER))
    return Caller(principal, ScopedStore(state.store, principal), request.state.lang, False)


PageCaller = Depends(page_caller)
ApiCaller = Depends(api_caller)
CsrfForm = Depends(csrf_form)
