"""Loading the registry: valid data loads; every kind of bad data is one DataError naming file, line, field."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoon.errors import DataError
from schoon.registry import Registry, load_registry
from schoon.registry.ieee import IeeeRegistry


def test_mini_registry_loads_with_qualified_sources(mini: Registry) -> None:
    assert set(mini.entities) == {"acme", "acme-home", "lenso", "beta"}
    assert mini.get("acme-home").sources == ["acme/wiki"]
    assert mini.source("acme/wiki").url == "https://example.org/acme"
    assert mini.group_of("acme-home") == "acme"
    assert [e.id for e in mini.children("acme")] == ["acme-home"]
    assert [e.id for e in mini.relabellers_of("acme")] == ["lenso"]


def _broken(folder: Path, file: str, old: str, new: str) -> Path:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _error(folder: Path, ieee: IeeeRegistry) -> DataError:
    with pytest.raises(DataError) as info:
        load_registry(folder, layers=[], ieee=ieee)
    return info.value


CASES = [
    # (file, old, new, expected line, expected field, message part)
    ("groups/acme.yaml", "    parent: acme\n", "    parent: acmee\n", 29, "entities.1.parent", "unknown parent 'acmee'"),
    ("groups/acme.yaml", "    sources: [report]\n", "    sources: [rapport]\n", 40, "entities.2.sources.0",
     "unknown source 'rapport'"),
    ("groups/acme.yaml", 'prefix: "A0-BB-CC-D"', 'prefix: "A0-BB-CC-DX"', 23, "entities.0.identifiers.mac_prefixes.0.prefix",
     "hex digits"),
    ("groups/acme.yaml", "    country: us\n", "    countri: us\n", 35, "entities.2.countri", "Extra inputs"),
    ("groups/acme.yaml", "date: 2021-03-12", "date: 12-03-2021", 42, "listings.0.date", "YYYY-MM-DD"),
    ("groups/acme.yaml", "list: test-list", "list: no-such-list", 42, "listings.0.list", "unknown list"),
    ("groups/acme.yaml", "'^AC-\\d+'", "'^AC-(\\d+'", 24, "entities.0.identifiers.models.0.pattern", "does not compile"),
    ("groups/beta.yaml", "    sources: [news]\n", "    sources: []\n", 11, "entities.0.sources", "at least 1"),
    ("groups/beta.yaml", "kind: company", "kind: [company", 11, None, "not valid YAML"),
    ("groups/acme.yaml", "{maker: acme,", "{maker: nobody,", 39, "entities.2.relabels.0.maker", "unknown maker"),
]


@pytest.mark.parametrize(("file", "old", "new", "line", "field", "message"), CASES)
def test_bad_data_is_one_located_error(minireg_dir: Path, mini_ieee: IeeeRegistry, file: str, old: str, new: str,
                                       line: int, field: str | None, message: str) -> None:
    path = _broken(minireg_dir, file, old, new)
    error = _error(minireg_dir, mini_ieee)
    assert error.file == str(path)
    assert error.line == line
    assert error.field == field
    assert message in error.message
    assert str(error).startswith(f"{path}:{line}: ")


def test_duplicate_ids_across_files_are_refused(minireg_dir: Path, mini_ieee: IeeeRegistry) -> None:
    _broken(minireg_dir, "groups/beta.yaml", "evidence:", "  - {id: acme, name: X, kind: company, sources: [news]}\nevidence:")
    error = _error(minireg_dir, mini_ieee)
    assert "duplicate entity id 'acme'" in error.message
    assert error.file is not None and error.file.endswith("beta.yaml")


def test_parent_cycle_is_refused(minireg_dir: Path, mini_ieee: IeeeRegistry) -> None:
    _broken(minireg_dir, "groups/acme.yaml", "    country: cn\n", "    country: cn\n    parent: acme-home\n")
    assert "loops back" in _error(minireg_dir, mini_ieee).message


def test_group_needs_its_top_entity(minireg_dir: Path, mini_ieee: IeeeRegistry) -> None:
    _broken(minireg_dir, "groups/beta.yaml", "group: beta", "group: gamma")
    error = _error(minireg_dir, mini_ieee)
    assert error.line == 1 and "gamma" in error.message


def test_nothing_loads_half(minireg_dir: Path, mini_ieee: IeeeRegistry) -> None:
    """A bad second file means no registry at all, not a registry of the first file."""
    _broken(minireg_dir, "groups/beta.yaml", "title: News", "titel: News")
    with pytest.raises(DataError):
        load_registry(minireg_dir, layers=[], ieee=mini_ieee)
