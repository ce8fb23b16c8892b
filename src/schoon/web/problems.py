"""Errors as ``application/problem+json`` (RFC 9457) everywhere, with no stack trace and no foreign name.

Every error the app answers goes through :func:`problem`: a status, a short title from the status and an
optional detail written by the app (never an exception's text from deep inside, which might name another
tree's object). Pages answer with an HTML error page instead when the client asked for HTML.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from schoon.accounts.scope import Forbidden, NotFound
from schoon.accounts.service import AccessDenied
from schoon.errors import SchoonError

PROBLEM_TYPE = "application/problem+json"
log = logging.getLogger("schoon.web")


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


class WebError(Exception):
    """An error a route raises on purpose: its status and a detail that is safe to show the caller."""

    def __init__(self, status: int, detail: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail or HTTPStatus(status).phrase)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


class NotFoundError(WebError):
    """404 with a fixed text: an object outside the caller's tree and a missing one look the same."""

    def __init__(self) -> None:
        super().__init__(404, "not found")


def problem(status: int, detail: str | None = None, instance: str | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    """A problem+json response."""
    body = Problem(title=HTTPStatus(status).phrase, status=status, detail=detail, instance=instance)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_TYPE,
                        headers=headers)


def wants_html(request: Request) -> bool:
    """Whether the error should be a page: not an API path, and the client accepts HTML."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def install(app: FastAPI, html_error: Any) -> None:
    """Install the handlers: ``html_error(request, status, detail)`` renders the page variant (None: always
    problem+json)."""

    def answer(request: Request, status: int, detail: str | None, headers: dict[str, str] | None = None
               ) -> Response:
        if html_error is not None and wants_html(request):
            response: Response = html_error(request, status, detail)
            response.headers.update(headers or {})
            return response
        return problem(status, detail, request.url.path, headers)

    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError) -> Response:
        return answer(request, exc.status, exc.detail, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else None
        return answer(request, exc.status_code, detail, dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for error in exc.errors()[:5]:
            where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path"))
            parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid")))
        return answer(request, 422, "; ".join(parts) or "invalid request")

    @app.exception_handler(NotFound)
    async def not_found(request: Request, _exc: NotFound) -> Response:
        return answer(request, 404, "not found")  # no name, no id: the same for every object

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return answer(request, 403, "your role does not allow this")

    @app.exception_handler(AccessDenied)
    async def denied(request: Request, exc: AccessDenied) -> Response:
        return answer(request, 403, "your role does not allow this")

    @app.exception_handler(SchoonError)
    async def refused(request: Request, exc: SchoonError) -> Response:
        return answer(request, 422, str(exc))  # the library's one-line reason (input the caller gave)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return answer(request, 500, "internal error; the server log has the details")
