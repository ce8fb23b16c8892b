"""``schoon serve``: the demo prints one account per role and serves an app they can sign in to.

Uvicorn itself is replaced by a stand-in that keeps the app (the process boundary); the app is then driven
through the test client like a browser would.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.cli.helpers import run
from tests.web.conftest import TestClient, csrf_of


def test_serve_demo_prints_a_user_per_role_and_they_can_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    served: dict[str, Any] = {}

    def fake_run(app: Any, **options: Any) -> None:
        served.update(options)
        client = TestClient(app)
        served["pages"] = []
        for role, email, password in served["users"]:
            client.cookies.clear()
            token = csrf_of(client.get("/login").text)
            response = client.post("/login", data={"email": email, "password": password, "csrf": token})
            served["pages"].append((role, response.status_code, email in response.text))

    def capture_users(line: str) -> None:
        found = re.match(r"\s+(\S+)\s+(\S+)\s+(\S+@\S+)\s+(\S+)$", line)
        if found:
            served.setdefault("users", []).append((found.group(1), found.group(3), found.group(4)))

    import uvicorn

    from schoon.cli import serve as serve_module

    monkeypatch.setattr(uvicorn, "run", fake_run)
    original_say = serve_module.say
    monkeypatch.setattr(serve_module, "say", lambda line: (capture_users(line), original_say(line)))
    result = run("serve", "--demo", "--port", "8123")
    assert result.code == 0, result.err
    assert served["host"] == "127.0.0.1" and served["port"] == 8123
    assert sorted(role for role, _, _ in served["users"]) == ["coordinator", "editor", "org-admin", "viewer",
                                                               "viewer"]
    assert len(served["pages"]) == 5
    assert all(status == 200 and shown for _, status, shown in served["pages"]), served["pages"]


def test_serve_refuses_demo_with_a_database() -> None:
    result = run("serve", "--demo", "--db", "sqlite:///elsewhere.db")
    assert result.code == 2 and "--demo builds its own temporary store" in result.err
