"""Conformance against outside ground truth: nmap's MAC prefix list and IANA's enterprise numbers.

Every prefix and enterprise number whose owner is one of a group's entities must resolve to that group
through the shipped IEEE data plus the registry; no false friend may. The files are read from the
evaluation folder as ground truth only (never shipped, never used at run time).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schoon import settings
from schoon.registry import Registry, name_key
from tests.conftest import require_eval

EVAL = require_eval(settings.eval_dir() / "nmap")

# IANA entries that name one of our tokens but are not one of our entities, with the reason.
PEN_NOT_OURS = {
    29279: "WuXi ZhongXing Optoelectronics: unrelated to ZTE (Zhongxing Telecom)",
    58198: "FiberHome Supermicro Information Technology: joint venture, ownership not established",
}
PEN_TOKENS = {"hikvision": "hikvision", "dahua": "dahua", "uniview": "uniview", "hytera": "hytera",
              "huawei": "huawei", "zte": "zte", "zhongxing": "zte", "megvii": "megvii", "fiberhome": "fiberhome"}


def _nmap_prefixes() -> list[tuple[str, str]]:
    rows = []
    for line in (EVAL / "nmap-mac-prefixes").read_text(encoding="utf-8", errors="replace").splitlines():
        if not line or line.startswith("#"):
            continue
        prefix, _, owner = line.partition(" ")
        rows.append((prefix.strip().upper(), owner.strip()))
    return rows


def _owner_of(owner: str, assignees: dict[str, str]) -> str | None:
    """The entity whose IEEE assignee name nmap's owner name is (nmap cuts names at a word boundary) a prefix of."""
    key = name_key(owner)
    if len(key) < 3:
        return None
    for assignee_key, entity_id in assignees.items():
        if assignee_key == key or assignee_key.startswith(key + " "):
            return entity_id
    return None


def test_every_registry_mac_block_resolves_to_its_group(bundled: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    assignees = {name_key(a): e.id for e in bundled.entities.values() for a in e.identifiers.ieee_assignees}
    expected: list[tuple[str, str, str]] = []
    for prefix, owner in _nmap_prefixes():
        entity_id = _owner_of(owner, assignees)
        if entity_id is not None:
            expected.append((prefix, owner, bundled.group_of(entity_id)))
    assert len(expected) > 2000
    missing = []
    for prefix, owner, group in expected:
        match = bundled.resolve_mac(prefix.ljust(12, "0"))
        if match is None or match.entity_id is None or bundled.group_of(match.entity_id) != group:
            missing.append((prefix, owner, group, match))
    with capsys.disabled():
        print(f"\nMAC coverage: {len(expected) - len(missing)}/{len(expected)} nmap prefixes of registry entities "
              f"resolve to their group")
    assert missing == []


def test_no_false_friend_block_resolves_to_a_group(bundled: Registry) -> None:
    friend_keys = [name_key(a) for f in bundled.false_friends for a in [f.name, *f.ieee_assignees]]
    friend_prefixes = {p for f in bundled.false_friends for p in f.mac_prefixes}
    checked = 0
    for prefix, owner in _nmap_prefixes():
        key = name_key(owner)
        if prefix in friend_prefixes or any(k.startswith(key) and len(key) >= 6 for k in friend_keys):
            match = bundled.resolve_mac(prefix.ljust(12, "0"))
            assert match is None or match.entity_id is None, (prefix, owner, match)
            checked += 1
    assert checked >= 50  # Honor Device alone has dozens of blocks


def test_enterprise_numbers_resolve_to_their_group(bundled: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    expected: list[tuple[int, str, str]] = []
    for line in (EVAL / "enterprise_numbers.txt").read_text(encoding="utf-8", errors="replace").splitlines():
        number, _, name = line.partition("\t")
        if not number.isdigit():
            continue
        tokens = set(name_key(name).split())
        groups = {PEN_TOKENS[t] for t in tokens if t in PEN_TOKENS}
        if groups and int(number) not in PEN_NOT_OURS:
            assert len(groups) == 1, (number, name)
            expected.append((int(number), name, groups.pop()))
    wrong = [(n, name, group, bundled.entity_for_enterprise_number(n)) for n, name, group in expected
             if (entity := bundled.entity_for_enterprise_number(n)) is None or bundled.group_of(entity) != group]
    with capsys.disabled():
        print(f"\nPEN coverage: {len(expected) - len(wrong)}/{len(expected)} IANA enterprise numbers of registry "
              f"groups resolve to their group")
    assert len(expected) >= 12
    assert wrong == []
    for number in PEN_NOT_OURS:
        assert bundled.entity_for_enterprise_number(number) is None


def test_registry_pens_agree_with_iana(bundled: Registry) -> None:
    """Every enterprise number the registry claims is IANA's entry for an organisation of that name."""
    iana = {}
    for line in (EVAL / "enterprise_numbers.txt").read_text(encoding="utf-8", errors="replace").splitlines():
        number, _, name = line.partition("\t")
        if number.isdigit():
            iana[int(number)] = name_key(name)
    for entity in bundled.entities.values():
        for pen in entity.identifiers.enterprise_numbers:
            assert pen.number in iana, (entity.id, pen.number)
            words = {w for a in entity.all_names() for w in name_key(a.name).split() if len(w) >= 4}
            assert words & set(iana[pen.number].split()), (entity.id, pen.number, iana[pen.number])


def test_eval_dir_is_the_setting() -> None:
    assert Path(settings.eval_dir()) == EVAL.parent
