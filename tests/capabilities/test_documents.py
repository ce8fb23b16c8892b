"""The input folder: manifest rows, links from the manifest, the document or the file name; located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoon.capabilities import read_documents
from schoon.capabilities.documents import read_manifest
from schoon.errors import DataError
from tests.capabilities.docs import dahua_rules, device_cap, smart_cap


def folder(tmp_path: Path, manifest: str | None = None) -> Path:
    root = tmp_path / "caps"
    root.mkdir()
    (root / "cam-MVZ-0001.xml").write_text(device_cap(event={"isSupportFaceContrast": "true"}), encoding="utf-8")
    info = "<DeviceInfo><serialNumber>SN123</serialNumber><macAddress>a0:bb:cc:00:11:22</macAddress></DeviceInfo>"
    (root / "second.xml").write_text(device_cap(info=info), encoding="utf-8")
    (root / "rules.txt").write_text(dahua_rules(("FaceAnalysis", "FaceAnalysis", True)), encoding="utf-8")
    (root / ".hidden").write_text("ignored", encoding="utf-8")
    if manifest is not None:
        (root / "manifest.csv").write_text(manifest, encoding="utf-8")
    return root


def test_without_manifest_links_come_from_the_document_or_the_file_name(tmp_path: Path) -> None:
    docs = {Path(d.document.name).name: d for d in read_documents([folder(tmp_path)])}
    assert sorted(docs) == ["cam-MVZ-0001.xml", "rules.txt", "second.xml"]
    assert docs["second.xml"].links == {"serial": "SN123", "mac": "a0:bb:cc:00:11:22"}
    assert docs["second.xml"].link_source == "document"
    assert docs["cam-MVZ-0001.xml"].link_source == "file name" and docs["cam-MVZ-0001.xml"].name_hint == "cam-MVZ-0001"
    assert docs["cam-MVZ-0001.xml"].classification.capabilities == ["face-recognition"]
    assert docs["rules.txt"].classification.capabilities == ["people-attributes"]


def test_the_manifest_links_and_names_the_kind(tmp_path: Path) -> None:
    root = folder(tmp_path, "file,document,serial,mac,ip,asset_id\n"
                            "rules.txt,dahua-video-analyse-rule,,,10.0.0.7,\n"
                            "second.xml,,,,,MVZ-0002\n")
    docs = {Path(d.document.name).name: d for d in read_documents([root])}
    assert docs["rules.txt"].links == {"ip": "10.0.0.7"} and docs["rules.txt"].link_source == "manifest"
    assert docs["second.xml"].links == {"asset_id": "MVZ-0002"}  # the manifest wins over the document
    assert docs["cam-MVZ-0001.xml"].link_source == "file name"  # not in the manifest: still read


@pytest.mark.parametrize("manifest, line, message", [
    ("file,document,serial,colour\nrules.txt,,,\n", 1, "unknown column(s) colour"),
    ("document,serial\n,x\n", 1, "needs a 'file' column"),
    ("file,document\nmissing.xml,\n", 2, "no such document: missing.xml"),
    ("file,document\nrules.txt,dahua-everything\n", 2, "unknown document kind"),
    ("file,document\nrules.txt,\nrules.txt,\n", 3, "listed twice"),
    ("file,document\n,hik-system-capabilities\n", 2, "empty file name"),
    ("file,document\nrules.txt,,extra\n", 2, "3 cells, the header has 2"),
])
def test_manifest_errors_name_the_row(tmp_path: Path, manifest: str, line: int, message: str) -> None:
    root = folder(tmp_path, manifest)
    with pytest.raises(DataError) as caught:
        read_manifest(root / "manifest.csv")
    assert message in str(caught.value) and caught.value.line == line
    assert caught.value.file == str(root / "manifest.csv")


def test_a_manifest_kind_that_disagrees_with_the_file_names_the_file(tmp_path: Path) -> None:
    root = folder(tmp_path, "file,document\ncam-MVZ-0001.xml,hik-smart-capabilities\n")
    with pytest.raises(DataError, match=r"cam-MVZ-0001\.xml.*manifest says hik-smart-capabilities"):
        read_documents([root])


def test_single_files_and_missing_inputs(tmp_path: Path) -> None:
    path = tmp_path / "one.xml"
    path.write_text(smart_cap({"isSupportFaceDetect": "true"}), encoding="utf-8")
    (doc,) = read_documents([path])
    assert doc.classification.summary() == "face detection only (detection is not recognition)"
    with pytest.raises(DataError, match="no such file or folder"):
        read_documents([tmp_path / "nope.xml"])


def test_registry_claims_give_findings_for_reported_models(bundled) -> None:  # type: ignore[no-untyped-def]
    from schoon.capabilities import model_findings

    found = model_findings(bundled, "DS-2CD7A2XYZ-JM/RX")
    assert {f.capability for f in found} == {"ethnicity-or-skin-colour", "people-attributes"}
    assert all(f.document == "registry" and "ipvm.com/reports/hikvision-uyghur" in f.source and "2019-11-11" in f.source
               for f in found)
    assert {f.capability for f in model_findings(bundled, "DH-IPC-HF8249F-FD")} == {
        "ethnicity-or-skin-colour", "people-attributes", "face-detection"}
    assert [f.capability for f in model_findings(bundled, "DS-K1T606MF")] == ["face-recognition"]
    assert model_findings(bundled, "DS-2CD2143G2-I") == []  # an ordinary camera: no claim
    assert model_findings(bundled, "DS-K1T804MF") == []  # another terminal family: not claimed
    assert model_findings(bundled, None) == []


def test_a_neutralised_manifest_cell_is_read_back(tmp_path: Path) -> None:
    root = folder(tmp_path, "file,serial\nrules.txt,'-12AB\nsecond.xml,'plain\n")
    rows = {p.name: r for p, r in read_manifest(root / "manifest.csv").items()}
    assert rows["rules.txt"].links == {"serial": "-12AB"}  # the writer's ' before a formula start comes off
    assert rows["second.xml"].links == {"serial": "'plain"}  # any other quote is part of the value
