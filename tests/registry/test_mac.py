"""MAC addresses resolve to our entities through the IEEE data, explicit blocks and false friends."""

from __future__ import annotations

import aiooui
import pytest

from schoon.registry import Registry
from schoon.registry.ieee import IeeeRegistry, mac_hex


@pytest.mark.parametrize("text", ["a0:bb:cc:00:11:22", "A0-BB-CC-00-11-22", "a0bb.cc00.1122", "A0BBCC001122"])
def test_mac_notations(text: str) -> None:
    assert mac_hex(text) == "A0BBCC001122"


@pytest.mark.parametrize("text", ["", "a0:bb:cc", "zz:bb:cc:00:11:22", "a0:bb:cc:00:11:22:33"])
def test_not_a_mac(text: str) -> None:
    assert mac_hex(text) is None


def test_assignee_name_resolves_to_entity(mini: Registry) -> None:
    match = mini.resolve_mac("a0:bb:cc:12:34:56")
    assert match is not None
    assert (match.entity_id, match.prefix, match.via) == ("acme", "A0BBCC", "ieee-assignee")


def test_explicit_longer_block_wins(mini: Registry) -> None:
    match = mini.resolve_mac("a0:bb:cc:d0:00:01")
    assert match is not None and (match.prefix, match.via) == ("A0BBCCD", "registry-prefix")


def test_false_friend_by_block_and_by_assignee(mini: Registry) -> None:
    by_block = mini.resolve_mac("11:22:33:a0:00:01")
    assert by_block is not None and by_block.entity_id is None and by_block.via == "false-friend"
    by_name = mini.resolve_mac("11:22:33:00:00:01")
    assert by_name is not None and by_name.entity_id is None and by_name.false_friend is not None


def test_other_assignee_is_known_but_not_ours(mini: Registry) -> None:
    match = mini.resolve_mac("dd:ee:ff:00:00:01")
    assert match is not None and match.entity_id is None and match.assignee == "Somebody Else Inc."
    assert mini.resolve_mac("01:02:03:04:05:06") is None


def test_shipped_ieee_data_is_loaded() -> None:
    ieee = IeeeRegistry.shipped()
    hit = ieee.lookup("44:19:b6:00:00:00")
    assert hit is not None and "Hikvision" in hit.assignee and hit.prefix == "4419B6"
    # Blocks across the whole MA-L range (low, middle, high prefixes) resolve, not only one vendor's.
    known = {"00000C": "Cisco", "3CDA6D": "Tiandy", "60601F": "DJI", "FCFBFB": "Cisco"}
    for prefix, owner in known.items():
        found = ieee.lookup(prefix + "000000")
        assert found is not None and owner.lower() in found.assignee.lower(), (prefix, found)
    assert ieee.lookup("FFFFFF000000") is None


def test_shipped_data_is_read_through_aioouis_public_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    """MA-L lookups go through ``aiooui.get_vendor`` (its public API), not through its private data file."""
    asked: list[str] = []

    def fake(prefix: str) -> str | None:
        asked.append(prefix)
        return "Fake Vendor" if prefix == "ABCDEF" else None

    monkeypatch.setattr(aiooui, "get_vendor", fake)
    ieee = IeeeRegistry.shipped()
    hit = ieee.lookup("ab:cd:ef:01:02:03")
    assert hit is not None and hit.assignee == "Fake Vendor" and hit.prefix == "ABCDEF"
    assert ieee.lookup("44:19:b6:00:00:00") is None  # the real data is not read behind the API's back
    assert asked == ["ABCDEF", "4419B6"]


def test_enterprise_numbers(mini: Registry) -> None:
    assert mini.entity_for_enterprise_number(99001) == "acme"
    assert mini.entity_for_enterprise_number(1) is None
