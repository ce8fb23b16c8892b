"""One registry of settings, each readable from a ``SCHOON_<NAME>`` environment variable.

The same table drives the defaults, the environment variables and ``docs/settings.md``
(a test checks that every setting is documented there). Values that name files are checked before use
(:func:`check_db_url`, :func:`data_dir`, :func:`registry_layers`): a missing file, a folder where a file is
expected, a file that is not a database, or an in-memory database (which keeps nothing) is one
:class:`SettingError` line naming the setting.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from schoon.errors import SchoonError

PREFIX = "SCHOON_"
SQLITE_MAGIC = b"SQLite format 3\x00"


class SettingError(SchoonError):
    """A setting (or the option that overrides it) whose value cannot be used."""


class DbUse(Enum):
    """What a command does with the database, which decides whether a missing SQLite file is acceptable."""

    READ = "read"      # the file must exist (reading a new empty database would answer "nothing found")
    WRITE = "write"    # the file may be created, in an existing folder
    CREATE = "create"  # ``schoon audit init``: the folder is created too


@dataclass(frozen=True)
class Setting:
    """A named setting with its default and a one-line help text."""

    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        return PREFIX + self.name.upper()


def _default_data_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "schoon")


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", _default_data_dir(),
            "Folder for user data: imported registry layers (FtM), fresher IEEE files, decisions."),
    Setting("eval_dir", str(Path(__file__).resolve().parents[2] / ".." / "shared" / "eval"),
            "Folder of outside evaluation data used by tests and benchmarks (default ../shared/eval)."),
    Setting("db_url", "sqlite:///schoon.db", "Database URL of the audit store (SQLite file or PostgreSQL)."),
    Setting("registry_layers", "", "Extra FtM JSON-lines files to load as user registry layers, ':'-separated."),
    Setting("cache_dir", "", "Folder for the build cache (registry, rules, Hyperscan databases, name index); "
            "default: the user cache folder (~/.cache/schoon)."),
    Setting("cache", "on", "'off' turns the build cache off: everything is built in memory on every run."),
    Setting("oidc_issuer", "", "OpenID Connect issuer URL of the identity provider; empty: no OIDC login."),
    Setting("oidc_client_id", "", "Client id schoon has at the OpenID Connect provider."),
    Setting("oidc_client_secret", "", "Client secret schoon has at the OpenID Connect provider."),
    Setting("oidc_redirect_uri", "", "Callback URL registered at the provider, ending in /auth/oidc/callback."),
    Setting("oidc_claim", "groups", "ID-token claim whose value(s) decide organisation and role (e.g. groups)."),
    Setting("oidc_mapping", "", "Claim value to organisation and role: 'VALUE=ORG:ROLE;VALUE=ORG:ROLE'."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The value of setting ``name``: its environment variable if set, else its default."""
    setting = _BY_NAME[name]
    return os.environ.get(setting.env, setting.default)


def _expand(text: str) -> Path:
    try:
        return Path(text).expanduser()
    except RuntimeError:  # ~user that does not exist
        return Path(text)


def data_dir() -> Path:
    """The user data folder (not created until something is written to it); a file there is refused."""
    path = _expand(get("data_dir"))
    if path.exists() and not path.is_dir():
        raise SettingError(f"{_BY_NAME['data_dir'].env}: {str(path)!r} is not a folder")
    return path


def registry_layers() -> list[Path]:
    """The files named by ``SCHOON_REGISTRY_LAYERS``; a missing one, or a folder, is refused."""
    env = _BY_NAME["registry_layers"].env
    paths = [_expand(p) for p in get("registry_layers").split(":") if p.strip()]
    for path in paths:
        if not path.exists():
            raise SettingError(f"{env}: no such file: {str(path)!r}")
        if path.is_dir():
            raise SettingError(f"{env}: {str(path)!r} is a folder, not an FtM JSON-lines file")
    return paths


_MEMORY = re.compile(r"(^|[?&])mode=memory(&|$)|^:memory:$|^file::memory:")


def sqlite_path(url: str) -> str | None:
    """The file a ``sqlite://`` URL names ("" for an in-memory database); None for other databases."""
    if not url.startswith("sqlite"):
        return None
    _scheme, sep, rest = url.partition("://")
    if not sep:
        return None
    path = rest[1:] if rest.startswith("/") else rest
    return path


def check_db_url(url: str | None, use: DbUse = DbUse.WRITE, *, source: str | None = None) -> str:
    """``url`` (default: the ``db_url`` setting) if it can hold the audit store; else one SettingError line.

    Refused: an in-memory SQLite database (``sqlite://``, ``sqlite:///:memory:``: it keeps nothing), a path
    that is a folder, a file that is not a SQLite database, a missing file when ``use`` is READ, a missing folder
    unless ``use`` is CREATE. Other databases (PostgreSQL) are checked when they are connected to.
    """
    name = source or ("--db" if url is not None else _BY_NAME["db_url"].env)
    value = url if url is not None else get("db_url")
    if not value.strip():
        raise SettingError(f"{name}: empty database URL (e.g. sqlite:///audit.db or postgresql://host/db)")
    path_text = sqlite_path(value)
    if path_text is None:
        return value
    query = path_text.partition("?")[2]
    bare = path_text.partition("?")[0]
    if not bare or _MEMORY.search(bare) or _MEMORY.search(query):
        raise SettingError(f"{name}: {value!r} is an in-memory database, which keeps nothing; "
                           "give a file, e.g. sqlite:///audit.db")
    if "\x00" in bare:
        raise SettingError(f"{name}: {value!r} is not a file name")
    path = _expand(bare)
    if path.is_dir():
        raise SettingError(f"{name}: {str(path)!r} is a folder, not a database file")
    if path.exists():
        try:
            with path.open("rb") as handle:
                head = handle.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise SettingError(f"{name}: cannot read {str(path)!r}: {exc.strerror or exc}") from None
        if head and head != SQLITE_MAGIC:
            raise SettingError(f"{name}: {str(path)!r} is not a SQLite database")
        return value
    if use is DbUse.READ:
        raise SettingError(f"{name}: no database at {str(path)!r} (create it with 'schoon audit init' or an import)")
    if use is DbUse.WRITE and not path.parent.is_dir():
        raise SettingError(f"{name}: folder {str(path.parent)!r} does not exist (create it, or run "
                           "'schoon audit init', which does)")
    return value


def eval_dir() -> Path:
    """The folder of outside evaluation data (may not exist)."""
    return Path(get("eval_dir")).expanduser().resolve()
