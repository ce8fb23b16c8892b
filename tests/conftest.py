"""Shared fixtures: the mini registry, the bundled registry, and the outside evaluation data."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from schoon import settings
from schoon.registry import Registry, load_registry
from schoon.registry.ieee import IeeeRegistry

os.environ["COLUMNS"] = "200"  # Rich tables in CLI tests: wide enough that cells are not wrapped
if "SCHOON_CACHE_DIR" not in os.environ:  # the build cache of a test run: never the user's own cache folder
    os.environ["SCHOON_CACHE_DIR"] = tempfile.mkdtemp(prefix="schoon-test-cache-")
    atexit.register(shutil.rmtree, os.environ["SCHOON_CACHE_DIR"], True)

MINIREG = Path(__file__).parent / "registry" / "fixtures" / "minireg"


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty user data folder, so no test sees another's imports."""
    folder = tmp_path / "schoon-data"
    monkeypatch.setenv("SCHOON_DATA_DIR", str(folder))
    monkeypatch.delenv("SCHOON_REGISTRY_LAYERS", raising=False)
    from schoon.registry.loader import default_registry

    default_registry.cache_clear()
    return folder


@pytest.fixture
def minireg_dir(tmp_path: Path) -> Path:
    """A writable copy of the mini registry (two fictional groups)."""
    target = tmp_path / "minireg"
    shutil.copytree(MINIREG, target)
    return target


@pytest.fixture
def mini_ieee() -> IeeeRegistry:
    """A tiny IEEE table for the mini registry."""
    return IeeeRegistry({"A0BBCC": "Acme Vision Technology Co.,Ltd.", "112233": "Acme Scale Factory Ltd",
                         "DDEEFF": "Somebody Else Inc."})


@pytest.fixture
def mini(minireg_dir: Path, mini_ieee: IeeeRegistry) -> Registry:
    return load_registry(minireg_dir, layers=[], ieee=mini_ieee)


@pytest.fixture(scope="session")
def bundled() -> Registry:
    """The bundled registry without user layers."""
    return load_registry(layers=[])


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    """The outside evaluation data folder (SCHOON_EVAL_DIR, default ../shared/eval)."""
    return settings.eval_dir()


def require_eval(path: Path) -> Path:
    """Skip the calling test module with a clear reason when outside evaluation data is absent."""
    if not path.exists():
        pytest.skip(f"outside evaluation data not found at {path} (set SCHOON_EVAL_DIR)", allow_module_level=True)
    return path
