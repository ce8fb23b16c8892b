"""HTTP(S) probe.

Sends, per HTTP port: ``GET / HTTP/1.0`` (``Host``, ``User-Agent: schoon-discover/VERSION (+contact)``,
``Connection: close``, no credentials, no cookies); follows at most one redirect, and only to the same host and
port inside the scope; then ``GET /favicon.ico``. On TLS ports the same over TLS, reading the certificate's
subject and issuer without trusting it. Nothing else: no login pages are posted to, no ``/RPC2_Login``, no
``/ISAPI`` (digest-protected), no ``/web_caps/webCapsConfig`` (CVE-2019-9680), no snapshot or video paths.
"""

from __future__ import annotations

import base64
import hashlib
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import mmh3

from schoon.discover.ber import BerError, certificate_names
from schoon.discover.net import Context, OutOfScope, open_tcp
from schoon.discover.result import HostResult

MAX_BODY = 64 * 1024
MAX_HEADER = 16 * 1024
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


@dataclass
class Response:
    """A parsed HTTP (or RTSP) response: status, headers (lower-case names, repeats joined), body."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    cert: tuple[str, str] | None = None


def parse_response(raw: bytes, proto: bytes = b"HTTP/") -> Response | None:
    """Parse a response head and body; None when it is not one."""
    head, _, body = raw.partition(b"\r\n\r\n")
    if not _:
        head, _, body = raw.partition(b"\n\n")
    lines = head.decode("latin-1", errors="replace").splitlines()
    if not lines or not lines[0].startswith(proto.decode()):
        return None
    parts = lines[0].split(None, 2)
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep:
            continue
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return Response(int(parts[1]), headers, body[:MAX_BODY])


async def fetch(ctx: Context, address: str, port: int, path: str, *, tls: bool, host: str | None = None,
                method: str = "GET", body: bytes = b"", extra_headers: str = "",
                on_tls_error: Callable[[str], None] | None = None, probe: str = "http") -> Response | None:
    """One request to an in-scope host; None on any failure (time, size, TLS, malformed reply).

    ``probe`` names the calling probe module in the audit log.
    """
    async with open_tcp(ctx, address, port, tls=tls, on_tls_error=on_tls_error, probe=probe) as stream:
        if stream is None:
            return None
        request = (f"{method} {path} HTTP/1.0\r\nHost: {host or address}"
                   f"{'' if port in (80, 443) else f':{port}'}\r\nUser-Agent: {ctx.user_agent}\r\n"
                   f"Accept: */*\r\n{extra_headers}Connection: close\r\n")
        if body:
            request += f"Content-Length: {len(body)}\r\n"
        stream.send(request.encode("latin-1", errors="replace") + b"\r\n" + body)
        raw = await stream.read_some(MAX_HEADER + MAX_BODY)
        cert: tuple[str, str] | None = None
        if tls:
            ssl_obj = stream.writer.get_extra_info("ssl_object")
            if isinstance(ssl_obj, ssl.SSLObject):
                der = ssl_obj.getpeercert(binary_form=True)
                if der:
                    try:
                        cert = certificate_names(der)
                    except (BerError, IndexError, ValueError):
                        cert = None
    response = parse_response(raw)
    if response is not None:
        response.cert = cert
    elif cert is not None:
        response = Response(0, cert=cert)
    return response


def title(body: bytes) -> str | None:
    """The page's ``<title>``, whitespace collapsed."""
    match = _TITLE.search(body)
    if not match:
        return None
    text = " ".join(match.group(1).decode("utf-8", errors="replace").split())
    return text[:500] or None


def favicon_hashes(data: bytes) -> tuple[int, str]:
    """(Shodan's mmh3 of the base64 with line breaks every 76 characters, MD5 hex) of a favicon."""
    return mmh3.hash(base64.encodebytes(data)), hashlib.md5(data).hexdigest()


def _same_host_redirect(location: str, address: str, port: int, tls: bool) -> str | None:
    """The path to follow, or None when the redirect leaves this address, port or scheme.

    A host name in ``Location`` is not followed even when it would resolve to this address: the target is an
    address, and only that address is contacted.
    """
    try:
        split = urlsplit(location.strip())
        if split.scheme and split.scheme.lower() != ("https" if tls else "http"):
            return None
        if split.netloc and (split.hostname != address or (split.port or (443 if tls else 80)) != port):
            return None
    except ValueError:
        return None
    if not split.path.startswith("/") or split.path.startswith("//"):
        return None
    return split.path + (f"?{split.query}" if split.query else "")


async def probe(ctx: Context, address: str, port: int, result: HostResult, *, tls: bool) -> None:
    """``GET /`` (one same-host redirect) and ``GET /favicon.ico`` on one port."""
    try:
        def tls_failed(reason: str) -> None:
            result.ports.add(port)
            result.note("tls_error", f"{port}: {reason}")

        first = await fetch(ctx, address, port, "/", tls=tls, on_tls_error=tls_failed)
        if first is None:
            return
        result.ports.add(port)
        result.protocols.add("https" if tls else "http")
        page = first
        if first.cert:
            result.add("tls_subject", first.cert[0])
            result.add("tls_issuer", first.cert[1])
        if 300 <= first.status < 400 and "location" in first.headers:
            path = _same_host_redirect(first.headers["location"], address, port, tls)
            if path is None:
                result.note("http_redirect_not_followed", first.headers["location"])
            else:
                page = await fetch(ctx, address, port, path, tls=tls) or first
        for resp in (page, first):
            result.add("http_server", resp.headers.get("server"))
            result.add("http_www_authenticate", resp.headers.get("www-authenticate"))
        result.add("http_title", title(page.body))
        if page.body:
            result.add("http_body", page.body[:MAX_BODY].decode("utf-8", errors="replace"))
        icon = await fetch(ctx, address, port, "/favicon.ico", tls=tls)
        if icon is not None and icon.status == 200 and icon.body and icon.body.lstrip()[:1] != b"<":
            mmh, md5 = favicon_hashes(icon.body)
            result.add("favicon_mmh3", mmh)
            result.add("favicon_md5", md5)
    except OutOfScope:
        return
