"""Findings as records for output (the JSON-lines contract of DESIGN.md), CSV rows, and a summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from schoon.identify.engine import Finding

CSV_COLUMNS = ("id", "verdict", "manufacturer_id", "group_id", "manufacturer", "brand", "relabel", "model",
               "device_type", "confidence", "listings", "reason", "evidence", "source", "row", "ip", "mac",
               "hostname", "site")
REJECT_COLUMNS = ("source", "row", "message", "raw")
CsvCell = str | int | float | None


def record_id(finding: Finding) -> str:
    """The input's own id; else the record's address (IP, else MAC: a scanned host is named by its address);
    else ``file:row`` (file name without its folder)."""
    obs = finding.identification.observation
    if obs.id:
        return obs.id
    if obs.ip or obs.mac:
        return str(obs.ip or obs.mac)
    source = PurePath(obs.source).name if obs.source else "-"
    return f"{source}:{obs.row if obs.row is not None else '?'}"


def short_reason(finding: Finding) -> str:
    """The reason in a few words, for tables: the first ground and how many more."""
    if finding.verdict != "flagged" or finding.decision is None:
        return finding.reason
    grounds = list(dict.fromkeys(b.reference if b.kind == "listing" else "human-rights evidence"
                                 for b in finding.decision.basis))
    more = f" +{len(grounds) - 1}" if len(grounds) > 1 else ""
    return f"{grounds[0]}{more}" if grounds else finding.reason


def finding_record(finding: Finding) -> dict[str, Any]:
    """One finding as the ``schoon identify --format jsonl`` object (contract fields first)."""
    ident = finding.identification
    obs = ident.observation
    return {
        "id": record_id(finding),
        "manufacturer_id": ident.manufacturer_id,
        "group_id": ident.group_id,
        "brand": ident.brand,
        "model": ident.model,
        "device_type": ident.device_type,
        "confidence": ident.confidence,
        "verdict": finding.verdict,
        "listings": finding.listings,
        "evidence": [
            {"signal": s.signal, "field": s.field, "value": s.value, "points_to": s.points_to or s.maker,
             "weight": s.weight, "detail": s.detail, "role": s.role}
            for s in ident.evidence()
        ],
        "manufacturer": ident.manufacturer,
        "relabel": ident.relabel,
        "firmware": ident.firmware,
        "policy": finding.policy_id,
        "reason": finding.reason,
        "basis": list(finding.basis),
        "conflicts": list(ident.conflicts),
        "source": obs.source,
        "row": obs.row,
        "input": {**obs.to_dict(), **obs.extra},
    }


def finding_row(finding: Finding) -> list[CsvCell]:
    """One finding as a flat CSV row in :data:`CSV_COLUMNS` order: text, and numbers (confidence, source row)
    as numbers, so a CSV dialect can write them its way (:class:`schoon.csvout.CsvWriter`)."""
    record = finding_record(finding)
    obs = finding.identification.observation
    values: dict[str, Any] = {
        **record,
        "listings": "; ".join(record["listings"]),
        "evidence": " | ".join(e["detail"] for e in record["evidence"] if e["weight"] > 0),
        "relabel": str(record["relabel"]),
        "ip": obs.ip, "mac": obs.mac, "hostname": obs.hostname, "site": obs.site,
    }
    return [_cell(values[k]) for k in CSV_COLUMNS]


def _cell(value: Any) -> CsvCell:
    if value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return str(value)


def explain(finding: Finding) -> list[str]:
    """The evidence chain in plain words, one line each."""
    ident = finding.identification
    lines = [f"{record_id(finding)}: {finding.verdict.upper()}: {finding.reason}"]
    if ident.brand:
        lines.append(f"  label: {ident.brand}" + (" (a relabel: the evidence names another maker)"
                                                   if ident.relabel else ""))
    for sig in ident.evidence():
        if sig.weight > 0:
            lines.append(f"  + {sig.detail} [weight {sig.weight:.2f}]")
    for sig in ident.signals:
        if sig.weight == 0 and sig.role == "maker":
            lines.append(f"  · {sig.detail}")
    for conflict in ident.conflicts:
        lines.append(f"  ! {conflict}")
    for basis in finding.basis:
        lines.append(f"  basis: {basis}")
    lines.append(f"  confidence {ident.confidence:.2f}; policy {finding.policy_id}")
    return lines


@dataclass
class Summary:
    """Counts over a run: records, verdicts, flagged by group and by device type, rejects."""

    records: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    flagged_by_group: Counter[str] = field(default_factory=Counter)
    flagged_by_type: Counter[str] = field(default_factory=Counter)
    relabels: int = 0
    rejects: int = 0

    def add(self, finding: Finding) -> None:
        ident = finding.identification
        self.count(finding.verdict, ident.group_id, ident.device_type, ident.relabel)

    def count(self, verdict: str, group_id: str | None, device_type: str | None, relabel: bool) -> None:
        """Count one finding from its parts (what a worker process sends back, see ``identify.parallel``)."""
        self.records += 1
        self.verdicts[verdict] += 1
        if verdict == "flagged":
            self.flagged_by_group[group_id or "?"] += 1
            self.flagged_by_type[device_type or "unknown type"] += 1
        if relabel:
            self.relabels += 1

    def lines(self) -> list[str]:
        """The summary in a few lines."""
        out = [f"{self.records} records: {self.verdicts['flagged']} flagged, {self.verdicts['clear']} clear, "
               f"{self.verdicts['unknown']} unknown; {self.relabels} relabels; {self.rejects} rejected"]
        if self.flagged_by_group:
            out.append("flagged by group: " + ", ".join(f"{g} {n}" for g, n in self.flagged_by_group.most_common()))
            out.append("flagged by device type: "
                       + ", ".join(f"{t} {n}" for t, n in self.flagged_by_type.most_common()))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"records": self.records, "verdicts": dict(self.verdicts), "relabels": self.relabels,
                "rejects": self.rejects, "flagged_by_group": dict(self.flagged_by_group),
                "flagged_by_type": dict(self.flagged_by_type)}
