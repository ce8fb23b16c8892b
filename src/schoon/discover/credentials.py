"""Credentials for capability collection: per address or CIDR block and maker, read once, never logged or stored.

The file is TOML, one ``[[credential]]`` table per target::

    [[credential]]
    target = "10.20.4.0/24"          # an address or a CIDR block, inside the scan's scope
    maker = "hikvision"              # hikvision or dahua: sent only to devices identified as this maker
    username = "audit-ro"
    password_env = "SCHOON_HIK_PASSWORD"   # the password from this environment variable (preferred) ...

    [[credential]]
    target = "10.20.4.23"
    maker = "dahua"
    username = "audit"
    password = "..."                 # ... or in the file itself

The file is refused when others may read it (any ``o+r``/``o+w`` bit, or ``g+w``), when a target lies (even
partly) outside the scope, or when a value is missing or malformed. For an address the most specific target
of the device's maker wins. A password never appears in an error, a log line, a ``repr`` or the output.
"""

from __future__ import annotations

import ipaddress
import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schoon.discover.scope import Scope, ScopeError

MAKERS = ("hikvision", "dahua")
_KEYS = frozenset({"target", "maker", "username", "password", "password_env"})


class CredentialError(ScopeError):
    """A credentials file that cannot be used (never quotes a password)."""


@dataclass(frozen=True)
class Credential:
    """One username and password for the devices of one maker in one address block."""

    network: ipaddress.IPv4Network
    maker: str
    username: str
    password: str = field(repr=False)

    def __str__(self) -> str:
        return f"{self.maker} credential for {self.network} (user {self.username!r})"


def _clean(value: Any, where: str, key: str) -> str:
    if not isinstance(value, str) or not value:
        raise CredentialError(f"{where}: '{key}' must be a non-empty string")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value) or '"' in value or "\\" in value:
        raise CredentialError(f"{where}: '{key}' may not contain control characters, quotes or backslashes")
    return value


def _network(value: Any, where: str) -> ipaddress.IPv4Network:
    if not isinstance(value, str):
        raise CredentialError(f"{where}: 'target' must be an IPv4 address or CIDR block")
    try:
        return ipaddress.IPv4Network(value.strip(), strict=False)
    except ValueError:
        raise CredentialError(f"{where}: 'target' {value!r} is not an IPv4 address or CIDR block") from None


def _check_permissions(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except OSError as err:
        raise CredentialError(f"{path}: cannot read the credentials file: {err.strerror}") from None
    if mode & (stat.S_IROTH | stat.S_IWOTH | stat.S_IWGRP):
        raise CredentialError(f"{path}: credentials file is readable or writable by others "
                              f"(mode {stat.S_IMODE(mode):o}); run: chmod 600 {path}")


def parse_credentials(data: Mapping[str, Any], name: str, scope: Scope,
                      environ: Mapping[str, str] | None = None) -> list[Credential]:
    """Credentials from parsed TOML ``data``; every target must lie wholly inside ``scope``."""
    env = os.environ if environ is None else environ
    unknown = sorted(set(data) - {"credential"})
    if unknown:
        raise CredentialError(f"{name}: unknown key {unknown[0]!r} (expected [[credential]] tables)")
    tables = data.get("credential")
    if not isinstance(tables, list) or not tables:
        raise CredentialError(f"{name}: no [[credential]] tables")
    out: list[Credential] = []
    for number, table in enumerate(tables, 1):
        where = f"{name}: credential {number}"
        if not isinstance(table, dict):
            raise CredentialError(f"{where}: not a table")
        extra = sorted(set(table) - _KEYS)
        if extra:
            raise CredentialError(f"{where}: unknown key {extra[0]!r} (known: {', '.join(sorted(_KEYS))})")
        network = _network(table.get("target"), where)
        maker = table.get("maker")
        if maker not in MAKERS:
            raise CredentialError(f"{where}: 'maker' must be one of {', '.join(MAKERS)}")
        username = _clean(table.get("username"), where, "username")
        if ("password" in table) == ("password_env" in table):
            raise CredentialError(f"{where}: give exactly one of 'password' and 'password_env'")
        if "password_env" in table:
            variable = _clean(table["password_env"], where, "password_env")
            if variable not in env:
                raise CredentialError(f"{where}: environment variable {variable} is not set")
            password = _clean(env[variable], where, f"password (from {variable})")
        else:
            password = _clean(table["password"], where, "password")
        if not _inside(scope, network):
            raise CredentialError(f"{where}: target {network} lies outside the scope; credentials are only "
                                  "used for addresses inside it")
        out.append(Credential(network, str(maker), username, password))
    return out


def _inside(scope: Scope, network: ipaddress.IPv4Network) -> bool:
    """True when every address of ``network`` is in the scope (one interval of it, exclusions removed, covers it)."""
    first, last = int(network.network_address), int(network.broadcast_address)
    return any(iv.first <= first and last <= iv.last for iv in scope.intervals)


def load_credentials(path: str | Path, scope: Scope, environ: Mapping[str, str] | None = None) -> list[Credential]:
    """Read a credentials TOML file (refused when others may read it or a target is outside ``scope``)."""
    file = Path(path)
    _check_permissions(file)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as err:
        raise CredentialError(f"{file}: cannot read the credentials file: {err.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        # the parser's message may quote the offending line, which can hold a password: name the file only
        raise CredentialError(f"{file}: not valid TOML") from None
    return parse_credentials(data, str(file), scope, environ)


@dataclass(frozen=True)
class Credentials:
    """The credentials of one scan, looked up by address and maker (most specific block wins)."""

    entries: tuple[Credential, ...]

    def for_device(self, address: str, maker: str) -> Credential | None:
        """The credential to send to ``address``, identified as ``maker``; None when there is none."""
        try:
            ip = ipaddress.IPv4Address(address)
        except ValueError:
            return None
        matches = [c for c in self.entries if c.maker == maker and ip in c.network]
        return max(matches, key=lambda c: c.network.prefixlen) if matches else None

    def secrets(self) -> frozenset[str]:
        """Every password (for tests and output guards that must prove none is written)."""
        return frozenset(c.password for c in self.entries)
