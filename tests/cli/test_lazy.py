"""``schoon --help`` is instant: it imports no verb module, and its summaries are the verbs' own help texts."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from schoon.cli import VERBS, verb_command
from tests.cli.helpers import run


def test_help_imports_no_verb_and_no_heavy_library() -> None:
    code = ("import sys\nfrom schoon.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('schoon.cli.audit', 'schoon.cli.identify', 'schoon.registry', 'sqlalchemy', "
            "'openpyxl', 'pydantic', 'hyperscan', 'yaml') if m in sys.modules]\nprint('HEAVY', heavy)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert "HEAVY []" in done.stdout
    for verb in VERBS:
        assert verb in done.stdout


@pytest.mark.parametrize("verb", list(VERBS))
def test_each_summary_is_the_verbs_own_help(verb: str) -> None:
    module, attribute, summary = VERBS[verb]
    target = getattr(importlib.import_module(module), attribute)
    own = target.info.help if isinstance(target, typer.Typer) else target.__doc__.strip().splitlines()[0]
    assert summary == own
    assert verb_command(verb) is not None


def test_identify_does_not_import_the_audit_store() -> None:
    code = ("import sys\nfrom schoon.cli import main\ntry:\n    main(['identify', '--help'])\nexcept SystemExit:\n"
            "    pass\nprint('LOADED', [m for m in ('sqlalchemy', 'openpyxl', 'schoon.audit') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert "LOADED []" in done.stdout


def test_unknown_verb_is_a_usage_error() -> None:
    result = run("frobnicate")
    assert result.code == 2
    assert "frobnicate" in result.err


def test_one_banner_record_loads_no_name_matcher_reports_or_http(tmp_path: Path) -> None:
    """Start-up of ``schoon identify`` on a record without declared vendor or supplier: the names package (and its
    index), the report models, urllib's HTTP client and Typer's pydantic adapters stay unloaded."""
    record = tmp_path / "one.jsonl"
    record.write_text('{"id": "cam-1", "http_server": "Hikvision-Webs", "http_title": "Login"}\n')
    code = ("import sys\nfrom schoon.cli import main\ntry:\n"
            f"    main(['identify', {str(record)!r}, '--format', 'jsonl', '--as-of', '2026-11-28'])\n"
            "except SystemExit:\n    pass\nprint('LOADED', [m for m in ('schoon.names', 'rapidfuzz', 'schoon.report', "
            "'urllib.request', 'typer._adapters') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert '"manufacturer_id": "hikvision' in done.stdout
    assert "LOADED []" in done.stdout
