"""The whole engine against outside ground truth: Recog's labelled banners and real device captures.

Rule-level checks live in test_rules_data.py; here every example goes through identify and assess as a
user's record would, and the figures (recall, false flags) are printed for the closing note.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import mmh3
import pytest

from schoon import settings
from schoon.identify import Engine
from schoon.observation import Observation
from schoon.registry import load_registry
from tests.conftest import require_eval
from tests.identify.test_rules_data import RECOG_FIELD, REJECTED, RELABELLED

REALWORLD = require_eval(settings.eval_dir() / "realworld")
# Recog's expected vendor -> the group that made it (relabel brands resolve to their maker's group).
MAKER_GROUP = {"Hikvision": "hikvision", "Dahua": "dahua", "Huawei": "huawei", "ZTE": "zte", "HiSilicon": "huawei",
               "Lorex": "dahua", "ANNKE": "hikvision"}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_registry(layers=[]), as_of="2026-11-28")


def _recog_rows() -> list[dict[str, object]]:
    path = REALWORLD / "recog_camera_and_target_vendor_examples.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _observation(row: dict[str, object]) -> Observation | None:
    field = RECOG_FIELD.get(Path(str(row["source_path"])).stem)
    if field is None:
        return None
    return Observation.from_mapping({field: row["input"]}, source="recog", row=0)


def test_recog_target_examples_are_identified_as_their_group(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    identified, flagged, missed = 0, 0, []
    for row in _recog_rows():
        if not row["target_vendor_match"] or row["input"] in REJECTED:
            continue
        obs = _observation(row)
        if obs is None:
            continue
        expected = ("huawei" if row["input"] in RELABELLED else MAKER_GROUP[str(row["expected_vendor"])])
        finding = engine.run(obs)
        if finding.identification.group_id == expected:
            identified += 1
            flagged += finding.verdict == "flagged"
        else:
            missed.append((row["input"], expected, finding.identification.group_id))
    total = identified + len(missed)
    with capsys.disabled():
        print(f"\nRecog target examples through the engine: {identified}/{total} identified as their group "
              f"({flagged} flagged at confidence >= 0.5, {identified - flagged} 'possible')")
    assert missed == []


def test_recog_non_target_examples_are_never_flagged(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    checked, wrong = 0, []
    for row in _recog_rows():
        if row["target_vendor_match"]:
            continue
        obs = _observation(row)
        if obs is None:
            continue
        checked += 1
        finding = engine.run(obs)
        if finding.verdict == "flagged" or finding.identification.group_id is not None:
            wrong.append((row["expected_vendor"], row["input"], finding.identification.group_id))
    with capsys.disabled():
        print(f"\nRecog non-target examples: {len(wrong)} of {checked} named a registry group")
    assert checked > 100 and wrong == []


def _flagged_as(engine: Engine, expected: str, **fields: object) -> None:
    finding = engine.run(Observation.from_mapping(fields, source="realworld", row=0))
    assert finding.identification.group_id == expected, finding.identification.signals
    assert finding.verdict == "flagged", finding.reason


def test_hikvision_isapi_captures(engine: Engine) -> None:
    _flagged_as(engine, "hikvision",
                http_body=(REALWORLD / "hikvision_isapi_deviceInfo_DS-2CD2386G2-IU.xml").read_text(encoding="utf-8"))
    dumps = sorted(REALWORLD.glob("hikvision_isapi_dump_*.json"))
    assert len(dumps) == 4
    for dump in dumps:
        _flagged_as(engine, "hikvision", http_body=_device_info_xml(json.loads(dump.read_text(encoding="utf-8"))))


def _device_info_xml(dump: dict[str, object]) -> str:
    """The deviceInfo reply as the device sent it (the fixture stores it as a dict converted from XML)."""
    info = dump["data"]["ISAPI"]["System/deviceInfo"]["response"]["DeviceInfo"]  # type: ignore[index]
    elements = "".join(f"<{k}>{v}</{k}>" for k, v in info.items() if not k.startswith("@"))
    return f'<?xml version="1.0" encoding="UTF-8"?><DeviceInfo version="{info["@version"]}" ' \
           f'xmlns="{info["@xmlns"]}">{elements}</DeviceInfo>'



def test_hikvision_deviceinfo_summaries(engine: Engine) -> None:
    rows = [json.loads(line) for line in (REALWORLD / "hikvision_next_deviceinfo_summary.jsonl")
            .read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) == 15
    for row in rows:
        finding = engine.run(Observation.from_mapping(
            {"model": row["model"], "onvif_manufacturer": row.get("manufacturer") or None,
             "firmware": row.get("firmwareVersion")}, source="summary", row=0))
        assert finding.identification.group_id == "hikvision", row["model"]
        assert finding.identification.device_type is not None, row["model"]


def test_hikvision_nvr_web_ui(engine: Engine) -> None:
    raw = (REALWORLD / "hikvision_nvr_webui_favicon.ico").read_bytes()
    _flagged_as(engine, "hikvision", favicon_mmh3=mmh3.hash(base64.encodebytes(raw)),
                favicon_md5=hashlib.md5(raw).hexdigest())
    _flagged_as(engine, "hikvision",
                http_body=(REALWORLD / "hikvision_nvr_webui_project_config.json").read_text(encoding="utf-8"))


def test_dahua_magicbox_replies_including_the_lorex_nvr(engine: Engine) -> None:
    text = (REALWORLD / "dahua_magicbox_getSystemInfo_examples.txt").read_text(encoding="utf-8")
    blocks = [b for b in text.split("### ")[1:] if "expected_vendor=" in b.splitlines()[0]]
    assert len(blocks) >= 2
    for block in blocks:
        body = "\n".join(line for line in block.splitlines()[1:] if line and not line.startswith("#"))
        finding = engine.run(Observation.from_mapping({"http_body": body}, source="magicbox", row=0))
        assert finding.identification.group_id == "dahua", body
