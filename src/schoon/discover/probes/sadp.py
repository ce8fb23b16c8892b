"""Hikvision SADP probe (UDP 37020), unicast to the target.

Sends exactly one datagram: ``<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>UUID</Uuid>
<Types>inquiry</Types></Probe>``. Only the ``inquiry`` type is ever built; SADP's ``getcode``, ``reset``,
``update`` and activation messages are not in this program. From the ``ProbeMatch`` it reads
``DeviceDescription`` (model), ``DeviceSN`` (serial), ``MAC``, ``SoftwareVersion`` and ``DeviceType``.
"""

from __future__ import annotations

import uuid

from schoon.discover.net import Context, OutOfScope, udp_exchange
from schoon.discover.probes.xmlutil import local, parse, texts
from schoon.discover.result import HostResult

PORT = 37020


def inquiry() -> bytes:
    """The SADP inquiry datagram (a fresh UUID each time)."""
    return (f'<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>{str(uuid.uuid4()).upper()}</Uuid>'
            "<Types>inquiry</Types></Probe>").encode()


def read_reply(data: bytes, result: HostResult) -> bool:
    """Record a ProbeMatch's facts; False when the reply is not one."""
    root = parse(data)
    if root is None or local(str(root.tag)) != "ProbeMatch":
        return False
    facts = texts(root)
    result.protocols.add("sadp")
    result.add("model", facts.get("DeviceDescription"))
    result.add("serial", facts.get("DeviceSN"))
    result.add("mac", facts.get("MAC"))
    result.add("firmware", facts.get("SoftwareVersion"))
    result.note("sadp_device_type", facts.get("DeviceType"))
    return True


async def probe(ctx: Context, address: str, result: HostResult) -> None:
    """One inquiry, unicast."""
    try:
        for reply in await udp_exchange(ctx, address, PORT, inquiry(), probe="sadp",
                                           what="SADP inquiry"):
            read_reply(reply, result)
    except OutOfScope:
        return
