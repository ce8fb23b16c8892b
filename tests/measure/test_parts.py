"""The small parts: per-address states that merge in any order, the prefix table, the window, privacy."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from schoon.errors import DataError, SchoonError
from schoon.measure.devices import classify
from schoon.measure.prefixes import PrefixTable
from schoon.measure.privacy import cell, difference
from schoon.measure.state import AddressState, Sighting, bucket_of, fold, merge_into, new_buckets
from schoon.measure.window import Window


def _sighting(rng: random.Random, ip: str) -> Sighting:
    maker = rng.choice(["hikvision", "dahua", "~axis", None])
    return Sighting(ip, rng.choice([None, 1767600000 + rng.randint(0, 10**6)]), rng.choice([80, 443, 554]),
                    rng.choice([None, 1136, 3265]), rng.choice([None, "KPN", "XS4ALL"]), rng.choice([None, "NL"]),
                    maker, rng.random() if maker else 0.0, rng.choice([None, "camera", "recorder"]),
                    rng.choice([None, "M1", "M2"]), rng.choice([None, "serial:A", "mac:aa:bb:cc:dd:ee:ff"]),
                    rng.random() < 0.5)


def _snapshot(state: AddressState | None) -> object:
    if state is None:
        return None
    return (state.makers, state.types, state.models, state.flagged, state.identities, state.ports, state.first,
            state.last, state.asn, state.org, state.country)


def test_states_merge_to_the_same_result_in_any_order() -> None:
    rng = random.Random(3)
    sightings = [_sighting(rng, f"10.0.0.{rng.randint(1, 6)}") for _ in range(60)]
    whole = new_buckets(1)
    for s in sightings:
        fold(whole[0:1], s)
    for split in range(3):
        parts = [sightings[i::3] for i in range(3)]
        order = list(itertools.permutations(range(3)))[split * 2]
        merged: dict[str, AddressState | None] = {}
        for index in order:
            part = new_buckets(1)
            for s in parts[index]:
                fold(part, s)
            merge_into(merged, part[0])
        assert {ip: _snapshot(st) for ip, st in merged.items()} == {ip: _snapshot(st) for ip, st in whole[0].items()}


def test_bucket_is_a_stable_hash() -> None:
    import zlib

    assert bucket_of("192.0.2.1", 7) == zlib.crc32(b"192.0.2.1") % 7
    assert bucket_of("192.0.2.1", 1) == 0


def test_confidence_combines_per_port_and_honeypots_are_excluded() -> None:
    bucket = new_buckets(1)
    base = dict(time=1, asn=None, org=None, country=None, device_type=None, model=None, identity=None, flagged=True)
    # Two weak banners on two ports: 1 - 0.6 * 0.6 = 0.64, a device; the same weak banner twice stays 0.4.
    fold(bucket, Sighting("10.0.0.1", port=80, maker="hikvision", confidence=0.4, **base))  # type: ignore[arg-type]
    fold(bucket, Sighting("10.0.0.1", port=8000, maker="hikvision", confidence=0.4, **base))  # type: ignore[arg-type]
    fold(bucket, Sighting("10.0.0.2", port=80, maker="hikvision", confidence=0.4, **base))  # type: ignore[arg-type]
    fold(bucket, Sighting("10.0.0.2", port=80, maker="hikvision", confidence=0.4, **base))  # type: ignore[arg-type]
    fold(bucket, Sighting("10.0.0.3", port=80, maker="hikvision", confidence=0.9, **base))  # type: ignore[arg-type]
    fold(bucket, Sighting("10.0.0.3", port=554, maker="dahua", confidence=0.9, **base))  # type: ignore[arg-type]
    fold(bucket, Sighting("10.0.0.4", port=80, maker="~axis", confidence=0.9, **base))  # type: ignore[arg-type]
    result = classify(bucket[0], None, per_address=True)
    assert result.counts.by_group == {"hikvision": 1}
    assert [d.ip for d, _ in result.listed] == ["10.0.0.1"]
    assert result.counts.tally["honeypot_suspects"] == 1 and result.counts.tally["other_maker_devices"] == 1
    assert result.counts.tally["addresses"] == 4


def test_prefix_table_longest_match_ipv4_and_ipv6(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Netwerk;Sector;Instelling;Gemeente\n10.0.0.0/8;a;A;X\n10.1.0.0/16;b;B;Y\n10.1.2.0/24;c;;\n"
                    "2001:db8::/32;v6;V6;Z\n")
    table = PrefixTable.load(path)
    assert table.size == 4
    assert table.lookup("10.9.9.9").sector == "a"  # type: ignore[union-attr]
    assert table.lookup("10.1.9.9").municipality == "Y"  # type: ignore[union-attr]
    found = table.lookup("10.1.2.3")
    assert found is not None and (found.sector, found.institution, found.cidr) == ("c", None, "10.1.2.0/24")
    assert table.lookup("2001:db8::1").sector == "v6"  # type: ignore[union-attr]
    assert table.lookup("::ffff:10.1.2.3").sector == "c"  # type: ignore[union-attr]
    assert table.lookup("192.0.2.1") is None and table.lookup("not an ip") is None
    nocidr = tmp_path / "n.csv"
    nocidr.write_text("sector,gemeente\na,b\n")
    with pytest.raises(DataError, match="no CIDR column"):
        PrefixTable.load(nocidr)


def test_window_days_are_inclusive_and_utc() -> None:
    window = Window.parse("2026-01-05", "2026-01-18")
    assert window.contains(1767571200) and not window.contains(1767571199)  # 2026-01-05T00:00:00Z
    assert window.contains(1768780799) and not window.contains(1768780800)  # end of 2026-01-18
    assert window.describe() == {"since": "2026-01-05T00:00:00Z", "until": "2026-01-19T00:00:00Z"}
    assert not Window.parse(None, None).bounded
    with pytest.raises(SchoonError):
        Window.parse("2026-13-01", None)


def test_small_cells_and_differences() -> None:
    assert [cell(n) for n in (0, 1, 4, 5, 120)] == [0, "<5", "<5", 5, 120]
    assert difference(7, 5) == 2 and difference("<5", 5) is None and difference(5, None) is None
