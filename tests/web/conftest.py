"""The web tests: the demo estate (two institution trees and the coordinator) in a real SQLite store, served
by the real app through FastAPI's TestClient; one signed-in client per demo role.

The demo is built once per test run into a template file; every test that uses ``web`` gets its own copy, so
tests that change data (moves, uploads) do not see each other.
"""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from schoon.accounts import passwords
from schoon.web.app import WebSettings, create_app
from schoon.web.demo import DemoUser, build_demo
from schoon.web.state import AppState
from tests.accounts.conftest import CHEAP

with warnings.catch_warnings():  # Starlette warns that its test client will move to httpx2 one day
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
ROLES = ("coordinator", "org-admin", "editor", "viewer", "other-viewer")


@dataclass
class Web:
    """One app over its own copy of the demo store, and the demo users by role."""

    app: object
    state: AppState
    users: dict[str, DemoUser]

    def client(self) -> TestClient:
        """A new anonymous browser."""
        return TestClient(self.app, base_url="http://testserver")  # type: ignore[arg-type]

    def login(self, role: str) -> TestClient:
        """A browser signed in as the demo user of ``role``."""
        client = self.client()
        user = self.users[role]
        token = csrf_of(client.get("/login").text)
        response = client.post("/login", data={"email": user.email, "password": user.password, "csrf": token,
                                               "next": "/"}, follow_redirects=False)
        assert response.status_code == 303, response.text
        return client

    def token(self, role: str) -> str:
        """A bearer token for the demo user of ``role``."""
        _, secret = self.state.accounts.create_token(self.users[role].email, 1)
        return secret


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with small parameters: the same code path, far faster (production keeps RFC 9106's)."""
    monkeypatch.setattr(passwords, "_HASHER", CHEAP)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, DemoUser]]:
    """The demo store built once: its file and its users by role."""
    folder = tmp_path_factory.mktemp("web-demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_HASHER", CHEAP)
        state = AppState.open(WebSettings(db_url=f"sqlite:///{folder / 'demo.db'}"))
        try:
            users = build_demo(state.store, state.accounts)
        finally:
            state.close()
    by_role = {}
    for user in users:
        key = "other-viewer" if user.role == "viewer" and user.org_id != "mvz" else user.role
        by_role[key] = user
    return folder / "demo.db", by_role


@pytest.fixture
def web(demo_template: tuple[Path, dict[str, DemoUser]], tmp_path: Path) -> Iterator[Web]:
    """A fresh app over a copy of the demo store."""
    source, users = demo_template
    database = tmp_path / "demo.db"
    shutil.copyfile(source, database)
    settings = WebSettings(db_url=f"sqlite:///{database}", upload_dir=tmp_path / "uploads",
                           max_upload_bytes=64 * 1024, max_upload_files=4, max_request_bytes=512 * 1024)
    state = AppState.open(settings)
    try:
        yield Web(create_app(settings, state), state, users)
    finally:
        state.close()
