"""The curated TCP port list, what each port is probed with, and ``--ports`` parsing.

Only ports with a known role get a payload; any other port is connect-only (a port list may name printers'
9100-9107, which print whatever they are sent: nmap excludes them for the same reason).
"""

from __future__ import annotations

from enum import StrEnum

from schoon.errors import SchoonError


class Role(StrEnum):
    """What a port is probed with."""

    http = "http"
    https = "https"
    rtsp = "rtsp"
    ssh = "ssh"
    telnet = "telnet"
    connect = "connect"


ROLES: dict[int, Role] = {
    22: Role.ssh, 23: Role.telnet, 80: Role.http, 81: Role.http, 88: Role.http, 443: Role.https,
    554: Role.rtsp, 8000: Role.connect, 8080: Role.http, 8081: Role.http, 8443: Role.https, 8554: Role.rtsp,
    8888: Role.http, 8899: Role.http, 37777: Role.connect, 34567: Role.connect, 9010: Role.connect,
}
"""Port → probe. 8000 (Hikvision SDK), 37777 (Dahua DVRIP), 34567 (XMeye) are binary: connect only."""

DEFAULT_PORTS: tuple[int, ...] = tuple(sorted(ROLES))
PRINTER_PORTS = range(9100, 9108)


def role(port: int) -> Role:
    """The probe for ``port``; unknown ports and printer ports are connect-only."""
    if port in PRINTER_PORTS:
        return Role.connect
    return ROLES.get(port, Role.connect)


def parse_ports(spec: str | None) -> tuple[int, ...]:
    """Ports from ``80,443,8000-8010`` (``default`` or None: the curated list; ``+N`` adds to it)."""
    if spec is None or spec.strip() in ("", "default"):
        return DEFAULT_PORTS
    ports: set[int] = set()
    for raw in spec.replace(" ", "").split(","):
        item = raw
        if item == "default":
            ports.update(DEFAULT_PORTS)
            continue
        if item.startswith("+"):
            ports.update(DEFAULT_PORTS)
            item = item[1:]
        low, sep, high = item.partition("-")
        if not low.isdigit() or (sep and not high.isdigit()):
            raise SchoonError(f"--ports: not a port or port range: {raw!r}")
        first, last = int(low), int(high) if sep else int(low)
        if not 0 < first <= last < 65536:
            raise SchoonError(f"--ports: out of range 1..65535: {raw!r}")
        if last - first > 65535:
            raise SchoonError(f"--ports: range too large: {raw!r}")
        ports.update(range(first, last + 1))
    return tuple(sorted(ports))
