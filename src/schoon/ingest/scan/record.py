"""The record a scan reader yields: one banner as an Observation, plus when, on which port, and whose network.

Scan data repeats the same address on many ports and days; a :class:`ScanRecord` is one such sighting. Its
``observation`` holds the canonical evidence fields (``ip``, ``ports``, ``http_server`` ...), so the identify
engine reads it like any other record; the sighting's time (UTC seconds since the epoch), port, autonomous
system, organisation and country ride beside it, since they describe the network, not the device.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from schoon.observation import MAX_FIELD_CHARS, TEXT_FIELDS, Observation, ObservationError

_FRACTION = re.compile(r"(\.\d{6})\d+")
_EPOCH = re.compile(r"^\d{9,11}(\.\d+)?$")
_ASN = re.compile(r"^(?:AS)?\s*(\d{1,10})$", re.IGNORECASE)
MAX_HEADER_CHARS = 4096
LONG_TEXT = 64  # text values longer than this cannot be placeholders
_TEXT = frozenset(TEXT_FIELDS)


@dataclass(slots=True)
class ScanRecord:
    """One sighting of one address: its evidence as an Observation, and the sighting's context."""

    observation: Observation
    time: int | None = None  # UTC seconds since the epoch; None when the record carries no time
    port: int | None = None
    asn: int | None = None
    org: str | None = None
    country: str | None = None

    @property
    def ip(self) -> str | None:
        """The sighted address."""
        return self.observation.ip


def parse_time(value: object) -> int | None:
    """UTC epoch seconds from an ISO 8601 / RFC 3339 text (``Z``, offsets, nanoseconds) or epoch seconds.

    A time without an offset is read as UTC (Shodan's ``timestamp`` is UTC without a zone). Raises
    :class:`ObservationError` when the value is present but not a time.
    """
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    text = str(value).strip()
    try:  # the common case, Shodan's "2026-01-05T10:23:45.123456" (UTC), without the slow path below
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return int((moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).timestamp())
    if _EPOCH.match(text):
        return int(float(text))
    iso = _FRACTION.sub(r"\1", text.replace(" UTC", "Z"))
    if iso.endswith(("Z", "z")):
        iso = iso[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        raise ObservationError(f"not a time: {text[:40]!r}", field="timestamp") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp())


def parse_asn(value: object) -> int | None:
    """An autonomous system number from ``"AS1136"``, ``"1136"`` or ``1136``; None for empty values."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = _ASN.match(str(value).strip())
    if not match:
        raise ObservationError(f"not an AS number: {str(value)[:20]!r}", field="asn")
    return int(match.group(1))


def parse_port(value: object) -> int | None:
    """A port number 1..65535, or None when absent."""
    if value is None or value == "":
        return None
    try:
        port = int(str(value))
    except ValueError:
        raise ObservationError(f"not a port number: {str(value)[:20]!r}", field="port") from None
    if not 0 < port < 65536:
        raise ObservationError(f"not a port number: {port}", field="port")
    return port


def header_values(text: str) -> dict[str, str]:
    """The header lines of a raw HTTP or RTSP response (``Name: value``), keys lower-cased, first value kept."""
    headers: dict[str, str] = {}
    for line in text[:MAX_HEADER_CHARS].splitlines()[1:]:
        if not line.strip():
            break
        name, sep, value = line.partition(":")
        if sep:
            headers.setdefault(name.strip().lower(), value.strip())
    return headers


def text(value: object) -> str | None:
    """A string value, or None for absent, empty or non-text values."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def child(data: Mapping[str, object], *path: str) -> Mapping[str, object]:
    """The nested object at ``path`` (an empty mapping when any step is missing or not an object)."""
    node: object = data
    for key in path:
        if not isinstance(node, dict):
            return {}
        node = node.get(key)
    return node if isinstance(node, dict) else {}


def first_text(value: object) -> str | None:
    """The first string of a list (header values often come as lists), or the string itself."""
    if isinstance(value, list):
        return next((item for item in value if isinstance(item, str) and item), None)
    return text(value)


@dataclass(slots=True)
class RawRecord:
    """A parsed sighting before its Observation is made: canonical fields (unnormalised) and the context.

    Scan data repeats the same banners endlessly; :meth:`evidence_key` lets a caller identify each distinct
    evidence once and make the Observation (:meth:`record`) only when it has not seen that evidence before.
    """

    fields: dict[str, object]
    source: str
    row: int
    time: int | None
    port: int | None
    asn: int | None
    org: str | None
    country: str | None
    extra: dict[str, str] | None = None

    @property
    def ip(self) -> str | None:
        """The sighted address, as given."""
        value = self.fields.get("ip")
        return value.strip() or None if isinstance(value, str) else None

    def evidence_key(self, ignore: frozenset[str] = frozenset({"ip"})) -> tuple[tuple[str, object], ...]:
        """The fields not in ``ignore`` as a hashable key: equal keys give Observations that differ only there."""
        return tuple((key, tuple(value) if isinstance(value, list) else value)
                     for key, value in self.fields.items() if value is not None and key not in ignore)

    def record(self) -> ScanRecord:
        """The ScanRecord: fields normalised into an Observation; ObservationError when one cannot be."""
        short: dict[str, object] = {}
        long: dict[str, str] = {}
        for key, value in self.fields.items():
            if value is None:
                continue
            if isinstance(value, str) and len(value) > LONG_TEXT and key in _TEXT:
                long[key] = value
            else:
                short[key] = value
        observation = Observation.from_mapping(short, source=self.source, row=self.row, extra=self.extra)
        for key, value in long.items():
            # A long banner or page is never a placeholder ("n.v.t.", "-"): set it as from_mapping would, without
            # folding every character (the placeholder test costs more than the rest of the record).
            cleaned = value.replace("\x00", "").strip()
            setattr(observation, key, cleaned[:MAX_FIELD_CHARS] or None)
        return ScanRecord(observation, time=self.time, port=self.port, asn=self.asn, org=self.org,
                          country=self.country)


def build(fields: dict[str, object], *, source: str, row: int, time: int | None, port: int | None,
          asn: int | None, org: str | None, country: str | None, extra: dict[str, str] | None = None) -> RawRecord:
    """A RawRecord from canonical fields and the sighting's context (the country upper-cased)."""
    return RawRecord(fields, source, row, time, port, asn, org, country.upper() if country else None, extra)
