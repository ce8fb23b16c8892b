"""The web service's settings: one frozen dataclass, built by ``schoon serve`` or by tests."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from schoon.web.oidc import OidcConfig

MB = 1024 * 1024


@dataclass(frozen=True)
class WebSettings:
    """What the app needs to know: the store, the upload area and limits, and whether it is behind TLS."""

    db_url: str
    migrate: bool = True  # False: the app's database role may not change the schema (PostgreSQL app role)
    upload_dir: Path | None = None  # default: an ``uploads`` folder beside a SQLite file, else a temporary folder
    secure_cookies: bool = False  # set behind a TLS proxy: cookies get Secure and responses get HSTS
    secret: str = field(default_factory=lambda: secrets.token_hex(32), repr=False)  # signs CSRF tokens
    max_upload_bytes: int = 50 * MB  # per file
    max_upload_files: int = 10  # per upload
    max_request_bytes: int = 200 * MB  # the whole request body
    policy: str = "default"  # the policy the imports and reports judge under
    default_language: str = "nl"
    title: str = "schoon"
    oidc: OidcConfig | None = None  # OpenID Connect login (``schoon serve`` reads the SCHOON_OIDC_* settings)
