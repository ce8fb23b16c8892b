"""OIDC login through the app's routes (``/auth/oidc/login`` and ``/auth/oidc/callback``) against a provider the
test starts on 127.0.0.1: the claims decide organisation and role, and every bad answer is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from fastapi.testclient import TestClient

from schoon.accounts.oidc import OidcSettings
from schoon.accounts.service import Accounts
from schoon.audit import Store
from schoon.web.app import create_app
from schoon.web.auth import SESSION_COOKIE
from schoon.web.oidc import OidcConfig
from schoon.web.oidc_routes import FLOW_COOKIE
from schoon.web.settings import WebSettings
from tests.web.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider, start_provider

EDITORS = "cn=schoon-editors,ou=groups,o=gemeente-a"
VIEWERS = "cn=schoon-lezers,ou=groups,o=gemeente-b"


@pytest.fixture()
def provider() -> Iterator[OidcProvider]:
    p = start_provider()
    p.claims = {"email": "ana@gemeente-a.example", "email_verified": True, "groups": ["staff", EDITORS]}
    yield p
    p.stop()


@pytest.fixture()
def client(provider: OidcProvider, tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    store = Store.open(url)
    store.add_org("gemeente-a", "Gemeente A")
    store.add_org("gemeente-b", "Gemeente B")
    store.close()
    config = OidcConfig(OidcSettings(issuer=provider.issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                                     mapping={EDITORS: ("gemeente-a", "editor"),
                                              VIEWERS: ("gemeente-b", "viewer")}))
    app = create_app(WebSettings(db_url=url, upload_dir=tmp_path / "uploads", oidc=config))
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client
    app.state.schoon.close()


def sign_in(client: TestClient, *, tamper_state: bool = False, drop_flow_cookie: bool = False) -> httpx.Response:
    """Start at the app, pass through the provider (a real HTTP request), come back to the callback."""
    start = client.get("/auth/oidc/login", params={"next": "/devices"}, follow_redirects=False)
    assert start.status_code == 303
    assert FLOW_COOKIE in start.cookies
    with httpx.Client() as browser:
        approved = browser.get(start.headers["location"], follow_redirects=False)
    assert approved.status_code == 302, approved.text
    back = urlparse(approved.headers["location"])
    assert back.path == "/auth/oidc/callback"
    params = {k: v[0] for k, v in parse_qs(back.query).items()}
    if tamper_state:
        params["state"] = "forged-state"
    if drop_flow_cookie:
        client.cookies.delete(FLOW_COOKIE, path="/auth/oidc")
        client.cookies.clear()
    return client.get("/auth/oidc/callback", params=params, headers={"Accept": "text/html"},
                      follow_redirects=False)


def test_good_login_gives_the_mapped_organisation_and_role(client: TestClient) -> None:
    answer = sign_in(client)
    assert answer.status_code == 200
    session = answer.cookies.get(SESSION_COOKIE)
    assert session
    assert 'content="0;url=/devices"' in answer.text
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, session)
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["org_id"] == "gemeente-a" and me.json()["role"] == "editor"
    store = Store.open(str(client.app.state.schoon.settings.db_url))  # type: ignore[attr-defined]
    user = Accounts(store).user("ana@gemeente-a.example")
    store.close()
    assert user.source == "oidc" and not user.has_password


def test_the_role_follows_the_groups_at_the_next_login(client: TestClient, provider: OidcProvider) -> None:
    assert sign_in(client).status_code == 200
    provider.claims = {**provider.claims, "groups": [VIEWERS]}
    client.cookies.clear()
    answer = sign_in(client)
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, answer.cookies[SESSION_COOKIE])
    me = client.get("/api/v1/me").json()
    assert (me["org_id"], me["role"]) == ("gemeente-b", "viewer")


def test_unmapped_group_is_refused(client: TestClient, provider: OidcProvider) -> None:
    provider.claims = {**provider.claims, "groups": ["staff", "cn=other"]}
    answer = sign_in(client)
    assert answer.status_code == 403
    assert SESSION_COOKIE not in answer.cookies
    assert "maps to an organisation" in answer.text


@pytest.mark.parametrize("tamper", [{"nonce": "replayed-nonce"}, {"iss": "http://127.0.0.1:9/other"},
                                    {"aud": "someone-else"}, {"sign_with_other_key": True}])
def test_bad_id_token_is_refused(client: TestClient, provider: OidcProvider, tamper: dict[str, object]) -> None:
    provider.tamper = tamper
    answer = sign_in(client)
    assert answer.status_code == 403
    assert SESSION_COOKIE not in answer.cookies


def test_forged_state_is_refused(client: TestClient, provider: OidcProvider) -> None:
    answer = sign_in(client, tamper_state=True)
    assert answer.status_code == 403 and "state" in answer.text
    assert provider.token_requests == 0


def test_callback_without_the_flow_cookie_is_refused(client: TestClient) -> None:
    answer = sign_in(client, drop_flow_cookie=True)
    assert answer.status_code == 403
    assert SESSION_COOKIE not in answer.cookies


def test_without_configuration_the_routes_are_404(tmp_path: Path) -> None:
    app = create_app(WebSettings(db_url=f"sqlite:///{tmp_path / 'web.db'}", upload_dir=tmp_path / "u"))
    with TestClient(app, base_url="http://127.0.0.1") as plain:
        assert plain.get("/auth/oidc/login", follow_redirects=False).status_code == 404
        assert plain.get("/auth/oidc/callback?code=x&state=y").status_code == 404
    app.state.schoon.close()
