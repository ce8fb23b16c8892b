"""The API operations: thin calls into the caller's scoped store and the library."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response

from schoon.audit.devicequery import DeviceFilter
from schoon.report import FORMATS, MEDIA_TYPES
from schoon.web.api import models
from schoon.web.auth import ApiCaller, Caller, state_of
from schoon.web.filters import Filter, Sort
from schoon.web.pages.registry import group_rows, screener
from schoon.web.problems import PROBLEM_TYPE, NotFoundError, Problem, WebError
from schoon.web.reporting import report_response
from schoon.web.uploads import store_uploads
from schoon.web.work import start_import

PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"content": {PROBLEM_TYPE: {"schema": Problem.model_json_schema()}}, "description": text}
    for status, text in ((401, "No valid credentials"), (403, "The role does not allow this"),
                         (404, "Not found (or outside the caller's tree)"), (413, "Too large"),
                         (422, "Invalid request"))}
router = APIRouter(responses=PROBLEMS)
REPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {MEDIA_TYPES[f].split(";")[0]: {"schema": {"type": "object"} if f == "json" else
                                                     {"type": "string", "format": "binary"}}
                      for f in FORMATS}, "description": "The report file (format=json: the report's figures)"}}


@router.get("/me", response_model=models.Me, tags=["account"])
def me(caller: Caller = ApiCaller) -> dict[str, Any]:
    """Who the caller is: email, organisation, role and the organisations they see."""
    p = caller.principal
    return {"email": p.email, "org_id": p.org_id, "role": p.role, "orgs": sorted(p.orgs)}


@router.get("/organisations", response_model=list[models.Organisation], tags=["organisations"])
def organisations(caller: Caller = ApiCaller) -> list[dict[str, Any]]:
    """The organisations of the caller's tree."""
    return [o.__dict__ for o in caller.scoped.orgs()]


@router.get("/organisations/{org_id}", response_model=models.Organisation, tags=["organisations"])
def organisation(org_id: str, caller: Caller = ApiCaller) -> dict[str, Any]:
    """One organisation of the caller's tree."""
    return caller.scoped.org(org_id).__dict__


@router.get("/sites", response_model=list[models.Site], tags=["organisations"])
def sites(caller: Caller = ApiCaller, org: str | None = Query(None, max_length=64)) -> list[dict[str, Any]]:
    """The sites of the caller's tree (of one organisation with ``org``)."""
    return [s.__dict__ for s in caller.scoped.sites(org)]


@router.get("/snapshots", response_model=list[models.Snapshot], tags=["snapshots"])
def snapshots(caller: Caller = ApiCaller, org: str | None = Query(None, max_length=64)) -> list[dict[str, Any]]:
    """The snapshots of the caller's tree, oldest first."""
    return caller.scoped.snapshots(org)


@router.get("/snapshots/{snapshot_id}", response_model=models.Snapshot, tags=["snapshots"])
def snapshot(snapshot_id: int = Path(ge=1, le=2**62), caller: Caller = ApiCaller) -> dict[str, Any]:
    """One snapshot."""
    return caller.scoped.snapshot(snapshot_id)


@router.post("/snapshots", response_model=models.Job, status_code=202, tags=["snapshots"])
async def upload(request: Request, caller: Caller = ApiCaller,
                 org: str = Form(..., min_length=1, max_length=64, pattern="^[a-z0-9-]+$"),
                 site: str | None = Form(None, max_length=200), taken_on: str | None = Form(None, max_length=20),
                 files: list[UploadFile] = File(..., min_length=1)) -> dict[str, Any]:
    """Upload register, scan and procurement files as one snapshot: the import runs as a job (poll
    ``/jobs/{id}``). The same files again change nothing."""
    state = state_of(request)
    caller.scoped.org(org)
    if not caller.principal.can_edit(org):
        raise WebError(403, "this role may not upload")
    stored = await store_uploads(files, state.upload_dir, state.settings.max_upload_files,
                                 state.settings.max_upload_bytes)
    job_id = start_import(state, caller, org, stored, site=(site or "").strip() or None,
                          taken_on=(taken_on or "").strip() or None)
    return caller.scoped.job(job_id)


@router.get("/jobs", response_model=list[models.Job], tags=["snapshots"])
def jobs(caller: Caller = ApiCaller) -> list[dict[str, Any]]:
    """The jobs of the caller's tree, newest first."""
    return caller.scoped.jobs()


@router.get("/jobs/{job_id}", response_model=models.Job, tags=["snapshots"])
def job(request: Request, job_id: str, caller: Caller = ApiCaller) -> dict[str, Any]:
    """One job: its state, progress and result."""
    found = caller.scoped.job(job_id)
    found["progress"] = state_of(request).jobs.progress(job_id, found["progress"])
    return found


@router.get("/devices", response_model=models.DevicePage, tags=["devices"])
def devices(caller: Caller = ApiCaller, chosen: DeviceFilter = Filter, sort: str = Sort,
            cursor: str | None = Query(None, max_length=400, pattern="^[A-Za-z0-9_-]*$",
                                       description="next_cursor of the page before (opaque)"),
            limit: int = Query(50, ge=1, le=1000)) -> dict[str, Any]:
    """Devices of the caller's tree, filtered like the devices page; pages follow ``next_cursor``."""
    found = caller.scoped.devices(chosen, sort=sort, cursor=cursor or None, limit=limit)
    return {"items": found.items, "total": found.total, "next_cursor": found.next_cursor}


@router.get("/devices/{device_id}", response_model=models.DeviceDetail, tags=["devices"])
def device(device_id: int = Path(ge=1, le=2**62), caller: Caller = ApiCaller) -> dict[str, Any]:
    """A device with its evidence chain (finding per snapshot) and lifecycle history."""
    scoped = caller.scoped
    return {"device": scoped.device(device_id), "findings": scoped.findings(device_id),
            "lifecycle": scoped.lifecycle(device_id)}


@router.post("/devices/{device_id}/moves", response_model=models.Device, tags=["devices"])
def move(request: Request, body: models.MoveRequest, device_id: int = Path(ge=1, le=2**62),
         caller: Caller = ApiCaller) -> dict[str, Any]:
    """Move a flagged device through its lifecycle (the checks of ``schoon audit mark``)."""
    moved = caller.scoped.move(device_id, body.state, on_date=_iso(body.date), replaced_by=body.replaced_by,
                               reason=body.reason, approver=body.approver, review=_iso(body.review))
    state_of(request).changed()
    return moved


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


@router.get("/discrepancies", response_model=list[models.Discrepancy], tags=["snapshots"])
def discrepancies(caller: Caller = ApiCaller, snapshot_id: int | None = Query(None, ge=1, le=2**62),
                  lang: str = Query("en", pattern="^(nl|en)$")) -> list[dict[str, Any]]:
    """Discrepancies of one snapshot, or of each organisation's latest snapshot."""
    return caller.scoped.discrepancies(snapshot_id, language=lang)


@router.get("/reports/national", response_class=Response, responses=REPORT_RESPONSES, tags=["reports"])
def national(request: Request, caller: Caller = ApiCaller,
             format: str = Query("json", pattern="^(html|pdf|xlsx|csv|json)$"),
             as_of: str | None = Query(None, max_length=10)) -> Response:
    """The national answer (the coordinator only), in one of the report formats."""
    return report_response(request, caller, None, format, as_of)


@router.get("/reports/institution/{org_id}", response_class=Response, responses=REPORT_RESPONSES,
            tags=["reports"])
def institution(request: Request, org_id: str, caller: Caller = ApiCaller,
                format: str = Query("json", pattern="^(html|pdf|xlsx|csv|json)$"),
                as_of: str | None = Query(None, max_length=10)) -> Response:
    """One institution's report (with its agencies), in one of the report formats."""
    return report_response(request, caller, org_id, format, as_of)


@router.get("/screening", response_model=models.ScreenResult, tags=["screening"])
def screen(request: Request, name: str = Query(..., min_length=1, max_length=1000),
           caller: Caller = ApiCaller) -> dict[str, Any]:
    """Screen one supplier or counterparty name against the registry, under the app's policy."""
    return screener(request).screen(name).record()


@router.get("/registry/groups", response_model=list[models.RegistryGroup], tags=["registry"])
def registry_groups(request: Request, caller: Caller = ApiCaller) -> list[dict[str, Any]]:
    """The corporate groups of the registry."""
    return group_rows(state_of(request).registry)


@router.get("/registry/groups/{group_id}", response_model=models.RegistryGroupDetail, tags=["registry"])
def registry_group(request: Request, group_id: str, caller: Caller = ApiCaller) -> dict[str, Any]:
    """One group: its entities, listings and evidence, each with its source key."""
    registry = state_of(request).registry
    if group_id not in registry.group_names:
        raise NotFoundError()
    members = registry.members(group_id)
    row = next(g for g in group_rows(registry) if g["id"] == group_id)
    return {"group": row,
            "entities": [{"id": m.id, "name": m.name, "kind": m.kind, "parent": m.parent, "sources": m.sources}
                         for m in members],
            "listings": [{"list": x.list, "entity": x.entity, "date": str(x.date), "source": x.source}
                         for m in members for x in registry.listings_of(m.id)],
            "evidence": [{"id": x.id, "entity": x.entity, "date": str(x.date), "title": x.title,
                          "summary": x.summary, "source": x.source}
                         for m in members for x in registry.evidence_of(m.id)]}
