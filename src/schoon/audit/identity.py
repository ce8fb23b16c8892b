"""Which records are the same physical device: within one snapshot, and across snapshots.

Within a snapshot, records that share an inventory number, a MAC, a serial number, or a (site, IP) pair are
one device (the register line and the scan result of one camera). Across snapshots a device is found again
by MAC, then serial, then inventory number, then (site, IP) if it was last seen within
:data:`IP_WINDOW_DAYS` and no differing MAC says it is another device (addresses are reassigned: a
replacement camera often gets the old one's IP).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from schoon.observation import Observation

IP_WINDOW_DAYS = 90


@dataclass
class Candidate:
    """One device of a snapshot: its records (kind, observation) and its site."""

    records: list[tuple[str, Observation]] = field(default_factory=list)
    site_id: int | None = None

    def kinds(self) -> set[str]:
        """The kinds of source that saw it (register, scan)."""
        return {kind for kind, _ in self.records}

    def first(self, name: str) -> str | None:
        """The first non-empty value of a field, scans before registers (the network says what is there)."""
        for _, obs in sorted(self.records, key=lambda r: r[0] != "scan"):
            value = getattr(obs, name)
            if value:
                return str(value)
        return None


def _keys(obs: Observation, site_id: int | None) -> list[tuple[object, ...]]:
    keys: list[tuple[object, ...]] = []
    if obs.id:
        keys.append(("asset", obs.id.strip()))
    if obs.mac:
        keys.append(("mac", obs.mac))
    if obs.serial:
        keys.append(("serial", obs.serial.strip().upper()))
    if obs.ip:
        keys.append(("ip", site_id, obs.ip.strip()))
    return keys


def group_records(records: Sequence[tuple[str, Observation, int | None]]) -> list[Candidate]:
    """Union the records (kind, observation, site id) that share a MAC, serial or (site, IP)."""
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[object, ...], int] = {}
    for index, (_, obs, site_id) in enumerate(records):
        for key in _keys(obs, site_id):
            if key in owner:
                a, b = find(index), find(owner[key])
                if a != b:
                    parent[a] = b
            else:
                owner[key] = index
    groups: dict[int, Candidate] = {}
    for index, (kind, obs, site_id) in enumerate(records):
        candidate = groups.setdefault(find(index), Candidate())
        candidate.records.append((kind, obs))
        if candidate.site_id is None:
            candidate.site_id = site_id
    return list(groups.values())


def merge(candidate: Candidate) -> Observation:
    """One observation combining a device's records: scans first, then registers; ports joined."""
    ordered = [obs for _, obs in sorted(candidate.records, key=lambda r: r[0] != "scan")]
    merged = Observation(source=ordered[0].source, row=ordered[0].row)
    for obs in ordered:
        for name in obs.__slots__:
            if name in ("source", "row", "extra", "ports"):
                continue
            if getattr(merged, name) is None and getattr(obs, name) is not None:
                setattr(merged, name, getattr(obs, name))
        merged.ports = tuple(sorted({*merged.ports, *obs.ports}))
        for key, value in obs.extra.items():
            merged.extra.setdefault(key, value)
    return merged


@dataclass
class KnownDevices:
    """An organisation's devices as the importer needs them to find one again."""

    by_mac: dict[str, int] = field(default_factory=dict)
    by_serial: dict[str, int] = field(default_factory=dict)
    by_asset: dict[str, int] = field(default_factory=dict)
    by_site_ip: dict[tuple[int | None, str], tuple[int, str, str | None]] = field(default_factory=dict)

    def find(self, merged: Observation, site_id: int | None, taken_on: str) -> int | None:
        """The id of the known device this is, or None."""
        if merged.mac and merged.mac in self.by_mac:
            return self.by_mac[merged.mac]
        if merged.serial and merged.serial.strip().upper() in self.by_serial:
            return self.by_serial[merged.serial.strip().upper()]
        if merged.id and merged.id.strip() in self.by_asset:
            return self.by_asset[merged.id.strip()]
        if merged.ip:
            hit = self.by_site_ip.get((site_id, merged.ip.strip()))
            if hit is not None:
                device_id, last_seen, mac = hit
                window = dt.date.fromisoformat(taken_on) - dt.timedelta(days=IP_WINDOW_DAYS)
                other_card = mac is not None and merged.mac is not None and mac != merged.mac
                if dt.date.fromisoformat(last_seen) >= window and not other_card:
                    return device_id
        return None

    def remember(self, device_id: int, merged: Observation, site_id: int | None, taken_on: str) -> None:
        """Record a device so later records in the same import find it."""
        if merged.mac:
            self.by_mac[merged.mac] = device_id
        if merged.serial:
            self.by_serial[merged.serial.strip().upper()] = device_id
        if merged.id:
            self.by_asset[merged.id.strip()] = device_id
        if merged.ip:
            self.by_site_ip[(site_id, merged.ip.strip())] = (device_id, taken_on, merged.mac)
