"""Administration per role: organisations (the coordinator adds them), deadlines and sites (org-admins and the
coordinator), users and API tokens, and the append-only audit log of the caller's tree."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from schoon.accounts.roles import ROLES, may_grant
from schoon.accounts.scope import Forbidden, NotFound
from schoon.accounts.service import AccessDenied
from schoon.audit.store import OWNER_KINDS, SENSITIVITIES
from schoon.errors import SchoonError
from schoon.web.auth import Caller, CsrfForm, PageCaller, state_of
from schoon.web.pages.common import back, render
from schoon.web.problems import WebError

router = APIRouter(include_in_schema=False)
EVENTS_SHOWN = 200


def _admin(caller: Caller) -> None:
    if caller.principal.role not in ("coordinator", "org-admin"):
        raise WebError(403, "administration is for the coordinator and organisation admins")


def admin_page(request: Request, caller: Caller, *, status: int = 200, errors: list[str] | None = None,
               new_token: str | None = None) -> Response:
    """The administration page (also after a refused change, with its reason)."""
    _admin(caller)
    accounts = state_of(request).accounts
    principal = caller.principal
    orgs = caller.scoped.orgs()
    return render(request, "admin.html", status=status, active="nav.admin", errors=errors or [], orgs=orgs,
                  admin_orgs=[o for o in orgs if principal.can_admin(o.id)], sites=caller.scoped.sites(),
                  users=accounts.users(principal), tokens=accounts.tokens(principal),
                  events=accounts.events(principal, limit=EVENTS_SHOWN), new_token=new_token,
                  roles=[r for r in ROLES if may_grant(principal.role, r)], sensitivities=SENSITIVITIES,
                  owner_kinds=OWNER_KINDS)


@router.get("/admin")
def admin(request: Request, caller: Caller = PageCaller) -> Response:
    """Organisations, sites, users, tokens and the audit log of the caller's tree."""
    return admin_page(request, caller)


def _done(request: Request, caller: Caller, change: Callable[[], object]) -> Response:
    """Make the change; a refusal for bad input shows the page again with its reason (422). Another tree's
    object (404) and a role that may not (403) are answered by the app's error handlers."""
    try:
        change()
    except (NotFound, Forbidden, AccessDenied):
        raise
    except SchoonError as exc:
        return admin_page(request, caller, status=422, errors=[str(exc)])
    state_of(request).changed()
    return back("/admin", "action.done")


@router.post("/admin/orgs", dependencies=[CsrfForm])
def add_org(request: Request, caller: Caller = PageCaller, org_id: str = Form(..., max_length=64),
            name: str = Form("", max_length=300), parent: str = Form("", max_length=64),
            deadline: str = Form("", max_length=20)) -> Response:
    """Add an organisation (the coordinator)."""
    _admin(caller)
    return _done(request, caller, lambda: caller.scoped.add_org(org_id.strip(), name.strip() or None,
                                                               parent.strip() or None, deadline.strip() or None))


@router.post("/admin/deadline", dependencies=[CsrfForm])
def set_deadline(request: Request, caller: Caller = PageCaller, org_id: str = Form(..., max_length=64),
                 deadline: str = Form("", max_length=20)) -> Response:
    """Set or clear an organisation's deadline."""
    _admin(caller)
    return _done(request, caller, lambda: caller.scoped.set_deadline(org_id, deadline.strip() or None))


@router.post("/admin/sites", dependencies=[CsrfForm])
def add_site(request: Request, caller: Caller = PageCaller, org_id: str = Form(..., max_length=64),
             name: str = Form(..., max_length=300), sensitivity: str = Form("unknown", max_length=16),
             owner_kind: str = Form("own", max_length=16), owner_name: str = Form("", max_length=300),
             address: str = Form("", max_length=500)) -> Response:
    """Add a site to an organisation."""
    _admin(caller)
    return _done(request, caller, lambda: caller.scoped.add_site(
        org_id, name, name, sensitivity, owner_kind, owner_name.strip() or None, address.strip() or None))


@router.post("/admin/users", dependencies=[CsrfForm])
def add_user(request: Request, caller: Caller = PageCaller, email: str = Form(..., max_length=254),
             org_id: str = Form(..., max_length=64), role: str = Form(..., max_length=16),
             password: str = Form("", max_length=1000)) -> Response:
    """Add a user (with a password, or an invitation when none is given)."""
    _admin(caller)
    caller.scoped.org(org_id)
    accounts = state_of(request).accounts
    return _done(request, caller, lambda: accounts.add_user(email, org_id, role, password or None,
                                                           by=caller.principal))


@router.post("/admin/users/disable", dependencies=[CsrfForm])
def disable_user(request: Request, caller: Caller = PageCaller, email: str = Form(..., max_length=254)) -> Response:
    """Disable a user of the caller's tree."""
    _admin(caller)
    accounts = state_of(request).accounts
    return _done(request, caller, lambda: accounts.disable(email, by=caller.principal))


@router.post("/admin/tokens", dependencies=[CsrfForm])
def create_token(request: Request, caller: Caller = PageCaller, email: str = Form(..., max_length=254),
                 days: int = Form(90, ge=1, le=3650)) -> Response:
    """Create an API token; its secret is shown once on the page that answers."""
    _admin(caller)
    try:
        _, secret = state_of(request).accounts.create_token(email, days, by=caller.principal)
    except (NotFound, Forbidden, AccessDenied):
        raise
    except SchoonError as exc:
        return admin_page(request, caller, status=422, errors=[str(exc)])
    return admin_page(request, caller, new_token=secret)


@router.post("/admin/tokens/revoke", dependencies=[CsrfForm])
def revoke_token(request: Request, caller: Caller = PageCaller, token_id: str = Form(..., max_length=64)) -> Response:
    """Revoke an API token of the caller's tree."""
    _admin(caller)
    accounts = state_of(request).accounts
    return _done(request, caller, lambda: accounts.revoke_token(token_id, by=caller.principal))
