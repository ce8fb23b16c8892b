"""The registry browser (groups, their brands, listings and evidence with sources) and name screening."""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from schoon.registry import Registry
from schoon.screen.ledger import read_ledger
from schoon.screen.screening import Screener
from schoon.web.auth import Caller, PageCaller, check_csrf, state_of
from schoon.web.pages.common import render
from schoon.web.problems import NotFoundError, WebError
from schoon.web.uploads import store_upload

router = APIRouter(include_in_schema=False)
MAX_LEDGER_ROWS = 20_000


def group_rows(registry: Registry) -> list[dict[str, Any]]:
    """Each corporate group with its number of entities and the lists any of them is on."""
    out = []
    for group_id in registry.groups():
        members = registry.members(group_id)
        lists = sorted({item.list for m in members for item in registry.listings_of(m.id)})
        out.append({"id": group_id, "name": registry.group_names.get(group_id, group_id), "members": len(members),
                    "lists": lists})
    return out


def source_text(registry: Registry, key: str) -> str:
    """A source key in words: its title, publisher, date and address (the key itself when unknown)."""
    try:
        source = registry.source(key)
    except Exception:
        return key
    parts = [source.title, source.publisher, str(source.date) if source.date else None, source.url]
    return ", ".join(p for p in parts if p)


@router.get("/registry")
def registry_page(request: Request, caller: Caller = PageCaller) -> Response:
    """The corporate groups of the registry."""
    registry = state_of(request).registry
    return render(request, "registry.html", active="nav.registry", groups=group_rows(registry),
                  version=registry.version)


@router.get("/registry/{group_id}")
def group_page(request: Request, group_id: str, caller: Caller = PageCaller) -> Response:
    """One group: its entities (brands, subsidiaries), their listings and evidence, each with its source."""
    registry = state_of(request).registry
    if group_id not in registry.group_names:
        raise NotFoundError()
    members = registry.members(group_id)
    return render(request, "registry_group.html", active="nav.registry",
                  name=registry.group_names[group_id], members=members,
                  listings=[item for m in members for item in registry.listings_of(m.id)],
                  evidence=[item for m in members for item in registry.evidence_of(m.id)],
                  source=lambda key: source_text(registry, key))


@lru_cache(maxsize=2)
def _screener(registry: Registry, policy_id: str) -> Screener:
    from schoon.registry.policy import load_policy

    return Screener(registry, policy=load_policy(policy_id))


def screener(request: Request) -> Screener:
    """The app's screener (built once: it indexes every registry name)."""
    state = state_of(request)
    return _screener(state.registry, state.settings.policy)


@router.get("/screening")
def screening(request: Request, caller: Caller = PageCaller,
              name: str | None = Query(None, max_length=1000)) -> Response:
    """Screen one name."""
    results = []
    if name and name.strip():
        found = screener(request).screen(name.strip())
        if found.status == "match":
            results.append(found.record())
    return render(request, "screening.html", active="nav.screening", name=name, results=results)


@router.post("/screening")
async def screening_ledger(request: Request, caller: Caller = PageCaller, csrf: str = Form(""),
                           ledger: UploadFile = File(...)) -> Response:
    """Screen every supplier name of an uploaded ledger; the matches are shown (nothing is stored)."""
    check_csrf(request, csrf)
    state = state_of(request)
    with tempfile.TemporaryDirectory(prefix="schoon-ledger-") as folder:
        stored = await store_upload(ledger, Path(folder), state.settings.max_upload_bytes)
        screen = screener(request)
        results = []
        for count, row in enumerate(read_ledger(stored.path), start=1):
            if count > MAX_LEDGER_ROWS:
                raise WebError(413, f"at most {MAX_LEDGER_ROWS} ledger rows")
            found = screen.screen(row.name)
            if found.status == "match":
                results.append(found.record())
    return render(request, "screening.html", active="nav.screening", name=None, results=results)
