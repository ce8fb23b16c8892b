"""The in-process measurement against the scenario's ground truth: every count exact."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from schoon.errors import DataError, SchoonError
from schoon.measure import measure
from tests.measure import scenario
from tests.measure.scenario import SINCE, UNTIL, Truth

Scan = tuple[Path, Path, Truth]


def _cell(result: dict, key: str, **match: object) -> object:
    found = [item["devices"] for item in result[key] if all(item.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (key, match, result[key])
    return found[0]


def test_counts_equal_the_truth_in_the_window(scan: Scan) -> None:
    path, prefixes, truth = scan
    result = measure([path], prefixes=prefixes, since=SINCE, until=UNTIL)
    assert result["records"] == truth.records
    assert result["devices"] == truth.devices
    assert {g["group_id"]: g["devices"] for g in result["by_group"]} == truth.by_group
    assert all(g["flagged"] for g in result["by_group"])
    assert result["addresses"] == truth.addresses_in_window
    excluded = {e["reason"]: e["count"] for e in result["excluded"]}
    assert excluded == {"unreadable": 4, "outside_window": truth.outside_window, "no_time": truth.untimed,
                        "honeypot_suspect": truth.honeypots}
    caveats = {c["id"]: c for c in result["caveats"]}
    assert caveats["nat"]["addresses"] == truth.nat_addresses and caveats["nat"]["behind"] == truth.nat_behind
    assert caveats["honeypot_suspects"]["addresses"] == truth.honeypots
    assert caveats["churn"]["moved"] == truth.moved and caveats["churn"]["addresses_merged"] == 1
    assert caveats["records_without_time"]["records"] == truth.untimed
    assert caveats["network_operator"] == {**caveats["network_operator"], "unmatched": 10, "devices": 22}


def test_longest_prefix_wins_and_small_cells_are_suppressed(scan: Scan) -> None:
    path, prefixes, _ = scan
    result = measure([path], prefixes=prefixes, since=SINCE, until=UNTIL)
    assert result["by_sector"] == [{"sector": "gemeente", "group_id": "hikvision", "devices": 6},
                                   {"sector": "onderwijs", "group_id": "hikvision", "devices": 6}]
    assert _cell(result, "by_municipality", municipality="Delft", group_id="hikvision") == 12
    assert _cell(result, "by_institution", institution="TU Delft", group_id="hikvision") == 6
    assert _cell(result, "by_device_type", group_id="hikvision", device_type="camera") == 12
    assert _cell(result, "by_device_type", group_id="dahua", device_type="camera") == 8
    assert _cell(result, "by_device_type", group_id="dahua", device_type=None) == "<5"  # the moved and NAT ones
    assert _cell(result, "by_asn", asn=3265, group_id="dahua") == 8
    assert _cell(result, "by_asn", asn=1136, group_id="dahua") == "<5"  # the moved device sits at its last address
    assert next(a["org"] for a in result["by_asn"] if a["asn"] == 3265) == "XS4ALL Internet BV"
    assert "per_address" not in result and result["privacy"]["per_address"] is False


def test_without_a_window_untimed_and_old_records_count(scan: Scan) -> None:
    path, _, truth = scan
    result = measure([path])
    assert {g["group_id"]: g["devices"] for g in result["by_group"]} == {"hikvision": 14, "dahua": 10}
    assert {e["reason"] for e in result["excluded"]} == {"unreadable", "honeypot_suspect"}
    caveat = next(c for c in result["caveats"] if c["id"] == "records_without_time")
    assert caveat["records"] == truth.untimed and caveat["excluded"] is False
    assert "counted" in caveat["text"]


def test_same_numbers_for_any_chunking_and_bucketing(scan: Scan, tmp_path: Path) -> None:
    path, prefixes, _ = scan
    whole = measure([path], prefixes=prefixes, since=SINCE, until=UNTIL)
    parts = measure([path], prefixes=prefixes, since=SINCE, until=UNTIL, chunk_bytes=3000, buckets=5)
    assert parts["execution"]["partitions"] > 10
    whole.pop("execution")
    parts.pop("execution")
    assert parts == whole
    packed = tmp_path / "scan.json.gz"
    packed.write_bytes(gzip.compress(path.read_bytes()))
    zipped = measure([packed], prefixes=prefixes, since=SINCE, until=UNTIL)
    zipped.pop("execution")
    assert zipped == whole


def test_rejects_keep_their_absolute_line_numbers_across_chunks(scan: Scan) -> None:
    from schoon.measure import Settings, run

    path, _, truth = scan
    totals = run([path], settings=Settings(buckets=3), chunk_bytes=2500)
    assert totals.partitions > 10
    assert [r.row for r in totals.rejects] == truth.broken_lines
    messages = [r.message for r in totals.rejects]
    assert messages[0].startswith("not valid JSON") and "not a JSON object but list" in messages[1]
    assert "port" in messages[2] and "no address" in messages[3]
    assert all(r.source == str(path) for r in totals.rejects)


def test_per_address_lists_only_on_request_and_says_so(scan: Scan) -> None:
    path, prefixes, _ = scan
    result = measure([path], prefixes=prefixes, since=SINCE, until=UNTIL, per_address=True)
    assert "notifying" in result["per_address_notice"]
    rows = {row["ip"]: row for row in result["per_address"]}
    assert len(rows) == 22
    assert rows["10.1.0.1"]["sector"] == "onderwijs" and rows["10.1.0.20"]["sector"] == "gemeente"
    assert "10.2.1.2" in rows and "10.2.1.1" not in rows  # the moved device, at its last address
    assert rows["10.2.1.2"]["first_seen"] == "2026-01-06" and rows["10.2.1.2"]["last_seen"] == "2026-01-10"
    assert not {"10.4.0.1", "10.4.0.2"} & set(rows)  # honeypot suspects are nobody's device


def test_change_against_an_earlier_run(scan: Scan, tmp_path: Path) -> None:
    path, _, _ = scan
    earlier = tmp_path / "earlier.json"
    earlier.write_text(json.dumps({"devices": 30, "by_group": [
        {"group_id": "hikvision", "devices": 20}, {"group_id": "dahua", "devices": "<5"},
        {"group_id": "uniview", "devices": 7}]}))
    result = measure([path], since=SINCE, until=UNTIL, previous=earlier)
    rows = {row["group_id"]: row for row in result["change"]["by_group"]}
    assert rows["hikvision"] == {"group_id": "hikvision", "devices": 12, "previous": 20, "change": -8}
    assert rows["dahua"]["change"] is None  # an earlier suppressed cell gives no difference
    assert rows["uniview"] == {"group_id": "uniview", "devices": 0, "previous": 7, "change": -7}
    assert result["change"]["devices_change"] == -8


def test_parquet_of_identified_records_aggregates_again_to_the_same_numbers(scan: Scan, tmp_path: Path) -> None:
    path, prefixes, _ = scan
    folder = tmp_path / "identified"
    first = measure([path], prefixes=prefixes, since=SINCE, until=UNTIL, parquet_dir=folder, chunk_bytes=20000)
    files = sorted(folder.glob("*.parquet"))
    assert len(files) == first["execution"]["partitions"] > 1
    again = measure([folder], prefixes=prefixes, since=SINCE, until=UNTIL)
    for result in (first, again):
        result.pop("execution")
        result.pop("excluded")  # the Parquet files hold no broken lines and only in-window records
        result["caveats"] = [c for c in result["caveats"] if c["id"] not in ("ports_not_hosts",
                                                                               "records_without_time")]
        result.pop("records")
    assert again == first


def test_bad_inputs_are_one_line_errors(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(DataError, match=r"nope\.json: file not found"):
        measure([missing])
    odd = tmp_path / "odd.json"
    odd.write_text('{"hello": "world"}\n')
    with pytest.raises(DataError, match=r"odd\.json: not a known scan format"):
        measure([odd])
    scan_file, _, _ = scenario.write(tmp_path)
    table = tmp_path / "bad-prefixes.csv"
    table.write_text("cidr,sector\n10.0.0.0/8,a\n10.1.2.3/33,b\n")
    with pytest.raises(DataError, match=r"bad-prefixes.csv:3: cidr: not a CIDR prefix"):
        measure([scan_file], prefixes=table)
    with pytest.raises(SchoonError, match="--since expects a date"):
        measure([scan_file], since="last week")
    with pytest.raises(SchoonError, match="before --since"):
        measure([scan_file], since="2026-02-01", until="2026-01-01")
    bad = tmp_path / "bad-previous.json"
    bad.write_text('{"records": 1}')
    with pytest.raises(DataError, match="not the JSON output of schoon measure"):
        measure([scan_file], previous=bad)
