"""schoon discover output (canonical Observation JSON lines) as scan input, and the chunked line reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schoon.errors import DataError
from schoon.ingest.scan import chunks, detect_scan_format, read_chunk
from schoon.ingest.scan.lines import chunk_lines
from tests.ingest.scan_helpers import read_all, write_lines


def test_canonical_lines_with_context(tmp_path: Path) -> None:
    line = {"id": "10.0.0.5", "ip": "10.0.0.5", "ports": [554], "rtsp_server": "Dahua Rtsp Server",
            "mac": "3C-EF-8C-00-00-02", "time": "2026-01-09T10:00:00Z", "asn": 1136, "country": "nl", "scope": "lab"}
    path = write_lines(tmp_path / "discover.jsonl", [line, {"id": "x", "ip": "10.0.0.6", "ports": [80, 443]},
                                                     {"id": "10.0.0.7", "http_server": "Webs"}, {"id": "cam-1", "ports": [80]}])
    assert detect_scan_format(path) == "discover"
    records, rejects = read_all(path)
    assert [(r.row, r.message) for r in rejects] == [(4, "no address (ip) in the record")]
    first, second, third = records
    assert third.observation.ip == "10.0.0.7" and third.observation.id == "10.0.0.7"
    assert (first.port, first.time, first.asn, first.country) == (554, 1767952800, 1136, "NL")
    assert first.observation.mac == "3c:ef:8c:00:00:02" and first.observation.extra == {"scope": "lab"}
    assert second.port is None and second.observation.ports == (80, 443)


def test_chunks_read_every_line_once_with_local_numbers(tmp_path: Path) -> None:
    lines = [json.dumps({"ip": f"10.0.0.{i}", "ports": [80], "http_server": "x" * (i % 50)}) for i in range(200)]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(lines) + "\n")
    parts = chunks(path, chunk_bytes=997)
    assert len(parts) > 5
    seen: list[bytes] = []
    for part in parts:
        numbers = [number for number, _, _ in chunk_lines(part)]
        assert numbers == list(range(1, len(numbers) + 1))
        seen.extend(data for _, data, _ in chunk_lines(part))
    assert [s.decode().rstrip("\n") for s in seen] == lines
    assert sum(len(list(read_chunk(part, "discover"))) for part in parts) == 200


def test_unreadable_and_unknown_inputs(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="file not found"):
        detect_scan_format(tmp_path / "missing.json")
    empty = tmp_path / "empty.json"
    empty.write_text("\n\n")
    with pytest.raises(DataError, match="empty file"):
        detect_scan_format(empty)
    truncated = tmp_path / "cut.json.gz"
    import gzip

    truncated.write_bytes(gzip.compress(b'{"ip_str": "10.0.0.1", "port": 80, "data": ""}\n' * 2000)[:300])
    with pytest.raises(DataError, match=r"cut\.json\.gz: cannot read"):
        read_all(truncated, "shodan")
