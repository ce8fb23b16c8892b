"""The capability document readers: fields, namespaces, lines, device info, and hostile input refused cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schoon.errors import DataError
from schoon.ingest.capdocs import MAX_DEPTH, MAX_DOCUMENT_BYTES, parse_document, read_document
from tests.capabilities.docs import dahua_caps, dahua_rules, device_cap, smart_cap


def parse(text: str, kind: str | None = None, name: str = "doc.xml"):  # type: ignore[no-untyped-def]
    return parse_document(text.encode("utf-8"), name, kind)


def test_isapi_fields_have_paths_without_namespaces_and_lines() -> None:
    doc = parse(device_cap(event={"isSupportFaceContrast": "true"}))
    assert doc.kind == "hik-system-capabilities" and doc.vendor == "hikvision"
    found = {f.path: f for f in doc.fields}
    assert found["DeviceCap/EventCap/isSupportFaceContrast"].value == "true"
    assert found["DeviceCap/EventCap/isSupportFaceContrast"].line == 5  # the line after <EventCap>
    assert "DeviceCap/SysCap/isSupportDst" in found


def test_device_info_inside_the_document_is_read() -> None:
    info = ("<DeviceInfo><model>DS-2CD2143G2-I</model><serialNumber>DS-2CD2143G2-I20230101AAWRJ12345678</serialNumber>"
            "<macAddress>a0:bb:cc:00:11:22</macAddress><firmwareVersion>V5.7.3</firmwareVersion></DeviceInfo>")
    doc = parse(device_cap(info=info))
    assert doc.device == {"model": "DS-2CD2143G2-I", "serial": "DS-2CD2143G2-I20230101AAWRJ12345678",
                          "mac": "a0:bb:cc:00:11:22", "firmware": "V5.7.3"}


def test_a_model_element_outside_device_info_is_not_taken_for_the_device() -> None:
    doc = parse(smart_cap({"model": "something"}))
    assert doc.device == {}


@pytest.mark.parametrize("text, message, line", [
    ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n<!ENTITY lol2 "&lol;&lol;&lol;&lol;">\n]>\n'
     "<DeviceCap><x>&lol2;</x></DeviceCap>", "DOCTYPE or entity", None),
    ('<?xml version="1.0"?>\n<!DOCTYPE DeviceCap SYSTEM "http://example.invalid/x.dtd">\n<DeviceCap/>',
     "DOCTYPE or entity", None),
    ("<DeviceCap>\n<EventCap><isSupportFaceContrast>true</EventCap>\n</DeviceCap>", "malformed XML", 2),
    ("<DeviceCap><x>&undefined;</x></DeviceCap>", "malformed XML", 1),
    ("<html><body>login</body></html>", "root element <html> is not a Hikvision capability document", 1),
    ("<ResponseStatus><statusCode>4</statusCode></ResponseStatus>", "is not a Hikvision capability document", 1),
])
def test_hostile_or_wrong_xml_is_one_located_error(text: str, message: str, line: int | None) -> None:
    with pytest.raises(DataError) as caught:
        parse(text)
    assert message in str(caught.value)
    assert caught.value.file == "doc.xml"
    if line is not None:
        assert caught.value.line == line


def test_billion_laughs_is_refused_before_any_expansion() -> None:
    entities = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    text = f'<!DOCTYPE DeviceCap [<!ENTITY l0 "ha">{entities}]><DeviceCap><a>&l9;</a></DeviceCap>'
    with pytest.raises(DataError, match="entities are never expanded"):
        parse(text)


def test_deep_nesting_is_refused() -> None:
    text = "<DeviceCap>" + "<a>" * (MAX_DEPTH + 5) + "x" + "</a>" * (MAX_DEPTH + 5) + "</DeviceCap>"
    with pytest.raises(DataError, match="nested deeper"):
        parse(text)


def test_a_huge_document_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    with open(path, "wb") as handle:
        handle.write(b"<DeviceCap>")
        handle.seek(MAX_DOCUMENT_BYTES + 10)
        handle.write(b"</DeviceCap>")
    with pytest.raises(DataError, match="at most"):
        read_document(path)


def test_manifest_kind_must_agree_with_the_root() -> None:
    with pytest.raises(DataError, match="manifest says hik-smart-capabilities"):
        parse(device_cap(), kind="hik-smart-capabilities")
    with pytest.raises(DataError, match="the file is XML"):
        parse(device_cap(), kind="dahua-video-analyse-rule")


def test_not_utf8_names_the_line() -> None:
    with pytest.raises(DataError, match="not UTF-8") as caught:
        parse_document(b"<DeviceCap>\n<a>\xff</a></DeviceCap>", "bad.xml")
    assert caught.value.line == 2


def test_dahua_key_values_are_read_with_lines_and_kind() -> None:
    doc = parse(dahua_rules(("FaceAnalysis", "FaceRecognition", True)), name="cam.txt")
    assert doc.vendor == "dahua" and doc.kind == "dahua-video-analyse-rule"
    found = {f.path: f for f in doc.fields}
    assert found["table.VideoAnalyseRule[0][0].Type"].value == "FaceRecognition"
    assert found["table.VideoAnalyseRule[0][0].Type"].line == 4
    assert parse(dahua_caps(["Normal"]), name="c.txt").kind == "dahua-video-analyse-caps"
    assert parse("table.VideoAnalyseGlobal[0].Scene.Type=FaceAnalysis\n", name="g.txt").kind \
        == "dahua-video-analyse-global"


@pytest.mark.parametrize("text, message, line", [
    ("table.VideoAnalyseRule[0][0].Type=FaceRecognition\nthis is not a key value line\n", "expected key=value", 2),
    ("Error\r\nBad Request!\r\n", "answered an error", 1),
    ("foo=bar\n", "cannot tell which capability document", None),
])
def test_bad_dahua_text_is_one_located_error(text: str, message: str, line: int | None) -> None:
    with pytest.raises(DataError, match=message) as caught:
        parse(text, name="cam.txt")
    assert caught.value.line == line


def test_dahua_json_rpc_reply_is_flattened_to_the_text_form_paths() -> None:
    reply = {"id": 3, "result": True, "params": {"table": [[{"Class": "FaceAnalysis", "Enable": True,
                                                              "Type": "FaceRecognition"}]]}}
    doc = parse(json.dumps(reply), kind="dahua-video-analyse-rule", name="cam.json")
    found = {f.path: f.value for f in doc.fields}
    assert found["table[0][0].Type"] == "FaceRecognition" and found["table[0][0].Enable"] == "true"


@pytest.mark.parametrize("text, message", [
    ('{"result": false, "error": {"code": 268894209}}', "answered an error"),
    ('{"params": {"table": [1, 2,}}', "malformed JSON"),
    ("[" * 5000 + "]" * 5000, "nested"),
])
def test_bad_dahua_json_is_refused(text: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        parse(text, kind="dahua-video-analyse-caps", name="cam.json")


def test_an_empty_file_and_an_unknown_kind_are_refused() -> None:
    with pytest.raises(DataError, match="empty"):
        parse("  \n")
    with pytest.raises(DataError, match="unknown document kind"):
        parse(device_cap(), kind="hik-everything")


def test_a_namespace_prefix_is_removed_too() -> None:
    text = ('<isapi:EventCap xmlns:isapi="http://www.isapi.org/ver20/XMLSchema">'
            "<isapi:isSupportFaceSnap>true</isapi:isSupportFaceSnap></isapi:EventCap>")
    doc = parse(text)
    assert doc.kind == "hik-event-capabilities"
    assert [(f.path, f.value) for f in doc.fields] == [("EventCap/isSupportFaceSnap", "true")]


def test_crlf_dahua_text_and_values_with_equals_signs() -> None:
    doc = parse("caps.SupportedScenes[0]=FaceAnalysis\r\ncaps.Note=a=b\r\n", name="c.txt")
    assert [(f.path, f.value, f.line) for f in doc.fields] == [("caps.SupportedScenes[0]", "FaceAnalysis", 1),
                                                              ("caps.Note", "a=b", 2)]
