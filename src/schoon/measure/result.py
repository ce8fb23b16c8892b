"""The published result: a JSON-ready dict (the contract in DESIGN.md), with small cells suppressed.

Top level: ``records``, ``devices``, ``by_group`` (``[{group_id, name, devices, flagged}]``), ``by_sector``
(``[{sector, group_id, devices}]``), ``by_institution``, ``by_municipality``, ``by_device_type``, ``by_asn``,
``by_country``, ``excluded`` (``[{reason, count, unit}]``), ``caveats``, ``window``, ``change`` (with
``--previous``), and ``per_address`` only when asked. Lists are sorted by count (largest first), then by name.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from schoon.errors import DataError
from schoon.measure import caveats
from schoon.measure.devices import day
from schoon.measure.execute import Totals
from schoon.measure.privacy import MIN_CELL, PER_ADDRESS_NOTICE, cell, difference
from schoon.measure.window import Window

SCHEMA = "schoon.measure/1"


def build(totals: Totals, window: Window, *, names: Callable[[str], str] | None = None,
          previous: dict[str, Any] | None = None, per_address: bool = False,
          prefixes: str | None = None) -> dict[str, Any]:
    """The result of a run as published."""
    counts = totals.counts
    name = names or (lambda group: group)
    by_group = [{"group_id": group, "name": name(group), "devices": cell(n), "flagged": group in counts.flagged_groups}
                for group, n in _ordered(counts.by_group)]
    out: dict[str, Any] = {
        "schema": SCHEMA,
        "records": totals.records,
        "devices": cell(counts.devices),
        "addresses": counts.tally["addresses"],
        "identified_records": totals.identified_records,
        "window": window.describe(),
        "prefix_table": prefixes,
        "by_group": by_group,
        "by_sector": _pairs(counts.by_sector, "sector", "group_id"),
        "by_institution": _pairs(counts.by_institution, "institution", "group_id"),
        "by_municipality": _pairs(counts.by_municipality, "municipality", "group_id"),
        "by_device_type": [{"group_id": g, "device_type": t or None, "devices": cell(n)}
                           for (g, t), n in _ordered(counts.by_device_type)],
        "by_asn": [{"asn": asn, "org": counts.asn_names.get(asn), "group_id": g, "devices": cell(n)}
                   for (asn, g), n in _ordered(counts.by_asn)],
        "by_country": _pairs(counts.by_country, "country", "group_id"),
        "excluded": _excluded(totals, window),
        "caveats": caveats.compute(totals, bounded=window.bounded),
        "privacy": {"min_cell": MIN_CELL, "small_cells": "<5", "per_address": per_address},
        "execution": {"mode": totals.execution, "partitions": totals.partitions, "files": totals.files},
    }
    if previous is not None:
        out["change"] = change(out, previous)
    if per_address:
        out["per_address_notice"] = PER_ADDRESS_NOTICE
        out["per_address"] = [
            {"ip": d.ip, "group_id": d.group_id, "device_type": d.device_type, "ports": list(d.ports),
             "first_seen": day(d.first), "last_seen": day(d.last), "asn": d.asn, "org": d.org,
             "sector": where.sector if where else None, "institution": where.institution if where else None,
             "municipality": where.municipality if where else None}
            for d, where in totals.listed]
    return out


def _ordered(counter: Counter[Any]) -> list[tuple[Any, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], _sort_key(item[0])))


def _sort_key(key: Hashable) -> tuple[str, ...]:
    return tuple(str(part) for part in key) if isinstance(key, tuple) else (str(key),)


def _pairs(counter: Counter[tuple[str, str]], first: str, second: str) -> list[dict[str, Any]]:
    return [{first: a, second: b, "devices": cell(n)} for (a, b), n in _ordered(counter)]


def _excluded(totals: Totals, window: Window) -> list[dict[str, Any]]:
    items = [
        {"reason": "unreadable", "count": totals.reject_count, "unit": "lines",
         "detail": "lines that are not a record of the format (listed on standard error)"},
        {"reason": "outside_window", "count": totals.outside_window, "unit": "records",
         "detail": "records dated outside --since/--until"},
        {"reason": "no_time", "count": totals.untimed_excluded, "unit": "records",
         "detail": "records without a time, left out because a window was given"},
        {"reason": "honeypot_suspect", "count": totals.counts.tally["honeypot_suspects"], "unit": "addresses",
         "detail": "addresses claiming several makers at once"},
    ]
    if not window.bounded:
        items = [item for item in items if item["reason"] not in ("outside_window", "no_time")]
    return items


def load_previous(path: str | Path) -> dict[str, Any]:
    """An earlier run's JSON output, for ``--previous``; DataError when it is not one."""
    name = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("file not found", file=name) from None
    except (OSError, UnicodeDecodeError) as err:
        raise DataError(f"cannot read: {err}", file=name) from None
    except json.JSONDecodeError as err:
        raise DataError(f"not valid JSON: {err.msg}", file=name, line=err.lineno) from None
    if not isinstance(data, dict) or not isinstance(data.get("by_group"), list) or "devices" not in data:
        raise DataError("not the JSON output of schoon measure (no by_group / devices)", file=name)
    data["_file"] = name
    return data


def change(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """Devices per group now and in the earlier run, and the difference (None where a cell is suppressed)."""
    before = {str(item.get("group_id")): item.get("devices") for item in previous["by_group"]
              if isinstance(item, dict)}
    now = {item["group_id"]: item["devices"] for item in current["by_group"]}
    groups = sorted(set(before) | set(now))
    rows = []
    for group in groups:
        was = before.get(group, 0)
        is_ = now.get(group, 0)
        rows.append({"group_id": group, "devices": is_, "previous": was, "change": difference(is_, was)})
    return {
        "previous_file": previous.get("_file"),
        "previous_window": previous.get("window"),
        "devices": current["devices"], "previous_devices": previous.get("devices"),
        "devices_change": difference(current["devices"], previous.get("devices")),
        "by_group": rows,
    }
