"""HTTP Digest authentication (RFC 7616, with RFC 2617's qop-less form), client side, for capability documents.

Only what a camera asks for: algorithms ``MD5``, ``MD5-sess``, ``SHA-256``, ``SHA-256-sess``; ``qop`` ``auth``
or none. ``auth-int`` and unknown algorithms are refused (no header is built), as is Basic: the password is never
sent in a form the device could read.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

_HASHES = {"MD5": "md5", "MD5-SESS": "md5", "SHA-256": "sha256", "SHA-256-SESS": "sha256"}


@dataclass(frozen=True)
class Challenge:
    """A parsed ``WWW-Authenticate: Digest ...`` challenge."""

    realm: str
    nonce: str
    qop: str | None = None  # "auth" when offered, else None
    algorithm: str = "MD5"
    opaque: str | None = None


def _params(text: str) -> dict[str, str]:
    """``key=value`` and ``key="quoted, value"`` pairs of one challenge (keys lower-cased)."""
    out: dict[str, str] = {}
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " ,\t":
            i += 1
        start = i
        while i < n and text[i] not in "= ,\t":
            i += 1
        key = text[start:i].strip().lower()
        if i >= n or text[i] != "=":
            if key:
                out.setdefault(key, "")
            continue
        i += 1
        if i < n and text[i] == '"':
            i += 1
            value: list[str] = []
            while i < n and text[i] != '"':
                if text[i] == "\\" and i + 1 < n:
                    i += 1
                value.append(text[i])
                i += 1
            i += 1
            out.setdefault(key, "".join(value))
        else:
            start = i
            while i < n and text[i] not in ",":
                i += 1
            out.setdefault(key, text[start:i].strip())
    return out


def parse_challenges(headers: list[str]) -> Challenge | None:
    """The first usable Digest challenge among ``WWW-Authenticate`` header values, or None."""
    for header in headers:
        scheme, _, rest = header.strip().partition(" ")
        if scheme.lower() != "digest":
            continue
        params = _params(rest)
        algorithm = (params.get("algorithm") or "MD5").upper()
        if algorithm not in _HASHES or "realm" not in params or not params.get("nonce"):
            continue
        qops = {q.strip().lower() for q in params.get("qop", "").split(",") if q.strip()}
        if qops and "auth" not in qops:
            continue  # auth-int only: not supported
        return Challenge(params["realm"], params["nonce"], "auth" if qops else None, algorithm,
                         params.get("opaque"))
    return None


def _quote(value: str) -> str:
    """A quoted-string; a device-given value with a line break or control character is cut there."""
    safe = "".join(ch for ch in value if ord(ch) >= 32 and ord(ch) != 127)
    return '"' + safe.replace("\\", "\\\\").replace('"', '\\"') + '"'


def authorization(challenge: Challenge, method: str, uri: str, username: str, password: str,
                  cnonce: str | None = None) -> str:
    """The ``Authorization`` header value answering ``challenge`` (nonce count 1: one attempt per challenge)."""
    name = _HASHES[challenge.algorithm]

    def digest(text: str) -> str:
        return hashlib.new(name, text.encode("utf-8")).hexdigest()

    client_nonce = cnonce or os.urandom(8).hex()
    ha1 = digest(f"{username}:{challenge.realm}:{password}")
    if challenge.algorithm.endswith("-SESS"):
        ha1 = digest(f"{ha1}:{challenge.nonce}:{client_nonce}")
    ha2 = digest(f"{method}:{uri}")
    nc = "00000001"
    if challenge.qop:
        response = digest(f"{ha1}:{challenge.nonce}:{nc}:{client_nonce}:{challenge.qop}:{ha2}")
    else:
        response = digest(f"{ha1}:{challenge.nonce}:{ha2}")
    parts = [f"username={_quote(username)}", f"realm={_quote(challenge.realm)}", f"nonce={_quote(challenge.nonce)}",
             f"uri={_quote(uri)}", f"algorithm={challenge.algorithm}", f"response={_quote(response)}"]
    if challenge.opaque is not None:
        parts.append(f"opaque={_quote(challenge.opaque)}")
    if challenge.qop:
        parts += [f"qop={challenge.qop}", f"nc={nc}", f"cnonce={_quote(client_nonce)}"]
    return "Digest " + ", ".join(parts)


def verify(header: str, method: str, password: str, username: str) -> bool:
    """True when ``header`` (an ``Authorization: Digest`` value) proves ``password`` (the emulator's check)."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "digest":
        return False
    p = _params(rest)
    algorithm = (p.get("algorithm") or "MD5").upper()
    if p.get("username") != username or algorithm not in _HASHES:
        return False
    challenge = Challenge(p.get("realm", ""), p.get("nonce", ""), p.get("qop") or None, algorithm, p.get("opaque"))
    expected = authorization(challenge, method, p.get("uri", ""), username, password, p.get("cnonce"))
    return _params(expected.partition(" ")[2])["response"] == p.get("response")
