"""Fixtures for the measurement tests: the synthetic scan with its truth, and the engine built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.measure import scenario


@pytest.fixture
def scan(tmp_path: Path) -> tuple[Path, Path, scenario.Truth]:
    """The synthetic scan file, its prefix table and the truth."""
    return scenario.write(tmp_path)
