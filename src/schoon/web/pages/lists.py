"""Discrepancies and snapshots of the caller's tree."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from schoon.web.auth import Caller, PageCaller
from schoon.web.pages.common import render

router = APIRouter(include_in_schema=False)


@router.get("/discrepancies")
def discrepancies(request: Request, caller: Caller = PageCaller) -> Response:
    """The discrepancies of each organisation's latest snapshot, in the page's language."""
    rows = caller.scoped.discrepancies(language=caller.lang)
    return render(request, "discrepancies.html", active="nav.discrepancies", rows=rows)


@router.get("/snapshots")
def snapshots(request: Request, caller: Caller = PageCaller) -> Response:
    """The snapshots of the caller's tree, newest first."""
    names = {o.id: o.name for o in caller.scoped.orgs()}
    rows = list(reversed(caller.scoped.snapshots()))
    return render(request, "snapshots.html", active="nav.snapshots", rows=rows, names=names)


@router.get("/snapshots/{snapshot_id}")
def snapshot(request: Request, snapshot_id: int, caller: Caller = PageCaller) -> Response:
    """One snapshot: its counts, its files (by SHA-256) and its discrepancies."""
    row = caller.scoped.snapshot(snapshot_id)
    found = caller.scoped.discrepancies(snapshot_id, language=caller.lang)
    names = {o.id: o.name for o in caller.scoped.orgs()}
    return render(request, "snapshot.html", active="nav.snapshots", s=row, rows=found, names=names)
