"""ONVIF WS-Discovery probe (UDP 3702), unicast to the target, plus one PRE_AUTH call.

Sends one SOAP 1.2 ``Probe`` (WS-Addressing 2004/08, ``Action .../ws/2005/04/discovery/Probe``, a fresh
``MessageID``, ``Types`` ``dn:NetworkVideoTransmitter``). From the ``ProbeMatch`` it reads the scopes
``onvif://www.onvif.org/name/…`` (→ ``onvif_manufacturer``), ``…/hardware/…`` (→ ``onvif_model``) and
``…/MAC/…``. Then, for the first ``XAddrs`` URL whose host is this same target (any other host, in scope or not,
is never contacted), it POSTs ``GetSystemDateAndTime``: a PRE_AUTH operation that the ONVIF Core spec lets
anonymous users call; its HTTP ``Server`` header is kept. ``GetDeviceInformation`` (READ_SYSTEM) is not called.
"""

from __future__ import annotations

import uuid
from urllib.parse import unquote, urlsplit

from schoon.discover.net import Context, OutOfScope, udp_exchange
from schoon.discover.probes import http
from schoon.discover.probes.xmlutil import local, parse
from schoon.discover.result import HostResult

PORT = 3702
SCOPE_PREFIX = "onvif://www.onvif.org/"

_GET_TIME = (b'<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">'
             b'<s:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>')


def probe_message() -> bytes:
    """The WS-Discovery Probe for ONVIF network video transmitters."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
        'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" '
        'xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header>'
        '<a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>'
        f'<a:MessageID>urn:uuid:{uuid.uuid4()}</a:MessageID>'
        '<a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address>'
        '</a:ReplyTo><a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>'
        '<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>'
    ).encode()


def read_reply(data: bytes, result: HostResult) -> list[str]:
    """Record a ProbeMatch's scopes; return its XAddrs (empty when the reply is not a ProbeMatch)."""
    root = parse(data)
    if root is None:
        return []
    matches = [el for el in root.iter() if local(str(el.tag)) == "ProbeMatch"]
    if not matches:
        return []
    result.protocols.add("ws-discovery")
    xaddrs: list[str] = []
    for match in matches[:4]:
        for element in match:
            name = local(str(element.tag))
            text = (element.text or "").strip()
            if name == "Scopes":
                result.note("onvif_scopes", " ".join(text.split()[:40]))
                for scope in text.split():
                    if not scope.startswith(SCOPE_PREFIX):
                        continue
                    kind, _, value = scope[len(SCOPE_PREFIX):].partition("/")
                    value = unquote(value)
                    if kind.lower() == "name":
                        result.add("onvif_manufacturer", value)
                    elif kind.lower() == "hardware":
                        result.add("onvif_model", value)
                    elif kind.lower() in ("mac", "macaddress"):
                        result.add("mac", value)
            elif name == "XAddrs":
                xaddrs.extend(text.split()[:8])
    if xaddrs:
        result.note("onvif_xaddrs", " ".join(xaddrs))
    return xaddrs


async def _pre_auth(ctx: Context, address: str, url: str, result: HostResult) -> bool:
    try:
        split = urlsplit(url)
        host = split.hostname
    except ValueError:
        return False
    if split.scheme not in ("http", "https") or host != address:
        result.note("onvif_xaddrs_not_followed", url)
        return False
    tls = split.scheme == "https"
    try:
        port = split.port or (443 if tls else 80)
    except ValueError:
        return False
    reply = await http.fetch(ctx, address, port, split.path or "/", tls=tls, probe="wsd", method="POST",
                             body=_GET_TIME, extra_headers="Content-Type: application/soap+xml; charset=utf-8\r\n")
    if reply is None:
        return False
    result.ports.add(port)
    result.note("onvif_server", reply.headers.get("server"))
    return True


async def probe(ctx: Context, address: str, result: HostResult) -> None:
    """One Probe, unicast; then GetSystemDateAndTime at a same-host XAddr."""
    try:
        xaddrs: list[str] = []
        for reply in await udp_exchange(ctx, address, PORT, probe_message(), probe="wsd",
                                           what="WS-Discovery Probe"):
            xaddrs.extend(read_reply(reply, result))
        for url in xaddrs:
            if await _pre_auth(ctx, address, url, result):
                break
    except OutOfScope:
        return
