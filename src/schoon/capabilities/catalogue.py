"""What each capability field means, with the source of that meaning: the table the classifier reads.

Hikvision fields are ISAPI element names (matched as the last elements of a path, namespaces removed); a field
counts when its value is ``true``. Dahua fields are rule types, scene classes and event codes (matched as values
of ``Type``, ``Class``, ``Code``, ``Scene`` and ``Supported…`` keys); a rule counts unless its ``Enable`` is
false. Field names are from ``shared/research/next-wave.md`` §3.1 and §3.2; each rule names its source, and
``verified=False`` marks a meaning no source we read states (it is shown as such in the evidence).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from schoon.registry.model import CapabilityName

CAPABILITIES: tuple[str, ...] = get_args(CapabilityName)

#: One line per capability, for tables and documentation.
DESCRIPTIONS: dict[str, str] = {
    "face-detection": "finds faces in the image (and may capture them); detection alone is not recognition",
    "face-recognition": "compares faces against a face library or watch list (identifies people)",
    "people-attributes": "classifies people by attributes such as age, gender, clothing, glasses, beard",
    "ethnicity-or-skin-colour": "classifies people by race, skin colour, nation or minority",
    "crowd-counting": "counts people or faces, or measures crowd density",
}

HIK_OPEN_SMARTCAP = "https://open.hikvision.com/hardware/XMLs/DEVICE_ABILITY_SmartCap.html"
HIK_OPEN_INTELLICAP = "https://open.hikvision.com/hardware/XMLs/XML_CAB_IntelliCap.html"
HIK_OPEN_LIBINFO = "https://open.hikvision.com/hardware/definitions/NET_DVR_STDXMLConfig_XFA_LibInfo.html"
HIK_DEVICECAP = "observed /ISAPI/System/capabilities response, public code index id 56820204191 (next-wave.md §3.1)"
HIK_WEBUI = "Hikvision web component reading eventCapa, public code index id 13972363816 (next-wave.md §3.1)"
HIK_EVENTCAP = "EventCap field list, public code index id 70721248751 (next-wave.md §3.1)"
HIK_ACS = "/ISAPI/AccessControl/capabilities sample, public code index id 70525431723 (next-wave.md §3.1)"
DAHUA_ENUM = "miyou995/new_gym:backend/NetSDK/SDK_Enum.py@b38ef65d500989723b4ef1768715c72dae6cb6d5"
DAHUA_JAVA = "Dahua NetSDK Java constants, public code index ids 56183986866, 10505314350 (next-wave.md §3.2)"
DAHUA_RACE = "zhongershashen/zhi_hui_hui_tian:inetsdk/src/main/java/com/company/NetSDK/EM_RACE_TYPE.java"
DAHUA_NATION = "Dahua NetSDK EM_NATION_TYPE, public code index ids 19888504182, 10122507078 (next-wave.md §3.2)"
NAME_RULE = "schoon's name rule: the field name or value says race, ethnicity, nation, minority or skin colour"


@dataclass(frozen=True)
class FieldRule:
    """A field and what it proves when present and on: zero or more capabilities, a meaning, a source."""

    vendor: str  # hikvision | dahua
    name: str  # Hikvision: element path suffix ("SmartCap/isSupportFaceDetect"); Dahua: the value ("FaceRecognition")
    capabilities: tuple[str, ...]
    meaning: str
    source: str
    verified: bool = True


def _hik(name: str, caps: tuple[str, ...], meaning: str, source: str, verified: bool = True) -> FieldRule:
    return FieldRule("hikvision", name, caps, meaning, source, verified)


def _dahua(name: str, caps: tuple[str, ...], meaning: str, source: str, verified: bool = True) -> FieldRule:
    return FieldRule("dahua", name, caps, meaning, source, verified)


FD, FR, PA, CC = ("face-detection",), ("face-recognition",), ("people-attributes",), ("crowd-counting",)

HIKVISION: tuple[FieldRule, ...] = (
    _hik("isSupportFaceContrast", FR, "face comparison against a face library (人脸比对)", HIK_DEVICECAP),
    _hik("isSupportWhiteListFaceContrast", FR, "face comparison against an allow list", HIK_EVENTCAP),
    _hik("isSupportFDLib", FR, "face picture library (人脸库) for comparison", HIK_ACS),
    _hik("isSupportFaceSnap", FD, "face capture (snapshots of detected faces); no comparison", HIK_WEBUI),
    _hik("SmartCap/isSupportFaceDetect", FD, "face detection (人脸侦测); detection, not recognition",
         HIK_OPEN_SMARTCAP),
    _hik("IntelliCap/isFaceSupport", FD, "face functions (是否支持人脸功能); does not say whether comparison is "
         "included", HIK_OPEN_INTELLICAP),
    _hik("isSupportFaceCaptureStatistics", CC + FD, "face capture statistics: counts captured faces",
         HIK_DEVICECAP),
    _hik("IntelliCap/isFaceCaptureStatisticsSupport", CC + FD, "face capture statistics: counts captured faces",
         HIK_OPEN_INTELLICAP),
    _hik("isSupportPersonDensityDetection", CC, "person density (crowd) detection", HIK_WEBUI),
    _hik("isSupportHumanAttribute", PA, "human attribute analysis (age, gender, clothing ...)", HIK_WEBUI),
    _hik("isSupportIntelligentStructureAnalysis", PA, "structured analysis: attributes of people (and vehicles)",
         HIK_WEBUI),
    _hik("isSupportHumanRecognition", (), "human (body) detection: the web UI reads it as bSupportHumanDetect; "
         "not faces, not identity", HIK_WEBUI),
    _hik("SmartCap/isSupportPeopleDetection", (), "people (body) detection; not faces, not identity",
         HIK_OPEN_SMARTCAP),
)

DAHUA: tuple[FieldRule, ...] = (
    _dahua("FaceDetection", FD, "face detection rule (EVENT_IVS_FACEDETECT); detection, not recognition",
           DAHUA_ENUM, verified=False),
    _dahua("EVENT_IVS_FACEDETECT", FD, "face detection event (0x1A); detection, not recognition", DAHUA_ENUM),
    _dahua("FaceRecognition", FR, "face recognition rule: comparison against a face database "
           "(EVENT_IVS_FACERECOGNITION)", DAHUA_ENUM, verified=False),
    _dahua("EVENT_IVS_FACERECOGNITION", FR, "face recognition event (0x117, now 'target recognition')", DAHUA_ENUM),
    _dahua("TargetRecognition", FR, "scene class 'TargetRecognition' (7): the current name of face recognition",
           DAHUA_ENUM),
    _dahua("FaceAnalysis", PA, "scene class 'FaceAnalysis' (27) / analyse type FACE_ANALYSIS: face attributes "
           "(age, sex, glasses, mask ...)", DAHUA_ENUM),
    _dahua("EVENT_IVS_FACEANALYSIS", PA, "face analysis event (0x217, 人脸分析): face attributes", DAHUA_JAVA),
    _dahua("HumanTrait", PA, "human trait rule (EVENT_IVS_HUMANTRAIT, 人体特征): body and face attributes",
           DAHUA_JAVA, verified=False),
    _dahua("EVENT_IVS_HUMANTRAIT", PA, "human trait event (0x215, 人体特征): body and face attributes", DAHUA_JAVA),
    _dahua("NumberStat", CC, "people counting rule", "Dahua rule name; not in the research, not verified",
           verified=False),
    _dahua("ManNumDetection", CC, "number of people in an area", "Dahua rule name; not in the research, not "
           "verified", verified=False),
    _dahua("CrowdDetection", CC, "crowd detection rule", "Dahua rule name; not in the research, not verified",
           verified=False),
)

#: Dahua attribute fields whose presence (with a value other than false/0) shows ethnicity or skin colour.
DAHUA_ATTRIBUTES: dict[str, tuple[str, str]] = {
    "emrace": ("skin-colour type EM_RACE_TYPE (肤色): UNKNOWN, NODISTI, YELLOW, BLACK, WHITE", DAHUA_RACE),
    "emnation": ("nation type EM_NATION_TYPE (民族): UNKNOWN, UYGUR (维族(新疆)), OTHER, UNIDENTIFIED", DAHUA_NATION),
}

#: Dahua attribute enum values that name a race or a nation.
DAHUA_VALUE_PREFIXES: dict[str, tuple[str, str]] = {
    "EM_RACE_": ("an EM_RACE_TYPE skin-colour value", DAHUA_RACE),
    "EM_NATION_TYPE_": ("an EM_NATION_TYPE nation value (UYGUR = 维族(新疆))", DAHUA_NATION),
}
