"""Optional capability collection: read-only GETs of six documents, with credentials the institution supplies.

Off by default (``schoon discover --capabilities --credentials FILE``). For a device that discovery identified
as Hikvision or Dahua (group and confidence ≥ :data:`MIN_CONFIDENCE`), and for which the credentials file holds
a credential of that maker covering its address, exactly the documents of :data:`DOCUMENTS` for that maker are
fetched, in order, each as:

1. ``GET <path>`` without credentials; the device answers ``401`` with a Digest challenge (or ``200``: the
   document is kept, no credential is sent);
2. one ``GET <path>`` with ``Authorization: Digest ...`` answering that challenge. A ``401`` here means the
   credential is wrong: nothing more is sent to that device (no retry, no other document, no other user name).

Nothing else is sent: no other path, no ``PUT``/``POST``, no Basic authentication (a device that offers only
Basic gets no credential). Each document is capped at :data:`MAX_DOCUMENT` bytes (a larger one is dropped, not
truncated), each request has a deadline. Files are named by the address and the document id, never by anything
the device says; ``manifest.csv`` (``file,document,serial,mac,ip,asset_id``) links them to the device. The
credentials appear in no log line, no file and no output; the audit log records each request line and, per
document, one ``"type": "capability"`` line with its outcome.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from schoon.csvout import CsvWriter
from schoon.discover.credentials import Credential, Credentials
from schoon.discover.digest import authorization, parse_challenges
from schoon.discover.net import Context, OutOfScope, open_tcp
from schoon.discover.ports import Role, role
from schoon.discover.result import HostResult
from schoon.errors import SchoonError

MAX_DOCUMENT = 4 * 1024 * 1024  # bytes of one document's body at most; a larger one is dropped
MAX_HEAD = 16 * 1024
MIN_CONFIDENCE = 0.5  # identification confidence below which no credential is sent
FETCH_FACTOR = 5  # a document's connection may take FETCH_FACTOR × the probe timeout (large XML, slow devices)
MANIFEST_COLUMNS = ("file", "document", "serial", "mac", "ip", "asset_id")


@dataclass(frozen=True)
class Document:
    """One capability document: its id (the contract with ``schoon.capabilities``), maker, path, file suffix."""

    id: str
    maker: str
    path: str
    suffix: str


DOCUMENTS: tuple[Document, ...] = (
    Document("hik-system-capabilities", "hikvision", "/ISAPI/System/capabilities", "xml"),
    Document("hik-smart-capabilities", "hikvision", "/ISAPI/Smart/capabilities", "xml"),
    Document("hik-event-capabilities", "hikvision", "/ISAPI/Event/capabilities", "xml"),
    Document("dahua-video-analyse-caps", "dahua", "/cgi-bin/devVideoAnalyse.cgi?action=getCaps&channel=1", "txt"),
    Document("dahua-video-analyse-global", "dahua",
             "/cgi-bin/configManager.cgi?action=getConfig&name=VideoAnalyseGlobal", "txt"),
    Document("dahua-video-analyse-rule", "dahua",
             "/cgi-bin/configManager.cgi?action=getConfig&name=VideoAnalyseRule", "txt"),
)
"""Every request capability collection can make. Sources (research note §3.1, §3.2): ISAPI paths from Hikvision's
open-platform pages; Dahua paths from the Dahua HTTP API V3.26 §9.6 as quoted by third-party clients (the PDF
itself not read; ``channel=1`` as those clients use it; some OEM firmware answers getCaps ``400``)."""


class CapabilityError(SchoonError):
    """A capability output folder that cannot be used."""


def capability_maker(group_id: str | None, confidence: float) -> str | None:
    """The maker whose documents may be fetched from a device identified as ``group_id`` (None: none)."""
    if group_id in {d.maker for d in DOCUMENTS} and confidence >= MIN_CONFIDENCE:
        return group_id
    return None


@dataclass
class Outcome:
    """What happened to one document of one device (never holds a credential)."""

    address: str
    document: str
    outcome: str  # fetched, unauthenticated, auth-failed, no-digest, not-found, http-NNN, oversized, timeout, ...
    port: int | None = None
    status: int | None = None
    size: int = 0
    file: str | None = None


class CapabilityStore:
    """The output folder: one file per fetched document and ``manifest.csv``, written as documents arrive."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        manifest = folder / "manifest.csv"
        if manifest.exists():
            raise CapabilityError(f"{manifest}: already exists; choose an empty folder for the capability documents")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._out: IO[str] | None = manifest.open("w", encoding="utf-8", newline="")
        except OSError as err:
            raise CapabilityError(f"{folder}: cannot write capability documents: {err.strerror or err}") from None
        self._csv = CsvWriter(self._out)
        self._csv.row(MANIFEST_COLUMNS)
        self._out.flush()
        self.files = 0

    def save(self, address: str, document: Document, body: bytes, serial: str | None, mac: str | None) -> str:
        """Write one document under ``<address>_<document id>.<suffix>``; add its manifest row; the file name."""
        name = f"{ipaddress.IPv4Address(address)}_{document.id}.{document.suffix}"  # never a device-given name
        (self.folder / name).write_bytes(body)
        if self._out is not None:
            self._csv.row([name, document.id, serial, mac, address, None])
            self._out.flush()
        self.files += 1
        return name

    def close(self) -> None:
        """Close the manifest (idempotent)."""
        if self._out is not None:
            self._out.close()
            self._out = None


@dataclass
class _Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    complete: bool
    oversized: bool

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name), None)


def _dechunk(body: bytes) -> bytes | None:
    """A chunked body decoded; None when it is malformed or incomplete."""
    out = bytearray()
    rest = body
    while True:
        line, sep, rest = rest.partition(b"\r\n")
        if not sep:
            return None
        try:
            size = int(line.split(b";")[0].strip(), 16)
        except ValueError:
            return None
        if size == 0:
            return bytes(out)
        if len(rest) < size + 2:
            return None
        out += rest[:size]
        rest = rest[size + 2:]


def _parse(raw: bytes, at_eof: bool, max_body: int) -> _Reply | None:
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        return None
    lines = head.decode("latin-1", errors="replace").split("\r\n")
    parts = lines[0].split(None, 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        return None
    headers = [(k.strip().lower(), v.strip()) for k, s, v in (line.partition(":") for line in lines[1:]) if s]
    reply = _Reply(int(parts[1]), headers, body, at_eof, len(body) > max_body)
    length = reply.header("content-length")
    if length is not None and length.isdigit():
        reply.oversized = reply.oversized or int(length) > max_body
        reply.complete = len(body) >= int(length)
        reply.body = body[: int(length)]
    elif "chunked" in (reply.header("transfer-encoding") or "").lower():
        decoded = _dechunk(body)
        reply.complete = decoded is not None
        reply.body = decoded or b""
        reply.oversized = reply.oversized or len(reply.body) > max_body
    return reply


class CapabilityCollector:
    """Fetch the capability documents of identified devices with the institution's credentials."""

    def __init__(self, credentials: Credentials, store: CapabilityStore, max_document: int = MAX_DOCUMENT) -> None:
        self.credentials = credentials
        self.store = store
        self.max_document = max_document
        self.outcomes: list[Outcome] = []

    async def _get(self, ctx: Context, address: str, port: int, path: str, *, tls: bool,
                   authorisation: str | None = None) -> _Reply | str:
        """One GET; the parsed reply, or a word for what went wrong (``timeout``, ``no-answer``, ...)."""
        budget = ctx.timeout * FETCH_FACTOR
        async with open_tcp(ctx, address, port, tls=tls, budget=budget, probe="capabilities") as stream:
            if stream is None:
                return "no-connection"
            host = address if port in (80, 443) else f"{address}:{port}"
            request = (f"GET {path} HTTP/1.0\r\nHost: {host}\r\nUser-Agent: {ctx.user_agent}\r\nAccept: */*\r\n"
                       + (f"Authorization: {authorisation}\r\n" if authorisation else "") + "Connection: close\r\n\r\n")
            stream.send(request.encode("latin-1"))
            raw = await stream.read_some(MAX_HEAD + self.max_document + 1)
            at_eof = stream.reader.at_eof()
            timed_out = time.monotonic() >= stream.deadline
        reply = _parse(raw, at_eof, self.max_document)
        if reply is None:
            return "timeout" if timed_out and len(raw) < MAX_HEAD else "malformed" if raw else (
                "timeout" if timed_out else "no-answer")
        if reply.oversized or len(raw) > MAX_HEAD + self.max_document:
            reply.oversized = True
        elif not reply.complete:
            return "timeout" if timed_out else "truncated"
        return reply

    def _ports(self, result: HostResult) -> list[tuple[int, bool]]:
        """The device's web ports that answered HTTP, TLS first (the documents travel encrypted when possible)."""
        ports = [(p, role(p) is Role.https) for p in sorted(result.ports) if role(p) in (Role.http, Role.https)]
        return sorted(ports, key=lambda item: not item[1])

    def _record(self, ctx: Context, outcome: Outcome) -> Outcome:
        self.outcomes.append(outcome)
        if ctx.log is not None:
            ctx.log.capability(outcome.address, outcome.port, outcome.document, outcome.outcome, outcome.status,
                               outcome.size, outcome.file)
        return outcome

    async def collect(self, ctx: Context, result: HostResult, group_id: str | None, confidence: float, *,
                      serial: str | None = None, mac: str | None = None) -> list[Outcome]:
        """Fetch the documents of one host identified as ``group_id``; nothing when no credential applies.

        ``serial`` and ``mac`` (the observation's normalised values; default: the raw ones) go into the manifest.
        """
        maker = capability_maker(group_id, confidence)
        credential = self.credentials.for_device(result.address, maker) if maker else None
        if maker is None or credential is None or not ctx.scope.allows(result.address):
            return []
        outcomes: list[Outcome] = []
        port: tuple[int, bool] | None = None
        candidates = self._ports(result)
        stop: str | None = None
        for document in (d for d in DOCUMENTS if d.maker == maker):
            if stop is not None:
                outcomes.append(self._record(ctx, Outcome(result.address, document.id, stop)))
                continue
            try:
                outcome, port = await self._document(ctx, result, document, credential, port, candidates,
                                                     (serial or result.fields.get("serial"),
                                                      mac or result.fields.get("mac")))
            except OutOfScope:
                outcome = Outcome(result.address, document.id, "out-of-scope")
            except Exception as err:  # a hostile device may break one fetch, never the scan; no text of ours quoted
                outcome = Outcome(result.address, document.id, f"error: {type(err).__name__}")
            outcomes.append(self._record(ctx, outcome))
            if outcome.outcome == "auth-failed":
                stop = "not-tried-after-auth-failure"
            elif outcome.outcome in ("no-connection", "no-web-port"):
                stop = "not-tried-no-connection"
        if outcomes:
            fetched = [o.document for o in outcomes if o.file]
            result.note("capability_documents", ",".join(fetched) or "none")
            failed = sorted({o.outcome for o in outcomes if not o.file})
            if failed:
                result.note("capability_problems", ",".join(failed))
        return outcomes

    async def _document(self, ctx: Context, result: HostResult, document: Document, credential: Credential,
                        port: tuple[int, bool] | None, candidates: list[tuple[int, bool]],
                        device: tuple[str | None, str | None]) -> tuple[Outcome, tuple[int, bool] | None]:
        """Challenge, then one authenticated GET, for one document."""
        address = result.address
        first: _Reply | str = "no-web-port"
        for candidate in ([port] if port else candidates):
            first = await self._get(ctx, address, candidate[0], document.path, tls=candidate[1])
            if isinstance(first, _Reply):
                port = candidate
                break
        if not isinstance(first, _Reply) or port is None:
            return Outcome(address, document.id, first if isinstance(first, str) else "no-answer"), port
        reply = first
        if reply.status == 401:
            challenge = parse_challenges([v for k, v in reply.headers if k == "www-authenticate"])
            if challenge is None:
                return Outcome(address, document.id, "no-digest", port[0], 401), port
            header = authorization(challenge, "GET", document.path, credential.username, credential.password)
            second = await self._get(ctx, address, port[0], document.path, tls=port[1], authorisation=header)
            if isinstance(second, str):
                return Outcome(address, document.id, second, port[0]), port
            reply = second
            if reply.status == 401:
                return Outcome(address, document.id, "auth-failed", port[0], 401), port
            kind = "fetched"
        else:
            kind = "unauthenticated"
        if reply.status != 200:
            word = "not-found" if reply.status == 404 else f"http-{reply.status}"
            return Outcome(address, document.id, word, port[0], reply.status), port
        if reply.oversized:
            return Outcome(address, document.id, "oversized", port[0], 200), port
        if not reply.body.strip():
            return Outcome(address, document.id, "empty", port[0], 200), port
        name = self.store.save(address, document, reply.body, *device)
        return Outcome(address, document.id, kind, port[0], 200, len(reply.body), name), port

