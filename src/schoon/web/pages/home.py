"""The dashboard: the answer and key figures for the caller's tree (national for the coordinator), the trend,
what is past its deadline and which exemptions are due for review."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from schoon.audit.dashboard import DashboardFigures
from schoon.report.answer import answer_details, answer_sentence
from schoon.report.model import ReportData
from schoon.web.auth import Caller, PageCaller, state_of
from schoon.web.i18n import t
from schoon.web.pages.common import render
from schoon.web.state import AppState

router = APIRouter(include_in_schema=False)
REVIEW_WINDOW_DAYS = 60
#: Rows shown of the overdue list and of the exemptions due for review (the totals are shown beside them).
LIST_LIMIT = 50


def bar_widths(values: list[int], steps: int = 40) -> list[int]:
    """Each value as a bar length in ``steps`` (the CSS has one class per step: no inline styles)."""
    top = max(values, default=0)
    return [round(v / top * steps) if top else 0 for v in values]


def _figures(caller: Caller, state: AppState, lang: str) -> tuple[DashboardFigures, ReportData]:
    """The caller's dashboard figures and their checked ReportData (both cached: the check costs as much as the
    queries on a national store)."""
    fig = caller.scoped.dashboard(state.registry, state.policy, language=lang, limit=LIST_LIMIT)
    return fig, ReportData.from_dict(fig.data)


@router.get("/")
def dashboard(request: Request, caller: Caller = PageCaller) -> Response:
    """The dashboard of the caller's tree."""
    state = state_of(request)
    lang = caller.lang
    principal = caller.principal
    fig, data = state.cached(("dashboard", principal.org_id, principal.role, principal.orgs, lang),
                             lambda: _figures(caller, state, lang))
    reviews = caller.scoped.exemptions_due(within_days=REVIEW_WINDOW_DAYS, limit=LIST_LIMIT)
    reviews_total = (len(reviews) if len(reviews) < LIST_LIMIT
                     else caller.scoped.exemptions_due_count(within_days=REVIEW_WINDOW_DAYS))
    org_names = {o.id: o.name for o in caller.scoped.orgs()}
    tot = data.totals
    figures = [
        (t("col.flagged", lang), tot.flagged, None),  # flagged and not replaced: no one filter gives exactly this
        (t("state.in_use", lang), tot.in_use, "/devices?state=in_use"),
        (t("state.scheduled", lang), tot.scheduled, "/devices?state=scheduled"),
        (t("state.replaced", lang), tot.replaced, "/devices?state=replaced"),
        (t("state.exempted", lang), tot.exempted, "/devices?state=exempted"),
        (t("state.overdue", lang), tot.overdue, None),
        (t("verdict.unknown", lang), tot.unknown, "/devices?verdict=unknown"),
        (t("nav.devices", lang).lower(), tot.devices, "/devices"),
    ]
    return render(request, "dashboard.html", active="nav.dashboard", data=data, answer=answer_sentence(data),
                  details=answer_details(data, discrepancies=fig.discrepancies_total), figures=figures,
                  reviews=reviews, reviews_total=reviews_total, overdue_total=fig.overdue_total,
                  org_names=org_names,
                  bar_widths=bar_widths([p.outstanding for p in data.trend]))
