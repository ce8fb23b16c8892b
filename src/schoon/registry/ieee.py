"""The IEEE MAC address registry: which organisation an address block is assigned to.

The MA-L (24-bit) assignments ship with the ``aiooui`` package and are read through its public API
(``aiooui.async_load`` once, then ``aiooui.get_vendor``), never through its data file. A user with fresher
data, or who needs the MA-M (28-bit) and MA-S (36-bit) blocks, downloads IEEE's own CSV files (``oui.csv``,
``mam.csv``, ``oui36.csv``) and installs them with ``schoon registry update-ieee``; they are read from
``<data_dir>/ieee/`` and take precedence over the shipped data.
"""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from schoon import settings
from schoon.errors import DataError

IEEE_CSV_URLS = {
    "oui.csv": "https://standards-oui.ieee.org/oui/oui.csv",
    "mam.csv": "https://standards-oui.ieee.org/oui28/mam.csv",
    "oui36.csv": "https://standards-oui.ieee.org/oui36/oui36.csv",
}
_HEX = re.compile(r"[^0-9A-Fa-f]")
_SEPARATORS = re.compile(r"[\s:.\-]")
_TWELVE_HEX = re.compile(r"^[0-9A-F]{12}$")


@dataclass(frozen=True)
class Assignment:
    """One IEEE block: its prefix in hex (6, 7 or 9 digits) and the assignee's name."""

    prefix: str
    assignee: str


def mac_hex(mac: str) -> str | None:
    """Twelve upper-case hex digits of a MAC in any common notation, or None if it is not one."""
    digits = _SEPARATORS.sub("", mac).upper()
    return digits if _TWELVE_HEX.match(digits) else None


def _aiooui_lookup() -> Callable[[str], str | None]:
    """aiooui's public MA-L lookup, its data loaded once (in a worker thread, so that it also works when the
    caller already runs an event loop, as the web app does)."""
    import asyncio  # imported here: a run that looks up no MAC address does not pay for asyncio and aiooui
    from concurrent.futures import ThreadPoolExecutor

    import aiooui

    if not aiooui.is_loaded():
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, aiooui.async_load()).result()
    return aiooui.get_vendor


def _shipped_vendor(prefix: str) -> str | None:
    """aiooui's lookup of a 24-bit prefix, its data loaded on the first address looked up."""
    return _aiooui_lookup()(prefix)


def read_ieee_csv(path: Path) -> dict[str, str]:
    """Assignments from one of IEEE's CSV files (columns Registry, Assignment, Organization Name, ...)."""
    out: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "Assignment" not in reader.fieldnames:
                raise DataError("not an IEEE registry CSV (no 'Assignment' column)", file=str(path), line=1)
            for row_number, row in enumerate(reader, start=2):
                prefix = _HEX.sub("", row.get("Assignment") or "").upper()
                name = (row.get("Organization Name") or "").strip()
                if len(prefix) not in (6, 7, 9) or not name:
                    raise DataError(f"bad assignment {row.get('Assignment')!r}", file=str(path),
                                    line=row_number, field="Assignment")
                out[prefix] = name
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read: {exc}", file=str(path)) from None
    return out


class IeeeRegistry:
    """Look up the IEEE assignee of a MAC address, longest block first (MA-S, MA-M, MA-L).

    ``assignments`` are explicit blocks (from IEEE's CSV files, or a test's own); ``fallback`` answers for a
    24-bit prefix (six hex digits) the explicit blocks do not cover: the shipped package's public lookup.
    """

    def __init__(self, assignments: dict[str, str], fallback: Callable[[str], str | None] | None = None) -> None:
        self._by_prefix = assignments
        self._fallback = fallback

    @classmethod
    def shipped(cls) -> IeeeRegistry:
        """The MA-L data shipped with aiooui (its public API) overlaid with any IEEE CSV files the user installed."""
        return cls(dict(_installed_assignments()), _shipped_vendor)

    def __len__(self) -> int:
        """The number of explicit blocks (IEEE CSV files); the shipped package's blocks are not enumerable."""
        return len(self._by_prefix)

    def lookup(self, mac: str) -> Assignment | None:
        """The block ``mac`` (12 hex digits or any notation) falls in, or None."""
        digits = mac_hex(mac)
        if digits is None:
            return None
        for width in (9, 7, 6):
            name = self._by_prefix.get(digits[:width])
            if name is not None:
                return Assignment(digits[:width], name)
        if self._fallback is not None:
            name = self._fallback(digits[:6])
            if name:
                return Assignment(digits[:6], name)
        return None

    def long_prefixes(self) -> list[str]:
        """The MA-M and MA-S prefixes (7 and 9 hex digits) in the data."""
        return [p for p in self._by_prefix if len(p) > 6]

    def assignees(self) -> dict[str, str]:
        """Every explicit prefix and its assignee (a copy; the shipped package's blocks are looked up only)."""
        return dict(self._by_prefix)


@cache
def _installed_assignments() -> tuple[tuple[str, str], ...]:
    """The blocks of the IEEE CSV files the user installed (``<data_dir>/ieee/``), MA-L, MA-M and MA-S."""
    merged: dict[str, str] = {}
    user_dir = settings.data_dir() / "ieee"
    for name in ("oui.csv", "mam.csv", "oui36.csv"):
        path = user_dir / name
        if path.exists():
            merged.update(read_ieee_csv(path))
    return tuple(merged.items())


@dataclass(frozen=True)
class Installed:
    """One IEEE file installed: which registry (MA-L, MA-M, MA-S), how many blocks, where."""

    kind: str
    assignments: int
    path: Path


def install(paths: list[Path]) -> list[Installed]:
    """Check each IEEE CSV file whole, then install them under ``<data_dir>/ieee/``; nothing on any error."""
    checked: list[tuple[Path, str, int]] = []
    for path in paths:
        rows = read_ieee_csv(path)
        widths = {len(p) for p in rows}
        kind = "oui36.csv" if widths == {9} else "mam.csv" if widths == {7} else "oui.csv"
        checked.append((path, kind, len(rows)))
    target = settings.data_dir() / "ieee"
    target.mkdir(parents=True, exist_ok=True)
    installed = []
    for path, kind, count in checked:
        temporary = target / f".{kind}.new"
        shutil.copyfile(path, temporary)
        temporary.replace(target / kind)
        installed.append(Installed(kind, count, target / kind))
    _installed_assignments.cache_clear()
    return installed


def download(folder: Path, base_url: str | None = None, timeout: float = 60.0) -> list[Path]:
    """Fetch IEEE's MA-L, MA-M and MA-S CSV files into ``folder`` (``base_url`` replaces IEEE's addresses,
    for a mirror); a failed fetch is one DataError naming the address."""
    import urllib.request  # here: importing it (http, email, ssl) costs every run about 40 ms of start-up

    fetched = []
    for name, url in IEEE_CSV_URLS.items():
        address = f"{base_url.rstrip('/')}/{name}" if base_url else url
        target = folder / name
        try:
            with urllib.request.urlopen(address, timeout=timeout) as response, target.open("wb") as out:
                shutil.copyfileobj(response, out)
        except (OSError, ValueError) as exc:
            raise DataError(f"cannot download: {exc}", file=address) from None
        fetched.append(target)
    return fetched
