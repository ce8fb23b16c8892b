"""The app factory: ``create_app(WebSettings(...))`` gives the FastAPI app of pages and API.

    uvicorn.run(create_app(WebSettings(db_url="sqlite:///schoon.db")), host="127.0.0.1", port=8000)
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from schoon import __version__
from schoon.web import auth, problems
from schoon.web.middleware import AccessLog, BodyLimit, SecurityHeaders
from schoon.web.render import HERE, Pages
from schoon.web.settings import WebSettings
from schoon.web.state import AppState

__all__ = ["WebSettings", "create_app"]
log = logging.getLogger("schoon.web")


def create_app(settings: WebSettings, state: AppState | None = None) -> FastAPI:
    """The web app over the store of ``settings.db_url`` (opened now; its schema created or upgraded)."""
    shared = state or AppState.open(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        shared.jobs.shutdown()

    app = FastAPI(title="schoon", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.schoon = shared
    pages = Pages()
    app.state.pages = pages

    @app.middleware("http")
    async def per_request(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if request.url.path.startswith("/static/"):
            return await call_next(request)
        auth.prepare(request)
        response = await call_next(request)
        nonce = getattr(request.state, "set_nonce", None)
        if nonce is not None:
            response.set_cookie(auth.NONCE_COOKIE, nonce, httponly=True, samesite="strict",
                                secure=settings.secure_cookies, path="/")
        return response

    def html_error(request: Request, status: int, detail: str | None) -> Response:
        if not hasattr(request.state, "lang"):
            auth.prepare(request)
        return pages.render(request, "error.html", status=status, status_code=status, detail=detail)

    problems.install(app, html_error)

    @app.exception_handler(auth.LoginRequired)
    async def login_required(request: Request, _exc: auth.LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    from schoon.web.api import router as api_router
    from schoon.web.pages import routers

    for router in routers():
        app.include_router(router)
    from schoon.web.oidc_routes import oidc_router

    app.include_router(oidc_router(settings.oidc))
    app.mount("/api/v1", api_router(shared))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders, tls=settings.secure_cookies)
    app.add_middleware(AccessLog)
    return app
