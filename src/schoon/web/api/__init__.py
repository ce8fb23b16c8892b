"""The JSON API under ``/api/v1`` (its own FastAPI app, mounted), with its OpenAPI document at
``/api/v1/openapi.json``. Every operation goes through :func:`schoon.web.auth.api_caller`: a Bearer token (or the
browser's session, with the CSRF header for changes) and the caller's scoped store."""

from __future__ import annotations

from fastapi import FastAPI

from schoon import __version__
from schoon.web import problems
from schoon.web.state import AppState


def router(state: AppState) -> FastAPI:
    """The API app (mounted at ``/api/v1`` by :func:`schoon.web.app.create_app`)."""
    from schoon.web.api import routes

    api = FastAPI(title="schoon API", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json",
                  description="Organisations, sites, snapshots, devices, discrepancies, reports, screening and the "
                              "registry, scoped to the caller's organisation tree. Errors are "
                              "application/problem+json (RFC 9457).")
    api.state.schoon = state
    problems.install(api, None)
    api.include_router(routes.router)
    return api
