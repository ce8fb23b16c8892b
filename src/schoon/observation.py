"""The Observation: one device (or one procurement line) as evidence, knowing nothing about vendors.

Fields are the canonical names of the contract in DESIGN.md. Values are normalised on the way in by
:meth:`Observation.from_mapping`: MACs in any common notation become ``aa:bb:cc:dd:ee:ff``, ports become a
sorted tuple of ints, SNMP OIDs lose their leading dot, favicon hashes become a signed 32-bit int (mmh3)
and 32 lower-case hex digits (MD5). What cannot be normalised raises :class:`ObservationError` naming
the field, so a reader can report the row and go on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

from schoon.errors import DataError
from schoon.placeholders import is_placeholder

TEXT_FIELDS: tuple[str, ...] = (
    "id", "ip", "hostname", "org", "site", "declared_vendor", "model", "firmware", "serial", "supplier",
    "http_server", "http_title", "http_body", "http_www_authenticate", "tls_subject", "tls_issuer",
    "rtsp_server", "rtsp_www_authenticate", "snmp_sysdescr", "onvif_manufacturer", "onvif_model",
    "onvif_firmware", "telnet_banner", "ssh_banner", "upnp_manufacturer", "upnp_model",
)
CANONICAL_FIELDS: tuple[str, ...] = (
    "id", "ip", "mac", "hostname", "org", "site", "declared_vendor", "model", "firmware", "serial", "supplier",
    "ports", "http_server", "http_title", "http_body", "http_www_authenticate", "favicon_mmh3", "favicon_md5",
    "tls_subject", "tls_issuer", "rtsp_server", "rtsp_www_authenticate", "snmp_sysdescr", "snmp_sysobjectid",
    "onvif_manufacturer", "onvif_model", "onvif_firmware", "telnet_banner", "ssh_banner", "upnp_manufacturer",
    "upnp_model",
)
MAX_FIELD_CHARS = 65_536  # longer values are cut: banners and bodies beyond this add nothing but cost

_MAC_SEPARATORS = re.compile(r"[\s:.\-]")
_HEX12 = re.compile(r"^[0-9a-f]{12}$")
_OID = re.compile(r"^\d+(\.\d+)*$")
_MD5 = re.compile(r"^[0-9a-f]{32}$")


class ObservationError(DataError):
    """A field value that cannot be normalised."""


def normalise_mac(value: str) -> str:
    """``aa:bb:cc:dd:ee:ff`` from any common notation (colons, dashes, Cisco dots, bare hex)."""
    digits = _MAC_SEPARATORS.sub("", value).lower()
    if not _HEX12.match(digits):
        raise ObservationError(f"not a MAC address: {value[:40]!r}", field="mac")
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def normalise_ports(value: object) -> tuple[int, ...]:
    """Ports from a list or a string like ``80,443 554/tcp``; each must be 1..65535."""
    items = value if isinstance(value, (list, tuple)) else re.split(r"[\s,;]+", str(value))
    ports: set[int] = set()
    for item in items:
        text = str(item).strip().split("/")[0]
        if not text:
            continue
        if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 65536:
            raise ObservationError(f"not a port number: {str(item)[:20]!r}", field="ports")
        ports.add(int(text))
    return tuple(sorted(ports))


def normalise_oid(value: str) -> str:
    """An OID without its leading dot (``.1.3.6.1.4.1.39165`` → ``1.3.6.1.4.1.39165``)."""
    text = value.strip().lstrip(".")
    if text.lower().startswith("iso."):
        text = "1." + text[4:]
    if not _OID.match(text):
        raise ObservationError(f"not an OID: {value[:40]!r}", field="snmp_sysobjectid")
    return text


def normalise_mmh3(value: object) -> int:
    """A Shodan favicon hash as a signed 32-bit int, from a signed or unsigned int or ``0x`` hex."""
    text = str(value).strip().lower()
    try:
        number = int(text, 16) if text.startswith(("0x", "-0x")) else int(text)
    except ValueError:
        raise ObservationError(f"not a favicon hash: {text[:20]!r}", field="favicon_mmh3") from None
    if not -(2**31) <= number < 2**32:
        raise ObservationError(f"favicon hash out of 32-bit range: {text[:20]!r}", field="favicon_mmh3")
    return number - 2**32 if number >= 2**31 else number


def normalise_md5(value: str) -> str:
    """32 lower-case hex digits."""
    text = value.strip().lower()
    if not _MD5.match(text):
        raise ObservationError(f"not an MD5 hex digest: {value[:40]!r}", field="favicon_md5")
    return text


@dataclass(slots=True)
class Observation:
    """One record of evidence about one device or procurement line."""

    id: str | None = None
    ip: str | None = None
    mac: str | None = None
    hostname: str | None = None
    org: str | None = None
    site: str | None = None
    declared_vendor: str | None = None
    model: str | None = None
    firmware: str | None = None
    serial: str | None = None
    supplier: str | None = None
    ports: tuple[int, ...] = ()
    http_server: str | None = None
    http_title: str | None = None
    http_body: str | None = None
    http_www_authenticate: str | None = None
    favicon_mmh3: int | None = None
    favicon_md5: str | None = None
    tls_subject: str | None = None
    tls_issuer: str | None = None
    rtsp_server: str | None = None
    rtsp_www_authenticate: str | None = None
    snmp_sysdescr: str | None = None
    snmp_sysobjectid: str | None = None
    onvif_manufacturer: str | None = None
    onvif_model: str | None = None
    onvif_firmware: str | None = None
    telnet_banner: str | None = None
    ssh_banner: str | None = None
    upnp_manufacturer: str | None = None
    upnp_model: str | None = None
    # Provenance, not evidence: where the record came from, and the input's other columns.
    source: str | None = None
    row: int | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str | None = None, row: int | None = None,
                     extra: dict[str, str] | None = None) -> Observation:
        """Build a normalised Observation from canonical field names; unknown keys are an error.

        Empty values and placeholders ("n.v.t.", "onbekend", "-": :mod:`schoon.placeholders`) are no evidence
        and leave the field empty.
        """
        obs = cls(source=source, row=row, extra=dict(extra or {}))
        for name, value in data.items():
            if value is None or (isinstance(value, str) and is_placeholder(value, name)):
                continue
            if name not in _SETTERS:
                raise ObservationError(f"unknown field {name!r}", field=name)
            _SETTERS[name](obs, value)
        return obs

    def evidence_fields(self) -> dict[str, object]:
        """The canonical fields that have a value."""
        return {name: value for name, value in zip(CANONICAL_FIELDS, _ALL_FIELDS(self), strict=True)
                if value is not None and value != ()}

    def to_dict(self) -> dict[str, object]:
        """Canonical fields with values, for JSON output (ports as a list)."""
        data = self.evidence_fields()
        if "ports" in data:
            data["ports"] = list(self.ports)
        return data


def _text_setter(name: str) -> Any:
    def set_text(obs: Observation, value: object) -> None:
        text = str(value).replace("\x00", "").strip()
        setattr(obs, name, text[:MAX_FIELD_CHARS] if text else None)

    return set_text


_ALL_FIELDS = attrgetter(*CANONICAL_FIELDS)  # every canonical field at once, at C speed
_SETTERS: dict[str, Any] = {name: _text_setter(name) for name in TEXT_FIELDS}
_SETTERS["mac"] = lambda obs, v: setattr(obs, "mac", normalise_mac(str(v)))
_SETTERS["ports"] = lambda obs, v: setattr(obs, "ports", normalise_ports(v))
_SETTERS["snmp_sysobjectid"] = lambda obs, v: setattr(obs, "snmp_sysobjectid", normalise_oid(str(v)))
_SETTERS["favicon_mmh3"] = lambda obs, v: setattr(obs, "favicon_mmh3", normalise_mmh3(v))
_SETTERS["favicon_md5"] = lambda obs, v: setattr(obs, "favicon_md5", normalise_md5(str(v)))
assert set(_SETTERS) == set(CANONICAL_FIELDS)
assert {f.name for f in fields(Observation)} == {*CANONICAL_FIELDS, "source", "row", "extra"}
