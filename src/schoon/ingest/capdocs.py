"""Capability documents as flat fields: Hikvision ISAPI capability XML and Dahua video-analysis exports.

An institution exports these with its own credentials, one per device (or ``schoon discover --capabilities``
collects them): ``/ISAPI/System/capabilities`` (root ``DeviceCap``), ``/ISAPI/Smart/capabilities``
(``SmartCap``), ``/ISAPI/Event/capabilities`` (``EventCap``); Dahua ``devVideoAnalyse.cgi?action=getCaps``
and ``configManager.cgi?action=getConfig&name=VideoAnalyseGlobal|VideoAnalyseRule``, in Dahua's
``key=value`` text form (``table.VideoAnalyseRule[0][0].Type=FaceRecognition``) or as JSON.

These readers only read: each document becomes a list of :class:`DocField` (path, value, line) plus the
serial, MAC and model the document carries about its own device, if any. What the fields *mean* is decided in
:mod:`schoon.capabilities`. Hostile input is refused with one :class:`~schoon.errors.DataError` naming the file
and line: a DOCTYPE or entity declaration (so no entity is ever expanded: no billion laughs, no external
reference), more than :data:`MAX_DOCUMENT_BYTES`, nesting deeper than :data:`MAX_DEPTH`, more than
:data:`MAX_FIELDS` fields, a root element that is not a capability document, malformed XML or JSON.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from schoon.errors import DataError
from schoon.files import MIB, check_file

#: The document kinds of the shared contract with ``schoon discover --capabilities`` (manifest ``document``).
DOCUMENT_KINDS: tuple[str, ...] = (
    "hik-system-capabilities", "hik-smart-capabilities", "hik-event-capabilities",
    "dahua-video-analyse-caps", "dahua-video-analyse-global", "dahua-video-analyse-rule",
)
HIK_ROOTS: dict[str, str] = {"DeviceCap": "hik-system-capabilities", "SmartCap": "hik-smart-capabilities",
                             "EventCap": "hik-event-capabilities"}
MAX_DOCUMENT_BYTES = 4 * MIB
MAX_DEPTH = 32
MAX_FIELDS = 50_000
_INFO = {"serialnumber": "serial", "serialno": "serial", "macaddress": "mac", "mac": "mac", "model": "model",
         "devicetype": "model", "firmwareversion": "firmware", "version": "firmware"}
_GENERIC = frozenset({"mac", "model", "devicetype", "version"})
_KEY = re.compile(r"^[A-Za-z_][\w.\[\]\-]*$")


@dataclass(frozen=True)
class DocField:
    """One leaf of a document: its path (``DeviceCap/EventCap/isSupportFaceContrast``, or
    ``table.VideoAnalyseRule[0][0].Type``), its text value and the line it is on (None for JSON)."""

    path: str
    value: str
    line: int | None = None


@dataclass
class CapabilityDocument:
    """A capability document read into fields, with what it says about its own device."""

    name: str
    kind: str
    vendor: str  # hikvision | dahua
    fields: list[DocField]
    sha256: str
    device: dict[str, str] = field(default_factory=dict)  # serial, mac, model, firmware when the document has them

    @property
    def vendor_label(self) -> str:
        """Hikvision or Dahua, for messages."""
        return self.vendor.capitalize()


class _Stop(Exception):
    """Raised inside the XML target to stop parsing with a message."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message, self.line = message, line


class _Flattener:
    """An XML parser target that keeps leaf elements as paths, refuses a wrong root and deep nesting."""

    def __init__(self, expected_root: str | None) -> None:
        self.line_of: Any = lambda: 0
        self.expected_root = expected_root
        self.root: str | None = None
        self.stack: list[list[Any]] = []  # [name, line, has_child, text parts]
        self.fields: list[DocField] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = tag.rsplit("}", 1)[-1]
        line = int(self.line_of())
        if self.root is None:
            self.root = local
            if local not in HIK_ROOTS:
                raise _Stop(f"root element <{local}> is not a Hikvision capability document (expected "
                            f"{', '.join('<' + r + '>' for r in HIK_ROOTS)})", line)
            if self.expected_root is not None and local != self.expected_root:
                raise _Stop(f"the manifest says {HIK_ROOTS[self.expected_root]} (root <{self.expected_root}>) but "
                            f"the root element is <{local}>", line)
        if len(self.stack) >= MAX_DEPTH:
            raise _Stop(f"elements nested deeper than {MAX_DEPTH} levels: refused", line)
        if self.stack:
            self.stack[-1][2] = True
        self.stack.append([local, line, False, []])

    def data(self, text: str) -> None:
        if self.stack:
            self.stack[-1][3].append(text)

    def end(self, tag: str) -> None:
        _name, line, has_child, parts = self.stack[-1]
        if not has_child:
            if len(self.fields) >= MAX_FIELDS:
                raise _Stop(f"more than {MAX_FIELDS:,} fields: refused", line)
            path = "/".join(item[0] for item in self.stack)
            self.fields.append(DocField(path, "".join(parts).strip(), line))
        self.stack.pop()

    def close(self) -> None:
        return None


def _read_bytes(path: Path) -> bytes:
    check_file(path, "capability document", MAX_DOCUMENT_BYTES)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as err:
        raise DataError(f"cannot read the capability document: {err.strerror or err}", file=str(path)) from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DataError(f"the capability document grew beyond {MAX_DOCUMENT_BYTES:,} bytes while being read",
                        file=str(path))
    return data


def read_document(path: Path | str, kind: str | None = None) -> CapabilityDocument:
    """Read one capability document; ``kind`` (one of :data:`DOCUMENT_KINDS`) or None to detect from content."""
    path = Path(path)
    return parse_document(_read_bytes(path), str(path), kind)


def parse_document(data: bytes, name: str, kind: str | None = None) -> CapabilityDocument:
    """Parse a capability document from its bytes (``name`` is used in messages and evidence)."""
    if kind is not None and kind not in DOCUMENT_KINDS:
        raise DataError(f"unknown document kind {kind!r} (one of {', '.join(DOCUMENT_KINDS)})", file=name)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DataError(f"the capability document is {len(data):,} bytes; at most {MAX_DOCUMENT_BYTES:,} are read",
                        file=name)
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DataError(f"not UTF-8 text (byte {err.start + 1})", file=name, line=line) from None
    head = text.lstrip()
    if not head:
        raise DataError("the capability document is empty", file=name)
    wants_hik = kind is not None and kind.startswith("hik-")
    if head.startswith("<") or wants_hik:
        if kind is not None and not wants_hik:
            raise DataError(f"the manifest says {kind}, but the file is XML (a Hikvision document?)", file=name)
        fields, root = _parse_xml(data, name, kind)
        doc = CapabilityDocument(name, HIK_ROOTS[root], "hikvision", fields, digest)
    elif head.startswith(("{", "[")):
        fields = _parse_json(text, name)
        doc = CapabilityDocument(name, kind or _dahua_kind(fields, name), "dahua", fields, digest)
    else:
        fields = _parse_key_values(text, name)
        doc = CapabilityDocument(name, kind or _dahua_kind(fields, name), "dahua", fields, digest)
    doc.device = _device_info(doc.fields)
    return doc


def _parse_xml(data: bytes, name: str, kind: str | None) -> tuple[list[DocField], str]:
    expected = next((root for root, k in HIK_ROOTS.items() if k == kind), None)
    target = _Flattener(expected)
    parser = DefusedXMLParser(target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    target.line_of = lambda: parser.parser.CurrentLineNumber
    try:
        parser.feed(data)
        parser.close()
    except _Stop as stop:
        raise DataError(stop.message, file=name, line=stop.line) from None
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as err:
        line = getattr(err, "line", None) or int(parser.parser.CurrentLineNumber) or None
        raise DataError("XML with a DOCTYPE or entity declarations refused (entities are never expanded)",
                        file=name, line=line) from None
    except DefusedXmlException as err:  # pragma: no cover - every subclass is caught above
        raise DataError(f"XML refused: {err}", file=name) from None
    except ParseError as err:
        line = err.position[0] if getattr(err, "position", None) else None
        message = str(err).split(":")[0]
        raise DataError(f"malformed XML: {message}", file=name, line=line) from None
    if target.root is None:
        raise DataError("no XML element found", file=name)
    return target.fields, target.root


def _parse_key_values(text: str, name: str) -> list[DocField]:
    """Dahua's ``key=value`` lines (``table.X[0].Y=Z``, ``caps.X=Y``); an error answer is refused."""
    fields: list[DocField] = []
    lines = text.splitlines()
    first = next((ln.strip() for ln in lines if ln.strip()), "")
    if first.lower().startswith("error") or "bad request" in first.lower():
        raise DataError(f"the device answered an error, not a capability document: {first[:80]!r}", file=name, line=1)
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not _KEY.match(key):
            raise DataError(f"expected key=value (Dahua's table.X.Y=Z form), got {line[:60]!r}", file=name,
                            line=number)
        if key.count(".") + key.count("[") > MAX_DEPTH:
            raise DataError(f"key nested deeper than {MAX_DEPTH} levels: refused", file=name, line=number, field=key)
        if len(fields) >= MAX_FIELDS:
            raise DataError(f"more than {MAX_FIELDS:,} fields: refused", file=name, line=number)
        fields.append(DocField(key, value.strip(), number))
    return fields


def _parse_json(text: str, name: str) -> list[DocField]:
    """Dahua JSON (an RPC reply ``{"result": true, "params": {...}}`` or the bare table), flattened to the key
    paths of the text form."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise DataError(f"malformed JSON: {err.msg}", file=name, line=err.lineno) from None
    except RecursionError:
        raise DataError("JSON nested too deeply: refused", file=name) from None
    if isinstance(value, dict) and "result" in value and value.get("result") is False:
        raise DataError("the device answered an error (\"result\": false), not a capability document", file=name)
    if isinstance(value, dict) and isinstance(value.get("params"), dict | list):
        value = value["params"]
    fields: list[DocField] = []
    _flatten(value, "", 0, fields, name)
    return fields


def _flatten(value: Any, path: str, depth: int, out: list[DocField], name: str) -> None:
    if depth > MAX_DEPTH:
        raise DataError(f"JSON nested deeper than {MAX_DEPTH} levels: refused", file=name, field=path or None)
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else str(key), depth + 1, out, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _flatten(item, f"{path}[{index}]", depth + 1, out, name)
    else:
        if len(out) >= MAX_FIELDS:
            raise DataError(f"more than {MAX_FIELDS:,} fields: refused", file=name)
        text = "" if value is None else ("true" if value is True else "false" if value is False else str(value))
        out.append(DocField(path, text, None))


def _dahua_kind(fields: list[DocField], name: str) -> str:
    """Which Dahua export this is, from its keys (the manifest's ``document`` column says it when this cannot)."""
    paths = [f.path for f in fields]
    if any("VideoAnalyseRule" in p for p in paths):
        return "dahua-video-analyse-rule"
    if any("VideoAnalyseGlobal" in p for p in paths):
        return "dahua-video-analyse-global"
    if any(p.startswith(("caps", "Supported")) or ".Supported" in p for p in paths):
        return "dahua-video-analyse-caps"
    raise DataError("cannot tell which capability document this is (no DeviceCap/SmartCap/EventCap root, no "
                    "VideoAnalyseRule, VideoAnalyseGlobal or caps keys); name it in the manifest's document column",
                    file=name)


def _device_info(fields: list[DocField]) -> dict[str, str]:
    """Serial, MAC, model and firmware when the document carries them (e.g. an embedded ISAPI DeviceInfo)."""
    info: dict[str, str] = {}
    for item in fields:
        last = re.split(r"[/.]", item.path)[-1].lower()
        last = re.sub(r"\[\d+\]$", "", last)
        key = _INFO.get(last)
        if key is not None and item.value and key not in info:
            if last in _GENERIC and "deviceinfo" not in item.path.lower():
                continue  # "model", "mac", "version" are too common to trust outside a DeviceInfo element
            info[key] = item.value
    return info
