"""Capability documents, generated: only schoon's own one-line errors may escape the readers and the classifier."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from schoon.capabilities import classify
from schoon.errors import SchoonError
from schoon.ingest.capdocs import DOCUMENT_KINDS, parse_document
from tests.fuzz.strategies import NASTY, fuzz_settings

ELEMENTS = ["DeviceCap", "SmartCap", "EventCap", "IntelliCap", "isSupportFaceContrast", "isSupportFaceDetect",
            "emRace", "x", "DeviceInfo", "serialNumber"]
VALUES = ["true", "false", "", "1", "Race", "EM_NATION_TYPE_UYGUR", "FaceRecognition", "&amp;", "<", "]]>", *NASTY]


def _check(data: bytes, kind: str | None) -> None:
    try:
        result = classify(parse_document(data, "fuzz", kind))
    except SchoonError as err:
        assert "\n" not in str(err) and str(err).startswith("fuzz")
        return
    for finding in result.findings:
        finding.evidence().encode("utf-8", "surrogatepass")


@st.composite
def xml_text(draw: st.DrawFn) -> str:
    depth = draw(st.integers(0, 6))
    names = [draw(st.sampled_from(ELEMENTS)) for _ in range(depth + 1)]
    inner = draw(st.sampled_from(VALUES))
    text = inner
    for name in reversed(names):
        text = f"<{name}>{text}</{name}>" if draw(st.booleans()) or name == names[0] else text
    prefix = draw(st.sampled_from(["", '<?xml version="1.0"?>', "<!DOCTYPE a>", '<!ENTITY x "y">', "\ufeff"]))
    return prefix + text


@fuzz_settings
@given(xml_text(), st.sampled_from([None, *DOCUMENT_KINDS]))
def test_generated_xml(text: str, kind: str | None) -> None:
    _check(text.encode("utf-8", "surrogatepass"), kind)


@fuzz_settings
@given(st.lists(st.tuples(st.text(max_size=30), st.sampled_from([*VALUES, "=", "a=b"])), max_size=20),
       st.sampled_from([None, *DOCUMENT_KINDS]))
def test_generated_key_values(pairs: list[tuple[str, str]], kind: str | None) -> None:
    text = "\n".join(f"{k}={v}" for k, v in pairs)
    _check(text.encode("utf-8", "surrogatepass"), kind)


@fuzz_settings
@given(st.binary(max_size=300), st.sampled_from([None, *DOCUMENT_KINDS]))
def test_random_bytes(data: bytes, kind: str | None) -> None:
    _check(data, kind)
