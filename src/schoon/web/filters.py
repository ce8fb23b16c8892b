"""The device filter from a query string: the same parameters on the devices page, its exports and the API."""

from __future__ import annotations

from fastapi import Depends, Query

from schoon.audit.devicequery import SORTS, DeviceFilter
from schoon.audit.lifecycle import STATES
from schoon.audit.store import SENSITIVITIES
from schoon.registry.model import DEVICE_TYPES
from schoon.web.problems import WebError

VERDICTS = ("flagged", "clear", "unknown")
SORT_NAMES = tuple(SORTS)


def _choice(values: tuple[str, ...]) -> str:
    """A regular expression for one of ``values`` or nothing (an empty parameter is no filter)."""
    return "^(" + "|".join(values) + ")?$"


def _text(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


def device_filter(
    org: str | None = Query(None, max_length=64, description="Only this organisation (of the caller's tree)."),
    group: str | None = Query(None, max_length=64, description="Corporate group id, e.g. hikvision."),
    verdict: str | None = Query(None, pattern=_choice(VERDICTS), description="flagged | clear | unknown"),
    state: str | None = Query(None, pattern=_choice(STATES), description="in_use | scheduled | replaced | exempted"),
    site: str | None = Query(None, pattern="^[0-9]{0,9}$", description="Site number."),
    type: str | None = Query(None, pattern=_choice(DEVICE_TYPES), description="Device type, e.g. camera."),
    sensitivity: str | None = Query(None, pattern=_choice(SENSITIVITIES),
                                    description="high | normal | public | unknown"),
    q: str | None = Query(None, max_length=200, description="Search inventory number, address, MAC, serial, "
                          "label, model, brand."),
) -> DeviceFilter:
    """The filter; a value that is none of the choices is a 422 naming the parameter."""
    checks = (("verdict", verdict, VERDICTS), ("state", state, STATES), ("sensitivity", sensitivity, SENSITIVITIES),
              ("type", type, DEVICE_TYPES))
    for name, value, allowed in checks:
        if _text(value) is not None and _text(value) not in allowed:
            raise WebError(422, f"{name}: must be one of {', '.join(allowed)}")
    site_id = _text(site)
    if site_id is not None and not (site_id.isdigit() and len(site_id) <= 9):
        raise WebError(422, "site: must be a site number")
    return DeviceFilter(org=_text(org), group=_text(group), verdict=_text(verdict), state=_text(state),
                        site=int(site_id) if site_id else None, type=_text(type), sensitivity=_text(sensitivity),
                        search=_text(q))


def sort_order(sort: str = Query("id", pattern="^-?(" + "|".join(SORTS) + ")$",
                                 description="Sort key; '-' in front reverses: " + ", ".join(SORTS))) -> str:
    """The sort key (422 when unknown)."""
    if sort.removeprefix("-") not in SORTS:
        raise WebError(422, f"sort: must be one of {', '.join(SORTS)} (prefix '-' to reverse)")
    return sort


def query_items(flt: DeviceFilter, sort: str) -> list[tuple[str, str]]:
    """The filter and sort as query items (defaults left out), for links and export addresses."""
    items = [("org", flt.org), ("group", flt.group), ("verdict", flt.verdict), ("state", flt.state),
             ("site", None if flt.site is None else str(flt.site)), ("type", flt.type),
             ("sensitivity", flt.sensitivity), ("q", flt.search), ("sort", None if sort == "id" else sort)]
    return [(k, v) for k, v in items if v]


Filter = Depends(device_filter)
Sort = Depends(sort_order)
