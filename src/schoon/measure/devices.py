"""From address states to devices, and from devices to counts that add up across buckets.

One address is one device, merged across its ports and banners, with these rules (see ``docs/measure.md``):

- its makers' confidences are combined per maker over the address's ports; a maker counts at
  :data:`~schoon.identify.FLAG_THRESHOLD` or above;
- an address claiming two or more registry groups, or three or more makers in all, is a **honeypot suspect**:
  excluded and counted;
- an address with a registry group is a device of that group; one whose banners show two or more serial
  numbers / MACs, or two or more models of its group, is a **NAT** address (counted once; the caveat counts
  the devices seen behind it);
- a device with exactly one serial number or MAC is held back, so that the same serial or MAC at several
  addresses (a device that moved, e.g. after a new DHCP lease) is counted once, at the address seen last.

:class:`Counts` are plain counters that add: the counts of all buckets together equal the counts of the whole.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from schoon.identify import FLAG_THRESHOLD
from schoon.measure.prefixes import Attribution, PrefixTable
from schoon.measure.state import OUTSIDE, AddressState

HONEYPOT_GROUPS = 2
HONEYPOT_MAKERS = 3
DAY = 86_400


@dataclass(frozen=True, slots=True)
class Device:
    """One counted device: its group and type, where it was seen, and when."""

    ip: str
    group_id: str
    device_type: str | None
    flagged: bool
    asn: int | None
    org: str | None
    country: str | None
    first: int | None
    last: int | None
    ports: tuple[int, ...]
    identity: str | None = None


@dataclass
class Counts:
    """Device counts by every dimension the output shows, plus the tallies behind the caveats; they add."""

    devices: int = 0
    by_group: Counter[str] = field(default_factory=Counter)
    by_sector: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_institution: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_municipality: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_device_type: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_asn: Counter[tuple[int, str]] = field(default_factory=Counter)
    by_country: Counter[tuple[str, str]] = field(default_factory=Counter)
    asn_names: dict[int, str] = field(default_factory=dict)
    flagged_groups: set[str] = field(default_factory=set)
    tally: Counter[str] = field(default_factory=Counter)

    def add(self, device: Device, where: Attribution | None) -> None:
        """Count one device, attributed by the prefix table (``where``) or else by its AS."""
        group = device.group_id
        self.devices += 1
        self.by_group[group] += 1
        if device.flagged:
            self.flagged_groups.add(group)
        self.by_device_type[(group, device.device_type or "")] += 1
        if device.asn is not None:
            self.by_asn[(device.asn, group)] += 1
            if device.org and (device.asn not in self.asn_names or device.org < self.asn_names[device.asn]):
                self.asn_names[device.asn] = device.org
        if device.country:
            self.by_country[(device.country, group)] += 1
        if where is not None:
            self.tally["attributed_by_prefix"] += 1
            if where.sector:
                self.by_sector[(where.sector, group)] += 1
            if where.institution:
                self.by_institution[(where.institution, group)] += 1
            if where.municipality:
                self.by_municipality[(where.municipality, group)] += 1
        if device.first is None:
            self.tally["devices_without_time"] += 1
        elif device.last is not None and device.first // DAY == device.last // DAY:
            self.tally["devices_seen_one_day"] += 1

    def merge(self, other: Counts) -> None:
        """Add another bucket's counts."""
        self.devices += other.devices
        for name in ("by_group", "by_sector", "by_institution", "by_municipality", "by_device_type", "by_asn",
                     "by_country", "tally"):
            getattr(self, name).update(getattr(other, name))
        for asn, org in other.asn_names.items():
            if asn not in self.asn_names or org < self.asn_names[asn]:
                self.asn_names[asn] = org
        self.flagged_groups |= other.flagged_groups


@dataclass
class BucketResult:
    """What one bucket gives the final step: its counts, devices held back by identity, and per-address rows."""

    counts: Counts
    held: list[Device]
    listed: list[tuple[Device, Attribution | None]]


def classify(bucket: dict[str, AddressState | None], table: PrefixTable | None, *,
             per_address: bool) -> BucketResult:
    """Turn one bucket's address states into devices and count them (identity-bearing ones are held back)."""
    counts = Counts()
    held: list[Device] = []
    listed: list[tuple[Device, Attribution | None]] = []
    tally = counts.tally
    for ip, state in bucket.items():
        tally["addresses"] += 1
        if state is None:
            continue
        strong = {maker: conf for maker, conf in state.confidences().items() if conf >= FLAG_THRESHOLD}
        groups = sorted(maker for maker in strong if not maker.startswith(OUTSIDE))
        if len(groups) >= HONEYPOT_GROUPS or len(strong) >= HONEYPOT_MAKERS:
            tally["honeypot_suspects"] += 1
            continue
        if not groups:
            if strong:
                tally["other_maker_devices"] += 1
            continue
        group = groups[0]
        models = state.models.get(group, set())
        if len(state.identities) >= 2 or len(models) >= 2:
            tally["nat_addresses"] += 1
            tally["nat_devices_behind"] += max(len(state.identities), len(models))
        identity = next(iter(state.identities)) if len(state.identities) == 1 and len(models) <= 1 else None
        device = Device(ip, group, state.device_type(group), group in state.flagged, state.asn, state.org,
                        state.country, state.first, state.last, tuple(sorted(state.ports)), identity)
        if identity is not None:
            held.append(device)
            continue
        where = table.lookup(ip) if table is not None else None
        counts.add(device, where)
        if per_address:
            listed.append((device, where))
    return BucketResult(counts, held, listed)


def settle_moved(held: Iterable[Device], table: PrefixTable | None, counts: Counts, *,
                 per_address: bool) -> list[tuple[Device, Attribution | None]]:
    """Count the held-back devices once per serial/MAC, at the address seen last; tally the moves."""
    by_identity: dict[str, list[Device]] = {}
    for device in held:
        assert device.identity is not None
        by_identity.setdefault(device.identity, []).append(device)
    listed: list[tuple[Device, Attribution | None]] = []
    for identity in sorted(by_identity):
        sightings = by_identity[identity]
        latest = max(sightings, key=lambda d: (d.last if d.last is not None else -1, d.ip))
        if len(sightings) > 1:
            counts.tally["moved_devices"] += 1
            counts.tally["moved_addresses_merged"] += len(sightings) - 1
            first = [d.first for d in sightings if d.first is not None]
            latest = Device(latest.ip, latest.group_id, latest.device_type, any(d.flagged for d in sightings),
                            latest.asn, latest.org, latest.country, min(first) if first else None, latest.last,
                            latest.ports, identity)
        where = table.lookup(latest.ip) if table is not None else None
        counts.add(latest, where)
        if per_address:
            listed.append((latest, where))
    return listed


def day(moment: int | None) -> str | None:
    """A time as its UTC date."""
    return None if moment is None else dt.datetime.fromtimestamp(moment, dt.UTC).date().isoformat()
