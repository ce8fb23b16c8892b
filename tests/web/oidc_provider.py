"""A small OpenID Connect provider for tests, served on 127.0.0.1 from a thread.

It implements just what an authorization-code login with PKCE needs: the discovery document, a JWKS with an
RSA key generated when the provider starts, an ``/authorize`` endpoint that approves at once (as the user whose
claims the test put in :attr:`OidcProvider.claims`) and a ``/token`` endpoint that checks the client's secret,
the code, the redirect URI and the PKCE verifier before it signs an ID token. :attr:`OidcProvider.tamper`
lets a test make the provider misbehave (wrong nonce, issuer, audience, a token signed by another key).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "schoon-test"
CLIENT_SECRET = "s3cret-for-tests-only"


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    nonce: str
    challenge: str
    claims: dict[str, Any]


@dataclass
class OidcProvider:
    """The provider's state; :func:`start_provider` serves it."""

    issuer: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "test-1"}))
    other_key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "test-1"}))
    claims: dict[str, Any] = field(default_factory=dict)
    tamper: dict[str, Any] = field(default_factory=dict)
    grants: dict[str, _Grant] = field(default_factory=dict)
    token_requests: int = 0
    server: ThreadingHTTPServer | None = None

    def id_token(self, grant: _Grant) -> str:
        """The signed ID token for ``grant``, altered as :attr:`tamper` says."""
        now = int(time.time())
        payload: dict[str, Any] = {"iss": self.issuer, "aud": grant.client_id, "iat": now, "exp": now + 300,
                                   "nonce": grant.nonce, "sub": "user-1", **grant.claims}
        for name in ("iss", "aud", "nonce", "exp", "iat"):
            if name in self.tamper:
                payload[name] = self.tamper[name]
        key = self.other_key if self.tamper.get("sign_with_other_key") else self.key
        return jwt.encode({"alg": "RS256", "kid": "test-1"}, payload, key)

    def stop(self) -> None:
        """Stop serving."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def _handler(provider: OidcProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(200, {"issuer": provider.tamper.get("discovery_issuer", provider.issuer),
                                 "authorization_endpoint": provider.issuer + "/authorize",
                                 "token_endpoint": provider.issuer + "/token",
                                 "jwks_uri": provider.issuer + "/jwks",
                                 "response_types_supported": ["code"],
                                 "subject_types_supported": ["public"],
                                 "id_token_signing_alg_values_supported": ["RS256"],
                                 "code_challenge_methods_supported": ["S256"]})
            elif url.path == "/jwks":
                self._json(200, {"keys": [provider.key.as_dict(private=False)]})
            elif url.path == "/authorize":
                if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256" \
                        or not query.get("code_challenge") or "openid" not in query.get("scope", "").split():
                    self._json(400, {"error": "invalid_request"})
                    return
                code = secrets.token_urlsafe(16)
                provider.grants[code] = _Grant(query.get("client_id", ""), query.get("redirect_uri", ""),
                                               query.get("nonce", ""), query["code_challenge"],
                                               dict(provider.claims))
                target = query.get("redirect_uri", "") + "?" + urlencode({"code": code,
                                                                          "state": query.get("state", "")})
                self.send_response(302)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            provider.token_requests += 1
            if urlparse(self.path).path != "/token":
                self._json(404, {"error": "not_found"})
                return
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            auth = self.headers.get("Authorization", "")
            expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if auth != expected:
                self._json(401, {"error": "invalid_client"})
                return
            grant = provider.grants.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if grant is None or form.get("grant_type") != "authorization_code" \
                    or form.get("redirect_uri") != grant.redirect_uri or challenge != grant.challenge:
                self._json(400, {"error": "invalid_grant"})
                return
            self._json(200, {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                             "expires_in": 300, "id_token": provider.id_token(grant)})

    return Handler


def start_provider() -> OidcProvider:
    """A provider serving on a free port of 127.0.0.1; call :meth:`OidcProvider.stop` when done."""
    provider = OidcProvider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    provider.server = server
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return provider
