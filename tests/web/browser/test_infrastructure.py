"""The browser test machinery itself: Chromium starts, axe-core finds a violation it must find, and a strict
Content-Security-Policy does not stop the check."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from tests.web.browser.conftest import format_violations, run_axe
from tests.web.live import serving

CLEAN = ('<!doctype html><html lang="nl"><head><title>Schoon</title></head><body><main><h1>Overzicht</h1>'
         '<img src="data:," alt="logo"></main></body></html>')
BROKEN = CLEAN.replace(' alt="logo"', "").replace(' lang="nl"', "")


def test_axe_finds_missing_alt_text_and_language(browser: Any, axe_source: str) -> None:
    page = browser.new_page()
    page.set_content(BROKEN)
    violations = run_axe(page, axe_source)
    assert {v["id"] for v in violations} >= {"image-alt", "html-has-lang"}
    assert "image-alt" in format_violations(violations, "about:blank")
    page.close()


def test_check_a11y_passes_a_clean_page_and_fails_a_broken_one(browser: Any, check_a11y: Any) -> None:
    page = browser.new_page()
    page.set_content(CLEAN)
    check_a11y(page)
    page.set_content(BROKEN)
    with pytest.raises(AssertionError, match="image-alt"):
        check_a11y(page)
    page.close()


def test_axe_runs_under_a_csp_without_unsafe_inline(browser: Any, axe_source: str) -> None:
    async def home(request: Any) -> HTMLResponse:
        return HTMLResponse(CLEAN, headers={"Content-Security-Policy": "default-src 'self'; script-src 'self'"})

    app = Starlette(routes=[Route("/", home)])
    with serving(app) as base:
        page = browser.new_page()
        blocked: list[str] = []
        page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
        page.goto(base + "/")
        page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = 1';"
                      " document.body.appendChild(s); }")
        assert page.evaluate("() => window.inlineRan === undefined"), "the CSP should block inline scripts"
        assert run_axe(page, axe_source) == []
        page.close()
