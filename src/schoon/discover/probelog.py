"""The audit log of a scan: one JSON line per connection attempt or datagram, written as it happens.

The first line (``"type": "header"``) records who ran what on which scope: the scope's targets and exclusions,
the scope file's owner, contact and validity, the schoon version, the command's options (an SNMP community or
any other credential is replaced by ``"<redacted>"``) and the operator's user name. Every probe line
(``"type": "probe"``) gives the UTC time, address, port, transport (``tcp``, ``tls``, ``udp``), probe module,
what was sent in a few words (the request line, never a credential), bytes sent, the outcome (``refused``,
``timeout``, ``tls_error``, ``error``, ``connected``, ``answered``, ``cancelled``) and bytes received. The last
line (``"type": "end"``) gives the totals. With capability collection, each document also gets one
``"type": "capability"`` line (address, port, document id, outcome, HTTP status, bytes, file name). Lines are
flushed one by one; nothing is held in memory.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from pathlib import Path
from typing import IO, Any

from schoon import __version__
from schoon.errors import SchoonError
from schoon.settings import data_dir

REDACTED = "<redacted>"
SECRET_OPTIONS = frozenset({"snmp_community", "community", "password", "secret", "token", "credential"})


class ProbeLogError(SchoonError):
    """An audit log that cannot be written (missing folder, no permission)."""


def utc_now() -> str:
    """The current UTC time, ISO 8601 with milliseconds and a ``Z``."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def default_path(now: dt.datetime | None = None) -> Path:
    """``<data folder>/discover-logs/<UTC time>.jsonl`` (e.g. ``2026-11-29T01-20-00Z.jsonl``)."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H-%M-%SZ")
    return data_dir() / "discover-logs" / f"{stamp}.jsonl"


def redact(options: dict[str, Any]) -> dict[str, Any]:
    """``options`` with every credential-like value replaced by ``"<redacted>"`` (``None`` stays ``None``)."""
    return {key: (REDACTED if key in SECRET_OPTIONS and value is not None else value)
            for key, value in options.items()}


def operator() -> str:
    """The user name of whoever runs the scan (``"unknown"`` when the system cannot tell)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "unknown"


class ProbeLog:
    """An append-only JSON-lines audit log, one line per probe, flushed as it is written."""

    def __init__(self, path: Path, *, create_folder: bool = False) -> None:
        self.path = path
        self.probes = 0
        try:
            if create_folder:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._file: IO[str] | None = path.open("a", encoding="utf-8", buffering=1)
        except OSError as err:
            raise ProbeLogError(f"{path}: cannot write the audit log: {err.strerror or err}") from None

    def _write(self, record: dict[str, Any]) -> None:
        if self._file is None:
            return
        self._file.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self._file.flush()

    def header(self, scope: dict[str, Any], options: dict[str, Any]) -> None:
        """Write the header line: scope, version, redacted options, operator."""
        self._write({"type": "header", "time": utc_now(), "schoon_version": __version__, "user": operator(),
                     "scope": scope, "options": redact(options)})

    def probe(self, address: str, port: int, transport: str, probe: str, sent: str, bytes_sent: int,
              outcome: str, bytes_received: int, **extra: Any) -> None:
        """Write one probe line."""
        self.probes += 1
        self._write({"type": "probe", "time": utc_now(), "address": address, "port": port, "transport": transport,
                     "probe": probe, "sent": sent, "bytes_sent": bytes_sent, "outcome": outcome,
                     "bytes_received": bytes_received, **extra})

    def capability(self, address: str, port: int | None, document: str, outcome: str, status: int | None,
                   size: int, file: str | None) -> None:
        """Write one capability-document line: which document, its outcome and size (never its contents)."""
        self._write({"type": "capability", "time": utc_now(), "address": address, "port": port,
                     "document": document, "outcome": outcome, "status": status, "bytes": size, "file": file})

    def close(self, **totals: Any) -> None:
        """Write the end line with ``totals`` and close the file (idempotent)."""
        if self._file is None:
            return
        self._write({"type": "end", "time": utc_now(), "probes": self.probes, **totals})
        self._file.close()
        self._file = None
