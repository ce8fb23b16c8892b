"""zgrab2 output (JSON lines): ``{ip, domain, data: {<module>: {status, protocol, port, result, timestamp}}}``.

One ScanRecord per module that succeeded (``status == "success"``); a failed grab is no evidence that anything
answered and gives no record. Mapped: the HTTP module's ``result.response`` (``headers.server``,
``headers.www_authenticate``, the ``<title>`` of ``body``, the body) and its TLS handshake's leaf certificate
(``parsed.subject_dn`` / ``issuer_dn``), SSH ``server_id.raw``, Telnet ``banner``, and any module's
``result.banner``. zgrab2 output carries no AS or country. Schema: zmap/zgrab2 ``processing.go``,
``module.go``, ``modules/http/scanner.go``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from schoon.ingest.scan.record import RawRecord, build, child, first_text, parse_port, parse_time, text

FORMAT = "zgrab2"
_TITLE = re.compile(r"<title[^>]*>([^<]{0,512})", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443, "ssh": 22, "telnet": 23, "rtsp": 554, "ftp": 21}


def is_zgrab2(data: Mapping[str, object]) -> bool:
    """Whether a JSON object looks like a zgrab2 result line."""
    modules = data.get("data")
    return "ip" in data and isinstance(modules, dict) and all(
        isinstance(v, dict) and "status" in v for v in modules.values())


def records(data: Mapping[str, object], *, source: str, row: int) -> list[RawRecord]:
    """One ScanRecord per successful module grab."""
    ip = text(data.get("ip"))
    hostname = text(data.get("domain"))
    out: list[RawRecord] = []
    for name, grab in child(data, "data").items():
        if not isinstance(grab, dict) or grab.get("status") != "success":
            continue
        protocol = str(grab.get("protocol") or name).lower()
        port = parse_port(grab.get("port")) or _DEFAULT_PORTS.get(protocol)
        result = child(grab, "result")
        fields: dict[str, object] = {"ip": ip, "hostname": hostname, "ports": [port] if port else None}
        if protocol in ("http", "https"):
            _http(fields, child(result, "response"))
        elif protocol == "ssh":
            fields["ssh_banner"] = text(child(result, "server_id").get("raw"))
        elif protocol == "telnet":
            fields["telnet_banner"] = text(result.get("banner"))
        else:
            banner = text(result.get("banner"))
            if banner and protocol == "rtsp":
                fields["rtsp_server"] = banner
        out.append(build(fields, source=source, row=row, time=parse_time(grab.get("timestamp")), port=port,
                         asn=None, org=None, country=None))
    return out


def _http(fields: dict[str, object], response: Mapping[str, object]) -> None:
    headers = child(response, "headers")
    fields["http_server"] = first_text(headers.get("server"))
    fields["http_www_authenticate"] = first_text(headers.get("www_authenticate"))
    body = text(response.get("body"))
    if body:
        fields["http_body"] = body
        title = _TITLE.search(body[:65536])
        fields["http_title"] = title.group(1).strip() or None if title else None
    leaf = child(response, "request", "tls_log", "handshake_log", "server_certificates", "certificate", "parsed")
    if leaf:
        fields["tls_subject"] = text(leaf.get("subject_dn"))
        fields["tls_issuer"] = text(leaf.get("issuer_dn"))
