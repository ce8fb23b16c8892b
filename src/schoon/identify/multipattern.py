"""Many regular expressions over one text at once.

A :class:`PatternSet` compiles all rules of one field into a single Hyperscan database when the
``hyperscan`` package is available, and confirms every Hyperscan hit with Python's ``re`` (which also
supplies capture groups). Patterns Hyperscan cannot compile exactly are compiled in its prefilter mode
(a superset), and the few it cannot compile at all are always confirmed with ``re``. Without Hyperscan
the same patterns are tried one at a time with ``re``. Both backends therefore give identical answers:
the set of patterns that ``re.search`` finds; a test checks this on every rule example.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

try:  # Hyperscan wheels exist for x86_64 and aarch64 Linux; elsewhere the re backend serves.
    import hyperscan as _hs
except ImportError:  # pragma: no cover - depends on the platform
    _hs = None  # type: ignore[assignment]

Backend = Literal["hyperscan", "re"]


def hyperscan_available() -> bool:
    """Whether the Hyperscan backend can be used on this machine."""
    return _hs is not None


@dataclass(frozen=True)
class Pattern:
    """One pattern: its regex text and whether it ignores case."""

    regex: str
    ignore_case: bool = True

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.regex, (re.IGNORECASE if self.ignore_case else 0) | re.MULTILINE)


class PatternSet:
    """Find which of many patterns match a text, with their ``re`` match objects."""

    def __init__(self, patterns: Sequence[Pattern], backend: Backend | None = None) -> None:
        self.patterns = list(patterns)
        self._compiled: list[re.Pattern[str] | None] = [None] * len(self.patterns)  # compiled on first use
        wanted: Backend = backend or ("hyperscan" if _hs is not None else "re")
        if wanted == "hyperscan" and _hs is None:
            raise RuntimeError("the hyperscan backend was asked for but the hyperscan package is not installed")
        self.backend: Backend = wanted
        self._always: list[int] = []
        self._db: Any = None
        self._scratch: Any = None
        self._hits: list[int] = []
        self._on_match = self._recorder()
        if wanted == "hyperscan" and self.patterns:
            self._build_hyperscan()

    def _recorder(self) -> Any:
        record = self._hits.append
        return lambda pattern_id, _start, _end, _flags, _context: record(pattern_id)

    # -- pickling (the build cache, schoon.cache): Hyperscan databases travel as hyperscan.dumpb bytes ------

    def __getstate__(self) -> dict[str, Any]:
        return {"patterns": self.patterns, "backend": self.backend, "always": self._always,
                "db": _hs.dumpb(self._db) if self._db is not None and _hs is not None else None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.patterns = state["patterns"]
        self._compiled = [None] * len(self.patterns)
        self.backend = state["backend"]
        self._always = state["always"]
        self._db = self._scratch = None
        if state["db"] is not None:
            if _hs is None:
                raise RuntimeError("a cached Hyperscan database without the hyperscan package")
            self._db = _hs.loadb(state["db"], _hs.HS_MODE_BLOCK)
            self._scratch = _hs.Scratch(self._db)
        self._hits = []
        self._on_match = self._recorder()

    def _build_hyperscan(self) -> None:
        assert _hs is not None
        from schoon import cache

        entry_key = cache.key("hyperscan", _hs_version(), [(p.regex, p.ignore_case) for p in self.patterns])
        found = cache.load("hyperscan", entry_key)
        if found is not None:
            try:  # a database built on another CPU (a shared home folder) does not load: compile it here
                always, blob = found
                self._db = _hs.loadb(blob, _hs.HS_MODE_BLOCK) if blob is not None else None
                self._scratch = _hs.Scratch(self._db) if self._db is not None else None
                self._always = list(always)
                return
            except Exception:
                self._db = self._scratch = None
        self._compile_hyperscan()
        cache.store("hyperscan", entry_key, (self._always, _hs.dumpb(self._db) if self._db is not None else None),
                    keep=64)  # one entry per field's rule set and per registry's model patterns

    def _compile_hyperscan(self) -> None:
        assert _hs is not None
        expressions: list[bytes] = []
        ids: list[int] = []
        flags: list[int] = []
        for index, pattern in enumerate(self.patterns):
            base = _hs.HS_FLAG_SINGLEMATCH | _hs.HS_FLAG_UTF8 | _hs.HS_FLAG_UCP | _hs.HS_FLAG_MULTILINE
            if pattern.ignore_case:
                base |= _hs.HS_FLAG_CASELESS
            chosen = None
            for extra in (0, _hs.HS_FLAG_PREFILTER):
                if _compiles(pattern.regex, base | extra):
                    chosen = base | extra
                    break
            if chosen is None:
                self._always.append(index)
                continue
            expressions.append(pattern.regex.encode("utf-8"))
            ids.append(index)
            flags.append(chosen)
        if expressions:
            self._db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
            self._db.compile(expressions=expressions, ids=ids, elements=len(expressions), flags=flags)
            self._scratch = _hs.Scratch(self._db)

    def search(self, text: str) -> list[tuple[int, re.Match[str]]]:
        """Indices of the patterns that match ``text`` (ascending), each with its ``re`` match."""
        if self.backend == "re" or self._db is None:
            candidates: Sequence[int] = range(len(self.patterns))
        else:
            hits = self._hits  # reused between calls (a PatternSet, like the engine, serves one thread)
            hits.clear()
            self._db.scan(text.encode("utf-8", "surrogatepass"), match_event_handler=self._on_match,
                          scratch=self._scratch)
            if not hits and not self._always:
                return []
            candidates = sorted({*hits, *self._always})
        found: list[tuple[int, re.Match[str]]] = []
        compiled = self._compiled
        for index in candidates:
            regex = compiled[index]
            if regex is None:
                regex = compiled[index] = self.patterns[index].compiled()
            match = regex.search(text)
            if match is not None:
                found.append((index, match))
        return found


def _hs_version() -> str:
    """The Hyperscan build in use (compiled databases are only valid for the same version)."""
    assert _hs is not None
    return str(getattr(_hs, "__version__", "")) + "|" + str(getattr(_hs, "HS_VERSION", ""))


def _compiles(regex: str, flags: int) -> bool:
    assert _hs is not None
    try:
        db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
        db.compile(expressions=[regex.encode("utf-8")], ids=[0], elements=1, flags=[flags])
    except _hs.error:
        return False
    return True
