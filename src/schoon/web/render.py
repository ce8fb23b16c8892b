"""Rendering pages: one Jinja2 environment (autoescape on), the page context every template gets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from schoon.report import i18n as report_i18n
from schoon.web import i18n

HERE = Path(__file__).parent

ROLE_NAV: dict[str, tuple[tuple[str, str], ...]] = {}
NAV: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("/", "nav.dashboard", frozenset({"coordinator", "org-admin", "editor", "viewer"})),
    ("/devices", "nav.devices", frozenset({"coordinator", "org-admin", "editor", "viewer"})),
    ("/upload", "nav.upload", frozenset({"org-admin", "editor"})),
    ("/discrepancies", "nav.discrepancies", frozenset({"coordinator", "org-admin", "editor", "viewer"})),
    ("/snapshots", "nav.snapshots", frozenset({"coordinator", "org-admin", "editor", "viewer"})),
    ("/reports", "nav.reports", frozenset({"coordinator", "org-admin", "editor", "viewer"})),
    ("/registry", "nav.registry", frozenset({"coordinator", "org-admin", "editor", "viewer"})),
    ("/screening", "nav.screening", frozenset({"coordinator", "org-admin", "editor", "viewer"})),
    ("/admin", "nav.admin", frozenset({"coordinator", "org-admin"})),
)


def environment() -> jinja2.Environment:
    """The page templates' environment: autoescape for every template, undefined names are errors."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    return env


def nav_for(role: str | None) -> list[tuple[str, str]]:
    """The menu entries a role sees."""
    return [(href, key) for href, key, roles in NAV if role in roles]


class Pages:
    """Renders templates with the common context: language, words, the caller, the CSRF token, messages."""

    def __init__(self) -> None:
        self.env = environment()

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        """The page ``template`` as a response; ``context`` adds to the common context."""
        lang: str = request.state.lang
        principal = getattr(request.state, "principal", None)
        role = getattr(principal, "role", None)

        def t(key: str, **params: Any) -> str:
            return i18n.t(key, lang, **params)

        def term(domain: str, value: str | None) -> str:
            return report_i18n.term(domain, value, lang)

        def number(value: int | float) -> str:
            return report_i18n.number(value, lang)

        def date(value: str | None) -> str:
            return report_i18n.date(value, lang)

        def datetime(value: str | None) -> str:
            return report_i18n.datetime(value, lang)

        values: dict[str, Any] = {
            "lang": lang, "other_lang": "en" if lang == "nl" else "nl", "t": t, "term": term, "number": number,
            "date": date, "datetime": datetime, "principal": principal, "nav": nav_for(role),
            "csrf": request.state.csrf, "messages": [], "errors": [], "active": None, "title": "schoon",
        }
        values.update(context)
        html = self.env.get_template(template).render(values)
        response = HTMLResponse(html, status_code=status)
        if request.query_params.get("lang") in i18n.LANGUAGES:
            response.set_cookie(i18n.COOKIE, lang, max_age=365 * 86400, samesite="strict", httponly=True)
        return response
