"""The server-rendered pages, one module per area; :func:`routers` lists their routers."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    """Every page router, in the order the app includes them."""
    from schoon.web.pages import admin, devices, home, lists, login, registry, reports, upload

    return [login.router, home.router, devices.router, upload.router, lists.router, reports.router,
            registry.router, admin.router]
