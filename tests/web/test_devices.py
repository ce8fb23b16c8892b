"""The device list's filters and exports (exactly the filtered rows), and lifecycle moves from the device page."""

from __future__ import annotations

import csv
import io
import json

import sqlalchemy as sa
from openpyxl import load_workbook

from schoon.audit.schema import devices, sites
from tests.web.conftest import Web, csrf_of


def _ids_in_store(web: Web, orgs: set[str], **where: str) -> set[int]:
    """Device ids straight from the database (the test's own query, not the app's)."""
    query = sa.select(devices.c.id).outerjoin(sites, sites.c.id == devices.c.site_id).where(
        devices.c.org_id.in_(sorted(orgs)))
    for column, value in where.items():
        table_column = sites.c.sensitivity if column == "sensitivity" else devices.c[column]
        query = query.where(table_column == value)
    with web.state.store.read() as conn:
        return {int(r[0]) for r in conn.execute(query)}


def _export_ids(client: object, fmt: str, query: str) -> list[int]:
    response = client.get(f"/devices/export.{fmt}?{query}")  # type: ignore[attr-defined]
    assert response.status_code == 200
    if fmt == "jsonl":
        return [json.loads(line)["id"] for line in response.text.splitlines()]
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        return [int(r[0]) for r in rows[1:]]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = book.worksheets[0]
    return [int(r[0]) for r in list(sheet.iter_rows(values_only=True))[1:]]


MVZ_TREE = {"mvz", "dvt"}


def test_exports_hold_exactly_the_filtered_rows_in_every_format(web: Web) -> None:
    client = web.login("viewer")
    cases = [("verdict=flagged", {"verdict": "flagged"}), ("state=replaced", {"state": "replaced"}),
             ("group=hikvision&verdict=flagged", {"group_id": "hikvision", "verdict": "flagged"}),
             ("sensitivity=high", {"sensitivity": "high"}), ("type=camera", {"device_type": "camera"}), ("", {})]
    for query, where in cases:
        expected = _ids_in_store(web, MVZ_TREE, **where)
        assert expected, query  # every case selects something in the demo, so an empty export would show
        for fmt in ("jsonl", "csv", "xlsx"):
            assert sorted(_export_ids(client, fmt, query)) == sorted(expected), (query, fmt)


def test_the_list_counts_and_pages_match_the_filter(web: Web) -> None:
    client = web.login("coordinator")
    expected = _ids_in_store(web, {"mvz", "dvt", "voorbeeldstad", "bzk"}, verdict="flagged")
    seen: list[int] = []
    cursor = None
    while True:
        params = {"verdict": "flagged", "limit": "3", **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/devices", params=params).json()
        assert page["total"] == len(expected)
        seen += [d["id"] for d in page["items"]]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))
    html = client.get("/devices?verdict=flagged").text
    assert f"{len(expected)} apparaten gevonden" in html


def test_search_finds_by_inventory_number(web: Web) -> None:
    client = web.login("viewer")
    assert _export_ids(client, "jsonl", "q=MVZ-0001") == sorted(_ids_in_store(web, MVZ_TREE, asset_id="MVZ-0001"))
    assert "MVZ-0001" in client.get("/devices?q=mvz-0001").text


def test_an_unknown_filter_value_is_refused(web: Web) -> None:
    client = web.login("viewer")
    response = client.get("/api/v1/devices", params={"verdict": "maybe"})
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    assert "verdict" in response.json()["detail"]
    assert client.get("/devices?sort=colour").status_code == 422


def _in_use(web: Web, client: object) -> int:
    page = client.get("/api/v1/devices", params={"state": "in_use", "org": "mvz"}).json()  # type: ignore[attr-defined]
    return int(page["items"][0]["id"])


def test_schedule_then_replace_from_the_device_page(web: Web) -> None:
    client = web.login("editor")
    device = _in_use(web, client)
    token = csrf_of(client.get(f"/devices/{device}").text)
    done = client.post(f"/devices/{device}/move", data={"csrf": token, "state": "scheduled", "on_date": "2027-02-01"})
    assert done.status_code == 200 and "Vastgelegd." in done.text
    assert client.get(f"/api/v1/devices/{device}").json()["device"]["state"] == "scheduled"
    done = client.post(f"/devices/{device}/move", data={"csrf": token, "state": "replaced", "on_date": "2026-11-01",
                                                         "replaced_by": "Axis M3116"})
    detail = client.get(f"/api/v1/devices/{device}").json()
    assert detail["device"]["state"] == "replaced" and detail["device"]["replaced_by"] == "Axis M3116"
    assert [e["to_state"] for e in detail["lifecycle"]][-2:] == ["scheduled", "replaced"]
    assert detail["lifecycle"][-1]["actor"] == web.users["editor"].email


def test_moves_get_the_clis_validation(web: Web) -> None:
    client = web.login("editor")
    device = _in_use(web, client)
    token = csrf_of(client.get(f"/devices/{device}").text)
    future = client.post(f"/devices/{device}/move", data={"csrf": token, "state": "replaced", "on_date": "2999-01-01"})
    assert future.status_code == 422 and "in the future" in future.text
    bare = client.post(f"/devices/{device}/move", data={"csrf": token, "state": "exempted", "reason": "why not"})
    assert bare.status_code == 422 and "needs a reason, an approver and a review date" in bare.text
    assert client.get(f"/api/v1/devices/{device}").json()["device"]["state"] == "in_use"


def test_exempt_and_back_to_in_use(web: Web) -> None:
    client = web.login("org-admin")
    device = _in_use(web, client)
    token = csrf_of(client.get(f"/devices/{device}").text)
    client.post(f"/devices/{device}/move", data={"csrf": token, "state": "exempted", "reason": "evidence archive",
                                                 "approver": "SG", "review": "2027-03-01"})
    assert client.get(f"/api/v1/devices/{device}").json()["device"]["state"] == "exempted"
    client.post(f"/devices/{device}/move", data={"csrf": token, "state": "in_use"})
    assert client.get(f"/api/v1/devices/{device}").json()["device"]["state"] == "in_use"


def test_a_viewer_cannot_move_and_the_other_tree_gets_404(web: Web) -> None:
    viewer = web.login("viewer")
    device = _in_use(web, viewer)
    token = csrf_of(viewer.get(f"/devices/{device}").text)
    assert f'action="/devices/{device}/move"' not in viewer.get(f"/devices/{device}").text
    assert f'action="/devices/{device}/move"' in web.login("editor").get(f"/devices/{device}").text
    refused = viewer.post(f"/devices/{device}/move", data={"csrf": token, "state": "scheduled",
                                                           "on_date": "2027-01-01"})
    assert refused.status_code == 403
    other = web.login("other-viewer")
    token = csrf_of(other.get("/").text)
    hidden = other.post(f"/devices/{device}/move", data={"csrf": token, "state": "scheduled", "on_date": "2027-01-01"},
                        headers={"accept": "text/html"})
    assert hidden.status_code == 404
    assert viewer.get(f"/api/v1/devices/{device}").json()["device"]["state"] == "in_use"


def test_the_dashboard_shows_a_move_at_once(web: Web) -> None:
    import re

    client = web.login("editor")

    def replaced() -> int:
        html = client.get("/").text
        return int(re.search(r"<strong>(\d+)</strong> vervangen", html).group(1))  # type: ignore[union-attr]

    before = replaced()
    device = _in_use(web, client)
    token = csrf_of(client.get(f"/devices/{device}").text)
    client.post(f"/devices/{device}/move", data={"csrf": token, "state": "replaced", "on_date": "2026-11-01"})
    assert replaced() == before + 1
