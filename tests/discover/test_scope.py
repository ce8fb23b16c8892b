"""Scope: targets, exclusions, streaming, scope files, host names."""

from __future__ import annotations

import datetime as dt
import types
from pathlib import Path

import pytest

from schoon.discover.scope import Scope, ScopeError, load_scope_file, parse_target


def test_targets_ranges_and_exclusions_in_address_order() -> None:
    scope = Scope.build(["127.51.9.10-12", "127.51.9.1", "127.51.9.8/30"], exclude=["127.51.9.11", "127.51.9.9"])
    assert list(scope) == ["127.51.9.1", "127.51.9.8", "127.51.9.10", "127.51.9.12"]
    assert scope.allows("127.51.9.12") and not scope.allows("127.51.9.11") and not scope.allows("127.51.9.13")
    assert not scope.allows("not-an-address")


def test_full_range_form_and_errors() -> None:
    assert parse_target("127.51.9.250-127.51.10.2")[0].last - parse_target("127.51.9.250-127.51.10.2")[0].first == 8
    for bad in ("127.51.9.10-5", "127.51.9.300", "10.0.0.0/33", "::1", "127.51.9.1-999"):
        with pytest.raises(ScopeError):
            parse_target(bad)


def test_a_slash_16_is_streamed_not_held() -> None:
    scope = Scope.build(["10.77.0.0/16"])  # never contacted: only counted and iterated
    assert scope.size() == 65_536
    iterator = iter(scope)
    assert isinstance(iterator, types.GeneratorType)
    assert next(iterator) == "10.77.0.0" and next(iterator) == "10.77.0.1"


def test_host_names_resolve_once_to_their_addresses() -> None:
    scope = Scope.build(["localhost"])
    assert list(scope) == ["127.0.0.1"]
    with pytest.raises(ScopeError, match="does not resolve"):
        Scope.build(["no-such-host.invalid"])


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scope.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_scope_file_bounds_targets_and_records_who(tmp_path: Path) -> None:
    path = _write(tmp_path, "owner: Gemeente Voorbeeld\ncontact: soc@voorbeeld.example\nvalid_from: 2026-01-01\n"
                            "valid_until: 2026-12-31\nranges: [127.51.9.0/24]\nexclude: [127.51.9.7]\n")
    file = load_scope_file(path)
    scope = Scope.build([], file=file, today=dt.date(2026, 6, 1))
    assert scope.size() == 255 and not scope.allows("127.51.9.7")
    assert file.record() == {"scope_file": str(path), "scope_owner": "Gemeente Voorbeeld",
                             "scope_contact": "soc@voorbeeld.example", "scope_valid_from": "2026-01-01",
                             "scope_valid_until": "2026-12-31"}
    assert list(Scope.build(["127.51.9.6-8"], file=file, today=dt.date(2026, 6, 1))) == ["127.51.9.6", "127.51.9.8"]
    with pytest.raises(ScopeError, match="outside the ranges"):
        Scope.build(["127.51.10.1"], file=file, today=dt.date(2026, 6, 1))
    with pytest.raises(ScopeError, match="expired on 2026-12-31"):
        Scope.build([], file=file, today=dt.date(2027, 1, 1))
    with pytest.raises(ScopeError, match="valid from 2026-01-01"):
        Scope.build([], file=file, today=dt.date(2025, 12, 31))


@pytest.mark.parametrize(("text", "message"), [
    ("ranges: []\n", "'ranges' is required"),
    ("ranges: [127.0.0.1]\nownr: x\n", "unknown key 'ownr'"),
    ("ranges: [127.0.0.1]\nvalid_until: someday\n", "valid_until: not a date"),
    ("- just a list\n", "a scope file is a mapping"),
    ("ranges: [127.0.0.1\n", "not valid YAML"),
])
def test_bad_scope_files_are_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ScopeError, match=message):
        load_scope_file(_write(tmp_path, text))


def test_every_probe_module_says_what_it_sends_and_is_documented() -> None:
    import pkgutil

    import schoon.discover.probes as probes

    doc = (Path(__file__).resolve().parents[2] / "docs" / "discover.md").read_text(encoding="utf-8")
    names = [m.name for m in pkgutil.iter_modules(probes.__path__) if m.name != "xmlutil"]
    assert set(names) == {"banner", "dhip", "http", "rtsp", "sadp", "snmp", "ssdp", "wsd"}
    for name in names:
        module = __import__(f"schoon.discover.probes.{name}", fromlist=["x"])
        assert module.__doc__ and ("Sends" in module.__doc__ or "sends" in module.__doc__), name
        assert f"`{name}" in doc, name
