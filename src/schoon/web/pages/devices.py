"""The device list (filters, sort, search, pages, exports) and the device page (evidence, history, moves)."""

from __future__ import annotations

from pathlib import PurePath

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from schoon.audit.devicequery import DeviceFilter
from schoon.audit.lifecycle import ALLOWED, STATES
from schoon.audit.store import SENSITIVITIES, AuditError
from schoon.registry.model import DEVICE_TYPES
from schoon.report.i18n import term
from schoon.web import export
from schoon.web.auth import Caller, CsrfForm, PageCaller, state_of
from schoon.web.filters import SORT_NAMES, VERDICTS, Filter, Sort, query_items
from schoon.web.i18n import t
from schoon.web.pages.common import back, query_string, render
from schoon.web.problems import NotFoundError

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
ACTIONS = (("scheduled", "action.schedule"), ("replaced", "action.replace"), ("exempted", "action.exempt"),
           ("in_use", "action.in_use"))
SORT_LABELS = {"id": "col.id", "asset": "col.asset", "ip": "col.ip", "org": "col.org", "site": "col.site",
               "group": "col.group", "brand": "col.brands", "model": "col.model", "type": "col.type",
               "verdict": "col.verdict", "state": "col.state", "confidence": "col.confidence",
               "first_seen": "col.first_seen", "last_seen": "col.last_seen"}


@router.get("/devices")
def devices(request: Request, caller: Caller = PageCaller, chosen: DeviceFilter = Filter, sort: str = Sort,
            cursor: str | None = Query(None, max_length=400, pattern="^[A-Za-z0-9_-]*$",
                                       description="next_cursor of the page before (opaque)")) -> Response:
    """One page of the filtered device list; pages follow a cursor."""
    lang = caller.lang
    result = caller.scoped.devices(chosen, sort=sort, cursor=cursor or None, limit=PAGE_SIZE)
    registry = state_of(request).registry
    orgs = caller.scoped.orgs()
    org_names = {o.id: o.name for o in orgs}
    items = query_items(chosen, sort)
    descending = sort.startswith("-")
    return render(
        request, "devices.html", active="nav.devices", f=chosen, sort=sort.removeprefix("-"),
        descending=descending, page=result, org_names=org_names, groups=registry.group_names,
        query=query_string(items),
        first_link=f"/devices{query_string(items)}" if cursor else None,
        next_link=f"/devices{query_string([*items, ('cursor', result.next_cursor)])}" if result.next_cursor else None,
        org_options=[(o.id, o.name) for o in orgs],
        group_options=sorted(registry.group_names.items(), key=lambda item: item[1].lower()),
        verdict_options=[(v, term("verdict", v, lang)) for v in VERDICTS],
        state_options=[(s, term("state", s, lang)) for s in STATES],
        site_options=[(s.id, f"{s.name} ({s.org_id})") for s in caller.scoped.sites()],
        type_options=[(d, term("device_type", d, lang)) for d in DEVICE_TYPES],
        sensitivity_options=[(s, term("sensitivity", s, lang)) for s in SENSITIVITIES],
        sort_options=[(s, t(SORT_LABELS.get(s, "col.id"), lang)) for s in SORT_NAMES])


@router.get("/devices/export.{fmt}")
def devices_export(fmt: str, caller: Caller = PageCaller, chosen: DeviceFilter = Filter,
                   sort: str = Sort) -> Response:
    """Exactly the filtered devices (every page) as CSV, XLSX or JSON lines."""
    if fmt not in export.FORMATS:
        raise NotFoundError()
    rows = list(caller.scoped.device_rows(chosen, sort=sort))
    return Response(export.export(rows, fmt, caller.lang), media_type=export.FORMATS[fmt],
                    headers={"content-disposition": f'attachment; filename="devices.{fmt}"'})


@router.get("/devices/{device_id}")
def device(request: Request, device_id: int, caller: Caller = PageCaller) -> Response:
    """One device: current record, evidence chain, observations per snapshot, lifecycle history, actions."""
    return _device_page(request, caller, device_id)


def _device_page(request: Request, caller: Caller, device_id: int, status: int = 200,
                 errors: list[str] | None = None) -> Response:
    scoped = caller.scoped
    d = scoped.device(device_id)
    sites = {s.id: s for s in scoped.sites(d["org_id"])}
    site = sites.get(d["site_id"])
    observations = scoped.observations(device_id)
    for item in observations:
        item["source_name"] = PurePath(str(item.get("source", ""))).name  # never the folder it is kept in
    registry = state_of(request).registry
    allowed = ALLOWED.get(d["state"] or "", set())
    return render(request, "device.html", status=status, active="nav.devices", d=d, site=site,
                  org=scoped.org(d["org_id"]), findings=list(reversed(scoped.findings(device_id))),
                  observations=list(reversed(observations)), events=scoped.lifecycle(device_id),
                  capabilities=_capabilities(scoped.capabilities(device_id)),
                  name=d["asset_id"] or d["ip"] or d["mac"] or f"#{d['id']}", errors=errors or [],
                  group_name=registry.group_names.get(d["group_id"], d["group_id"]) if d["group_id"] else None,
                  can_edit=caller.principal.can_edit(d["org_id"]),
                  actions=[a for a in ACTIONS if a[0] in allowed])


@router.post("/devices/{device_id}/move", dependencies=[CsrfForm])
def move(request: Request, device_id: int, caller: Caller = PageCaller, state: str = Form(..., max_length=16),
         on_date: str = Form("", max_length=20), replaced_by: str = Form("", max_length=500),
         reason: str = Form("", max_length=2000), approver: str = Form("", max_length=200),
         review: str = Form("", max_length=20)) -> Response:
    """A lifecycle move, with the CLI's validation; a refused move shows its reason on the device page (422)."""
    try:
        caller.scoped.move(device_id, state, on_date=on_date or None, replaced_by=replaced_by or None,
                           reason=reason or None, approver=approver or None, review=review or None)
    except AuditError as exc:
        return _device_page(request, caller, device_id, 422, [str(exc)])
    state_of(request).changed()
    return back(f"/devices/{device_id}", "action.done")


def _capabilities(found: list[dict[str, object]]) -> list[dict[str, object]]:
    """A device's capability findings for its page: a document named by its file name, never the folder it is kept
    in (an upload folder or an operator's path)."""
    return [{**item, "document": PurePath(str(item["document"])).name} if item.get("origin") == "document" else item
            for item in found]
