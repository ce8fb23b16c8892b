"""Dahua DHIP discovery probe (UDP 37810), unicast to the target.

Sends exactly one datagram: a 32-byte header (``0x20`` little-endian header size, magic ``DHIP``, body length at
offsets 0x10 and 0x18) and the body ``{"method":"DHDiscover.search","params":{"mac":"","uni":0}}\\n``. From the
``client.notifyDevInfo`` reply it reads ``deviceInfo.{Vendor, DeviceType, SerialNo, Version}`` and the MAC. It
never calls ``global.login`` or any other DHIP method.
"""

from __future__ import annotations

import json
import struct
from typing import Any

from schoon.discover.net import Context, OutOfScope, udp_exchange
from schoon.discover.result import HostResult

PORT = 37810
MAGIC = b"DHIP"
BODY = b'{"method":"DHDiscover.search","params":{"mac":"","uni":0}}\n'


def frame(body: bytes) -> bytes:
    """A DHIP packet: 32-byte header, then ``body``."""
    return struct.pack("<I4sIIIIII", 0x20, MAGIC, 0, 0, len(body), 0, len(body), 0) + body


def search() -> bytes:
    """The DHDiscover.search datagram."""
    return frame(BODY)


def unframe(data: bytes) -> dict[str, Any] | None:
    """The JSON body of a DHIP packet, or None when the header or the JSON is not valid."""
    if len(data) < 32 or data[4:8] != MAGIC:
        return None
    size, _, _, _, length, _, _, _ = struct.unpack("<I4sIIIIII", data[:32])
    if size != 0x20 or length > len(data) - 32 or length > 64 * 1024:
        return None
    try:
        body = json.loads(data[32:32 + length].decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


def read_reply(data: bytes, result: HostResult) -> bool:
    """Record a notifyDevInfo's facts; False when the reply is not one."""
    body = unframe(data)
    if body is None or body.get("method") != "client.notifyDevInfo":
        return False
    params = body.get("params")
    info = params.get("deviceInfo") if isinstance(params, dict) else None
    if not isinstance(info, dict):
        return False
    result.protocols.add("dhip")
    result.add("declared_vendor", info.get("Vendor") if isinstance(info.get("Vendor"), str) else None)
    result.add("model", info.get("DeviceType") if isinstance(info.get("DeviceType"), str) else None)
    result.add("serial", info.get("SerialNo") if isinstance(info.get("SerialNo"), str) else None)
    result.add("firmware", info.get("Version") if isinstance(info.get("Version"), str) else None)
    mac = body.get("mac") if isinstance(body.get("mac"), str) else None
    result.add("mac", mac)
    result.note("dhip_device_class", info.get("DeviceClass") if isinstance(info.get("DeviceClass"), str) else None)
    return True


async def probe(ctx: Context, address: str, result: HostResult) -> None:
    """One DHDiscover.search, unicast."""
    try:
        for reply in await udp_exchange(ctx, address, PORT, search(), probe="dhip",
                                           what="DHIP device search"):
            read_reply(reply, result)
    except OutOfScope:
        return
