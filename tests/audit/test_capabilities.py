"""Capability documents in the audit store: matched to devices, stored per snapshot, unmatched ones reported,
re-imports replace, registry claims recorded by the import, and a device's current capabilities."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from schoon.audit import AuditError, Store, import_snapshot
from schoon.audit.capabilities import capabilities_of, import_capabilities, unmatched_documents
from schoon.audit.schema import capability_documents, capability_findings
from schoon.errors import DataError
from schoon.identify import Engine
from tests.audit.conftest import DEMO
from tests.capabilities.docs import dahua_rules, device_cap, smart_cap

FIRST = [str(DEMO / "register.csv"), str(DEMO / "camera-vlan.xml"), str(DEMO / "inkoop.csv")]
HQ = "Den Haag Hoofdkantoor"


def _ids(store: Store) -> dict[str, int]:
    return {str(d["asset_id"]): int(d["id"]) for d in store.devices("mvz") if d["asset_id"]}


@pytest.fixture
def imported(ministry: Store, engine: Engine) -> Store:
    import_snapshot(ministry, engine, "mvz", FIRST, site=HQ, taken_on="2026-03-02")
    return ministry


def _exports(tmp_path: Path) -> Path:
    root = tmp_path / "exports"
    root.mkdir()
    (root / "manifest.csv").write_text(
        "file,document,serial,mac,ip,asset_id\n"
        "entree.xml,hik-system-capabilities,DS-2CD2386G2-IU20230412AAWRK1234567,,,\n", encoding="utf-8")
    (root / "entree.xml").write_text(device_cap(event={"isSupportFaceContrast": "true"},
                                                top={"isSupportHumanAttribute": "true"}), encoding="utf-8")
    (root / "3c-ef-8c-5d-00-06.txt").write_text(  # MVZ-0006 by the MAC in its file name
        dahua_rules(("FaceAnalysis", "FaceAnalysis", True),
                    extra="table.VideoAnalyseRule[0][0].Config.emNation=EM_NATION_TYPE_UYGUR\n"), encoding="utf-8")
    (root / "MVZ-0002-smart.xml").write_text(smart_cap({"isSupportFaceDetect": "true"}), encoding="utf-8")
    (root / "kast-onbekend.xml").write_text(smart_cap({"isSupportFaceDetect": "true"}), encoding="utf-8")
    return root


def test_documents_are_matched_stored_and_the_unmatched_reported(imported: Store, tmp_path: Path) -> None:
    result = import_capabilities(imported, "mvz", [_exports(tmp_path)])
    assert (result.documents, result.matched, result.replaced) == (4, 3, 0)
    assert result.unmatched == [(str(tmp_path / "exports" / "kast-onbekend.xml"),
                                 "nothing links it to a device: no manifest row, no serial or MAC inside, none in "
                                 "the name 'kast-onbekend'")]
    assert result.by_capability == {"ethnicity-or-skin-colour": 1, "face-detection": 1, "face-recognition": 1,
                                    "people-attributes": 2}
    ids = _ids(imported)
    entree = capabilities_of(imported, ids["MVZ-0001"])
    assert {c["capability"] for c in entree} == {"face-recognition", "people-attributes"}
    face = next(c for c in entree if c["capability"] == "face-recognition")
    assert face["origin"] == "document" and face["field"] == "DeviceCap/EventCap/isSupportFaceContrast"
    assert face["value"] == "true" and face["line"] == 5 and face["taken_on"] == "2026-03-02"
    dahua = capabilities_of(imported, ids["MVZ-0006"])
    assert {c["capability"] for c in dahua} == {"people-attributes", "ethnicity-or-skin-colour"}
    assert [c["capability"] for c in capabilities_of(imported, ids["MVZ-0002"])] == ["face-detection"]
    assert capabilities_of(imported, ids["MVZ-0005"]) == []
    with imported.read() as conn:
        links = dict(conn.execute(sa.select(capability_documents.c.path, capability_documents.c.link)).all())
        assert unmatched_documents(conn, ["mvz"])[0]["path"].endswith("kast-onbekend.xml")
        assert capabilities_of(conn, ids["MVZ-0002"])[0]["capability"] == "face-detection"  # a connection works too
    assert links[str(tmp_path / "exports" / "entree.xml")] == "manifest: serial=DS-2CD2386G2-IU20230412AAWRK1234567"
    assert links[str(tmp_path / "exports" / "3c-ef-8c-5d-00-06.txt")] == "file name: MAC 3c:ef:8c:5d:00:06"
    assert links[str(tmp_path / "exports" / "MVZ-0002-smart.xml")] == "file name: asset id MVZ-0002"


def test_importing_the_same_documents_again_replaces_them(imported: Store, tmp_path: Path) -> None:
    root = _exports(tmp_path)
    import_capabilities(imported, "mvz", [root])
    again = import_capabilities(imported, "mvz", [root])
    assert again.replaced == 4
    with imported.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(capability_documents)).scalar() == 4
        assert conn.execute(sa.select(sa.func.count()).select_from(capability_findings)
                            .where(capability_findings.c.origin == "document")).scalar() == 6  # 2 + 3 (Class, Type, emNation) + 1


def test_a_newer_document_of_the_same_kind_replaces_the_older_one(imported: Store, tmp_path: Path) -> None:
    root = _exports(tmp_path)
    import_capabilities(imported, "mvz", [root])
    newer = tmp_path / "later"
    newer.mkdir()
    (newer / "MVZ-0002-smart-v2.xml").write_text(smart_cap({"isSupportFaceDetect": "false"}), encoding="utf-8")
    import_capabilities(imported, "mvz", [newer])
    assert capabilities_of(imported, _ids(imported)["MVZ-0002"]) == []  # the newer document says not supported


def test_a_bad_document_writes_nothing(imported: Store, tmp_path: Path) -> None:
    root = _exports(tmp_path)
    (root / "zz-broken.xml").write_text("<DeviceCap><a></DeviceCap>", encoding="utf-8")
    with pytest.raises(DataError, match=r"zz-broken\.xml:1: malformed XML"):
        import_capabilities(imported, "mvz", [root])
    with imported.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(capability_documents)).scalar() == 0


def test_links_that_point_to_no_device_or_several_are_reported(imported: Store, tmp_path: Path) -> None:
    root = tmp_path / "x"
    root.mkdir()
    (root / "manifest.csv").write_text("file,serial,asset_id\na.xml,NOPE,\nb.xml,,MVZ-0001\n"
                                       "c.xml,DS-2CD2386G2-IU20230412AAWRK1234567,MVZ-0002\n", encoding="utf-8")
    for name in ("a.xml", "b.xml", "c.xml"):
        (root / name).write_text(smart_cap({"isSupportFaceDetect": "true"}), encoding="utf-8")
    result = import_capabilities(imported, "mvz", [root])
    why = {Path(name).name: reason for name, reason in result.unmatched}
    ids = _ids(imported)
    assert why == {"a.xml": "no device of the organisation has serial=NOPE (manifest)",
                   "c.xml": "manifest links point to different devices: serial=DS-2CD2386G2-IU20230412AAWRK1234567 "
                            f"is device {ids['MVZ-0001']}, asset_id=MVZ-0002 is device {ids['MVZ-0002']}"}
    assert result.matched == 1


def test_discover_manifests_link_by_the_strongest_link(imported: Store, tmp_path: Path) -> None:
    """``schoon discover --capabilities`` fills serial, mac and ip: a serial the register lacks does not stop the
    MAC (and the agreeing address) from linking; a CSV writer's quote before formula-like text is taken off."""
    root = tmp_path / "discovered"
    root.mkdir()
    (root / "manifest.csv").write_text(
        "file,document,serial,mac,ip,asset_id\n"
        "192.0.2.11_hik-smart-capabilities.xml,hik-smart-capabilities,NOT-IN-REGISTER,44:19:B6:3A:10:01,192.0.2.11,\n"
        "192.0.2.12_hik-smart-capabilities.xml,hik-smart-capabilities,'-unknown,,,MVZ-0002\n",
        encoding="utf-8")
    for name in ("192.0.2.11_hik-smart-capabilities.xml", "192.0.2.12_hik-smart-capabilities.xml"):
        (root / name).write_text(smart_cap({"isSupportFaceDetect": "true"}), encoding="utf-8")
    result = import_capabilities(imported, "mvz", [root])
    assert result.matched == 2 and result.unmatched == []
    with imported.read() as conn:
        links = sorted(conn.execute(sa.select(capability_documents.c.link)).scalars())
    assert links == ["manifest: asset_id=MVZ-0002", "manifest: mac=44:19:B6:3A:10:01"]


def test_an_organisation_without_snapshot_or_a_foreign_snapshot_is_refused(ministry: Store, engine: Engine,
                                                                           tmp_path: Path) -> None:
    root = _exports(tmp_path)
    with pytest.raises(AuditError, match="has no snapshot yet"):
        import_capabilities(ministry, "mvz", [root])
    first = import_snapshot(ministry, engine, "dvt", [str(DEMO / "dvt-register.csv")], taken_on="2026-03-09")
    import_snapshot(ministry, engine, "mvz", FIRST, site=HQ, taken_on="2026-03-02")
    with pytest.raises(AuditError, match="is not a snapshot of 'mvz'"):
        import_capabilities(ministry, "mvz", [root], snapshot_id=first.snapshot_id)


def test_the_import_records_registry_claims_for_reported_models(ministry: Store, engine: Engine,
                                                                tmp_path: Path) -> None:
    register = tmp_path / "toegang.csv"
    register.write_text("Inventarisnummer;Merk;Typenummer;MAC-adres\n"
                        "T-1;Hikvision;DS-K1T606MF;44:19:b6:00:00:71\n"
                        "T-2;Dahua;DH-IPC-HF8249F-FD;3c:ef:8c:00:00:72\n"
                        "T-3;Hikvision;DS-2CD2143G2-I;44:19:b6:00:00:73\n", encoding="utf-8")
    import_snapshot(ministry, engine, "mvz", [str(register)], site=HQ, taken_on="2026-04-01")
    ids = {str(d["asset_id"]): int(d["id"]) for d in ministry.devices("mvz")}
    terminal = capabilities_of(ministry, ids["T-1"])
    assert [(c["capability"], c["origin"], c["document"]) for c in terminal] == [
        ("face-recognition", "registry", "registry")]
    assert "Face Recognition Terminal" in terminal[0]["source"] and terminal[0]["value"] == "DS-K1T606MF"
    assert {c["capability"] for c in capabilities_of(ministry, ids["T-2"])} == {
        "ethnicity-or-skin-colour", "people-attributes", "face-detection"}
    assert capabilities_of(ministry, ids["T-3"]) == []
    # the next snapshot without the terminal's model keeps only what that snapshot says
    register.write_text("Inventarisnummer;Merk;Typenummer;MAC-adres\nT-1;Hikvision;;44:19:b6:00:00:71\n",
                        encoding="utf-8")
    import_snapshot(ministry, engine, "mvz", [str(register)], site=HQ, taken_on="2026-05-01")
    assert capabilities_of(ministry, ids["T-1"]) != []  # the device row keeps its model: still the same claim


def _report(store: Store, **kwargs: object):  # type: ignore[no-untyped-def]
    from schoon.audit.reportdata import build
    from schoon.registry import default_registry
    from schoon.registry.policy import load_policy
    from schoon.report.model import ReportData

    return ReportData.from_dict(build(store, default_registry(), load_policy("default"), as_of="2026-11-28",
                                      **kwargs))  # type: ignore[arg-type]


def test_reports_count_capabilities_and_show_the_evidence(imported: Store, engine: Engine, tmp_path: Path) -> None:
    from schoon.report import render_bytes
    from schoon.report.answer import answer_details

    import_snapshot(imported, engine, "dvt", [str(DEMO / "dvt-register.csv")], taken_on="2026-03-09")
    assert _report(imported).capabilities == []  # nothing audited: no capability sentence, no section
    assert not any("face recognition" in line for line in answer_details(_report(imported)))
    import_capabilities(imported, "mvz", [_exports(tmp_path)])
    other = tmp_path / "dvt"
    other.mkdir()
    (other / "DVT-001.xml").write_text(device_cap(event={"isSupportWhiteListFaceContrast": "true"}),
                                       encoding="utf-8")
    import_capabilities(imported, "dvt", [other])
    national = _report(imported)
    rows = {r.capability: r for r in national.capabilities}
    assert (rows["face-recognition"].devices, rows["face-recognition"].institutions) == (2, 2)
    assert (rows["ethnicity-or-skin-colour"].devices, rows["ethnicity-or-skin-colour"].institutions) == (1, 1)
    assert rows["face-detection"].devices == 1 and rows["crowd-counting"].devices == 0
    assert national.capability_documents == 4 and national.capability_unmatched == 1  # kast-onbekend.xml
    english = answer_details(national)
    assert "2 devices at 2 institutions advertise face recognition; 1 advertises ethnicity or skin-colour " \
           "attributes." in english
    assert any("capability documents of 4 devices" in line
               and "1 only detects faces (detection is not recognition)" in line
               and line.endswith("1 capability document matched no known device.") for line in english)
    dutch = answer_details(_report(imported, language="nl"))
    assert "2 apparaten bij 2 instellingen bieden gezichtsherkenning; 1 biedt kenmerken voor etniciteit of " \
           "huidskleur." in dutch
    assert dutch[-1].endswith("1 capaciteitsdocument hoort bij geen bekend apparaat.")
    html = render_bytes(national, "html").decode()
    assert 'id="capabilities"' in html and "2 devices at 2 institutions advertise face recognition" in html
    assert '"capability_documents": 4' in render_bytes(national, "json").decode()
    # the institution report: the evidence per device in the appendix, also for a device that is not flagged
    axis = tmp_path / "axis"
    axis.mkdir()
    (axis / "MVZ-0005.xml").write_text(smart_cap({"isSupportFaceDetect": "true"}), encoding="utf-8")
    import_capabilities(imported, "mvz", [axis])
    report = _report(imported, org_id="mvz")
    devices = {d.device_id: d for d in report.devices}
    assert any("isSupportFaceContrast = 'true'" in line and "face recognition" in line
               for line in devices["MVZ-0001"].capabilities)
    assert any("emNation = 'EM_NATION_TYPE_UYGUR'" in line for line in devices["MVZ-0006"].capabilities)
    assert devices["MVZ-0005"].verdict == "clear" and devices["MVZ-0005"].capabilities[0].startswith("face detection")
    csv_text = render_bytes(report, "csv").decode()
    assert "capabilities" in csv_text.splitlines()[0] and "isSupportFaceContrast" in csv_text
    assert "isSupportFaceContrast" in render_bytes(report, "html").decode()
