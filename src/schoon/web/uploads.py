"""Uploaded files: streamed to disk under their SHA-256 (never under a name the user gave), with limits.

A file goes to ``<upload dir>/<sha256><suffix>``, where the suffix is one of :data:`SUFFIXES` taken from the
given name (the readers recognise formats by content and suffix); the given name itself is kept only for
display. The same content uploaded twice is one file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from fastapi import UploadFile

from schoon.web.problems import WebError

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xml", ".jsonl", ".json", ".ndjson", ".gz")
CHUNK = 1 << 20


@dataclass(frozen=True)
class Stored:
    """A stored upload: its path (under the upload folder), SHA-256, size and the name it was given."""

    path: Path
    sha256: str
    size: int
    name: str


def display_name(name: str | None) -> str:
    """The given file name reduced to its last part, for display only (never used as a path)."""
    base = PurePath((name or "").replace("\\", "/")).name
    return "".join(c for c in base if c.isprintable())[:200] or "upload"


def suffix_of(name: str) -> str:
    """The allowed suffix of a given name ('' when it has none of :data:`SUFFIXES`)."""
    lowered = name.lower()
    if lowered.endswith((".jsonl.gz", ".json.gz")):
        return lowered[lowered.rindex(".json"):]
    suffix = PurePath(lowered).suffix
    return suffix if suffix in SUFFIXES else ""


async def store_upload(upload: UploadFile, folder: Path, max_bytes: int) -> Stored:
    """Stream one upload into ``folder`` under its SHA-256; over ``max_bytes`` is 413 and nothing is kept."""
    name = display_name(upload.filename)
    digest = hashlib.sha256()
    size = 0
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".part-")
    try:
        with os.fdopen(handle, "wb") as out:
            while True:
                block = await upload.read(CHUNK)
                if not block:
                    break
                size += len(block)
                if size > max_bytes:
                    raise WebError(413, f"{name}: larger than {max_bytes} bytes")
                digest.update(block)
                out.write(block)
        if size == 0:
            raise WebError(422, f"{name}: the file is empty")
        target = folder / f"{digest.hexdigest()}{suffix_of(name)}"
        if target.exists():
            os.unlink(temporary)
        else:
            os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return Stored(target, digest.hexdigest(), size, name)


async def store_uploads(uploads: list[UploadFile], folder: Path, max_files: int, max_bytes: int) -> list[Stored]:
    """Store every upload of a request, refusing more than ``max_files`` files (413)."""
    chosen = [u for u in uploads if u.filename]
    if not chosen:
        raise WebError(422, "choose at least one file")
    if len(chosen) > max_files:
        raise WebError(413, f"at most {max_files} files per upload, got {len(chosen)}")
    return [await store_upload(u, folder, max_bytes) for u in chosen]
