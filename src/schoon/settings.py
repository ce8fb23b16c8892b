"""One registry of settings, each readable from a ``SCHOON_<NAME>`` environment variable.

The same table drives the defaults, the environment variables and ``docs/settings.md``
(a test checks that every setting is documented there).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PREFIX = "SCHOON_"


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
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The value of setting ``name``: its environment variable if set, else its default."""
    setting = _BY_NAME[name]
    return os.environ.get(setting.env, setting.default)


def data_dir() -> Path:
    """The user data folder (not created until something is written to it)."""
    return Path(get("data_dir")).expanduser()


def eval_dir() -> Path:
    """The folder of outside evaluation data (may not exist)."""
    return Path(get("eval_dir")).expanduser().resolve()
