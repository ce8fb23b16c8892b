"""Signing in and out, sessions, CSRF and bearer tokens."""

from __future__ import annotations

from tests.web.conftest import Web, csrf_of


def test_login_sets_a_strict_httponly_session_cookie_and_lands_on_the_dashboard(web: Web) -> None:
    client = web.client()
    token = csrf_of(client.get("/login").text)
    user = web.users["editor"]
    response = client.post("/login", data={"email": user.email, "password": user.password, "csrf": token},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("schoon_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    page = client.get("/")
    assert page.status_code == 200 and user.email in page.text


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(web: Web) -> None:
    client = web.client()
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"email": web.users["editor"].email, "password": "not it at all",
                                           "csrf": token})
    assert response.status_code == 401
    assert "schoon_session" not in response.cookies
    assert client.get("/", follow_redirects=False).status_code == 303


def test_login_without_or_with_a_wrong_csrf_token_is_403(web: Web) -> None:
    client = web.client()
    client.get("/login")
    user = web.users["editor"]
    for token in ("", "forged"):
        response = client.post("/login", data={"email": user.email, "password": user.password, "csrf": token})
        assert response.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_form_post_without_the_session_csrf_token_is_403_and_changes_nothing(web: Web) -> None:
    client = web.login("editor")
    flagged = client.get("/api/v1/devices", params={"state": "in_use", "org": "mvz"}).json()["items"][0]
    response = client.post(f"/devices/{flagged['id']}/move", data={"state": "scheduled", "on_date": "2027-01-01"})
    assert response.status_code == 403
    assert client.get(f"/api/v1/devices/{flagged['id']}").json()["device"]["state"] == "in_use"


def test_session_id_changes_at_login_and_a_planted_cookie_is_worthless(web: Web) -> None:
    client = web.client()
    client.cookies.set("schoon_session", "planted-by-an-attacker")
    assert client.get("/", follow_redirects=False).status_code == 303
    token = csrf_of(client.get("/login").text)
    user = web.users["viewer"]
    response = client.post("/login", data={"email": user.email, "password": user.password, "csrf": token},
                           follow_redirects=False)
    assert response.cookies.get("schoon_session") not in (None, "planted-by-an-attacker")


def test_logout_ends_the_session_on_the_server(web: Web) -> None:
    client = web.login("viewer")
    old = client.cookies.get("schoon_session")
    thief = web.client()
    thief.cookies.set("schoon_session", old)
    assert thief.get("/", follow_redirects=False).status_code == 200  # the copied cookie works while it lives
    token = csrf_of(client.get("/").text)
    assert client.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert thief.get("/", follow_redirects=False).status_code == 303


def test_pages_send_an_anonymous_visitor_to_the_login_page_and_back(web: Web) -> None:
    response = web.client().get("/devices?verdict=flagged", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fdevices%3Fverdict%3Dflagged"


def test_login_never_redirects_off_site(web: Web) -> None:
    client = web.client()
    token = csrf_of(client.get("/login").text)
    user = web.users["viewer"]
    response = client.post("/login", data={"email": user.email, "password": user.password, "csrf": token,
                                           "next": "//evil.example/"}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_api_needs_credentials_and_takes_bearer_tokens(web: Web) -> None:
    client = web.client()
    response = client.get("/api/v1/devices")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    token = web.token("viewer")
    answer = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.json()["role"] == "viewer"


def test_a_revoked_token_is_refused(web: Web) -> None:
    token_id, secret = web.state.accounts.create_token(web.users["editor"].email, 1)
    client = web.client()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    web.state.accounts.revoke_token(token_id)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401 and response.json()["status"] == 401


def test_api_changes_over_the_session_cookie_need_the_csrf_header(web: Web) -> None:
    client = web.login("editor")
    device = client.get("/api/v1/devices", params={"state": "in_use", "org": "mvz"}).json()["items"][0]
    body = {"state": "scheduled", "date": "2027-01-15"}
    assert client.post(f"/api/v1/devices/{device['id']}/moves", json=body).status_code == 403
    token = csrf_of(client.get("/").text)
    answer = client.post(f"/api/v1/devices/{device['id']}/moves", json=body, headers={"X-CSRF-Token": token})
    assert answer.status_code == 200 and answer.json()["state"] == "scheduled"
