"""Report downloads shared by the pages and the API: the data from the scoped store, rendered by schoon.report."""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import Response

from schoon.report import FORMATS, MEDIA_TYPES, render_bytes
from schoon.report.model import ReportData
from schoon.web.auth import Caller, state_of
from schoon.web.problems import NotFoundError, WebError

__all__ = ["FORMATS", "report_response"]


def report_response(request: Request, caller: Caller, org_id: str | None, fmt: str,
                    as_of: str | None = None) -> Response:
    """The report (national when ``org_id`` is None: the coordinator only) as a download in ``fmt``."""
    if fmt not in FORMATS:
        raise NotFoundError()
    if org_id is None and not caller.principal.is_coordinator:
        raise WebError(403, "the national report is the coordinator's")
    if as_of is not None:
        try:
            as_of = dt.date.fromisoformat(as_of).isoformat()
        except ValueError:
            raise WebError(422, "as_of: not a date (YYYY-MM-DD)") from None
    state = state_of(request)
    data = caller.scoped.report(state.registry, state.policy, org_id=org_id, as_of=as_of, language=caller.lang)
    payload = render_bytes(ReportData.from_dict(data), fmt)
    name = f"{org_id or 'national'}-{data['as_of']}.{fmt}"
    return Response(payload, media_type=MEDIA_TYPES[fmt],
                    headers={"content-disposition": f'attachment; filename="{name}"'})
