"""Every page renders for every role (or refuses the roles it is not for), in Dutch and English, with the
security headers, without inline script or style, and never showing another tree's data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.conftest import ROLES, Web

PAGES = ("/", "/devices", "/devices?verdict=flagged&sort=-last_seen", "/discrepancies", "/snapshots", "/reports",
         "/registry", "/registry/hikvision", "/screening", "/screening?name=Hangzhou%20Hikvision",
         "/toegankelijkheid")
EDIT_PAGES = ("/upload",)
ADMIN_PAGES = ("/admin",)


@pytest.mark.parametrize("role", ROLES)
def test_each_page_renders_for_each_role(web: Web, role: str) -> None:
    client = web.login(role)
    device_id = client.get("/api/v1/devices", params={"limit": 1}).json()["items"][0]["id"]
    snapshot_id = client.get("/api/v1/snapshots").json()[0]["id"]
    for path in (*PAGES, f"/devices/{device_id}", f"/snapshots/{snapshot_id}"):
        response = client.get(path)
        assert response.status_code == 200, (role, path, response.text[:300])
        assert response.headers["content-type"].startswith("text/html")
        assert '<html lang="nl">' in response.text
        assert '<main id="main"' in response.text and 'class="skip" href="#main"' in response.text
    editing = role in ("org-admin", "editor")
    administering = role in ("coordinator", "org-admin")
    for path in EDIT_PAGES:
        assert client.get(path).status_code == (200 if editing else 403), (role, path)
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == (200 if administering else 403), (role, path)


def test_pages_switch_language_and_remember_it(web: Web) -> None:
    client = web.login("viewer")
    english = client.get("/devices?lang=en")
    assert '<html lang="en">' in english.text and "Devices" in english.text
    assert '<html lang="en">' in client.get("/").text  # the cookie keeps the choice
    dutch = client.get("/?lang=nl")
    assert '<html lang="nl">' in dutch.text and "Apparaten" in dutch.text


def test_accept_language_chooses_english_for_a_new_visitor(web: Web) -> None:
    page = web.client().get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in page.text and "Log in" in page.text


def test_security_headers_on_pages_api_and_errors(web: Web) -> None:
    client = web.login("viewer")
    for path in ("/", "/api/v1/devices", "/nowhere", "/static/schoon.css"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert "strict-transport-security" not in headers  # only behind TLS


def test_no_inline_script_or_style_on_any_page(web: Web) -> None:
    client = web.login("org-admin")
    for path in (*PAGES, "/upload", "/admin"):
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert "<style" not in html and " style=" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path  # no inline event handlers either


def test_tables_have_header_cells_with_scope(web: Web) -> None:
    html = web.login("viewer").get("/devices").text
    assert '<th scope="col">' in html and '<th scope="row">' in html


def test_the_other_trees_viewer_sees_none_of_the_ministrys_devices(web: Web) -> None:
    client = web.login("other-viewer")
    html = client.get("/devices").text
    assert "MVZ-0001" not in html and "Ministerie van Voorbeeldzaken" not in html
    mvz_device = web.login("viewer").get("/api/v1/devices", params={"limit": 1}).json()["items"][0]["id"]
    page = client.get(f"/devices/{mvz_device}", headers={"accept": "text/html"})
    assert page.status_code == 404 and "MVZ" not in page.text
    assert client.get("/reports/institution/mvz.html").status_code == 404
    assert client.get("/reports/national.html").status_code == 403


def test_the_device_page_shows_what_the_capability_documents_say(web: Web) -> None:
    """Issue 12: a device's capability findings (documents and sourced model claims) are on its page."""
    from schoon.audit.capabilities import capabilities_of
    from schoon.web.i18n import t

    client = web.login("viewer")
    shown = 0
    for item in client.get("/api/v1/devices", params={"limit": 200}).json()["items"]:
        found = capabilities_of(web.state.store, item["id"])
        html = client.get(f"/devices/{item['id']}", headers={"accept": "text/html"}).text
        assert t("device.capabilities", "nl") in html
        if not found:
            assert t("device.no_capabilities", "nl") in html
            continue
        shown += 1
        for finding in found:
            assert t(f"capability.{finding['capability']}", "nl") in html
            if finding["origin"] == "document":
                assert Path(finding["document"]).name in html and str(Path(finding["document"]).parent) not in html
    assert shown >= 2  # the demo's documents give the ministry's cameras and the agency's terminal findings
