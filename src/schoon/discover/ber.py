"""A small BER/DER codec: enough for SNMP v2c GET and for reading an X.509 certificate's names.

Decoding is defensive: lengths are checked against the buffer, nesting is bounded, and anything malformed
raises :class:`BerError` (never an IndexError or a hang).
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_DEPTH = 32

INTEGER, OCTET_STRING, NULL, OID, SEQUENCE, SET = 0x02, 0x04, 0x05, 0x06, 0x30, 0x31


class BerError(ValueError):
    """Malformed BER."""


@dataclass(frozen=True, slots=True)
class Tlv:
    """One decoded element: its tag byte and its content bytes."""

    tag: int
    value: bytes

    @property
    def constructed(self) -> bool:
        """True when the content is itself a sequence of elements."""
        return bool(self.tag & 0x20)

    def children(self) -> list[Tlv]:
        """The elements inside a constructed element."""
        return decode_all(self.value)


def _length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def encode(tag: int, value: bytes) -> bytes:
    """One element: tag, definite length, content."""
    return bytes([tag]) + _length(len(value)) + value


def encode_int(value: int) -> bytes:
    """An INTEGER in two's complement, shortest form."""
    size = max(1, (value.bit_length() + 8) // 8)
    return encode(INTEGER, value.to_bytes(size, "big", signed=True))


def encode_oid(oid: str) -> bytes:
    """An OBJECT IDENTIFIER from dotted text."""
    parts = [int(p) for p in oid.strip(".").split(".")]
    if len(parts) < 2:
        raise BerError(f"OID too short: {oid!r}")
    body = bytearray([parts[0] * 40 + parts[1]])
    for part in parts[2:]:
        chunk = [part & 0x7F]
        part >>= 7
        while part:
            chunk.append(0x80 | (part & 0x7F))
            part >>= 7
        body.extend(reversed(chunk))
    return encode(OID, bytes(body))


def decode_oid(value: bytes) -> str:
    """Dotted text from OBJECT IDENTIFIER content bytes."""
    if not value:
        raise BerError("empty OID")
    first = value[0]
    parts = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    number = 0
    for byte in value[1:]:
        number = (number << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(number)
            number = 0
    if value[-1] & 0x80:
        raise BerError("truncated OID")
    return ".".join(str(p) for p in parts)


def decode_int(value: bytes) -> int:
    """An INTEGER's value."""
    if not value or len(value) > 16:
        raise BerError("bad INTEGER length")
    return int.from_bytes(value, "big", signed=True)


def decode_one(data: bytes, offset: int = 0) -> tuple[Tlv, int]:
    """The element at ``offset`` and the offset after it."""
    if offset + 2 > len(data):
        raise BerError("truncated element")
    tag = data[offset]
    if tag & 0x1F == 0x1F:
        raise BerError("multi-byte tags are not supported")
    first = data[offset + 1]
    pos = offset + 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or pos + count > len(data):
            raise BerError("bad length")
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise BerError("length beyond the data")
    return Tlv(tag, data[pos:pos + length]), pos + length


def decode_all(data: bytes) -> list[Tlv]:
    """Every element in ``data``, which must be consumed exactly."""
    items: list[Tlv] = []
    offset = 0
    while offset < len(data):
        item, offset = decode_one(data, offset)
        items.append(item)
        if len(items) > 10_000:
            raise BerError("too many elements")
    return items


_NAME_KEYS = {"2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O",
              "2.5.4.11": "OU", "1.2.840.113549.1.9.1": "emailAddress", "2.5.4.5": "serialNumber"}


def _name(tlv: Tlv) -> str:
    parts: list[str] = []
    for rdn in tlv.children():
        for attr in rdn.children():
            kids = attr.children()
            if len(kids) < 2 or kids[0].tag != OID:
                raise BerError("bad name attribute")
            oid = decode_oid(kids[0].value)
            text = kids[1].value.decode("utf-16-be" if kids[1].tag == 0x1E else "utf-8", errors="replace")
            parts.append(f"{_NAME_KEYS.get(oid, oid)}={text}")
    return ",".join(reversed(parts))


def certificate_names(der: bytes) -> tuple[str, str]:
    """(subject, issuer) of a DER certificate, as ``CN=…,OU=…,O=…,C=…`` (most specific first)."""
    cert, _ = decode_one(der)
    tbs = cert.children()[0].children()
    fields = tbs[1:] if tbs and tbs[0].tag == 0xA0 else tbs  # skip the explicit [0] version
    if len(fields) < 5:
        raise BerError("certificate too short")
    issuer, subject = fields[2], fields[4]
    return _name(subject), _name(issuer)
