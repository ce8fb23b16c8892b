"""The input of a capability audit: a folder (or single files) of capability documents and an optional manifest.

The layout is shared with ``schoon discover --capabilities`` (which writes it)::

    capabilities/
      manifest.csv          file,document,serial,mac,ip,asset_id   (optional; any link column may be empty)
      cam-0012.xml          one document per file
      ...

``document`` is one of :data:`schoon.ingest.capdocs.DOCUMENT_KINDS` or empty (detected from the content).
Without a manifest row, a document is linked to its device by the serial or MAC inside it (an ISAPI
``DeviceInfo``), else by its file name (a serial, MAC or asset id in the name): the audit store decides which
device that is (:mod:`schoon.audit.capabilities`). Every problem is one ``DataError`` naming the manifest row or
the document.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schoon.capabilities.classify import Classification, classify
from schoon.errors import DataError
from schoon.files import MIB, read_text
from schoon.ingest.capdocs import DOCUMENT_KINDS, CapabilityDocument, read_document
from schoon.safe import FORMULA_STARTS

MANIFEST = "manifest.csv"
MANIFEST_COLUMNS = ("file", "document", "serial", "mac", "ip", "asset_id")
LINK_COLUMNS = ("serial", "mac", "ip", "asset_id")
MAX_MANIFEST_BYTES = 16 * MIB
MAX_DOCUMENTS = 100_000


@dataclass
class ManifestRow:
    """One manifest line: the file it names, its document kind (None: detect) and its device links."""

    row: int
    file: Path
    document: str | None
    links: dict[str, str] = field(default_factory=dict)


@dataclass
class LinkedDocument:
    """A read document, its classification and what links it to a device."""

    document: CapabilityDocument
    classification: Classification
    links: dict[str, str]  # serial, mac, ip, asset_id (from the manifest, else from the document)
    link_source: str  # "manifest" | "document" | "file name"
    name_hint: str  # the file name without its extension, for linking by name


def read_manifest(path: Path) -> dict[Path, ManifestRow]:
    """The manifest's rows by resolved file path; unknown columns, missing files and bad kinds are errors."""
    text = read_text(path, "manifest", MAX_MANIFEST_BYTES)
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if "file" not in header:
        raise DataError("the manifest needs a 'file' column (columns: " + ",".join(MANIFEST_COLUMNS) + ")",
                        file=str(path), line=1)
    unknown = [h for h in header if h not in MANIFEST_COLUMNS]
    if unknown:
        raise DataError(f"unknown column(s) {', '.join(unknown)} (columns: {','.join(MANIFEST_COLUMNS)})",
                        file=str(path), line=1)
    rows: dict[Path, ManifestRow] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            raise DataError(f"{len(cells)} cells, the header has {len(header)}", file=str(path), line=number)
        values = {h: _cell(cells[i]) if i < len(cells) else "" for i, h in enumerate(header)}
        name = values.get("file", "")
        if not name:
            raise DataError("empty file name", file=str(path), line=number, field="file")
        target = (path.parent / name).resolve()
        if not target.is_file():
            raise DataError(f"no such document: {name}", file=str(path), line=number, field="file")
        kind = values.get("document") or None
        if kind is not None and kind not in DOCUMENT_KINDS:
            raise DataError(f"unknown document kind {kind!r} (one of {', '.join(DOCUMENT_KINDS)})", file=str(path),
                            line=number, field="document")
        if target in rows:
            raise DataError(f"{name} is listed twice (first on line {rows[target].row})", file=str(path),
                            line=number, field="file")
        links = {c: values[c] for c in LINK_COLUMNS if values.get(c)}
        rows[target] = ManifestRow(number, target, kind, links)
    return rows


def _cell(text: str) -> str:
    """A manifest cell, with the ``'`` a CSV writer puts before formula-like text (``'=...``) taken off again."""
    text = text.strip()
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_STARTS and len(text) > 1 else text


def document_paths(inputs: Sequence[Path | str]) -> tuple[list[Path], dict[Path, ManifestRow]]:
    """The documents named by ``inputs`` (folders are read whole, hidden files skipped) and the manifest rows
    (a ``manifest.csv`` in a folder, or given as an input)."""
    files: list[Path] = []
    manifest: dict[Path, ManifestRow] = {}
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            if (path / MANIFEST).is_file():
                manifest.update(read_manifest(path / MANIFEST))
            files += sorted(p for p in path.iterdir() if p.is_file() and p.name != MANIFEST
                            and not p.name.startswith("."))
        elif path.name == MANIFEST:
            manifest.update(read_manifest(path))
            files += [row.file for row in manifest.values() if row.file not in files]
        elif path.exists():
            files.append(path)
        else:
            raise DataError("no such file or folder", file=str(path))
    seen: set[Path] = set()
    unique = []
    for item in files:
        key = item.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(item)
    if len(unique) > MAX_DOCUMENTS:
        raise DataError(f"{len(unique):,} documents; at most {MAX_DOCUMENTS:,} are read at once")
    return unique, manifest


def read_documents(inputs: Sequence[Path | str]) -> list[LinkedDocument]:
    """Read, classify and link every document of ``inputs``; the first bad document stops with its error."""
    files, manifest = document_paths(inputs)
    return [_linked(path, manifest.get(path.resolve())) for path in files]


def _linked(path: Path, row: ManifestRow | None) -> LinkedDocument:
    doc = read_document(path, row.document if row is not None else None)
    result = classify(doc)
    hint = path.name.rsplit(".", 1)[0] if "." in path.name else path.name
    if row is not None and row.links:
        return LinkedDocument(doc, result, dict(row.links), "manifest", hint)
    inside = {k: v for k, v in doc.device.items() if k in ("serial", "mac")}
    if inside:
        return LinkedDocument(doc, result, inside, "document", hint)
    return LinkedDocument(doc, result, {}, "file name", hint)


def classify_files(inputs: Iterable[Path | str]) -> list[Classification]:
    """Only the classifications of ``inputs`` (for ``schoon capabilities FILE...``)."""
    return [linked.classification for linked in read_documents(list(inputs))]
