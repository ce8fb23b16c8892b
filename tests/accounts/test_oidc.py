"""OIDC claim mapping: issuer, email and claim values become an organisation and a role, or one clear refusal."""

from __future__ import annotations

from typing import Any

import pytest

from schoon.accounts.oidc import OidcError, OidcSettings, map_claims, principal_for_claims
from schoon.accounts.service import Accounts, AuthError

SETTINGS = OidcSettings.from_mapping({
    "issuer": "https://idp.mvz.example/", "client_id": "schoon", "client_secret": "s3cret",
    "claim": "groups",
    "mapping": {"schoon-mvz-editors": "mvz:editor", "schoon-mvz-admins": {"org": "mvz", "role": "org-admin"},
                "schoon-dvt": "dvt:viewer", "schoon-mob": "mob:viewer", "schoon-ghost": "ghost:viewer"},
})


def claims(**extra: Any) -> dict[str, Any]:
    return {"iss": "https://idp.mvz.example", "sub": "u1", "email": "Anna@MVZ.nl", "email_verified": True,
            "groups": ["staff", "schoon-mvz-editors"], **extra}


def test_settings_from_plain_data() -> None:
    assert SETTINGS.issuer == "https://idp.mvz.example"
    assert SETTINGS.mapping["schoon-mvz-admins"] == ("mvz", "org-admin")
    with pytest.raises(OidcError, match="need client_id, client_secret"):
        OidcSettings.from_mapping({"issuer": "https://x"})
    with pytest.raises(OidcError, match="unknown role 'boss'"):
        OidcSettings.from_mapping({"issuer": "i", "client_id": "c", "client_secret": "s", "mapping": {"g": "mvz:boss"}})
    with pytest.raises(OidcError, match="give 'org:role'"):
        OidcSettings.from_mapping({"issuer": "i", "client_id": "c", "client_secret": "s", "mapping": {"g": 3}})


def test_mapping_picks_the_organisation_and_the_strongest_role() -> None:
    assert map_claims(SETTINGS, claims()) == ("anna@mvz.nl", "mvz", "editor")
    assert map_claims(SETTINGS, claims(groups=["schoon-mvz-editors", "schoon-mvz-admins"]))[2] == "org-admin"
    assert map_claims(SETTINGS, claims(groups="schoon-dvt")) == ("anna@mvz.nl", "dvt", "viewer")


@pytest.mark.parametrize(("changes", "message"), [
    ({"iss": "https://evil.example"}, "came from 'https://evil.example'"),
    ({"email": None}, "sent no 'email' claim"),
    ({"email": "not-an-address"}, "not an email address"),
    ({"email_verified": False}, "not verified"),
    ({"groups": ["staff"]}, "no 'groups' value that this service maps"),
    ({"groups": None}, "no 'groups' value"),
    ({"groups": ["schoon-mvz-editors", "schoon-mob"]}, "several organisations"),
])
def test_claims_that_give_no_sign_in(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(OidcError, match=message) as caught:
        map_claims(SETTINGS, claims(**changes))
    assert isinstance(caught.value, AuthError)


def test_first_sign_in_creates_the_user_and_later_ones_follow_the_claims(accounts: Accounts) -> None:
    principal = principal_for_claims(accounts, SETTINGS, claims())
    assert (principal.email, principal.org_id, principal.role, principal.orgs) == \
        ("anna@mvz.nl", "mvz", "editor", {"mvz", "dvt"})
    user = accounts.user("anna@mvz.nl")
    assert (user.source, user.has_password) == ("oidc", False)
    again = principal_for_claims(accounts, SETTINGS, claims(groups=["schoon-dvt"]))
    assert (again.user_id, again.org_id, again.role, again.orgs) == (principal.user_id, "dvt", "viewer", {"dvt"})
    assert [e.action for e in accounts.events() if e.target == "anna@mvz.nl"][:2] == ["sign-in", "user.remap"]
    accounts.disable("anna@mvz.nl")
    with pytest.raises(OidcError, match="disabled"):
        principal_for_claims(accounts, SETTINGS, claims())
    with pytest.raises(OidcError, match="organisation 'ghost', which does not exist"):
        principal_for_claims(accounts, SETTINGS, claims(email="x@mvz.nl", groups=["schoon-ghost"]))
