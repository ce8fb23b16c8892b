"""Passwords: argon2id hashes, and the rules a new password must meet.

The rules follow current NCSC advice (UK NCSC "Password policy: updating your approach"; NL NCSC
"Wachtwoorden" factsheet): length over complexity, so at least 12 characters (three random words make a good
passphrase); no composition rules (no forced digits or symbols) and no forced expiry; refuse the passwords
attackers try first (a short list shipped with schoon, :mod:`schoon.accounts.common`, also with digits and
symbols around them) and passwords made of the user's own email address or name.
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from schoon.accounts.common import COMMON, SEQUENCES
from schoon.errors import SchoonError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # argon2 hashes anything, but a megabyte "password" is a denial of service, not a secret

# argon2id with argon2-cffi's defaults (RFC 9106's second recommended option: t=3, m=64 MiB, p=4). Tests may
# replace it with a cheaper one (tests/accounts/conftest.py); the parameters are stored in each hash.
_HASHER = PasswordHasher()
_NOT_LETTERS = re.compile(r"[^a-z]+")


class PasswordError(SchoonError):
    """A new password that does not meet the rules; the message says why in one line."""


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (salted; the parameters are stored in the hash)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; a missing or damaged hash never matches."""
    if not stored_hash:
        return False
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with older parameters than the current ones (rehash at the next sign-in)."""
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


_DUMMIES: dict[int, str] = {}


def burn_time(password: str) -> None:
    """Spend as long as a real verification does (sign-in for an unknown email must not answer faster)."""
    key = id(_HASHER)
    if key not in _DUMMIES:  # made with the hasher in use, so it costs what a real hash costs
        _DUMMIES[key] = hash_password("schoon-dummy-password-for-unknown-accounts")
    verify_password(_DUMMIES[key], password)


def _personal_words(email: str) -> list[str]:
    local, _, domain = email.lower().partition("@")
    words = [local, *re.split(r"[._+\-]+", local), *domain.split(".")[:-1]]
    return [w for w in dict.fromkeys(words) if len(w) >= 3]


def _is_sequence(text: str) -> bool:
    return len(text) >= 6 and any(text in sequence for sequence in SEQUENCES)


def check_password(password: str, email: str | None = None) -> None:
    """Refuse a new password that breaks the rules (one PasswordError line); return quietly when it is fine."""
    if len(password) < MIN_LENGTH:
        raise PasswordError(f"a password needs at least {MIN_LENGTH} characters ({len(password)} given); "
                            f"three random words make a good one")
    if len(password) > MAX_LENGTH:
        raise PasswordError(f"a password may have at most {MAX_LENGTH} characters")
    if password.strip() != password and not password.strip():
        raise PasswordError("a password cannot be only spaces")
    lowered = password.lower()
    squeezed = "".join(lowered.split())
    letters = _NOT_LETTERS.sub("", lowered)
    if squeezed in COMMON or letters in COMMON or _repeats_common(letters):
        raise PasswordError("this password is one that attackers try first; choose another (three random words)")
    if len(set(squeezed)) < 4 or _is_sequence(squeezed) or _is_sequence(letters):
        raise PasswordError("this password is a simple pattern (repeats or a keyboard row); choose another")
    if email:
        found = [w for w in _personal_words(email) if w in squeezed]
        if found:
            raise PasswordError("a password must not contain your email address or name")


def _repeats_common(letters: str) -> bool:
    """Whether the letters are one common word said twice or more (``welkomwelkom``)."""
    for size in range(3, len(letters) // 2 + 1):
        if len(letters) % size == 0 and letters[:size] * (len(letters) // size) == letters:
            return letters[:size] in COMMON
    return False
