"""OIDC login (authorization code + PKCE) against a provider the test starts on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from schoon.accounts.oidc import OidcError, OidcSettings
from schoon.settings import SettingError
from schoon.web import oidc
from tests.web.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider, start_provider

REDIRECT = "http://127.0.0.1:1/auth/oidc/callback"


@pytest.fixture()
def provider() -> Iterator[OidcProvider]:
    p = start_provider()
    p.claims = {"email": "ana@gemeente.example", "groups": ["cn=schoon-editors,o=gemeente-a"]}
    yield p
    p.stop()


def config_for(p: OidcProvider, **changes: object) -> oidc.OidcConfig:
    base: dict[str, object] = {"issuer": p.issuer, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                               "mapping": {"cn=schoon-editors,o=gemeente-a": ("gemeente-a", "editor")}}
    base.update(changes)
    return oidc.OidcConfig(OidcSettings(**base), REDIRECT)  # type: ignore[arg-type]


def login(config: oidc.OidcConfig, client: httpx.Client, *, state: str | None = None) -> dict[str, object]:
    """Run the whole flow as a browser would: begin, follow the provider's redirect, finish."""
    provider = oidc.discover(config, client)
    url, pending = oidc.begin_login(config, provider, REDIRECT)
    answer = client.get(url)
    assert answer.status_code == 302, answer.text
    location = urlparse(answer.headers["Location"])
    assert location.geturl().startswith(REDIRECT)
    params = {k: v[0] for k, v in parse_qs(location.query).items()}
    if state is not None:
        params["state"] = state
    return oidc.finish_login(config, provider, pending, params, client, REDIRECT)


def test_good_login_gives_verified_claims(provider: OidcProvider) -> None:
    with httpx.Client() as client:
        claims = login(config_for(provider), client)
    assert claims["email"] == "ana@gemeente.example"
    assert claims["iss"] == provider.issuer and claims["aud"] == CLIENT_ID
    assert claims["groups"] == ["cn=schoon-editors,o=gemeente-a"]


def test_authorization_url_carries_pkce_state_and_nonce(provider: OidcProvider) -> None:
    config = config_for(provider)
    with httpx.Client() as client:
        meta = oidc.discover(config, client)
    url, pending = oidc.begin_login(config, meta, REDIRECT)
    query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    assert query["state"] == pending.state and query["nonce"] == pending.nonce
    assert query["code_challenge_method"] == "S256"
    assert query["code_challenge"] != pending.code_verifier and len(pending.code_verifier) >= 43
    _, again = oidc.begin_login(config, meta, REDIRECT)
    assert again.state != pending.state and again.nonce != pending.nonce


@pytest.mark.parametrize(("tamper", "message"), [
    ({"nonce": "not-the-nonce"}, "nonce"),
    ({"iss": "http://127.0.0.1:9/evil"}, "not acceptable"),
    ({"aud": "another-client"}, "another client"),
    ({"aud": [CLIENT_ID, "another-client"]}, "authorised party"),
    ({"sign_with_other_key": True}, "signature"),
    ({"exp": 1000}, "not acceptable"),
])
def test_bad_id_tokens_are_rejected(provider: OidcProvider, tamper: dict[str, object], message: str) -> None:
    provider.tamper = tamper
    with httpx.Client() as client, pytest.raises(OidcError, match=message):
        login(config_for(provider), client)


def test_wrong_state_is_rejected_before_the_code_is_exchanged(provider: OidcProvider) -> None:
    with httpx.Client() as client, pytest.raises(OidcError, match="state"):
        login(config_for(provider), client, state="forged")
    assert provider.token_requests == 0


def test_discovery_naming_another_issuer_is_rejected(provider: OidcProvider) -> None:
    provider.tamper = {"discovery_issuer": "http://127.0.0.1:9/other"}
    with httpx.Client() as client, pytest.raises(OidcError, match="another issuer"):
        oidc.discover(config_for(provider), client)


def test_wrong_client_secret_is_rejected(provider: OidcProvider) -> None:
    with httpx.Client() as client, pytest.raises(OidcError, match="HTTP 401"):
        login(config_for(provider, client_secret="wrong"), client)


def test_unreachable_provider_is_one_clear_error() -> None:
    config = oidc.OidcConfig(OidcSettings(issuer="http://127.0.0.1:1", client_id="c", client_secret="s"), REDIRECT)
    with httpx.Client() as client, pytest.raises(OidcError, match="discovery document could not be read"):
        oidc.discover(config, client)


def test_mapping_syntax() -> None:
    assert oidc.parse_mapping("g1=org-a:editor; g2=org-b:viewer;") == {"g1": "org-a:editor", "g2": "org-b:viewer"}
    assert oidc.parse_mapping("cn=editors,o=gem-a=gem-a:editor") == {"cn=editors,o=gem-a": "gem-a:editor"}
    with pytest.raises(SettingError, match="SCHOON_OIDC_MAPPING"):
        oidc.parse_mapping("group-without-target")


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert oidc.config_from_env() is None
    monkeypatch.setenv("SCHOON_OIDC_ISSUER", "http://127.0.0.1:9/realm/")
    monkeypatch.setenv("SCHOON_OIDC_CLIENT_ID", "schoon")
    monkeypatch.setenv("SCHOON_OIDC_CLIENT_SECRET", "s")
    monkeypatch.setenv("SCHOON_OIDC_MAPPING", "cn=a,o=x=org-a:editor;beheer=org-a:org-admin")
    config = oidc.config_from_env()
    assert config is not None and config.enabled
    assert config.provider.issuer == "http://127.0.0.1:9/realm"
    assert dict(config.provider.mapping) == {"cn=a,o=x": ("org-a", "editor"), "beheer": ("org-a", "org-admin")}
    monkeypatch.setenv("SCHOON_OIDC_MAPPING", "cn=a=org-a:emperor")
    with pytest.raises(SettingError, match="SCHOON_OIDC"):
        oidc.config_from_env()
