"""JSON lines: canonical names, extra keys, garbage lines, a 10 MB line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schoon.ingest import Reject, read
from schoon.observation import MAX_FIELD_CHARS, Observation

FIXTURES = Path(__file__).parent / "fixtures"


def test_banners_fixture() -> None:
    out = list(read(FIXTURES / "banners.jsonl"))
    assert [(type(r).__name__, r.row) for r in out] == [
        ("Observation", 1), ("Observation", 3), ("Reject", 4), ("Observation", 5), ("Reject", 6), ("Observation", 7),
    ]
    b1, bad_mac, garbage, b3, array, b4 = out
    assert isinstance(b1, Observation)
    assert (b1.id, b1.ip, b1.http_server, b1.ports) == ("b1", "192.0.2.20", "DNVRS-Webs", (80, 554))
    assert b1.extra == {"scan_date": "2024-03-04"}
    assert isinstance(bad_mac, Observation)  # the bad MAC is dropped, the rest of the line is used
    assert (bad_mac.id, bad_mac.ip, bad_mac.mac) == ("b2", "192.0.2.21", None)
    assert isinstance(garbage, Reject)
    assert garbage.message == "not valid JSON: Expecting value (column 1)"
    assert garbage.raw == "this is not json"
    assert isinstance(b3, Observation)
    assert (b3.rtsp_server, b3.favicon_mmh3) == ("Dahua Rtsp Server", -1)
    assert b3.extra == {"asn": "64500", "tags": '["cam", "nl"]'}
    assert isinstance(array, Reject)
    assert array.message == "not a JSON object but list"
    assert isinstance(b4, Observation)
    assert (b4.snmp_sysobjectid, b4.http_title) == ("1.3.6.1.4.1.39165.1.1", None)


def test_column_map_renames_json_keys(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"addr": "192.0.2.40", "brand": "Hikvision", "id": "k"}\n')
    (obs,) = list(read(path, column_map={"addr": "ip", "brand": "declared_vendor", "id": "-"}))
    assert isinstance(obs, Observation)
    assert (obs.ip, obs.declared_vendor, obs.id) == ("192.0.2.40", "Hikvision", None)
    assert obs.extra == {"id": "k"}


def test_ten_megabyte_line_is_truncated_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    body = "A" * (10 * 1024 * 1024)
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "big", "http_body": body, "note": body}) + "\n")
        handle.write('{"id": "after"}\n')
    big, after = list(read(path))
    assert isinstance(big, Observation)
    assert big.http_body is not None and len(big.http_body) == MAX_FIELD_CHARS
    assert len(big.extra["note"]) == MAX_FIELD_CHARS
    assert isinstance(after, Observation)
    assert (after.id, after.row) == ("after", 2)


def test_ten_megabyte_garbage_line_is_a_short_reject(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text('{"id": ' + "[" * (10 * 1024 * 1024) + "\n" + '{"id": "ok"}\n')
    rej, ok = list(read(path))
    assert isinstance(rej, Reject)
    assert rej.row == 1
    assert rej.message in ("not valid JSON: nested too deeply", "not valid JSON: Expecting value (column 8)")
    assert rej.raw is not None and len(rej.raw) == 1000
    assert isinstance(ok, Observation) and ok.row == 2


def test_line_over_the_limit_is_skipped_without_holding_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import schoon.ingest.textio as textio

    monkeypatch.setattr(textio, "MAX_LINE_BYTES", 1024)
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": "' + "x" * 5000 + '"}\n{"id": "next"}\n')
    rej, nxt = list(read(path))
    assert isinstance(rej, Reject)
    assert rej.row == 1
    assert rej.message.startswith("line longer than")
    assert isinstance(nxt, Observation) and (nxt.id, nxt.row) == ("next", 2)
