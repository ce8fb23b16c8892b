"""The authorised scope: which addresses may be contacted, streamed, never held in memory.

A scope is a set of included IPv4 intervals minus a set of excluded ones. Targets are addresses
(``192.0.2.7``), CIDR blocks (``192.0.2.0/24``), ranges (``192.0.2.10-192.0.2.20`` or ``192.0.2.10-20``) or host
names, which are resolved once, when the scope is built. Every address the program contacts, including the host
of a redirect, an ONVIF ``XAddrs`` or an SSDP ``LOCATION``, passes :meth:`Scope.allows` first.

A scope file (YAML) records who authorised the scan::

    owner: Gemeente Voorbeeld, afdeling I&A
    contact: soc@voorbeeld.nl
    valid_from: 2026-11-01
    valid_until: 2026-12-31
    ranges: [10.20.0.0/16]
    exclude: [10.20.9.0/24]

Targets given on the command line must lie inside the file's ranges; outside its validity the scan is refused.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from schoon.errors import SchoonError

IPV4_MAX = 2**32 - 1


class ScopeError(SchoonError):
    """A target, exclusion or scope file that cannot be used."""


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed interval of IPv4 addresses as integers."""

    first: int
    last: int

    def __len__(self) -> int:
        return self.last - self.first + 1


def _ip(text: str, what: str) -> int:
    try:
        return int(ipaddress.IPv4Address(text.strip()))
    except ValueError:
        raise ScopeError(f"{what}: not an IPv4 address: {text!r}") from None


def _resolve(name: str) -> list[int]:
    """The IPv4 addresses a host name resolves to (one lookup, no retries)."""
    try:
        infos = socket.getaddrinfo(name, None, family=socket.AF_INET, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return sorted({int(ipaddress.IPv4Address(str(info[4][0]))) for info in infos})


def parse_target(text: str, *, resolve: bool = True) -> list[Interval]:
    """Intervals for one target: an address, CIDR, range (``a-b`` or ``a.b.c.d-e``) or host name."""
    item = text.strip()
    if not item:
        raise ScopeError("empty target")
    if ":" in item:
        raise ScopeError(f"target {item!r}: IPv6 is not supported yet")
    if "/" in item:
        try:
            net = ipaddress.IPv4Network(item, strict=False)
        except ValueError:
            raise ScopeError(f"target {item!r}: not a CIDR block") from None
        return [Interval(int(net.network_address), int(net.broadcast_address))]
    if "-" in item and item.replace("-", "").replace(".", "").isdigit():
        left, _, right = item.partition("-")
        first = _ip(left, f"target {item!r}")
        if "." in right:
            last = _ip(right, f"target {item!r}")
        else:
            if not right.isdigit() or int(right) > 255:
                raise ScopeError(f"target {item!r}: range end must be an address or 0..255")
            last = (first & ~0xFF) | int(right)
        if last < first:
            raise ScopeError(f"target {item!r}: range ends before it starts")
        return [Interval(first, last)]
    if item.replace(".", "").isdigit():
        value = _ip(item, f"target {item!r}")
        return [Interval(value, value)]
    if not resolve:
        raise ScopeError(f"target {item!r}: host names are not accepted here")
    addresses = _resolve(item)
    if not addresses:
        raise ScopeError(f"target {item!r}: host name does not resolve to an IPv4 address")
    return [Interval(a, a) for a in addresses]


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for iv in sorted(intervals, key=lambda i: i.first):
        if merged and iv.first <= merged[-1].last + 1:
            merged[-1] = Interval(merged[-1].first, max(merged[-1].last, iv.last))
        else:
            merged.append(iv)
    return merged


def _subtract(include: list[Interval], exclude: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for iv in include:
        pieces = [iv]
        for ex in exclude:
            nxt: list[Interval] = []
            for piece in pieces:
                if ex.last < piece.first or ex.first > piece.last:
                    nxt.append(piece)
                    continue
                if piece.first < ex.first:
                    nxt.append(Interval(piece.first, ex.first - 1))
                if ex.last < piece.last:
                    nxt.append(Interval(ex.last + 1, piece.last))
            pieces = nxt
        out.extend(pieces)
    return out


@dataclass(frozen=True)
class ScopeFile:
    """Who authorised the scan, for which ranges, until when (from a scope YAML file)."""

    path: str
    ranges: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    owner: str | None = None
    contact: str | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def record(self) -> dict[str, str]:
        """The facts recorded with every result."""
        out = {"scope_file": self.path}
        for key in ("owner", "contact", "valid_from", "valid_until"):
            value = getattr(self, key)
            if value is not None:
                out[f"scope_{key}"] = str(value)
        return out

    def check_valid(self, today: dt.date) -> None:
        """Refuse a scan outside the file's validity."""
        if self.valid_from and today < self.valid_from:
            raise ScopeError(f"{self.path}: scope is valid from {self.valid_from}, not yet on {today}")
        if self.valid_until and today > self.valid_until:
            raise ScopeError(f"{self.path}: scope expired on {self.valid_until} (today is {today})")


def _date(value: Any, path: str, key: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ScopeError(f"{path}: {key}: not a date (YYYY-MM-DD): {value!r}") from None


def _strings(value: Any, path: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ScopeError(f"{path}: {key}: expected a list of addresses, CIDR blocks or ranges")
    return tuple(value)


def load_scope_file(path: str | Path) -> ScopeFile:
    """Read a scope YAML file; a missing or malformed file is one clear error."""
    name = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise ScopeError(f"{name}: cannot read scope file: {err.strerror}") from None
    except yaml.YAMLError as err:
        raise ScopeError(f"{name}: not valid YAML: {str(err).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ScopeError(f"{name}: a scope file is a mapping with at least 'ranges'")
    known = {"ranges", "exclude", "owner", "contact", "valid_from", "valid_until"}
    unknown = sorted(set(map(str, data)) - known)
    if unknown:
        raise ScopeError(f"{name}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")
    ranges = _strings(data.get("ranges"), name, "ranges")
    if not ranges:
        raise ScopeError(f"{name}: 'ranges' is required and may not be empty")
    return ScopeFile(name, ranges, _strings(data.get("exclude"), name, "exclude"),
                     str(data["owner"]) if data.get("owner") else None,
                     str(data["contact"]) if data.get("contact") else None,
                     _date(data.get("valid_from"), name, "valid_from"),
                     _date(data.get("valid_until"), name, "valid_until"))


@dataclass
class Scope:
    """Included intervals minus excluded ones; the single gate every contact passes."""

    intervals: list[Interval]
    file: ScopeFile | None = None
    _firsts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.intervals = _merge(self.intervals)
        self._firsts = [iv.first for iv in self.intervals]

    @classmethod
    def build(cls, targets: Iterable[str], exclude: Iterable[str] = (), file: ScopeFile | None = None,
              today: dt.date | None = None) -> Scope:
        """The scope of ``targets`` minus ``exclude`` (and the file's exclusions), inside the file's ranges."""
        include = [iv for t in targets for iv in parse_target(t)]
        if not include and file is None:
            raise ScopeError("no targets given")
        excluded = [iv for t in exclude for iv in parse_target(t)]
        if file is not None:
            file.check_valid(today or dt.date.today())
            allowed = _merge(iv for t in file.ranges for iv in parse_target(t, resolve=False))
            excluded += [iv for t in file.exclude for iv in parse_target(t, resolve=False)]
            if not include:
                include = list(allowed)
            for target, iv in ((t, iv) for t in targets for iv in parse_target(t)):
                if not any(a.first <= iv.first and iv.last <= a.last for a in allowed):
                    raise ScopeError(f"target {target!r} lies outside the ranges of {file.path}")
        return cls(_subtract(_merge(include), _merge(excluded)), file)

    def allows(self, address: str) -> bool:
        """True when ``address`` (an IPv4 literal) is inside the scope."""
        try:
            value = int(ipaddress.IPv4Address(address))
        except ValueError:
            return False
        lo, hi = 0, len(self._firsts)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._firsts[mid] <= value:
                lo = mid + 1
            else:
                hi = mid
        return lo > 0 and value <= self.intervals[lo - 1].last

    def size(self) -> int:
        """How many addresses the scope holds."""
        return sum(len(iv) for iv in self.intervals)

    def __iter__(self) -> Iterator[str]:
        """Addresses in ascending order, generated one at a time."""
        for iv in self.intervals:
            for value in range(iv.first, iv.last + 1):
                yield str(ipaddress.IPv4Address(value))
