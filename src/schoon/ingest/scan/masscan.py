"""masscan output: ``-oJ`` (a JSON array, one object per line) and ``-oD`` (NDJSON).

``-oJ`` lines look like ``{ "ip": "192.0.2.1", "timestamp": "1700000000", "ports": [ {"port": 80, "proto":
"tcp", "status": "open", ...} ] }`` with the array's brackets and commas on their own lines or before / after
an object (older masscan appends commas, newer prepends them); banner objects carry ``"service": {"name":
"http", "banner": "..."}``. ``-oD`` lines are flat: ``{"ip", "timestamp", "port", "proto", "rec_type",
"data": {"service_name", "banner"}}``. One ScanRecord per port entry. Banners by service name: ``http`` (raw
response headers), ``http.server``, ``title``, ``ssh``, ``telnet``, ``rtsp``. Schema: robertdavidgraham/masscan
``src/out-json.c`` and ``src/out-ndjson.c``.
"""

from __future__ import annotations

from collections.abc import Mapping

from schoon.ingest.scan.record import RawRecord, build, child, header_values, parse_port, parse_time, text

FORMAT = "masscan"


def strip_line(line: bytes) -> bytes:
    """An ``-oJ`` line without the array's brackets and the separating commas around its object."""
    return line.strip().strip(b",").strip().removeprefix(b"[").removesuffix(b"]").strip().strip(b",").strip()


def is_masscan(data: Mapping[str, object]) -> bool:
    """Whether a JSON object looks like a masscan ``-oJ`` or ``-oD`` record."""
    ports = data.get("ports")
    return "ip" in data and ("rec_type" in data or (isinstance(ports, list) and bool(ports)
                                                     and all(isinstance(p, dict) for p in ports)))


def records(data: Mapping[str, object], *, source: str, row: int) -> list[RawRecord]:
    """One ScanRecord per port entry (``-oJ``) or per line (``-oD``)."""
    ip = text(data.get("ip"))
    time = parse_time(data.get("timestamp"))
    entries: list[Mapping[str, object]]
    if "rec_type" in data:
        inner = child(data, "data")
        entries = [{"port": data.get("port"), "status": data.get("rec_type"),
                    "service": {"name": inner.get("service_name"), "banner": inner.get("banner")}}]
    else:
        ports = data.get("ports")
        entries = [p for p in ports if isinstance(p, dict)] if isinstance(ports, list) else []
    out: list[RawRecord] = []
    for entry in entries:
        port = parse_port(entry.get("port"))
        fields: dict[str, object] = {"ip": ip, "ports": [port] if port else None}
        service = child(entry, "service")
        _banner(fields, str(service.get("name") or "").lower(), text(service.get("banner")) or "")
        out.append(build(fields, source=source, row=row, time=time, port=port, asn=None, org=None, country=None))
    return out


def _banner(fields: dict[str, object], name: str, banner: str) -> None:
    if not banner:
        return
    if name == "http":
        headers = header_values(banner)
        fields["http_server"] = headers.get("server")
        fields["http_www_authenticate"] = headers.get("www-authenticate")
    elif name == "http.server":
        fields["http_server"] = banner
    elif name == "title":
        fields["http_title"] = banner
    elif name == "ssh":
        fields["ssh_banner"] = banner.splitlines()[0] if banner.strip() else None
    elif name == "telnet":
        fields["telnet_banner"] = banner
    elif name == "rtsp":
        headers = header_values(banner)
        fields["rtsp_server"] = headers.get("server") or banner
