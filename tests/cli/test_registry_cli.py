"""``schoon registry``: the commands a user types, with their exact outcomes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from schoon import __version__
from tests.cli.helpers import run


def test_version_and_help() -> None:
    assert run("--version").out.strip() == f"schoon {__version__}"
    helped = run("--help")
    assert helped.code == 0 and "registry" in helped.out and "identify" in helped.out


def test_list_shows_every_group_with_verdicts() -> None:
    result = run("registry", "list")
    assert result.code == 0
    for group in ("hikvision", "dahua", "huawei", "zte", "hytera", "uniview", "tiandy", "dji"):
        assert group in result.out
    assert "flagged" in result.out and "registry version" in result.out


def test_show_hikvision_tree_relabels_listings_evidence_with_sources() -> None:
    result = run("registry", "show", "hikvision")
    assert result.code == 0, result.err
    out = result.out
    assert "Verdict under policy default: flagged" in out
    for expected in ("ezviz", "Corporate tree", "Relabel (OEM) brands", "(lts)", "(annke)", "Listings", "FCC Covered List",
                     "Human-rights evidence", "source:"):
        assert expected in out, expected


def test_show_json_and_policy() -> None:
    result = run("registry", "show", "sensetime", "--policy", "us-ndaa-889", "--format", "json")
    data = json.loads(result.out)
    assert data["id"] == "sensetime" and data["decision"]["verdict"] == "clear"
    assert data["listings"] and all(li["source"]["title"] for li in data["listings"])


def test_unknown_id_is_one_clear_line() -> None:
    result = run("registry", "show", "no-such-company")
    assert result.code == 2
    assert result.err == "schoon: error: no entity with id 'no-such-company' in the registry\n"


def test_search() -> None:
    result = run("registry", "search", "ezviz")
    assert result.code == 0 and "ezviz" in result.out and "hikvision" in result.out
    assert run("registry", "search", "zzzzzz").code == 1


def test_export_formats(tmp_path: Path) -> None:
    ftm = run("registry", "export", "--format", "ftm")
    lines = [json.loads(line) for line in ftm.out.splitlines()]
    assert {"Company", "Organization", "Ownership", "Sanction"} <= {x["schema"] for x in lines}
    rows = list(csv.DictReader(io.StringIO(run("registry", "export", "--format", "csv").out)))
    assert any(r["id"] == "ezviz" and r["group"] == "hikvision" for r in rows)
    target = tmp_path / "registry.json"
    assert run("registry", "export", "--format", "json", "-o", str(target)).code == 0
    assert json.loads(target.read_text())["entities"]


def test_import_ftm_adds_a_user_layer(tmp_path: Path, isolated_data_dir: Path) -> None:
    source = tmp_path / "opensanctions-sample.json"
    source.write_text(json.dumps({"id": "NK-xyz", "schema": "Company",
                                  "properties": {"name": ["Example Surveillance Ltd"], "topics": ["sanction"]}})
                      + "\n", encoding="utf-8")
    result = run("registry", "import-ftm", str(source), "--name", "sample")
    assert result.code == 0, result.err
    assert (isolated_data_dir / "registry" / "sample.ftm.json").exists()
    assert "1 entities, 1 listings" in result.out
    shown = run("registry", "show", "nk-xyz")
    assert shown.code == 0 and "flagged" in shown.out


def test_import_ftm_bad_line_changes_nothing(tmp_path: Path, isolated_data_dir: Path) -> None:
    source = tmp_path / "bad.json"
    source.write_text('{"id": "a", "schema": "Company", "properties": {"name": ["A"]}}\n{oops\n', encoding="utf-8")
    result = run("registry", "import-ftm", str(source))
    assert result.code == 2
    assert result.err.startswith(f"schoon: error: {source}:2: not valid JSON")
    assert not (isolated_data_dir / "registry").exists()


def test_policies_command() -> None:
    result = run("registry", "policies")
    for name in ("default", "us-ndaa-889", "us-fcc-covered", "us-bis-entity-list", "any-listing"):
        assert name in result.out
