"""UPnP SSDP probe (UDP 1900), unicast to the target, and the device description it points to.

Sends one ``M-SEARCH * HTTP/1.1`` (``HOST: ADDRESS:1900``, ``MAN: "ssdp:discover"``, ``MX: 1``,
``ST: upnp:rootdevice``, ``USER-AGENT``). Reads ``SERVER`` and ``LOCATION``; when ``LOCATION``'s host is this
same target (any other host, in scope or not, is never contacted) it fetches that one URL with ``GET`` and reads
``manufacturer``, ``modelName``/``modelNumber`` and ``serialNumber`` from the device description XML.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from schoon.discover.net import Context, OutOfScope, udp_exchange
from schoon.discover.probes import http
from schoon.discover.probes.xmlutil import parse, texts
from schoon.discover.result import HostResult

PORT = 1900


def m_search(address: str, user_agent: str) -> bytes:
    """The unicast M-SEARCH datagram."""
    return (f'M-SEARCH * HTTP/1.1\r\nHOST: {address}:{PORT}\r\nMAN: "ssdp:discover"\r\nMX: 1\r\n'
            f"ST: upnp:rootdevice\r\nUSER-AGENT: {user_agent}\r\n\r\n").encode()


def read_description(body: bytes, result: HostResult) -> bool:
    """Record a UPnP device description's maker and model; False when it is not one."""
    root = parse(body)
    if root is None:
        return False
    facts = texts(root)
    if "manufacturer" not in facts and "modelName" not in facts:
        return False
    result.add("upnp_manufacturer", facts.get("manufacturer"))
    result.add("upnp_model", facts.get("modelName") or facts.get("modelNumber"))
    result.add("serial", facts.get("serialNumber"))
    return True


async def probe(ctx: Context, address: str, result: HostResult) -> None:
    """One M-SEARCH, unicast; then the description at a same-host LOCATION."""
    try:
        replies = await udp_exchange(ctx, address, PORT, m_search(address, ctx.user_agent), probe="ssdp",
                                     what="M-SEARCH * HTTP/1.1 (unicast)")
        for reply in replies:
            parsed = http.parse_response(reply)
            if parsed is None or parsed.status != 200:
                continue
            result.protocols.add("ssdp")
            result.note("ssdp_server", parsed.headers.get("server"))
            location = parsed.headers.get("location", "")
            if not location:
                continue
            try:
                split = urlsplit(location)
                host = split.hostname
            except ValueError:
                result.note("ssdp_location_not_followed", location)
                continue
            if split.scheme != "http" or host != address:
                result.note("ssdp_location_not_followed", location)
                continue
            try:
                port = split.port or 80
            except ValueError:
                continue
            desc = await http.fetch(ctx, address, port, split.path or "/", tls=False, probe="ssdp")
            if desc is not None and desc.status == 200:
                result.ports.add(port)
                read_description(desc.body, result)
            break
    except OutOfScope:
        return
