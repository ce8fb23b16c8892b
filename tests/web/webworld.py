"""The world of :mod:`tests.web.world` served by the real app, in process, on SQLite or PostgreSQL.

``served_world`` builds the two trees in a fresh database, makes the app (``create_app``), a session per
account (cookie and CSRF token) and, on PostgreSQL with ``rls=True``, points the app at the non-owner
application role so row-level security is a second wall under the Python scope.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from schoon.audit.db import normalise_url
from tests.web.world import World, build_world

PG_URL = os.environ.get("SCHOON_TEST_PG_URL")
APP_ROLE = "schoon_web_test_app"
APP_ROLE_PASSWORD = "app-role-test-password"


@dataclass
class Served:
    """The world, the app's test client, and per account its session cookie and CSRF token."""

    world: World
    client: TestClient
    app: Any
    sessions: dict[str, tuple[str, str]] = field(default_factory=dict)  # account key -> (cookie, csrf)
    jobs: dict[str, list[str]] = field(default_factory=dict)  # tree -> job ids
    db_url: str = ""
    fingerprint: tuple[object, ...] = ()

    def bearer(self, key: str) -> dict[str, str]:
        """The Authorization header of an account's API token."""
        return {"Authorization": f"Bearer {self.world.accounts[key].token}"}

    def as_user(self, key: str | None) -> TestClient:
        """The client with only ``key``'s session cookie (None: no cookie at all)."""
        from schoon.web.auth import SESSION_COOKIE

        self.client.cookies.clear()
        if key is not None:
            self.client.cookies.set(SESSION_COOKIE, self.sessions[key][0])
        return self.client


def app_role_url(owner_url: str) -> str:
    """A URL of the same database as the non-owner application role (created here), for row-level security."""
    from schoon.accounts.pgroles import create_app_role

    engine = sa.create_engine(normalise_url(owner_url))
    try:
        create_app_role(engine, APP_ROLE, APP_ROLE_PASSWORD)
    finally:
        engine.dispose()
    url = sa.make_url(owner_url)
    return url.set(username=APP_ROLE, password=APP_ROLE_PASSWORD).render_as_string(hide_password=False)


def upload_register(client: TestClient, headers: dict[str, str], org: str, text: str, name: str = "r.csv"
                    ) -> Any:
    """POST /api/v1/snapshots with one register file."""
    return client.post("/api/v1/snapshots", headers=headers, data={"org": org, "taken_on": "2026-11-02"},
                       files=[("files", (name, text.encode(), "text/csv"))])


def wait_for_job(client: TestClient, headers: dict[str, str], job_id: str, timeout: float = 120) -> dict[str, Any]:
    """Poll a job until it is no longer queued or running."""
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if body.get("state") not in ("queued", "running", "pending"):
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {body.get('state')} after {timeout:.0f} s")
        time.sleep(0.2)


@dataclass
class _Template:
    """A built world kept for copying: where it lives, the world, its jobs, its sessions and fingerprint."""

    url: str
    folder: Path
    world: World
    jobs: dict[str, list[str]]
    sessions: dict[str, tuple[str, str]]
    fingerprint: tuple[object, ...]


_TEMPLATES: dict[str, _Template] = {}


def _build_template(kind: str, folder: Path, url: str) -> _Template:
    """Build the world once: the library fills the store; the app takes one upload per tree (so each tree has
    an import job); a session is opened for every account."""
    from schoon.accounts.service import Accounts
    from schoon.audit import Store
    from schoon.web.app import create_app
    from schoon.web.settings import WebSettings

    world = build_world(url, folder)
    store = Store.open(url)
    accounts = Accounts(store)
    sessions: dict[str, tuple[str, str]] = {}
    for key, account in world.accounts.items():
        principal = accounts.principal_for_email(account.email)
        assert principal is not None
        ticket = accounts.create_session(principal.user_id)
        sessions[key] = (ticket.token, ticket.csrf)
    store.close()
    jobs: dict[str, list[str]] = {}
    app = create_app(WebSettings(db_url=url, upload_dir=folder / "uploads"))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for tree in world.orgs:
            editor = {"Authorization": f"Bearer {world.accounts[f'{tree}/editor'].token}"}
            marker = World.marker(tree)
            text = ("Inventarisnummer;Locatie;Hostnaam;Merk;Typenummer\n"
                    f"{marker.upper()}-UP-1;{marker} hoofdkantoor;{marker}-upload-cam;Hikvision;DS-2CD2043G2-I\n")
            answer = upload_register(client, editor, world.orgs[tree][0], text)
            assert answer.status_code == 202, answer.text
            job_id = str(answer.json()["id"])
            wait_for_job(client, editor, job_id)  # done or failed: either way the tree has a job to hide
            jobs[tree] = [job_id]
    app.state.schoon.close()
    return _Template(url, folder, world, jobs, sessions, world.fingerprint())


@contextmanager
def _copy_of(kind: str, tmp: Path) -> Iterator[tuple[str, _Template]]:
    """A fresh copy of the template world of ``kind`` (built on first use): its URL and the template."""
    if kind not in _TEMPLATES:
        if kind == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="schoon-web-world-"))
            atexit.register(shutil.rmtree, folder, True)
            _TEMPLATES[kind] = _build_template(kind, folder, f"sqlite:///{folder / 'web.db'}")
        else:
            if not PG_URL:
                pytest.skip("no PostgreSQL server: set SCHOON_TEST_PG_URL (make test starts one with "
                            "scripts/pg-test-server.sh)")
            folder = Path(tempfile.mkdtemp(prefix="schoon-web-world-pg-"))
            atexit.register(shutil.rmtree, folder, True)
            name = f"wt_{uuid.uuid4().hex[:12]}"
            _admin_execute(f'CREATE DATABASE "{name}"')
            atexit.register(_admin_execute, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _TEMPLATES[kind] = _build_template(kind, folder, f"{PG_URL.rsplit('/', 1)[0]}/{name}")
    template = _TEMPLATES[kind]
    shutil.copytree(template.folder / "uploads", tmp / "uploads")
    if kind == "sqlite":
        shutil.copyfile(template.folder / "web.db", tmp / "web.db")
        yield f"sqlite:///{tmp / 'web.db'}", template
        return
    assert PG_URL
    name = f"w_{uuid.uuid4().hex[:12]}"
    _admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.url.rsplit("/", 1)[1]}"')
    try:
        yield f"{PG_URL.rsplit('/', 1)[0]}/{name}", template
    finally:
        _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin_execute(statement: str) -> None:
    assert PG_URL
    admin = sa.create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(statement))
    finally:
        admin.dispose()


@contextmanager
def served_world(kind: str, tmp: Path, *, rls: bool = False, **settings: Any) -> Iterator[Served]:
    """A fresh copy of the world in a database of ``kind``, served by the app in process; with ``rls`` (on
    PostgreSQL) the app connects as the non-owner application role."""
    from schoon.web.app import create_app
    from schoon.web.settings import WebSettings

    with _copy_of(kind, tmp) as (url, template):
        world = dataclasses.replace(template.world, url=url)
        app_url = app_role_url(url) if rls else url
        app = create_app(WebSettings(db_url=app_url, upload_dir=tmp / "uploads", migrate=not rls, **settings))
        served = Served(world, TestClient(app, base_url="http://127.0.0.1"), app, dict(template.sessions),
                        dict(template.jobs), app_url, template.fingerprint)
        with served.client:
            yield served
        app.state.schoon.close()
