"""Real-browser fixtures: Playwright driving Debian's Chromium, and axe-core for WCAG 2.1 A/AA checks.

Never a downloaded browser build: Chromium is the Debian package (``apt-get install chromium``; ``scripts/
system-deps.sh`` installs it under CI), launched through ``executable_path``. axe-core comes from the npm
registry into the git-ignored ``.cache/node`` (``scripts/browser-deps.sh``). Outside CI a missing Chromium or
axe-core skips these tests with the exact reason; under CI (``CI=true``) it fails them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
AXE_DEFAULT = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
#: every page axe checked in this session (for the figure in the report)
AXE_RUNS: list[str] = []
#: the WCAG 2.1 A and AA rule sets of axe-core (the Dutch government standard)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _absent(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run here)")
    pytest.skip(reason)


def chromium_path() -> str | None:
    """Debian's Chromium: ``SCHOON_CHROMIUM`` when set, else ``chromium`` on the PATH."""
    named = os.environ.get("SCHOON_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _absent("playwright is not installed (pip install -e '.[dev]')")
    path = chromium_path()
    if path is None:
        _absent("Debian's Chromium is not installed (apt-get install chromium, or set SCHOON_CHROMIUM)")
    assert path is not None
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=args, headless=True)
        yield chromium
        chromium.close()
    print(f"axe-core: {len(AXE_RUNS)} page checks with zero WCAG 2.1 A/AA violations required")


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The text of axe.min.js (``SCHOON_AXE_JS`` or ``.cache/node/node_modules/axe-core/axe.min.js``)."""
    path = Path(os.environ.get("SCHOON_AXE_JS") or AXE_DEFAULT)
    if not path.is_file():
        _absent(f"axe-core is not installed at {path} (run scripts/browser-deps.sh: npm install axe-core@4)")
    return path.read_text(encoding="utf-8")


def format_violations(violations: list[dict[str, Any]], url: str) -> str:
    """One line per violation and node: rule, impact, help text, CSS target, and the offending HTML."""
    lines = [f"{sum(len(v['nodes']) for v in violations)} WCAG 2.1 A/AA violation(s) on {url}:"]
    for violation in violations:
        for node in violation["nodes"]:
            lines.append(f"  {violation['id']} ({violation.get('impact')}): {violation['help']} at "
                         f"{' '.join(map(str, node['target']))}: {node['html'][:160]}")
        lines.append(f"    see {violation.get('helpUrl', '')}")
    return "\n".join(lines)


def run_axe(page: Any, source: str) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now.

    The script is evaluated through the DevTools protocol, so the page's Content-Security-Policy (no inline
    scripts) stays in force and is not what lets axe in.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS)
    return list(result["violations"])


@pytest.fixture()
def check_a11y(axe_source: str) -> Callable[[Any], int]:
    """``check_a11y(page)`` asserts zero WCAG 2.1 A/AA violations on the page as it is now."""

    def check(page: Any) -> int:
        violations = run_axe(page, axe_source)
        AXE_RUNS.append(page.url)
        assert not violations, format_violations(violations, page.url)
        return 0

    return check
