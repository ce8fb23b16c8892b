"""Fixtures: the emulated estate (started once per module that asks for it) and a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from schoon.cli import app
from schoon.errors import SchoonError
from tests.discover.estate import Device, Estate, devices, hostile_devices


@pytest.fixture(scope="session", autouse=True)
def data_dir_for_module_fixtures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A throwaway user data folder for module-scoped scans, which run before the per-test one is set.

    Without it the default audit log of a scan in a module fixture would land in the real user data folder.
    """
    folder = tmp_path_factory.mktemp("schoon-data-session")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCHOON_DATA_DIR", str(folder))
        yield folder


def running(members: list[Device], certs: Path) -> Iterator[Estate]:
    """Start an estate for a module fixture and stop it afterwards. Only a failure to bind its ports at start
    (ports below 1024 need root or CAP_NET_BIND_SERVICE) skips, with that reason; nothing later is turned into a
    skip."""
    estate = Estate(members, certs)
    try:
        estate.__enter__()
    except PermissionError as err:
        pytest.skip(f"cannot bind the emulated estate's low ports: {err}")
    try:
        yield estate
    finally:
        estate.__exit__(None, None, None)


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Estate]:
    """The standard estate on 127.51.0.x and 127.51.1.1."""
    yield from running(devices(), tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Estate]:
    """Devices that answer badly, on 127.51.2.x."""
    yield from running(hostile_devices(), tmp_path_factory.mktemp("certs"))


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run ``schoon`` in-process; (exit code, stdout, stderr)."""
    result = CliRunner().invoke(app, list(args))
    if isinstance(result.exception, SchoonError):  # what schoon.cli.main prints, exit 2
        return 2, result.stdout, result.stderr + f"schoon: error: {result.exception}\n"
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def jsonl(text: str) -> list[dict[str, object]]:
    """Parse JSON lines."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


FAST = ("--rate", "4000", "--timeout", "1.5")  # generous: the estate shares a loaded machine


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    """An output file path."""
    return tmp_path / "out.jsonl"
