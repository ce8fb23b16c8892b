"""SNMP v2c probe (UDP 161), only with a community the operator gives.

Sends one ``GetRequest`` (version 2c, the given community) for ``sysDescr.0`` (1.3.6.1.2.1.1.1.0) and
``sysObjectID.0`` (1.3.6.1.2.1.1.2.0). No community is ever guessed; without ``--snmp-community`` nothing is sent.
"""

from __future__ import annotations

import secrets

from schoon.discover import ber
from schoon.discover.net import Context, OutOfScope, udp_exchange
from schoon.discover.result import HostResult

PORT = 161
SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"
GET_REQUEST, GET_RESPONSE = 0xA0, 0xA2


def get_request(community: str, request_id: int, oids: tuple[str, ...] = (SYS_DESCR, SYS_OBJECT_ID)) -> bytes:
    """A v2c GetRequest for ``oids``."""
    bindings = b"".join(ber.encode(ber.SEQUENCE, ber.encode_oid(oid) + ber.encode(ber.NULL, b"")) for oid in oids)
    pdu = ber.encode(GET_REQUEST, ber.encode_int(request_id) + ber.encode_int(0) + ber.encode_int(0)
                     + ber.encode(ber.SEQUENCE, bindings))
    return ber.encode(ber.SEQUENCE, ber.encode_int(1) + ber.encode(ber.OCTET_STRING, community.encode()) + pdu)


def parse_response(data: bytes, request_id: int) -> dict[str, str]:
    """OID → value (text, or dotted OID) from a GetResponse; empty when malformed or not ours."""
    try:
        message, _ = ber.decode_one(data)
        parts = message.children()
        if message.tag != ber.SEQUENCE or len(parts) != 3 or parts[2].tag != GET_RESPONSE:
            return {}
        pdu = parts[2].children()
        if len(pdu) != 4 or ber.decode_int(pdu[0].value) != request_id:
            return {}
        out: dict[str, str] = {}
        for binding in pdu[3].children():
            oid, value = binding.children()[:2]
            key = ber.decode_oid(oid.value)
            if value.tag == ber.OCTET_STRING:
                out[key] = value.value.decode("utf-8", errors="replace")
            elif value.tag == ber.OID:
                out[key] = ber.decode_oid(value.value)
        return out
    except (ber.BerError, ValueError, IndexError):
        return {}


async def probe(ctx: Context, address: str, result: HostResult) -> None:
    """One GetRequest with the operator's community; nothing when none was given."""
    if not ctx.snmp_community:
        return
    request_id = secrets.randbelow(2**31 - 1) + 1
    try:
        for reply in await udp_exchange(ctx, address, PORT, get_request(ctx.snmp_community, request_id),
                                           probe="snmp", what="SNMP v2c GetRequest sysDescr sysObjectID"):
            values = parse_response(reply, request_id)
            if values:
                result.protocols.add("snmp")
                result.add("snmp_sysdescr", values.get(SYS_DESCR))
                result.add("snmp_sysobjectid", values.get(SYS_OBJECT_ID))
                return
    except OutOfScope:
        return
