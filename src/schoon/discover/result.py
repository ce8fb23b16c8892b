"""What probing one host found, and how it becomes a canonical Observation."""

from __future__ import annotations

from dataclasses import dataclass, field

from schoon.observation import Observation, ObservationError


@dataclass
class HostResult:
    """Fields found on one host; the first value found for a field is kept (probes run in port order)."""

    address: str
    ports: set[int] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    protocols: set[str] = field(default_factory=set)

    def add(self, name: str, value: object) -> None:
        """Record ``value`` for canonical field ``name`` unless empty or already known."""
        if value is None:
            return
        text = str(value).replace("\x00", "").strip()
        if text and name not in self.fields:
            self.fields[name] = text

    def note(self, key: str, value: object) -> None:
        """Record a non-canonical fact (kept in the output as an extra key)."""
        text = str(value).replace("\x00", "").strip() if value is not None else ""
        if text and key not in self.extra:
            self.extra[key] = text[:4096]

    @property
    def responsive(self) -> bool:
        """True when any port was open or any protocol answered."""
        return bool(self.ports or self.protocols)

    def observation(self, extra: dict[str, str] | None = None) -> Observation:
        """The canonical Observation (``id`` = address); a value that cannot be normalised is left out and named."""
        good: dict[str, object] = {"id": self.address, "ip": self.address, "ports": sorted(self.ports)}
        dropped: list[str] = []
        for name in sorted(self.fields):
            try:
                Observation.from_mapping({name: self.fields[name]})
            except ObservationError:
                dropped.append(name)
                continue
            good[name] = self.fields[name]
        notes = dict(sorted(self.extra.items()))
        notes["protocols"] = ",".join(sorted(self.protocols))
        if dropped:
            notes["unusable_fields"] = ",".join(dropped)
        notes.update(extra or {})
        return Observation.from_mapping(good, source="discover", extra=notes)
