"""Real-browser flows: Chromium (Playwright) against ``schoon serve``'s app on 127.0.0.1, one storage state per role.

An editor of the demo ministry signs in through the login form, uploads the demo files, sees the findings, marks
one device replaced and exempts another, and downloads the PDF and XLSX report (the PDF starts ``%PDF`` and has
pages, the XLSX opens in openpyxl); once in Dutch and once in English. Then every page each role can reach is
checked with axe-core for WCAG 2.1 A/AA violations (zero allowed), in both languages.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from schoon.accounts.service import Accounts
from schoon.audit import Store, apply_file, import_snapshot
from schoon.identify import Engine
from schoon.registry import default_registry
from tests.web.live import serving

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "voorbeeldzaken"
PASSWORD = "Browser-Test-Wachtwoord-2026"
ROLES = {"coordinator": ("coordinator@coord.test", "bzk"), "org-admin": ("beheer@mvz.test", "mvz"),
         "editor": ("bewerker@mvz.test", "mvz"), "viewer": ("lezer@mvz.test", "mvz")}
LOCALES = {"nl": "nl-NL", "en": "en-GB"}


@dataclass
class Site:
    """The served app, and a saved storage state per role."""

    base: str
    states: dict[str, Path] = field(default_factory=dict)
    device_id: int = 0
    snapshot_id: int = 0
    job_id: str = ""


@pytest.fixture(scope="module")
def site(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from schoon.web.app import create_app
    from schoon.web.settings import WebSettings

    tmp = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp / 'web.db'}"
    store = Store.open(url)
    store.add_org("bzk", "Coördinatie")
    store.add_org("mvz", "Ministerie van Voorbeeldzaken", deadline="2026-06-30")
    store.add_org("dvt", "Dienst Voorbeeldtoezicht", parent="mvz")
    for lang in LOCALES:
        store.add_org(f"upload-{lang}", f"Uploadtest {lang}", parent="mvz")
    store.add_site("mvz", "Den Haag Hoofdkantoor", sensitivity="high")
    engine = Engine(default_registry(), as_of="2026-03-02")
    import_snapshot(store, engine, "mvz", [str(EXAMPLES / f) for f in ("register.csv", "camera-vlan.xml")],
                    site="Den Haag Hoofdkantoor", taken_on="2026-03-02")
    import_snapshot(store, engine, "dvt", [str(EXAMPLES / "dvt-register.csv")], taken_on="2026-03-09")
    apply_file(store, EXAMPLES / "moves-2026-06.csv", actor="CISO MVZ")
    accounts = Accounts(store)
    for role, (email, org) in ROLES.items():
        accounts.add_user(email, org, role, PASSWORD)
    device = next(iter(store.devices("mvz", verdict="flagged")))
    snapshot = store.snapshots("mvz")[0]
    store.close()
    app = create_app(WebSettings(db_url=url, upload_dir=tmp / "uploads"))
    with serving(app) as base:
        served = Site(base, device_id=int(device["id"]), snapshot_id=int(snapshot["id"]))
        for role, (email, _org) in ROLES.items():
            context = browser.new_context(base_url=base, locale="nl-NL")
            page = context.new_page()
            page.goto("/login")
            page.fill("#email", email)
            page.fill("#password", PASSWORD)
            page.click("form[action='/login'] button[type=submit]")
            page.wait_for_url(re.compile(r".*/$"))
            served.states[role] = tmp / f"state-{role}.json"
            context.storage_state(path=str(served.states[role]))
            context.close()
        yield served
        app.state.schoon.close()


def pdf_pages(data: bytes) -> int:
    """The page count of a PDF, read by poppler's pdfinfo (object streams hide the page objects from a grep)."""
    pdfinfo = shutil.which("pdfinfo")
    assert pdfinfo, "pdfinfo (poppler-utils, scripts/system-deps.sh) is needed to count PDF pages"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        info = subprocess.run([pdfinfo, handle.name], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


def open_as(browser: Any, site: Site, role: str, lang: str = "nl") -> Any:
    """A browser context signed in as ``role`` (from its storage state), speaking ``lang``."""
    return browser.new_context(base_url=site.base, storage_state=str(site.states[role]), locale=LOCALES[lang],
                               extra_http_headers={"Accept-Language": lang}, accept_downloads=True)


def wait_for_job(page: Any, timeout_s: float = 120) -> None:
    """Reload the job page until the import is finished (the page refreshes itself every 2 s)."""
    page.wait_for_function("() => !document.querySelector('meta[http-equiv=refresh]')", timeout=timeout_s * 1000)


@pytest.mark.parametrize("lang", list(LOCALES))
def test_editor_uploads_reviews_marks_and_downloads(browser: Any, site: Site, lang: str,
                                                     check_a11y: Callable[[Any], int]) -> None:
    context = open_as(browser, site, "editor", lang)
    page = context.new_page()
    org = f"upload-{lang}"
    page.goto(f"/upload?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    check_a11y(page)
    page.select_option("#u-org", org)
    page.set_input_files("#u-files", [str(EXAMPLES / f) for f in ("register.csv", "camera-vlan.xml", "inkoop.csv")])
    page.fill("#u-site", "Den Haag Hoofdkantoor")
    page.fill("#u-date", "2026-03-02")
    page.click("form[action='/upload'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/jobs/[^/]+$"))
    wait_for_job(page)
    assert page.locator("[role=alert]").count() == 0, page.locator("[role=alert]").inner_text()
    check_a11y(page)

    # the findings
    page.goto(f"/devices?org={org}&verdict=flagged")
    rows = page.locator("table tbody tr")
    assert rows.count() >= 3, "the demo register has several flagged devices"
    assert "Hikvision" in page.locator("table").inner_text() or "hikvision" in page.content().lower()
    check_a11y(page)
    links = [rows.nth(n).locator("a").first.get_attribute("href") for n in range(2)]

    # mark one replaced
    page.goto(links[0])
    check_a11y(page)
    form = page.locator("form:has(input[name=state][value=replaced])")
    form.locator("input[name=on_date]").fill("2026-04-01")
    form.locator("input[name=replaced_by]").fill("Axis P3245-LVE")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    record = page.locator("dl.record").inner_text()
    assert ("vervangen" if lang == "nl" else "replaced") in record.lower()
    assert "Axis P3245-LVE" in record
    check_a11y(page)

    # exempt another
    page.goto(links[1])
    form = page.locator("form:has(input[name=state][value=exempted])")
    form.locator("textarea[name=reason]").fill("Beveiligde ruimte, geen netwerk" if lang == "nl" else "Air-gapped room")
    form.locator("input[name=approver]").fill("CISO")
    form.locator("input[name=review]").fill("2027-06-30")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    record = page.locator("dl.record").inner_text()
    assert ("Beveiligde ruimte, geen netwerk" if lang == "nl" else "Air-gapped room") in record
    assert "CISO" in record

    # the reports: PDF and XLSX
    page.goto("/reports")
    check_a11y(page)
    for fmt in ("pdf", "xlsx"):
        link = page.locator(f"a[href^='/reports/institution/{org}.{fmt}']")
        with page.expect_download(timeout=180_000) as info:
            link.click()
        data = Path(info.value.path()).read_bytes()
        if fmt == "pdf":
            assert data.startswith(b"%PDF")
            assert pdf_pages(data) >= 1
        else:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
            assert book.sheetnames and any(row for row in book.worksheets[0].iter_rows(values_only=True))
    context.close()


def pages_for(role: str, site: Site) -> list[str]:
    common = ["/", "/devices", "/devices?verdict=flagged", f"/devices/{site.device_id}", "/discrepancies",
              "/snapshots", f"/snapshots/{site.snapshot_id}", "/reports", "/registry", "/registry/hikvision",
              "/screening", "/screening?name=Hangzhou+Hikvision", "/toegankelijkheid", "/no-such-page"]
    if role in ("org-admin", "editor"):
        common.append("/upload")
    if role in ("org-admin", "coordinator"):
        common.append("/admin")
    return common


@pytest.mark.parametrize("lang", list(LOCALES))
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_every_role_passes_axe(browser: Any, site: Site, role: str, lang: str,
                                             check_a11y: Callable[[Any], int]) -> None:
    context = open_as(browser, site, role, lang)
    page = context.new_page()
    checked = 0
    for path in pages_for(role, site):
        answer = page.goto(path + ("&" if "?" in path else "?") + f"lang={lang}")
        assert answer is not None
        assert answer.status == (404 if path == "/no-such-page" else 200), f"{path}: HTTP {answer.status}"
        check_a11y(page)
        checked += 1
    context.close()
    assert checked == len(pages_for(role, site))


def test_login_page_passes_axe_for_a_visitor(browser: Any, site: Site, check_a11y: Callable[[Any], int]) -> None:
    for lang in LOCALES:
        context = browser.new_context(base_url=site.base, locale=LOCALES[lang])
        page = context.new_page()
        page.goto(f"/login?lang={lang}")
        check_a11y(page)
        page.fill("#email", "nobody@coord.test")
        page.fill("#password", "wrong-password-here")
        page.click("form[action='/login'] button[type=submit]")
        check_a11y(page)  # the page with the error message
        context.close()
