"""Uploads: files become a snapshot through the importer as a background job; the same files again change
nothing; files are kept under their SHA-256; limits on size and count; only editors of the tree."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.web.conftest import Web, csrf_of

DEMO = Path(__file__).resolve().parents[2] / "examples" / "voorbeeldzaken"


def _files(*names: str) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, (DEMO / name).read_bytes(), "application/octet-stream")) for name in names]


def _upload(web: Web, client: object, org: str, *names: str, **form: str) -> object:
    token = csrf_of(client.get("/upload").text)  # type: ignore[attr-defined]
    return client.post("/upload", data={"csrf": token, "org": org, **form},  # type: ignore[attr-defined]
                        files=_files(*names), follow_redirects=False)


def _job_id(response: object) -> str:
    assert response.status_code == 303, response.text  # type: ignore[attr-defined]
    location = response.headers["location"]  # type: ignore[attr-defined]
    assert location.startswith("/jobs/")
    return str(location.removeprefix("/jobs/"))


def test_upload_becomes_a_snapshot_and_the_same_files_again_change_nothing(web: Web) -> None:
    client = web.login("editor")
    before = len(client.get("/api/v1/snapshots").json())
    job = _job_id(_upload(web, client, "dvt", "dvt-register.csv", taken_on="2026-11-20", site="Rotterdam Kantoor"))
    web.state.jobs.wait(job, 120)
    page = client.get(f"/jobs/{job}")
    assert page.status_code == 200 and "klaar" in page.text and "Momentopname" in page.text, \
        page.text[page.text.index("<main"):page.text.index("</main>")]
    status = client.get(f"/api/v1/jobs/{job}").json()
    assert status["state"] == "done" and status["result"]["already_imported"] is False
    snapshots = client.get("/api/v1/snapshots").json()
    assert len(snapshots) == before + 1
    devices_before = client.get("/api/v1/devices").json()["total"]
    again = _job_id(_upload(web, client, "dvt", "dvt-register.csv", taken_on="2026-11-20", site="Rotterdam Kantoor"))
    web.state.jobs.wait(again, 120)
    result = client.get(f"/api/v1/jobs/{again}").json()["result"]
    assert result["already_imported"] is True and result["snapshot_id"] == status["result"]["snapshot_id"]
    assert len(client.get("/api/v1/snapshots").json()) == before + 1
    assert client.get("/api/v1/devices").json()["total"] == devices_before


def test_uploads_are_stored_under_their_sha256_never_their_given_name(web: Web) -> None:
    client = web.login("editor")
    content = (DEMO / "dvt-register.csv").read_bytes()
    token = csrf_of(client.get("/upload").text)
    response = client.post("/upload", data={"csrf": token, "org": "dvt"}, follow_redirects=False,
                           files=[("files", ("../../etc/evil.csv", content, "text/csv"))])
    web.state.jobs.wait(_job_id(response), 120)
    stored = sorted(p.name for p in web.state.upload_dir.iterdir())
    assert stored == [hashlib.sha256(content).hexdigest() + ".csv"]
    assert not (web.state.upload_dir.parent / "etc").exists()


def test_the_upload_of_a_broken_file_fails_with_one_line_and_no_snapshot(web: Web) -> None:
    client = web.login("editor")
    before = len(client.get("/api/v1/snapshots").json())
    token = csrf_of(client.get("/upload").text)
    response = client.post("/upload", data={"csrf": token, "org": "mvz"}, follow_redirects=False,
                           files=[("files", ("register.xlsx", b"PK\x03\x04 not a workbook", "application/zip"))])
    job = _job_id(response)
    web.state.jobs.wait(job, 60)
    status = client.get(f"/api/v1/jobs/{job}").json()
    assert status["state"] == "failed" and status["result"]["error"]
    assert "not a readable .xlsx workbook" in status["result"]["error"]
    assert "Traceback" not in status["result"]["error"] and str(web.state.upload_dir) not in status["result"]["error"]
    assert len(client.get("/api/v1/snapshots").json()) == before


def test_size_and_count_limits_answer_413(web: Web) -> None:
    client = web.login("editor")
    token = csrf_of(client.get("/upload").text)
    big = client.post("/upload", data={"csrf": token, "org": "mvz"},
                      files=[("files", ("big.csv", b"a;b\n" * 20_000, "text/csv"))])
    assert big.status_code == 413
    many = client.post("/upload", data={"csrf": token, "org": "mvz"},
                       files=[("files", (f"f{i}.csv", b"a;b\n1;2\n", "text/csv")) for i in range(5)])
    assert many.status_code == 413
    huge = client.post("/api/v1/snapshots", data={"org": "mvz"}, headers={"X-CSRF-Token": token},
                       files=[("files", ("huge.csv", b"x" * 600_000, "text/csv"))])
    assert huge.status_code == 413 and huge.headers["content-type"] == "application/problem+json"
    assert list(web.state.upload_dir.iterdir()) == []


def test_viewers_and_other_trees_cannot_upload(web: Web) -> None:
    viewer = web.login("viewer")
    assert viewer.get("/upload").status_code == 403
    editor = web.login("editor")
    response = _upload(web, editor, "voorbeeldstad", "dvt-register.csv")
    assert response.status_code == 404  # another tree's organisation does not exist for this caller


def test_upload_through_the_api_with_a_token(web: Web) -> None:
    client = web.client()
    headers = {"Authorization": f"Bearer {web.token('editor')}"}
    response = client.post("/api/v1/snapshots", data={"org": "dvt", "taken_on": "2026-11-21"}, headers=headers,
                           files=_files("dvt-register.csv"))
    assert response.status_code == 202
    job = response.json()
    assert job["state"] in ("queued", "running", "done")
    web.state.jobs.wait(job["id"], 120)
    assert client.get(f"/api/v1/jobs/{job['id']}", headers=headers).json()["state"] == "done"
    other = {"Authorization": f"Bearer {web.token('other-viewer')}"}
    assert client.get(f"/api/v1/jobs/{job['id']}", headers=other).status_code == 404
