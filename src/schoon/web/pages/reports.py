"""Reports: the national answer (coordinator) and each institution's report, in every format of schoon.report."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from schoon.web.auth import Caller, PageCaller
from schoon.web.pages.common import render
from schoon.web.reporting import FORMATS, report_response

router = APIRouter(include_in_schema=False)


@router.get("/reports")
def reports(request: Request, caller: Caller = PageCaller) -> Response:
    """The reports the caller may download."""
    return render(request, "reports.html", active="nav.reports", formats=FORMATS,
                  national=caller.principal.is_coordinator, orgs=caller.scoped.orgs())


@router.get("/reports/national.{fmt}")
def national(request: Request, fmt: str, caller: Caller = PageCaller) -> Response:
    """The national answer (the coordinator only)."""
    return report_response(request, caller, None, fmt)


@router.get("/reports/institution/{org_id}.{fmt}")
def institution(request: Request, org_id: str, fmt: str, caller: Caller = PageCaller) -> Response:
    """One institution's report (with its agencies)."""
    return report_response(request, caller, org_id, fmt)
