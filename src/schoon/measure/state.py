"""What a partition remembers of each address: small, combinable per-address states, never raw records.

A :class:`Sighting` is one identified banner reduced to what the measurement needs. Sightings fold into an
:class:`AddressState` per address (the makers its banners name, with the best confidence per port; its device
types, models, serial numbers and MACs; when it was seen; its network). Two states of the same address merge
associatively and commutatively, so partitions can be folded in any order, on any worker, with the same result.
Addresses whose banners name no maker are kept as a bare key (``None`` state): they count as seen, nothing more.
Addresses are spread over buckets by a stable hash (CRC-32), the same in every process.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

OUTSIDE = "~"  # prefix of maker keys outside the registry: "~axis"


@dataclass(frozen=True, slots=True)
class Sighting:
    """One banner of one address, identified: the fields the measurement folds."""

    ip: str
    time: int | None
    port: int
    asn: int | None
    org: str | None
    country: str | None
    maker: str | None  # registry group id, "~name" for a maker outside the registry, None when unknown
    confidence: float
    device_type: str | None
    model: str | None
    identity: str | None  # "serial:..." or "mac:...", proof of one physical device
    flagged: bool


@dataclass(slots=True)
class AddressState:
    """Everything the measurement keeps of one address from its banners that named a maker or a serial/MAC."""

    makers: dict[str, dict[int, float]] = field(default_factory=dict)  # maker → port → best confidence
    types: dict[str, tuple[float, str]] = field(default_factory=dict)  # maker → (confidence, device type)
    models: dict[str, set[str]] = field(default_factory=dict)  # maker → models seen
    flagged: set[str] = field(default_factory=set)  # makers judged flagged under the policy
    identities: set[str] = field(default_factory=set)
    ports: set[int] = field(default_factory=set)
    first: int | None = None
    last: int | None = None
    asn: int | None = None
    org: str | None = None
    country: str | None = None
    seen_at: int = -1  # time of the sighting the network fields came from (-1: untimed)

    def add(self, s: Sighting) -> None:
        """Fold one sighting in."""
        self.ports.add(s.port)
        if s.maker is not None and s.confidence > 0:
            ports = self.makers.setdefault(s.maker, {})
            if s.confidence > ports.get(s.port, 0.0):
                ports[s.port] = s.confidence
            if s.device_type:
                self._type(s.maker, (s.confidence, s.device_type))
            if s.model:
                self.models.setdefault(s.maker, set()).add(s.model)
            if s.flagged:
                self.flagged.add(s.maker)
        if s.identity:
            self.identities.add(s.identity)
        self._seen(s.time, s.asn, s.org, s.country)

    def _seen(self, time: int | None, asn: int | None, org: str | None, country: str | None) -> None:
        if time is not None:
            self.first = time if self.first is None else min(self.first, time)
            self.last = time if self.last is None else max(self.last, time)
        moment = -1 if time is None else time
        newer = moment > self.seen_at or (moment == self.seen_at and (asn or 0, org or "", country or "") >
                                          (self.asn or 0, self.org or "", self.country or ""))
        if newer and (asn is not None or org is not None or country is not None):
            self.asn, self.org, self.country, self.seen_at = asn, org, country, moment

    def merge(self, other: AddressState) -> None:
        """Fold another state of the same address in (order does not matter)."""
        for maker, ports in other.makers.items():
            mine = self.makers.setdefault(maker, {})
            for port, confidence in ports.items():
                if confidence > mine.get(port, 0.0):
                    mine[port] = confidence
        for maker, typed in other.types.items():
            self._type(maker, typed)
        for maker, models in other.models.items():
            self.models.setdefault(maker, set()).update(models)
        self.flagged |= other.flagged
        self.identities |= other.identities
        self.ports |= other.ports
        for moment in (other.first, other.last):
            if moment is not None:
                self.first = moment if self.first is None else min(self.first, moment)
                self.last = moment if self.last is None else max(self.last, moment)
        if other.asn is not None or other.org is not None or other.country is not None:
            self._seen(None if other.seen_at < 0 else other.seen_at, other.asn, other.org, other.country)

    def _type(self, maker: str, typed: tuple[float, str]) -> None:
        """Keep the device type of the most confident sighting (ties: the first name), whatever the order."""
        current = self.types.get(maker)
        if current is None or typed[0] > current[0] or (typed[0] == current[0] and typed[1] < current[1]):
            self.types[maker] = typed

    def device_type(self, maker: str) -> str | None:
        """The device type the maker's most confident banner gave."""
        typed = self.types.get(maker)
        return typed[1] if typed else None

    def confidences(self) -> dict[str, float]:
        """Each maker's confidence over the whole address: its per-port bests combined as independent evidence."""
        out: dict[str, float] = {}
        for maker, ports in self.makers.items():
            remaining = 1.0
            for confidence in ports.values():
                remaining *= 1.0 - confidence
            out[maker] = round(1.0 - remaining, 6)
        return out


Buckets = list[dict[str, AddressState | None]]


def bucket_of(ip: str, buckets: int) -> int:
    """The bucket of an address: a stable hash, the same in every worker process."""
    return zlib.crc32(ip.encode()) % buckets if buckets > 1 else 0


def new_buckets(count: int) -> Buckets:
    """``count`` empty buckets."""
    return [{} for _ in range(count)]


def fold(buckets: Buckets, s: Sighting) -> None:
    """Fold one sighting into its address's state (a bare key when it names no maker and has no identity)."""
    bucket = buckets[bucket_of(s.ip, len(buckets))]
    if s.maker is None and s.identity is None:
        # A banner that names no maker only marks the address as seen; it never touches a state, so that a
        # state is the same whichever partition saw which banner first.
        bucket.setdefault(s.ip, None)
        return
    state = bucket.get(s.ip)
    if state is None:
        state = bucket[s.ip] = AddressState()
    state.add(s)


def merge_into(target: dict[str, AddressState | None], part: dict[str, AddressState | None]) -> None:
    """Merge one partition's bucket into an accumulated bucket of the same number."""
    for ip, state in part.items():
        if state is None:
            target.setdefault(ip, None)
            continue
        mine = target.get(ip)
        if mine is None:
            target[ip] = state
        else:
            mine.merge(state)
