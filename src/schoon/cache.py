"""A cache of built things (registry, rules, Hyperscan databases, name index) in the user's cache folder.

Building the engine from its sources (parsing YAML, validating, compiling Hyperscan databases, indexing names)
takes seconds; loading what was built takes milliseconds. Each entry is stored under a **key** that is a content
hash of everything it was built from: the data files' bytes, schoon's version, the Python version, a digest of
schoon's own source code and whatever else the caller adds (the Hyperscan version, a backend). When anything
changes the key changes, the entry is simply not found and is rebuilt; old entries of the same kind are pruned.

Where: ``SCHOON_CACHE_DIR`` (default: the platform's user cache folder, ``~/.cache/schoon`` on Linux).
``SCHOON_CACHE=off`` turns the cache off (everything is built in memory every run, as before).

Safety:

- **Concurrent builders.** An entry is written to a temporary file in the same folder and renamed into place
  (``os.replace`` is atomic), so two processes building the same entry at once each write a whole file and
  a reader sees either no file or a whole one.
- **Corruption.** A file starts with a magic line and the SHA-256 digest of its payload; a file that is short,
  has another magic line or whose payload does not hash to the digest is deleted and rebuilt, never loaded.
  A payload that then fails to unpickle is treated the same way.
- **Trust.** Payloads are pickles of our own classes (plain data, such as the IEEE table, uses ``marshal``).
  The cache folder is the user's own, like their Python packages: whoever can write there can already change
  the code schoon runs. The digest protects against truncation and disk corruption, not against someone who
  can write the folder. Set ``SCHOON_CACHE=off`` (or
  point ``SCHOON_CACHE_DIR`` at a private folder) where the cache folder is shared with less trusted users.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from schoon import settings

T = TypeVar("T")
MAGIC = b"schoon-cache 1\n"
CODECS = {"pickle": (pickle.loads, lambda v: pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)),
          "marshal": (marshal.loads, marshal.dumps)}  # marshal: plain data (str, int, tuple, dict) only, fastest
DIGEST_BYTES = 32
KEEP_PER_KIND = 4  # entries of one kind kept (bundled registry, with layers, test fixtures ...)
_OFF = frozenset({"off", "0", "false", "no", "none", "disabled"})


def enabled() -> bool:
    """Whether the cache is on (``SCHOON_CACHE`` is not ``off``)."""
    return settings.get("cache").strip().lower() not in _OFF


def cache_dir() -> Path:
    """The cache folder (``SCHOON_CACHE_DIR``, else the platform's user cache folder for schoon)."""
    configured = settings.get("cache_dir").strip()
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("schoon", appauthor=False))


@cache
def code_digest() -> str:
    """A digest of schoon's version, the Python version and every source file of the package, so that an entry
    built by other code (a new release, a developer's edit) is never loaded."""
    from schoon import __version__

    digest = hashlib.sha256(f"{__version__}|{sys.version}".encode())
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key(*parts: object) -> str:
    """A cache key: the code digest and each part (a ``Path`` counts by its bytes; a missing file as such)."""
    digest = hashlib.sha256(code_digest().encode())
    for part in parts:
        if isinstance(part, Path):
            digest.update(f"|file:{part}|".encode())
            try:
                with part.open("rb") as handle:
                    for block in iter(lambda h=handle: h.read(1 << 20), b""):  # type: ignore[misc]
                        digest.update(block)
            except OSError:
                digest.update(b"<missing>")
        else:
            digest.update(f"|{part!r}".encode())
    return digest.hexdigest()[:32]


def files_key(*parts: object, files: Iterable[Path] = ()) -> str:
    """:func:`key` of ``parts`` followed by the given files' contents."""
    return key(*parts, *files)


def _path(kind: str, entry_key: str, codec: str = "pickle") -> Path:
    return cache_dir() / f"{kind}-{entry_key}.{codec}"


def load(kind: str, entry_key: str, codec: str = "pickle") -> Any | None:
    """The entry stored under ``kind`` and ``entry_key``, or None (absent, corrupt, unreadable, cache off)."""
    if not enabled():
        return None
    path = _path(kind, entry_key, codec)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + DIGEST_BYTES
    if len(data) < head or not data.startswith(MAGIC) or hashlib.sha256(
            memoryview(data)[head:]).digest() != data[len(MAGIC):head]:
        _discard(path)
        return None
    try:
        return CODECS[codec][0](memoryview(data)[head:])
    except Exception:  # a payload that hashes right but does not load (another class layout): rebuild
        _discard(path)
        return None


def store(kind: str, entry_key: str, value: object, keep: int = KEEP_PER_KIND, codec: str = "pickle") -> None:
    """Store ``value`` (atomically: temporary file, then rename); a folder that cannot be written is skipped.
    The ``keep`` most recent entries of ``kind`` are kept."""
    if not enabled():
        return
    folder = cache_dir()
    try:
        payload = CODECS[codec][1](value)
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(MAGIC)
                out.write(hashlib.sha256(payload).digest())
                out.write(payload)
            os.replace(temporary, _path(kind, entry_key, codec))
        except BaseException:
            _discard(Path(temporary))
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError, ValueError):
        return
    _prune(folder, kind, codec, keep)


def cached(kind: str, entry_key: str, build: Callable[[], T], codec: str = "pickle") -> T:
    """The stored entry, else ``build()`` (stored for next time)."""
    found = load(kind, entry_key, codec)
    if found is not None:
        return found  # type: ignore[no-any-return]
    value = build()
    store(kind, entry_key, value, codec=codec)
    return value


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _prune(folder: Path, kind: str, codec: str, keep: int) -> None:
    """Keep the ``keep`` most recently written entries of ``kind``."""
    try:
        entries = sorted(folder.glob(f"{kind}-*.{codec}"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in entries[keep:]:
        _discard(old)


def clear() -> int:
    """Delete every cache entry; returns how many files were removed."""
    removed = 0
    for path in [p for codec in CODECS for p in cache_dir().glob(f"*.{codec}")]:
        _discard(path)
        removed += 1
    return removed
