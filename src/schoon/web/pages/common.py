"""What page routes share: rendering, query strings, and the redirect after a successful POST."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from schoon.web.i18n import t
from schoon.web.render import Pages

DONE_MESSAGES = ("action.done",)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page template with the common context (see :class:`schoon.web.render.Pages`); a ``done``
    query parameter naming a known message shows that message."""
    pages: Pages = request.app.state.pages
    done = request.query_params.get("done")
    if done in DONE_MESSAGES:
        context.setdefault("messages", [t(done, request.state.lang)])
    return pages.render(request, template, status, **context)


def query_string(items: list[tuple[str, str]]) -> str:
    """``?a=1&b=2`` (empty when there are no items)."""
    return "?" + urlencode(items) if items else ""


def back(url: str, message: str | None = None) -> RedirectResponse:
    """303 to ``url`` after a POST, with an optional message key (one of :data:`DONE_MESSAGES`)."""
    if message:
        url += ("&" if "?" in url else "?") + urlencode({"done": message})
    return RedirectResponse(url, status_code=303)
