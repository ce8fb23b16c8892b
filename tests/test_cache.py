"""The build cache: entries keyed by content, rebuilt when anything changes, never trusted when corrupt."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from schoon import cache
from schoon.identify.multipattern import Pattern, PatternSet, hyperscan_available
from schoon.registry import load_registry
from tests.conftest import MINIREG


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SCHOON_CACHE_DIR", str(folder))
    monkeypatch.delenv("SCHOON_CACHE", raising=False)
    return folder


def _entries(folder: Path, kind: str) -> list[Path]:
    return sorted(folder.glob(f"{kind}-*"))


def test_an_entry_is_stored_once_and_loaded_after(cache_dir: Path) -> None:
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"built": len(calls)}

    assert cache.cached("thing", "k1", build) == {"built": 1}
    assert cache.cached("thing", "k1", build) == {"built": 1}
    assert calls == [1]
    assert len(_entries(cache_dir, "thing")) == 1


def test_the_key_follows_file_contents(tmp_path: Path, cache_dir: Path) -> None:
    data = tmp_path / "data.yaml"
    data.write_text("a: 1\n")
    first = cache.key("x", data)
    assert cache.key("x", data) == first
    data.write_text("a: 2\n")
    assert cache.key("x", data) != first
    assert cache.key("x", tmp_path / "missing.yaml") != cache.key("x", tmp_path / "other-missing.yaml")


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "flipped"])
def test_a_damaged_entry_is_discarded_and_rebuilt(cache_dir: Path, damage: str) -> None:
    cache.store("thing", "k", {"value": list(range(1000))})
    [path] = _entries(cache_dir, "thing")
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(os.urandom(len(data)))
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # one bit flipped in the payload: the digest no longer matches
        position = len(data) - 10
        path.write_bytes(data[:position] + bytes([data[position] ^ 1]) + data[position + 1:])
    assert cache.load("thing", "k") is None
    assert not path.exists()
    assert cache.cached("thing", "k", lambda: {"value": [1]}) == {"value": [1]}


def test_a_payload_that_hashes_right_but_does_not_unpickle_is_rebuilt(cache_dir: Path) -> None:
    import hashlib

    cache_dir.mkdir(parents=True)
    payload = b"not a pickle at all"
    (cache_dir / "thing-k.pickle").write_bytes(cache.MAGIC + hashlib.sha256(payload).digest() + payload)
    assert cache.load("thing", "k") is None
    assert cache.cached("thing", "k", lambda: 42) == 42


def test_off_writes_nothing(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHOON_CACHE", "off")
    assert cache.cached("thing", "k", lambda: 1) == 1
    assert not cache_dir.exists()


def test_an_unwritable_folder_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("SCHOON_CACHE_DIR", str(blocker / "cache"))
    assert cache.cached("thing", "k", lambda: 7) == 7


def _store_many(folder: str, seed: int) -> None:
    os.environ["SCHOON_CACHE_DIR"] = folder
    for n in range(20):
        cache.store("race", "same", [seed, n] * 20_000)


def test_concurrent_builders_leave_one_whole_entry(cache_dir: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_store_many, args=(str(cache_dir), seed)) for seed in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    found = cache.load("race", "same")
    assert isinstance(found, list) and len(found) == 40_000 and found[0] in (0, 1, 2)
    assert [p.name for p in cache_dir.iterdir() if p.name.endswith(".tmp")] == []


def test_the_registry_is_built_once_then_loaded(cache_dir: Path) -> None:
    first = load_registry(MINIREG, layers=[])
    assert len(_entries(cache_dir, "registry")) == 1
    second = load_registry(MINIREG, layers=[])
    assert second is not first
    assert second.version == first.version
    assert sorted(second.entities) == sorted(first.entities)
    assert second.resolve_mac("00:00:00:00:00:00") == first.resolve_mac("00:00:00:00:00:00")


def test_a_changed_data_file_rebuilds_the_registry(cache_dir: Path, minireg_dir: Path) -> None:
    first = load_registry(minireg_dir, layers=[])
    group = sorted((minireg_dir / "groups").glob("*.yaml"))[0]
    group.write_text(group.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    second = load_registry(minireg_dir, layers=[])
    assert second.version != first.version


def test_a_truncated_registry_entry_is_rebuilt_not_trusted(cache_dir: Path) -> None:
    first = load_registry(MINIREG, layers=[])
    [path] = _entries(cache_dir, "registry")
    path.write_bytes(path.read_bytes()[:100])
    again = load_registry(MINIREG, layers=[])
    assert again.version == first.version and sorted(again.entities) == sorted(first.entities)


@pytest.mark.parametrize("backend", ["re", *(["hyperscan"] if hyperscan_available() else [])])
def test_a_pattern_set_survives_the_cache_with_identical_answers(cache_dir: Path, backend: str) -> None:
    import pickle

    patterns = [Pattern(r"^Hikvision-Webs"), Pattern(r"DVRDVS-Webs"), Pattern(r"(?<=x)y(?!z)"), Pattern(r"Dahua")]
    built = PatternSet(patterns, backend)  # type: ignore[arg-type]
    loaded = pickle.loads(pickle.dumps(built))
    again = PatternSet(patterns, backend)  # type: ignore[arg-type]  (the Hyperscan database from the cache)
    for text in ["Hikvision-Webs", "DVRDVS-Webs x", "xy", "xyz", "Dahua Rtsp Server", "nothing"]:
        expected = [(i, m.group(0)) for i, m in built.search(text)]
        assert [(i, m.group(0)) for i, m in loaded.search(text)] == expected
        assert [(i, m.group(0)) for i, m in again.search(text)] == expected
