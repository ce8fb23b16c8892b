"""The web service on PostgreSQL as the application role (row-level security is the second wall): the demo,
sign-in per role, the tree's lists, 404 for the other tree, exports, a move and an upload job.

Needs a server: SCHOON_TEST_PG_URL (``make test`` starts one); without it each test says so and skips.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from schoon.accounts import passwords
from schoon.accounts.pgroles import create_app_role
from schoon.accounts.service import Accounts
from schoon.audit import Store
from schoon.audit.db import normalise_url
from schoon.web.app import WebSettings, create_app
from schoon.web.demo import build_demo
from schoon.web.state import AppState
from tests.accounts.conftest import CHEAP
from tests.audit.conftest import PG_URL
from tests.web.conftest import Web, csrf_of

DEMO = Path(__file__).resolve().parents[2] / "examples" / "voorbeeldzaken"


@pytest.fixture
def pg_web(tmp_path: Path) -> Iterator[Web]:
    """The demo in a fresh PostgreSQL database, served by an app connected as a non-owner application role."""
    if not PG_URL:
        pytest.skip("no PostgreSQL server: set SCHOON_TEST_PG_URL (make test starts one with "
                    "scripts/pg-test-server.sh)")
    name = f"w_{uuid.uuid4().hex[:12]}"
    role = f"app_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    owner_url = f"{PG_URL.rsplit('/', 1)[0]}/{name}"
    owner = Store.open(owner_url)
    state: AppState | None = None
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(passwords, "_HASHER", CHEAP)
            users = build_demo(owner, Accounts(owner))
            create_app_role(owner.engine, role, "app-secret")
            rest = owner_url.partition("://")[2].partition("@")[2]
            settings = WebSettings(db_url=f"postgresql://{role}:app-secret@{rest}", migrate=False,
                                   upload_dir=tmp_path / "uploads")
            state = AppState.open(settings)
            by_role = {("other-viewer" if u.role == "viewer" and u.org_id != "mvz" else u.role): u for u in users}
            yield Web(create_app(settings, state), state, by_role)
    finally:
        if state is not None:
            state.close()
        with owner.engine.connect() as conn:
            conn.execute(sa.text(f'DROP OWNED BY "{role}"'))
            conn.commit()
        owner.close()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


def test_the_web_service_on_postgresql_as_the_application_role(pg_web: Web) -> None:
    web = pg_web
    mvz = web.login("viewer")
    other = web.login("other-viewer")
    ours = mvz.get("/api/v1/devices", params={"limit": 1000}).json()
    theirs = other.get("/api/v1/devices", params={"limit": 1000}).json()
    assert ours["total"] > 0 and theirs["total"] > 0
    assert {d["org_id"] for d in ours["items"]} <= {"mvz", "dvt"}
    assert {d["org_id"] for d in theirs["items"]} == {"voorbeeldstad"}
    device = ours["items"][0]["id"]
    assert other.get(f"/api/v1/devices/{device}").status_code == 404
    assert other.get(f"/devices/{device}", headers={"accept": "text/html"}).status_code == 404
    exported = other.get("/devices/export.jsonl").text.splitlines()
    assert len(exported) == theirs["total"]
    for path in ("/", "/devices", "/snapshots", "/discrepancies", "/reports"):
        assert mvz.get(path).status_code == 200, path
    coordinator = web.login("coordinator")
    assert coordinator.get("/api/v1/devices").json()["total"] == ours["total"] + theirs["total"]
    editor = web.login("editor")
    target = editor.get("/api/v1/devices", params={"state": "in_use"}).json()["items"][0]["id"]
    token = csrf_of(editor.get(f"/devices/{target}").text)
    editor.post(f"/devices/{target}/move", data={"csrf": token, "state": "scheduled", "on_date": "2027-03-01"})
    assert editor.get(f"/api/v1/devices/{target}").json()["device"]["state"] == "scheduled"
    token = csrf_of(editor.get("/upload").text)
    response = editor.post("/upload", data={"csrf": token, "org": "dvt", "site": "Rotterdam Kantoor"},
                           files=[("files", ("dvt-register.csv", (DEMO / "dvt-register.csv").read_bytes(),
                                             "text/csv"))], follow_redirects=False)
    job = response.headers["location"].removeprefix("/jobs/")
    web.state.jobs.wait(job, 120)
    assert editor.get(f"/api/v1/jobs/{job}").json()["state"] == "done"
    assert other.get(f"/api/v1/jobs/{job}").status_code == 404
