"""Settings that name files are checked: one line for a missing file, a folder, a non-database, memory."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from schoon import settings
from schoon.settings import DbUse, SettingError, check_db_url


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///file::memory:?cache=shared",
                                 "sqlite:///data.db?mode=memory&cache=shared", "sqlite+pysqlite://"])
def test_in_memory_databases_are_refused(url: str) -> None:
    for use in DbUse:
        with pytest.raises(SettingError, match="in-memory database, which keeps nothing"):
            check_db_url(url, use)


def test_the_setting_is_named_when_it_is_the_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHOON_DB_URL", "sqlite://")
    with pytest.raises(SettingError, match=r"^SCHOON_DB_URL: "):
        check_db_url(None)
    with pytest.raises(SettingError, match=r"^--db: "):
        check_db_url("sqlite:///:memory:")


def test_folder_missing_file_and_non_database(tmp_path: Path) -> None:
    with pytest.raises(SettingError, match="is a folder, not a database file"):
        check_db_url(f"sqlite:///{tmp_path}")
    missing = tmp_path / "missing.db"
    with pytest.raises(SettingError, match="no database at"):
        check_db_url(f"sqlite:///{missing}", DbUse.READ)
    assert check_db_url(f"sqlite:///{missing}", DbUse.WRITE).endswith("missing.db")
    with pytest.raises(SettingError, match=r"folder .* does not exist"):
        check_db_url(f"sqlite:///{tmp_path / 'nope' / 'a.db'}", DbUse.WRITE)
    assert check_db_url(f"sqlite:///{tmp_path / 'nope' / 'a.db'}", DbUse.CREATE)
    text = tmp_path / "register.csv"
    text.write_text("Merk;Type\nHikvision;DS-2CD\n", encoding="utf-8")
    with pytest.raises(SettingError, match="is not a SQLite database"):
        check_db_url(f"sqlite:///{text}", DbUse.READ)


def test_real_and_empty_sqlite_files_and_other_databases_pass(tmp_path: Path) -> None:
    real = tmp_path / "real.db"
    sqlite3.connect(real).execute("create table t (x)").connection.commit()
    empty = tmp_path / "empty.db"
    empty.touch()
    for path in (real, empty):
        assert check_db_url(f"sqlite:///{path}", DbUse.READ) == f"sqlite:///{path}"
    assert check_db_url("postgresql://u@127.0.0.1:1/x", DbUse.READ) == "postgresql://u@127.0.0.1:1/x"
    with pytest.raises(SettingError, match="empty database URL"):
        check_db_url("  ")


def test_data_dir_must_be_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    monkeypatch.setenv("SCHOON_DATA_DIR", str(afile))
    with pytest.raises(SettingError, match=r"SCHOON_DATA_DIR: .* is not a folder"):
        settings.data_dir()
    monkeypatch.setenv("SCHOON_DATA_DIR", str(tmp_path / "not-yet"))
    assert settings.data_dir() == tmp_path / "not-yet"


def test_registry_layers_must_be_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHOON_REGISTRY_LAYERS", f"{tmp_path / 'gone.ftm.json'}")
    with pytest.raises(SettingError, match="SCHOON_REGISTRY_LAYERS: no such file"):
        settings.registry_layers()
    monkeypatch.setenv("SCHOON_REGISTRY_LAYERS", str(tmp_path))
    with pytest.raises(SettingError, match="is a folder"):
        settings.registry_layers()
    layer = tmp_path / "a.ftm.json"
    layer.write_text("", encoding="utf-8")
    monkeypatch.setenv("SCHOON_REGISTRY_LAYERS", f"{layer}::")
    assert settings.registry_layers() == [layer]
