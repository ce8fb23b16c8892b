"""Flat and nested exports of the registry (CSV rows, JSON document)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from schoon.csvout import CsvDialect, CsvWriter
from schoon.registry.registry import Registry

CSV_COLUMNS = ("id", "name", "kind", "group", "parent", "country", "aliases", "relabels", "lists",
               "evidence", "confidence", "sources", "note")


def entity_rows(registry: Registry) -> Iterator[dict[str, str]]:
    """One flat row per entity, multi-valued cells joined with '; '."""
    for entity in registry.entities.values():
        yield {
            "id": entity.id,
            "name": entity.name,
            "kind": entity.kind,
            "group": registry.group_of(entity.id),
            "parent": entity.parent or "",
            "country": entity.country or "",
            "aliases": "; ".join(a.name for a in entity.aliases),
            "relabels": "; ".join(f"{r.maker} ({r.confidence})" for r in entity.relabels),
            "lists": "; ".join(sorted({li.list for li in registry.listings_of(entity.id)})),
            "evidence": "; ".join(e.id for e in registry.evidence_of(entity.id)),
            "confidence": entity.confidence,
            "sources": "; ".join(registry.source(k).url or registry.source(k).title for k in entity.sources),
            "note": entity.note or "",
        }


def write_csv(registry: Registry, out: IO[str], dialect: CsvDialect | str = CsvDialect.standard) -> int:
    """Write one CSV row per entity (text safe from formulas, :class:`schoon.csvout.CsvWriter`); return the
    number of rows."""
    writer = CsvWriter(out, dialect)
    writer.row(CSV_COLUMNS)
    count = 0
    for row in entity_rows(registry):
        writer.row([row[c] for c in CSV_COLUMNS])
        count += 1
    return count


def registry_document(registry: Registry) -> dict[str, Any]:
    """The whole registry as one JSON-ready document."""
    return {
        "version": registry.version,
        "lists": [d.model_dump(mode="json") for d in registry.lists.values()],
        "entities": [
            {**e.model_dump(mode="json", exclude_defaults=True), "group": registry.group_of(e.id)}
            for e in registry.entities.values()
        ],
        "listings": [li.model_dump(mode="json", exclude_none=True) for li in registry.listings],
        "evidence": [ev.model_dump(mode="json") for ev in registry.evidence],
        "false_friends": [ff.model_dump(mode="json") for ff in registry.false_friends],
        "sources": {k: s.model_dump(mode="json", exclude_none=True) for k, s in registry.sources.items()},
    }


def write_json(registry: Registry, out: IO[str]) -> int:
    """Write the registry document; return the number of entities."""
    json.dump(registry_document(registry), out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(registry.entities)
