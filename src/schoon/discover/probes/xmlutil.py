"""Safe XML reading for untrusted replies (defusedxml: no entities, no external references)."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

MAX_XML = 128 * 1024


def parse(data: bytes) -> Element | None:
    """The root element, or None for anything malformed, oversized or hostile."""
    if len(data) > MAX_XML:
        return None
    try:
        return fromstring(data)
    except (ParseError, DefusedXmlException, ValueError, SyntaxError):
        return None


def local(tag: str) -> str:
    """A tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def texts(root: Element) -> dict[str, str]:
    """First text of every element by local name (``DeviceSN`` → ``DS-2CD…``)."""
    out: dict[str, str] = {}
    for element in root.iter():
        name = local(str(element.tag))
        if name not in out and element.text and element.text.strip():
            out[name] = element.text.strip()
    return out
