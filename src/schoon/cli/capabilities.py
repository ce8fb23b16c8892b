"""``schoon capabilities FILE...`` (classify capability documents) and ``schoon audit capabilities`` (store them).

Thin: reading, classifying, matching and storing live in :mod:`schoon.capabilities` and
:mod:`schoon.audit.capabilities`.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from schoon.cli.options import db_option
from schoon.cli.output import DataTable, console, say, warn


class CapFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


def capabilities(
    files: list[Path] = typer.Argument(..., metavar="DOCUMENT",
                                       help="Capability documents, or folders of them (with manifest.csv)."),
    fmt: CapFormat = typer.Option(CapFormat.table, "--format", "-f",
                                  help="table (TSV when the output is not a terminal), json or jsonl."),
) -> None:
    """Classify capability documents (Hikvision ISAPI XML, Dahua exports) into face and people-analytics findings.

    The findings: face detection, face recognition, people attributes, ethnicity or skin colour, crowd counting,
    each with its evidence (document, field, value, line, meaning and its source).

    Example: schoon capabilities exports/ cam-0012-system.xml
    """
    from schoon.capabilities import classify_files

    results = classify_files(files)
    records = [{"document": r.document, "document_kind": r.document_kind, "vendor": r.vendor,
                "capabilities": r.capabilities, "summary": r.summary(),
                "findings": [f.to_dict() for f in r.findings], "notes": r.notes} for r in results]
    if fmt is CapFormat.json:
        console.file.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is CapFormat.jsonl:
        for record in records:
            console.file.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    table = DataTable("document", "capability", "field", "value", "line", "meaning")
    for result in results:
        if not result.findings:
            table.add_row(result.document, "-", "-", "-", "-", result.summary())
        for f in result.findings:
            table.add_row(f.document, f.capability, f.field, f.value, "-" if f.line is None else str(f.line),
                          f.meaning + ("" if f.verified else " (not verified)"))
    table.show()
    for result in results:
        warn(f"{result.document}: {result.summary()}")


def audit_capabilities(
    paths: list[Path] = typer.Argument(..., metavar="DOCUMENT",
                                       help="Capability documents, or folders of them (with manifest.csv)."),
    org: str = typer.Option(..., "--org", metavar="ORG", help="Organisation id."),
    snapshot: int = typer.Option(None, "--snapshot", metavar="ID",
                                 help="Attach to this snapshot (default: the organisation's latest)."),
    db: str = db_option(),
) -> None:
    """Import capability documents of an organisation's devices (ISAPI XML, Dahua exports): classified, matched
    to devices by manifest, serial, MAC or file name, and stored with the snapshot; all or nothing.

    Example: schoon audit capabilities exports/ --org mvz
    """
    from schoon.audit.capabilities import import_capabilities
    from schoon.audit.store import Store
    from schoon.settings import check_db_url

    result = import_capabilities(Store.open(check_db_url(db)), org, paths, snapshot_id=snapshot)
    counted = ", ".join(f"{k} {v}" for k, v in result.by_capability.items()) or "none"
    say(f"snapshot {result.snapshot_id} of {org}: {result.documents} capability documents, {result.matched} "
        f"matched to devices ({result.replaced} replaced an earlier import of the same file); {result.findings} "
        f"findings; devices per capability: {counted}")
    for name, why in result.unmatched:
        warn(f"{name}: matched no device: {why}")
