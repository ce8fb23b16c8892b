"""``schoon discover`` output: canonical Observation JSON lines (the format ``schoon identify`` reads).

Keys are canonical field names (DESIGN.md); without ``ip``, an ``id`` that is an IP address (discover sets
``id`` to the address) is the address. The sighting's context may ride along under ``time`` (or
``timestamp`` / ``seen``), ``port``, ``asn``, ``org`` (also a canonical field: kept in both places) and
``country``. Other keys go to ``Observation.extra`` as the JSON-lines reader does.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping

from schoon.ingest.scan.record import RawRecord, build, parse_asn, parse_port, parse_time, text
from schoon.observation import CANONICAL_FIELDS

FORMAT = "discover"
_CANONICAL = frozenset(CANONICAL_FIELDS)
_CONTEXT = frozenset({"time", "timestamp", "seen", "port", "asn", "country"})


def is_discover(data: Mapping[str, object]) -> bool:
    """Whether a JSON object uses canonical field names (and has an address: ``ip``, or ``id`` as discover sets)."""
    return ("ip" in data or "id" in data) and any(key in _CANONICAL for key in data if key not in ("ip", "id"))


def _address(value: object) -> str | None:
    """``value`` when it is an IP address (``schoon discover`` sets ``id`` to the address), else None."""
    try:
        return str(ipaddress.ip_address(str(value).strip())) if value is not None else None
    except ValueError:
        return None


def records(data: Mapping[str, object], *, source: str, row: int) -> list[RawRecord]:
    """The one ScanRecord of a canonical Observation line."""
    fields = {key: value for key, value in data.items() if key in _CANONICAL}
    if not fields.get("ip"):
        fields["ip"] = _address(data.get("id"))
    extra = {key: value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
             for key, value in data.items() if key not in _CANONICAL and key not in _CONTEXT and value is not None}
    port = parse_port(data.get("port"))
    if port is None and isinstance(data.get("ports"), list) and len(data["ports"]) == 1:  # type: ignore[arg-type]
        port = parse_port(data["ports"][0])  # type: ignore[index]
    time = parse_time(data.get("time") or data.get("timestamp") or data.get("seen"))
    return [build(fields, source=source, row=row, time=time, port=port, asn=parse_asn(data.get("asn")),
                  org=text(data.get("org")), country=text(data.get("country")), extra=extra)]
