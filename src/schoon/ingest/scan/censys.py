"""Censys host records (JSON lines, one host per line, its ``services[]`` inside): one ScanRecord per service.

Both shapes are read: the legacy Search v2 host (``ip``, ``autonomous_system{asn,name,country_code}``,
``location``, ``services[{port, service_name, observed_at, banner, http.response{headers, html_title, body,
favicons[]}, tls.certificates.leaf_data{subject_dn, issuer_dn}}]``, ``last_updated_at``) and the Platform host
(optionally wrapped as ``{"host": {...}}`` or ``{"resource": {...}}``; ``endpoints[].http`` and ``cert``).
Favicon hashes: ``hash_shodan`` / ``shodan_hash`` (Shodan-compatible mmh3) and ``hash_md5`` / ``md5_hash``.
Schema: docs.censys.com (platform host dataset; legacy hosts) and the Asset Graph schema mirror.
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

FORMAT = "censys"


def unwrap(data: Mapping[str, object]) -> Mapping[str, object]:
    """The host object of a record (Platform exports wrap it as ``host`` or ``resource``)."""
    for key in ("host", "resource"):
        inner = data.get(key)
        if isinstance(inner, dict) and "services" in inner:
            return inner
    return data


def is_censys(data: Mapping[str, object]) -> bool:
    """Whether a JSON object looks like a Censys host record."""
    return isinstance(unwrap(data).get("services"), list)


def records(data: Mapping[str, object], *, source: str, row: int) -> list[RawRecord]:
    """One ScanRecord per service of a Censys host (a host without services gives none)."""
    host = unwrap(data)
    ip = text(host.get("ip"))
    routing = child(host, "autonomous_system")
    asn = parse_asn(routing.get("asn"))
    org = text(routing.get("organization")) or text(routing.get("name")) or text(routing.get("description"))
    country = text(child(host, "location").get("country_code")) or text(routing.get("country_code"))
    host_time = parse_time(host.get("last_updated_at") or host.get("observed_at"))
    dns = child(host, "dns")
    names = dns.get("names") or child(dns, "reverse_dns").get("names")
    hostname = first_text(names) if isinstance(names, list) else None
    out: list[RawRecord] = []
    services = host.get("services")
    for service in services if isinstance(services, list) else []:
        if not isinstance(service, dict):
            continue
        port = parse_port(service.get("port"))
        fields: dict[str, object] = {"ip": ip, "ports": [port] if port else None, "hostname": hostname}
        _service(fields, service)
        time = parse_time(service.get("observed_at")) or host_time
        out.append(build(fields, source=source, row=row, time=time, port=port, asn=asn, org=org, country=country))
    return out


def _service(fields: dict[str, object], service: Mapping[str, object]) -> None:
    name = str(service.get("service_name") or service.get("protocol") or "").upper()
    banner = text(service.get("banner"))
    http = _http(service)
    if http:
        response = child(http, "response") or http
        headers = child(response, "headers")
        lowered = {str(k).lower(): v for k, v in headers.items()}
        fields["http_server"] = first_text(lowered.get("server"))
        fields["http_www_authenticate"] = first_text(lowered.get("www_authenticate") or
                                                     lowered.get("www-authenticate"))
        fields["http_title"] = text(response.get("html_title"))
        fields["http_body"] = text(response.get("body"))
        favicons = response.get("favicons")
        if isinstance(favicons, list) and favicons and isinstance(favicons[0], dict):
            icon = favicons[0]
            fields["favicon_mmh3"] = icon.get("hash_shodan", icon.get("shodan_hash"))
            fields["favicon_md5"] = text(icon.get("hash_md5")) or text(icon.get("md5_hash"))
    elif banner and name == "RTSP":
        headers = header_values(banner)
        fields["rtsp_server"] = headers.get("server")
        fields["rtsp_www_authenticate"] = headers.get("www-authenticate")
    elif banner and name == "SSH":
        fields["ssh_banner"] = banner.splitlines()[0]
    elif banner and name == "TELNET":
        fields["telnet_banner"] = banner
    leaf = child(service, "tls", "certificates", "leaf_data") or child(service, "cert", "parsed")
    if leaf:
        fields["tls_subject"] = text(leaf.get("subject_dn"))
        fields["tls_issuer"] = text(leaf.get("issuer_dn"))


def _http(service: Mapping[str, object]) -> Mapping[str, object]:
    """The HTTP object of a service: legacy ``http``, or the Platform's first endpoint's ``http``."""
    http = child(service, "http")
    if http:
        return http
    endpoints = service.get("endpoints")
    if isinstance(endpoints, list):
        for endpoint in endpoints:
            if isinstance(endpoint, dict) and isinstance(endpoint.get("http"), dict):
                return child(endpoint, "http")
    return {}
