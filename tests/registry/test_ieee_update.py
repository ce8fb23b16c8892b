"""Fresher IEEE data: installed from files or downloaded (here from a mirror on 127.0.0.1), then used."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from schoon.registry import load_registry
from schoon.registry.ieee import IeeeRegistry
from tests.cli.helpers import run

HEADER = "Registry,Assignment,Organization Name,Organization Address\n"
FILES = {
    "oui.csv": HEADER + 'MA-L,A0B1C2,Example Networks Ltd,"1 Road, Town"\n',
    "mam.csv": HEADER + "MA-M,4419B61,\"Hangzhou Hikvision Digital Technology Co.,Ltd.\",Hangzhou\n",
    "oui36.csv": HEADER + "MA-S,70B3D5123,Tiny Sensor Maker,Somewhere\n",
}


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 serving the three IEEE files."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_download_installs_all_three_and_lookups_use_them(mirror: str, isolated_data_dir: Path) -> None:
    result = run("registry", "update-ieee", "--download", "--base-url", mirror)
    assert result.code == 0, result.err
    assert sorted(p.name for p in (isolated_data_dir / "ieee").glob("*.csv")) == ["mam.csv", "oui.csv", "oui36.csv"]
    ieee = IeeeRegistry.shipped()
    assert ieee.lookup("a0:b1:c2:00:00:01").assignee == "Example Networks Ltd"  # type: ignore[union-attr]
    assert ieee.lookup("70:b3:d5:12:30:00").assignee == "Tiny Sensor Maker"  # type: ignore[union-attr]
    match = load_registry(layers=[]).resolve_mac("44:19:b6:10:00:01")
    assert match is not None and match.prefix == "4419B61" and match.entity_id == "hikvision"


def test_a_bad_file_installs_nothing(tmp_path: Path, isolated_data_dir: Path) -> None:
    good = tmp_path / "oui.csv"
    good.write_text(FILES["oui.csv"], encoding="utf-8")
    bad = tmp_path / "mam.csv"
    bad.write_text(HEADER + "MA-M,XYZ,Broken,Nowhere\n", encoding="utf-8")
    result = run("registry", "update-ieee", str(good), str(bad))
    assert result.code == 2 and f"{bad}:2: Assignment: bad assignment 'XYZ'" in result.err
    assert not (isolated_data_dir / "ieee").exists()


def test_unreachable_mirror_is_one_line() -> None:
    result = run("registry", "update-ieee", "--download", "--base-url", "http://127.0.0.1:9")
    assert result.code == 2 and result.err.startswith("schoon: error: http://127.0.0.1:9/oui.csv: cannot download")
