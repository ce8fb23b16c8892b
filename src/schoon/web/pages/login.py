"""Login, logout and the pages anyone may see (the accessibility statement)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from schoon.accounts.service import AuthError
from schoon.web.auth import SESSION_COOKIE, check_csrf, state_of
from schoon.web.i18n import t
from schoon.web.pages.common import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a local path may be the page after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    """The login form."""
    if request.state.principal is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", next=_safe_next(next), email="")


@router.post("/login")
def login(request: Request, email: str = Form(""), password: str = Form(""), next: str = Form("/"),
          csrf: str = Form("")) -> Response:
    """Check the password; on success a new session (a new id: any earlier session cookie ends)."""
    check_csrf(request, csrf)
    state = state_of(request)
    try:
        principal = state.accounts.authenticate(email, password)
    except AuthError:
        return render(request, "login.html", status=401, next=_safe_next(next), email=email,
                      errors=[t("login.failed", request.state.lang)])
    ticket = state.accounts.create_session(principal.user_id, replacing=request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, ticket.token, httponly=True, samesite="strict",
                        secure=state.settings.secure_cookies, path="/")  # the server ends the session
    return response


@router.post("/logout")
def logout(request: Request, csrf: str = Form("")) -> Response:
    """End the session and forget the cookie."""
    check_csrf(request, csrf)
    state_of(request).accounts.end_session(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict",
                           secure=state_of(request).settings.secure_cookies)
    return response


@router.get("/toegankelijkheid")
def accessibility(request: Request) -> Response:
    """The accessibility statement (Dutch rules: linked at /toegankelijkheid)."""
    return render(request, "toegankelijkheid.html")


@router.get("/accessibility")
def accessibility_en() -> Response:
    """The English address of the accessibility statement."""
    return RedirectResponse("/toegankelijkheid?lang=en", status_code=308)
