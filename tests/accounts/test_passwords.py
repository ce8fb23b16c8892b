"""Password hashing (argon2id) and the NCSC-style rules for new passwords."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from schoon.accounts import passwords
from schoon.accounts.passwords import (
    MIN_LENGTH,
    PasswordError,
    check_password,
    hash_password,
    needs_rehash,
    verify_password,
)


def test_argon2id_hash_verifies_only_the_password() -> None:
    stored = hash_password("tulp fiets lamp negen")
    assert stored.startswith("$argon2id$")
    assert stored != hash_password("tulp fiets lamp negen")  # salted
    assert verify_password(stored, "tulp fiets lamp negen")
    assert not verify_password(stored, "tulp fiets lamp tien")
    assert not verify_password(None, "anything") and not verify_password("not a hash", "x")
    assert not needs_rehash(stored) and needs_rehash("not a hash")


@pytest.mark.parametrize("password", [
    "tulp fiets lamp negen",        # three (four) random words
    "correct-paard-nietje-7",
    "Wv8#kq!2Lm@9",                 # twelve random characters: no composition rule needed, none refused
    "hoe laat gaat de trein",
    "839201746512",                 # digits only are fine when they are not a pattern
])
def test_good_passwords_pass(password: str) -> None:
    check_password(password, "anna.jansen@minvz.nl")


@pytest.mark.parametrize(("password", "message"), [
    ("kort", f"at least {MIN_LENGTH} characters"),
    ("elevenchars", f"at least {MIN_LENGTH} characters"),
    ("x" * 1025, "at most 1024"),
    ("wachtwoord", "at least"),
    ("Wachtwoord2024!", "attackers try first"),
    ("PASSWORD123456", "attackers try first"),
    ("welkomwelkomwelkom", "attackers try first"),
    ("correct horse battery staple", "attackers try first"),
    ("123456789012", "attackers try first"),
    ("aaaaaaaaaaaaaaaa", "simple pattern"),
    ("abcdefghijklmn", "simple pattern"),
    ("qwertyuiopasdf", "simple pattern"),
    ("ababababababab", "simple pattern"),
    ("anna.jansen rocks!", "email address or name"),
    ("Jansen-is-de-beste", "email address or name"),
    ("minvz minvz minvz", "email address or name"),
])
def test_weak_passwords_are_refused_with_one_line(password: str, message: str) -> None:
    with pytest.raises(PasswordError, match=message) as caught:
        check_password(password, "anna.jansen@minvz.nl")
    assert "\n" not in str(caught.value)


def test_production_parameters_are_rfc9106(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside the tests' cheap hasher: argon2id, 64 MiB, 3 passes, 4 lanes; a cheap hash asks to be redone."""
    cheap = hash_password("tulp fiets lamp negen")
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher())
    strong = hash_password("tulp fiets lamp negen")
    assert strong.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert needs_rehash(cheap) and not needs_rehash(strong)
    assert verify_password(cheap, "tulp fiets lamp negen")  # old parameters still verify
