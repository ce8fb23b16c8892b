"""Upload: register, scan and procurement files become one snapshot through the importer, as a background job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from schoon.web.auth import Caller, PageCaller, check_csrf, state_of
from schoon.web.pages.common import back, render
from schoon.web.problems import WebError
from schoon.web.uploads import store_uploads
from schoon.web.work import start_import

router = APIRouter(include_in_schema=False)


@router.get("/upload")
def upload_page(request: Request, caller: Caller = PageCaller) -> Response:
    """The upload form and the caller's recent jobs."""
    settings = state_of(request).settings
    orgs = [o for o in caller.scoped.orgs() if caller.principal.can_edit(o.id)]
    if not orgs:
        raise WebError(403, "your role may not upload")
    return render(request, "upload.html", active="nav.upload", orgs=orgs, jobs=caller.scoped.jobs()[:20],
                  max_files=settings.max_upload_files, max_mb=settings.max_upload_bytes // (1024 * 1024),
                  today=dt.date.today().isoformat())


@router.post("/upload")
async def upload(request: Request, caller: Caller = PageCaller, csrf: str = Form(""),
                 org: str = Form(..., max_length=64), site: str = Form("", max_length=200),
                 taken_on: str = Form("", max_length=20), files: list[UploadFile] = File(...)) -> Response:
    """Store the files under their SHA-256 and start the import job; answer with the job's page."""
    check_csrf(request, csrf)
    state = state_of(request)
    caller.scoped.org(org)  # another tree's organisation: 404
    if not caller.principal.can_edit(org):
        raise WebError(403, "your role may not upload")
    stored = await store_uploads(files, state.upload_dir, state.settings.max_upload_files,
                                 state.settings.max_upload_bytes)
    job_id = start_import(state, caller, org, stored, site=site.strip() or None, taken_on=taken_on.strip() or None)
    return back(f"/jobs/{job_id}")


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str, caller: Caller = PageCaller) -> Response:
    """A job's state, progress and (when done) its summary and discrepancies."""
    job = caller.scoped.job(job_id)
    job["progress"] = state_of(request).jobs.progress(job_id, job["progress"])
    result: dict[str, Any] | None = job.get("result")
    found = []
    if result and result.get("snapshot_id"):
        found = caller.scoped.discrepancies(int(result["snapshot_id"]), language=caller.lang)
    return render(request, "job.html", active="nav.upload", job=job, result=result, discrepancies=found)
