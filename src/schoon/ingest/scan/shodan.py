"""Shodan banners (``shodan download`` JSON lines): one banner per (address, port, time).

Mapped onto canonical fields: ``ip_str`` → ip, ``port`` → ports, ``hostnames[0]`` → hostname, the raw
``data`` by module (HTTP and RTSP headers → ``*_server`` / ``*_www_authenticate``, SSH and Telnet banners),
``http.server/title/html`` and ``http.favicon.hash`` (Shodan's signed mmh3 of the base64 favicon), ``ssl.cert``
subject and issuer, ``snmp`` description and object id, and the vendor sub-objects Shodan's own modules fill
from the device: ``hikvision`` (``device_model`` → model, ``web_version`` → firmware), ``dahua``
(``serial_number`` → serial), ``dahua_dvr_web`` (``web_version``) and ``ip_camera`` (brand, model, MAC). Those
sub-objects exist only when the device answered that vendor's protocol, so their presence is read as the
device declaring its vendor. Context: ``timestamp`` (UTC), ``asn`` (``"AS1136"``), ``org``, and
``location.country_code``. Schema: Shodan's banner specification as mirrored in gethvi/pydantic-shodan.
"""

from __future__ import annotations

from collections.abc import Mapping

from schoon.ingest.scan.record import (
    RawRecord,
    build,
    child,
    first_text,
    header_values,
    parse_asn,
    parse_port,
    parse_time,
    text,
)

FORMAT = "shodan"
_VENDOR_OBJECTS = {"hikvision": "Hikvision", "dahua": "Dahua", "dahua_dvr_web": "Dahua"}


def is_shodan(data: Mapping[str, object]) -> bool:
    """Whether a JSON object looks like a Shodan banner."""
    return "_shodan" in data or ("ip_str" in data and "port" in data and "data" in data)


def records(data: Mapping[str, object], *, source: str, row: int) -> list[RawRecord]:
    """The one record of a Shodan banner."""
    get = data.get
    value = get("port")
    port = value if type(value) is int and 0 < value < 65536 else parse_port(value)
    meta = get("_shodan")
    module = str(meta.get("module") or "").lower() if type(meta) is dict else ""
    raw = get("data")
    fields: dict[str, object] = {"ip": text(get("ip_str")) or text(get("ipv6")), "ports": [port] if port else None}
    hostnames = get("hostnames")
    if type(hostnames) is list and hostnames:
        fields["hostname"] = first_text(hostnames)
    if type(raw) is str and raw:
        fields.update(_banner(module, raw, port))
    http = get("http")
    if type(http) is dict:
        fields["http_server"] = fields.get("http_server") or text(http.get("server"))
        fields["http_title"] = text(http.get("title"))
        fields["http_body"] = text(http.get("html"))
        favicon = http.get("favicon")
        if type(favicon) is dict and favicon.get("hash") is not None:
            fields["favicon_mmh3"] = favicon["hash"]
    ssl = get("ssl")
    if type(ssl) is dict:
        cert = child(ssl, "cert")
        fields["tls_subject"] = _dn(cert.get("subject"))
        fields["tls_issuer"] = _dn(cert.get("issuer"))
    snmp = get("snmp")
    if type(snmp) is dict:
        fields["snmp_sysdescr"] = text(snmp.get("description"))
        fields["snmp_sysobjectid"] = text(snmp.get("objectid"))
    if "hikvision" in data or "dahua" in data or "dahua_dvr_web" in data or "ip_camera" in data:
        _vendor_objects(fields, data)
    mac = get("mac")
    if type(mac) is dict and mac:
        fields["mac"] = next(iter(mac))
    elif type(mac) is str and mac:
        fields["mac"] = mac
    location = get("location")
    country = text(location.get("country_code")) if type(location) is dict else None
    asn = get("asn")
    return [build(fields, source=source, row=row, time=parse_time(get("timestamp")), port=port,
                  asn=parse_asn(asn) if asn is not None else None, org=text(get("org")) or text(get("isp")),
                  country=country)]


_BANNERS: dict[tuple[str, str, int | None], dict[str, str | None]] = {}
_BANNER_MEMO = 50_000


def _banner(module: str, raw: str, port: int | None) -> dict[str, str | None]:
    """The fields of a raw banner, read by the module that grabbed it (or by its first bytes); memoised."""
    key = (module, raw, port)
    found = _BANNERS.get(key)
    if found is None:
        found = _read_banner(module, raw, port)
        if len(_BANNERS) >= _BANNER_MEMO:
            _BANNERS.clear()
        _BANNERS[key] = found
    return found


def _read_banner(module: str, raw: str, port: int | None) -> dict[str, str | None]:
    if module.startswith("http") or raw.startswith("HTTP/"):
        headers = header_values(raw)
        return {"http_server": headers.get("server"), "http_www_authenticate": headers.get("www-authenticate")}
    if module.startswith("rtsp") or raw.startswith("RTSP/"):
        headers = header_values(raw)
        return {"rtsp_server": headers.get("server"), "rtsp_www_authenticate": headers.get("www-authenticate")}
    if module.startswith("ssh") or raw.startswith("SSH-"):
        return {"ssh_banner": raw.splitlines()[0] if raw.strip() else None}
    if module.startswith("telnet") or port == 23:
        return {"telnet_banner": raw}
    return {}


def _dn(value: object) -> str | None:
    """A certificate name object (``{"CN": "...", "O": "..."}``) as ``CN=..., O=...``."""
    if isinstance(value, dict):
        parts = [f"{key}={item}" for key, item in value.items() if isinstance(item, str)]
        return ", ".join(parts) or None
    return text(value)


def _vendor_objects(fields: dict[str, object], data: Mapping[str, object]) -> None:
    for key, vendor in _VENDOR_OBJECTS.items():
        sub = child(data, key)
        if key in data and isinstance(data.get(key), dict):
            fields["declared_vendor"] = vendor
            fields["model"] = fields.get("model") or text(sub.get("device_model"))
            fields["firmware"] = fields.get("firmware") or text(sub.get("web_version"))
            fields["serial"] = fields.get("serial") or text(sub.get("serial_number"))
    camera = child(data, "ip_camera")
    if camera:
        fields["declared_vendor"] = fields.get("declared_vendor") or text(camera.get("brand"))
        fields["model"] = fields.get("model") or text(camera.get("model"))
        fields["mac"] = text(camera.get("mac_address"))
