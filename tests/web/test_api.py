"""The JSON API: its OpenAPI document, problem+json errors everywhere, the same scoping as the pages."""

from __future__ import annotations

from tests.web.conftest import Web

PROBLEM = "application/problem+json"


def _as(web: Web, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {web.token(role)}"}


def test_the_openapi_document_lists_every_operation_with_response_models(web: Web) -> None:
    document = web.client().get("/api/v1/openapi.json").json()
    paths = document["paths"]
    for path in ("/organisations", "/sites", "/snapshots", "/jobs/{job_id}", "/devices", "/devices/{device_id}",
                 "/devices/{device_id}/moves", "/discrepancies", "/reports/national",
                 "/reports/institution/{org_id}", "/screening", "/registry/groups", "/registry/groups/{group_id}"):
        assert path in paths, path
    listing = paths["/devices"]["get"]["responses"]
    assert listing["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/DevicePage")
    assert listing["404"]["content"][PROBLEM]["schema"]["required"] == ["title", "status"]
    assert set(listing["422"]["content"]) == {PROBLEM}  # the validation errors are problems too
    assert {"verdict", "state", "group", "site", "type", "sensitivity", "q", "sort", "cursor", "limit"} <= {
        p["name"] for p in paths["/devices"]["get"]["parameters"]}


def test_errors_are_problem_json_without_stack_traces(web: Web) -> None:
    client = web.client()
    headers = _as(web, "viewer")
    cases = [("/api/v1/nowhere", headers, 404), ("/api/v1/devices", {}, 401),
             ("/api/v1/devices/999999", headers, 404), ("/api/v1/devices?limit=0", headers, 422),
             ("/api/v1/devices/not-a-number", headers, 422), ("/api/v1/reports/national", headers, 403),
             ("/api/v1/devices?cursor=garbage", headers, 422)]
    for path, sent, status in cases:
        response = client.get(path, headers=sent)
        assert response.status_code == status, (path, response.text)
        assert response.headers["content-type"] == PROBLEM, path
        body = response.json()
        assert body["status"] == status and body["title"]
        assert "Traceback" not in response.text and "File \"" not in response.text


def test_another_trees_device_answers_404_with_no_name_and_is_in_no_list(web: Web) -> None:
    client = web.client()
    mvz = _as(web, "viewer")
    other = _as(web, "other-viewer")
    theirs = client.get("/api/v1/devices", headers=mvz).json()["items"]
    ours = client.get("/api/v1/devices", headers=other).json()
    assert ours["total"] > 0
    assert not {d["id"] for d in theirs} & {d["id"] for d in ours["items"]}
    assert {d["org_id"] for d in ours["items"]} == {"voorbeeldstad"}
    for device in theirs[:5]:
        response = client.get(f"/api/v1/devices/{device['id']}", headers=other)
        assert response.status_code == 404
        assert response.json()["detail"] == "not found"
        for secret in (device["asset_id"], "mvz", "Voorbeeldzaken"):
            assert secret not in response.text
        moved = client.post(f"/api/v1/devices/{device['id']}/moves", headers=other,
                            json={"state": "scheduled", "date": "2027-01-01"})
        assert moved.status_code == 404 and "mvz" not in moved.text
    assert client.get("/api/v1/organisations/mvz", headers=other).status_code == 404
    assert client.get("/api/v1/reports/institution/mvz", headers=other).status_code == 404
    assert {o["id"] for o in client.get("/api/v1/organisations", headers=other).json()} == {"voorbeeldstad"}
    assert all(s["org_id"] == "voorbeeldstad" for s in client.get("/api/v1/snapshots", headers=other).json())
    assert all(x["org_id"] == "voorbeeldstad" for x in client.get("/api/v1/discrepancies", headers=other).json())


def test_the_coordinator_sees_the_nation_and_reads_only(web: Web) -> None:
    client = web.client()
    headers = _as(web, "coordinator")
    orgs = {o["id"] for o in client.get("/api/v1/organisations", headers=headers).json()}
    assert {"mvz", "dvt", "voorbeeldstad"} <= orgs
    report = client.get("/api/v1/reports/national", headers=headers, params={"format": "json"})
    assert report.status_code == 200 and report.json()["kind"] == "national"
    device = client.get("/api/v1/devices", headers=headers, params={"state": "in_use"}).json()["items"][0]
    refused = client.post(f"/api/v1/devices/{device['id']}/moves", headers=headers,
                          json={"state": "scheduled", "date": "2027-01-01"})
    assert refused.status_code == 403 and refused.headers["content-type"] == PROBLEM


def test_reports_download_in_every_format(web: Web) -> None:
    client = web.client()
    headers = _as(web, "viewer")
    expected = {"html": "text/html", "csv": "text/csv", "json": "application/json",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    for fmt, media in expected.items():
        response = client.get("/api/v1/reports/institution/mvz", headers=headers, params={"format": fmt})
        assert response.status_code == 200 and response.headers["content-type"].startswith(media), fmt
        assert "attachment" in response.headers["content-disposition"]
    assert client.get("/api/v1/reports/institution/mvz", headers=headers,
                      params={"format": "docx"}).status_code == 422


def test_api_move_validates_like_the_cli(web: Web) -> None:
    client = web.client()
    headers = _as(web, "editor")
    device = client.get("/api/v1/devices", headers=headers, params={"state": "in_use"}).json()["items"][0]
    bad = client.post(f"/api/v1/devices/{device['id']}/moves", headers=headers,
                      json={"state": "replaced", "date": "2999-01-01"})
    assert bad.status_code == 422 and "in the future" in bad.json()["detail"]
    good = client.post(f"/api/v1/devices/{device['id']}/moves", headers=headers,
                       json={"state": "exempted", "reason": "evidence", "approver": "SG", "review": "2027-06-30"})
    assert good.status_code == 200 and good.json()["state"] == "exempted"


def test_screening_and_registry(web: Web) -> None:
    client = web.client()
    headers = _as(web, "viewer")
    found = client.get("/api/v1/screening", headers=headers, params={"name": "Hangzhou Hikvision Digital Technology"})
    assert found.status_code == 200 and found.json()["group_id"] == "hikvision"
    groups = client.get("/api/v1/registry/groups", headers=headers).json()
    assert "hikvision" in {g["id"] for g in groups}
    detail = client.get("/api/v1/registry/groups/hikvision", headers=headers).json()
    assert detail["entities"] and all(e["sources"] for e in detail["entities"])
    assert client.get("/api/v1/registry/groups/nope", headers=headers).status_code == 404
