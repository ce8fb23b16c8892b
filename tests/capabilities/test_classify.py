"""Classification: every field the research lists, both ways (on → its finding; off or absent → none)."""

from __future__ import annotations

import pytest

from schoon.capabilities import CAPABILITIES, classify, summarise
from schoon.capabilities.catalogue import DAHUA, HIKVISION
from schoon.capabilities.classify import names_ethnicity
from schoon.ingest.capdocs import parse_document
from tests.capabilities.docs import dahua_caps, dahua_rules, device_cap, event_cap, smart_cap


def classified(text: str, name: str = "doc.xml", kind: str | None = None):  # type: ignore[no-untyped-def]
    return classify(parse_document(text.encode("utf-8"), name, kind))


def hik_document(rule_name: str, value: str) -> str:
    """A document with the field where the research puts it."""
    parts = rule_name.split("/")
    element = parts[-1]
    if parts[0] == "SmartCap":
        return smart_cap({element: value})
    if parts[0] == "IntelliCap":
        return device_cap(extra=f"<IntelliCap><{element}>{value}</{element}></IntelliCap>")
    if element in ("isSupportFaceCaptureStatistics", "isSupportHumanAttribute", "isSupportPersonDensityDetection",
                   "isSupportIntelligentStructureAnalysis"):
        return device_cap(top={element: value})
    if element == "isSupportFDLib":
        return device_cap(extra=f"<AccessControl><{element}>{value}</{element}></AccessControl>")
    return device_cap(event={element: value})


@pytest.mark.parametrize("rule", HIKVISION, ids=lambda r: r.name)
def test_every_hikvision_field_true_gives_its_findings(rule) -> None:  # type: ignore[no-untyped-def]
    result = classified(hik_document(rule.name, "true"))
    assert sorted(result.capabilities) == sorted(rule.capabilities)
    for finding in result.findings:
        assert finding.field.endswith(rule.name) and finding.value == "true"
        assert finding.source == rule.source and finding.line is not None
    if not rule.capabilities:  # known, and proves none of the five: said in a note, not dropped
        assert any(rule.name.split("/")[-1] in note and "no finding" in note for note in result.notes)


@pytest.mark.parametrize("rule", HIKVISION, ids=lambda r: r.name)
def test_every_hikvision_field_false_gives_none(rule) -> None:  # type: ignore[no-untyped-def]
    result = classified(hik_document(rule.name, "false"))
    assert result.findings == []
    assert any("not supported" in note for note in result.notes)


def test_absent_fields_give_no_finding() -> None:
    for text in (device_cap(), smart_cap({}), event_cap({})):
        assert classified(text).findings == []


def test_a_value_that_is_not_boolean_is_noted_not_counted() -> None:
    result = classified(device_cap(event={"isSupportFaceContrast": "maybe"}))
    assert result.findings == [] and "not true or false" in result.notes[0]


def test_face_snap_under_the_event_capabilities_root_is_found_too() -> None:
    result = classified(event_cap({"isSupportFaceSnap": "true", "isSupportSmartDetection": "true"}))
    assert result.capabilities == ["face-detection"]


def test_detection_alone_is_not_recognition() -> None:
    detection = classified(smart_cap({"isSupportFaceDetect": "true"}))
    assert detection.capabilities == ["face-detection"]
    assert detection.summary() == "face detection only (detection is not recognition)"
    both = classified(device_cap(event={"isSupportFaceContrast": "true", "isSupportFaceSnap": "true"}))
    assert both.summary().startswith("face recognition (comparison against a face library)")
    assert summarise([]) == "no face, people-attribute or counting capability shown"


DAHUA_PLACES = ("Type", "SupportedScenes", "SupportedRules")


@pytest.mark.parametrize("rule", DAHUA, ids=lambda r: r.name)
def test_every_dahua_value_in_an_enabled_rule_gives_its_findings(rule) -> None:  # type: ignore[no-untyped-def]
    result = classified(dahua_rules(("Normal", rule.name, True)), name="cam.txt")
    assert result.capabilities == list(rule.capabilities)
    assert result.findings[0].field == "table.VideoAnalyseRule[0][0].Type" and result.findings[0].line == 4
    assert result.findings[0].verified is rule.verified
    in_caps = classified(dahua_caps([rule.name]), name="caps.txt")
    assert in_caps.capabilities == list(rule.capabilities)


@pytest.mark.parametrize("rule", DAHUA, ids=lambda r: r.name)
def test_every_dahua_value_in_a_disabled_rule_gives_none(rule) -> None:  # type: ignore[no-untyped-def]
    result = classified(dahua_rules(("Normal", rule.name, False)), name="cam.txt")
    assert result.findings == []
    assert "disabled" in result.notes[0]


def test_a_rule_name_is_the_users_words_not_evidence() -> None:
    result = classified("table.VideoAnalyseRule[0][0].Name=FaceRecognition\n"
                        "table.VideoAnalyseRule[0][0].Type=CrossLineDetection\n", name="cam.txt")
    assert result.findings == []


@pytest.mark.parametrize("key, value", [
    ("emRace", "EM_RACE_YELLOW"), ("emNation", "EM_NATION_TYPE_UYGUR"), ("emRace", "EM_RACE_UNKNOWN"),
    ("FeatureList[0]", "Race"), ("Attribute", "EM_NATION_TYPE_UYGUR"), ("SkinColor", "true"),
    ("SupportedAttributes[2]", "Nation"), ("Comment2", "维族"),
])
def test_dahua_race_and_nation_fields_give_ethnicity(key: str, value: str) -> None:
    text = dahua_rules(("FaceAnalysis", "FaceAnalysis", True),
                       extra=f"table.VideoAnalyseRule[0][0].Config.{key}={value}\n")
    result = classified(text, name="cam.txt")
    assert "ethnicity-or-skin-colour" in result.capabilities
    finding = next(f for f in result.findings if f.capability == "ethnicity-or-skin-colour")
    assert finding.field == f"table.VideoAnalyseRule[0][0].Config.{key}" and finding.value == value


@pytest.mark.parametrize("key, value", [("emRace", "false"), ("SkinColor", "0")])
def test_dahua_race_fields_switched_off_give_none(key: str, value: str) -> None:
    result = classified(dahua_rules(("Normal", "CrossLineDetection", True),
                                    extra=f"table.VideoAnalyseRule[0][0].Config.{key}={value}\n"), name="cam.txt")
    assert result.findings == [] and "not counted" in result.notes[0]


def test_dahua_race_field_in_a_disabled_rule_gives_none() -> None:
    result = classified(dahua_rules(("FaceAnalysis", "FaceAnalysis", False),
                                    extra="table.VideoAnalyseRule[0][0].Config.emRace=EM_RACE_WHITE\n"),
                        name="cam.txt")
    assert result.findings == []


def test_hikvision_fields_named_for_race_give_ethnicity_marked_unverified() -> None:
    result = classified(device_cap(top={"isSupportRaceAttribute": "true", "isSupportSkinColor": "false"}))
    assert result.capabilities == ["ethnicity-or-skin-colour"]
    assert result.findings[0].field == "DeviceCap/isSupportRaceAttribute" and not result.findings[0].verified


@pytest.mark.parametrize("text, expected", [
    ("emRace", True), ("emNation", True), ("isSupportEthnicity", True), ("SkinColour", True), ("skin_tone", True),
    ("UYGUR", True), ("少数民族", True), ("isSupportIntelliTrace", False), ("Destination", False),
    ("isSupportNationalStandard", False), ("Trace", False), ("SkinSmoothing", False), ("Grace", False),
])
def test_names_ethnicity(text: str, expected: bool) -> None:
    assert names_ethnicity(text) is expected


def test_catalogue_capabilities_are_the_five() -> None:
    assert CAPABILITIES == ("face-detection", "face-recognition", "people-attributes", "ethnicity-or-skin-colour",
                            "crowd-counting")
    for rule in (*HIKVISION, *DAHUA):
        assert set(rule.capabilities) <= set(CAPABILITIES) and rule.source and rule.meaning
