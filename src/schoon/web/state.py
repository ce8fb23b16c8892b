"""What the app holds for its lifetime: the settings, the store, the accounts and the job runner."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from schoon.accounts.service import Accounts
from schoon.audit import Store
from schoon.registry import Registry, default_registry
from schoon.registry.policy import Policy, check_policy, load_policy
from schoon.settings import sqlite_path
from schoon.web.jobs import JobRunner
from schoon.web.settings import WebSettings

T = TypeVar("T")
CACHE_SECONDS = 30.0
CACHE_ENTRIES = 256


@dataclass
class AppState:
    """The store and services one app instance shares between requests."""

    settings: WebSettings
    store: Store
    accounts: Accounts
    jobs: JobRunner = field(default_factory=JobRunner)
    generation: int = 0  # goes up at every change made through this app: cached figures older than it are stale
    cache: dict[tuple[object, ...], tuple[float, int, object]] = field(default_factory=dict)
    temp: list[tempfile.TemporaryDirectory[str]] = field(default_factory=list)

    @classmethod
    def open(cls, settings: WebSettings) -> AppState:
        """Open the store (creating or upgrading its schema) and the accounts over it."""
        store = Store.open(settings.db_url, migrate=settings.migrate)
        return cls(settings, store, Accounts(store))

    @cached_property
    def registry(self) -> Registry:
        """The registry (loaded once)."""
        return default_registry()

    @cached_property
    def policy(self) -> Policy:
        """The policy imports and reports judge under."""
        chosen = load_policy(self.settings.policy)
        check_policy(chosen, self.registry)
        return chosen

    @cached_property
    def upload_dir(self) -> Path:
        """Where uploaded files are kept, each under its SHA-256."""
        if self.settings.upload_dir is not None:
            folder = self.settings.upload_dir
        else:
            database = sqlite_path(self.settings.db_url)
            if database:
                folder = Path(database).resolve().parent / "uploads"
            else:
                holder = tempfile.TemporaryDirectory(prefix="schoon-uploads-")
                self.temp.append(holder)
                folder = Path(holder.name)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def changed(self) -> None:
        """Note that this app changed the store (a move, an import, an administrative change)."""
        self.generation += 1

    def cached(self, key: tuple[object, ...], make: Callable[[], T], ttl: float = CACHE_SECONDS) -> T:
        """``make()``, remembered under ``key`` for ``ttl`` seconds or until this app changes the store (other
        processes' changes show within ``ttl``). The key must hold everything the value depends on, the
        caller's tree included."""
        now = time.monotonic()
        found = self.cache.get(key)
        if found is not None and found[1] == self.generation and now - found[0] < ttl:
            return found[2]  # type: ignore[return-value]
        value = make()
        if len(self.cache) > CACHE_ENTRIES:
            self.cache.clear()
        self.cache[key] = (now, self.generation, value)
        return value

    def close(self) -> None:
        """Finish the running job, release the database and the temporary folders."""
        self.jobs.shutdown()
        self.store.close()
        for holder in self.temp:
            holder.cleanup()
