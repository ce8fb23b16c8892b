"""``schoon capabilities`` and ``schoon audit capabilities``: thin commands, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.audit.conftest import DEMO
from tests.capabilities.docs import device_cap, smart_cap
from tests.cli.helpers import run


def test_capabilities_prints_findings_as_json_and_table(tmp_path: Path) -> None:
    doc = tmp_path / "cam.xml"
    doc.write_text(device_cap(event={"isSupportFaceContrast": "true"}), encoding="utf-8")
    smart = tmp_path / "smart.xml"
    smart.write_text(smart_cap({"isSupportFaceDetect": "true"}), encoding="utf-8")
    result = run("capabilities", str(doc), str(smart), "--format", "json")
    assert result.code == 0, result.err
    records = json.loads(result.out)
    assert [r["capabilities"] for r in records] == [["face-recognition"], ["face-detection"]]
    assert records[1]["summary"] == "face detection only (detection is not recognition)"
    assert records[0]["findings"][0]["field"] == "DeviceCap/EventCap/isSupportFaceContrast"
    lines = run("capabilities", str(doc), "--format", "jsonl").out.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["vendor"] == "hikvision"
    table = run("capabilities", str(doc))
    assert "face-recognition" in table.out and "isSupportFaceContrast" in table.out


def test_capabilities_refuses_hostile_xml_in_one_line(tmp_path: Path) -> None:
    doc = tmp_path / "evil.xml"
    doc.write_text('<!DOCTYPE x [<!ENTITY a "aaaa">]><DeviceCap>&a;</DeviceCap>', encoding="utf-8")
    result = run("capabilities", str(doc))
    assert result.code == 2
    assert result.err.strip().startswith("schoon: error:") and "evil.xml" in result.err
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


def test_audit_capabilities_imports_and_reports_unmatched(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'audit.db'}"
    imported = run("audit", "import", "--org", "mvz", "--create", "--date", "02-03-2026",
                   str(DEMO / "register.csv"), "--db", db)
    assert imported.code == 0, imported.err
    root = tmp_path / "exports"
    root.mkdir()
    (root / "MVZ-0001.xml").write_text(device_cap(event={"isSupportFaceContrast": "true"}), encoding="utf-8")
    (root / "unknown.xml").write_text(device_cap(), encoding="utf-8")
    result = run("audit", "capabilities", str(root), "--org", "mvz", "--db", db)
    assert result.code == 0, result.err
    assert "2 capability documents, 1 matched to devices" in result.out
    assert "face-recognition 1" in result.out
    assert "unknown.xml: matched no device" in result.err
    missing = run("audit", "capabilities", str(root), "--org", "nobody", "--db", db)
    assert missing.code == 2 and "unknown organisation 'nobody'" in missing.err
