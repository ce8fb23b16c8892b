"""nmap XML: hosts, ports, banners from services and scripts; truncation; DOCTYPE/entity refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoon.errors import DataError
from schoon.ingest import Reject, read
from schoon.observation import Observation

FIXTURES = Path(__file__).parent / "fixtures"
SCAN = FIXTURES / "scan.xml"


def host_lines() -> list[int]:
    lines = SCAN.read_text().splitlines()
    return [number for number, line in enumerate(lines, start=1) if line.startswith("<host ")]


def scan() -> list[Observation]:
    out = list(read(SCAN))
    assert all(isinstance(r, Observation) for r in out), out
    return [r for r in out if isinstance(r, Observation)]


def test_one_observation_per_up_host_with_host_line_numbers() -> None:
    lines = host_lines()
    assert len(lines) == 4  # the third host is down
    assert [(o.ip, o.row) for o in scan()] == [
        ("192.0.2.10", lines[0]), ("192.0.2.11", lines[1]), ("198.51.100.7", lines[3])]
    assert lines == [15, 54, 69, 74]


def test_hikvision_like_camera() -> None:
    cam = scan()[0]
    assert cam.evidence_fields() == {
        "ip": "192.0.2.10",
        "mac": "c0:56:e3:12:34:56",
        "hostname": "cam-lobby.example.org",
        "ports": (80, 443, 554, 8000),  # 23 is filtered
        "http_server": "DNVRS-Webs",  # the http-server-header script, not -sV's product guess
        "http_title": "Login",  # "Site doesn't have a title" on port 80 is not a title
        "http_www_authenticate": 'Digest qop="auth", realm="DS-2CD2032-I", nonce="4e5445354e7a5a4", stale="FALSE"',
        "favicon_md5": "89a9a5d8c6d6e1b2f3a4c5d6e7f8a9b0",
        "tls_subject": "CN=www.hikvision.com,O=HIKVISION,C=CN",
        "tls_issuer": "CN=www.hikvision.com,O=HIKVISION,C=CN",
        "rtsp_server": "Hikvision 7513 POE IP camera rtspd",
    }
    assert cam.source == str(SCAN)
    assert cam.extra == {
        "services": "80/tcp http Hikvision IP camera httpd; 443/tcp http Hikvision IP camera httpd; "
                    "554/tcp rtsp Hikvision 7513 POE IP camera rtspd; 8000/tcp http-alt",
        "devicetype": "webcam",
    }
    assert "Hangzhou" not in repr(cam)  # nmap's MAC vendor guess is not evidence we use


def test_axis_like_camera_uses_service_products() -> None:
    axis = scan()[1]
    assert axis.hostname == "door-cam"  # a user-given name before the PTR name
    assert axis.mac == "00:40:8c:ab:cd:ef"
    assert axis.ports == (21, 22, 80, 554)
    assert axis.http_server == "Apache httpd"
    assert axis.http_title == "AXIS"
    assert axis.rtsp_server == "AXIS M3045-V rtspd"
    assert axis.ssh_banner == "OpenSSH 8.4 (protocol 2.0)"
    assert axis.tls_subject is None


def test_banner_and_snmp_scripts() -> None:
    dvr = scan()[2]
    assert dvr.mac is None
    assert dvr.ports == (22, 23, 161)
    assert dvr.ssh_banner == "SSH-2.0-dropbear_2019.78"  # the banner script wins over the -sV product
    assert dvr.telnet_banner == r"\xFF\xFD\x01\xFF\xFD\x1F\x0D\x0ADVR login:"
    assert dvr.snmp_sysdescr == "Linux dvr 3.10.0 #1 SMP armv7l"


def test_truncated_xml_yields_hosts_before_the_break_then_a_reject(tmp_path: Path) -> None:
    lines = SCAN.read_text().splitlines(keepends=True)
    path = tmp_path / "cut.xml"
    path.write_text("".join(lines[:60]))  # cut inside the second host (which starts at line 54)
    out = list(read(path))
    assert len(out) == 2
    first, rej = out
    assert isinstance(first, Observation) and first.ip == "192.0.2.10"
    assert isinstance(rej, Reject)
    assert rej.source == str(path)
    assert rej.row == 61
    assert rej.message == ("truncated or malformed XML at line 61, column 1: no element found; "
                           "the host starting at line 54 is incomplete and was not read")


def test_malformed_xml_in_the_middle(tmp_path: Path) -> None:
    text = SCAN.read_text().replace('<address addr="192.0.2.11" addrtype="ipv4"/>', '<address addr="192.0.2.11" <>')
    path = tmp_path / "bad.xml"
    path.write_text(text)
    out = list(read(path))
    assert [type(r).__name__ for r in out] == ["Observation", "Reject"]
    assert out[1].row == 55
    assert isinstance(out[1], Reject) and out[1].message.startswith("truncated or malformed XML at line 55, column 28:")


def test_bad_mac_in_a_host_is_a_reject_with_the_host_xml(tmp_path: Path) -> None:
    path = tmp_path / "m.xml"
    path.write_text('<?xml version="1.0"?>\n<nmaprun>\n<host><status state="up"/>\n'
                    '<address addr="192.0.2.50" addrtype="ipv4"/><address addr="XYZ" addrtype="mac"/></host>\n'
                    '<host><status state="up"/><address addr="192.0.2.51" addrtype="ipv4"/></host>\n</nmaprun>\n')
    rej, ok = list(read(path))
    assert isinstance(rej, Reject)
    assert (rej.row, rej.message) == (3, "mac: not a MAC address: 'XYZ'")
    assert rej.raw is not None and '<address addr="XYZ" addrtype="mac" />' in rej.raw
    assert isinstance(ok, Observation) and (ok.row, ok.ip) == (5, "192.0.2.51")


ENTITY_TEXT = "EXPANDED-ENTITY-SECRET"


@pytest.mark.parametrize(
    "prolog",
    [
        f'<!DOCTYPE nmaprun [<!ENTITY x "{ENTITY_TEXT}">]>',
        f'<!DOCTYPE nmaprun [<!ENTITY a "{ENTITY_TEXT}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE nmaprun SYSTEM "file:///etc/passwd">',
    ],
)
def test_doctype_with_entities_is_refused_never_expanded(tmp_path: Path, prolog: str) -> None:
    path = tmp_path / "evil.xml"
    path.write_text(f'<?xml version="1.0"?>\n{prolog}\n<nmaprun>\n<host><status state="up"/>'
                    '<address addr="192.0.2.60" addrtype="ipv4"/><hostnames><hostname name="&x;&b;"/></hostnames>'
                    "</host>\n</nmaprun>\n")
    records: list[object] = []
    with pytest.raises(DataError) as info:
        records.extend(read(path))
    assert records == []
    assert str(info.value) == f"{path}:2: XML with DOCTYPE/entities refused (entities are never expanded)"
    assert ENTITY_TEXT not in str(info.value) and ENTITY_TEXT not in repr(info.value)


def test_bare_nmap_doctype_is_fine() -> None:
    assert SCAN.read_text().splitlines()[1] == "<!DOCTYPE nmaprun>"
    assert len(scan()) == 3


def test_xml_that_is_not_nmap(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text('<?xml version="1.0"?>\n<inventory><device/></inventory>\n')
    with pytest.raises(DataError, match=r"XML that is not nmap output"):
        read(path)
    with pytest.raises(DataError, match=r"XML that is not nmap output \(root element <inventory>\)"):
        list(read(path, input_format="nmap-xml"))


def test_xml_broken_before_the_root_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text('<?xml version="1.0"?>\n<!-- <nmaprun> -->\n<<nmaprun>\n')
    with pytest.raises(DataError) as info:
        list(read(path))
    assert str(info.value) == f"{path}:3: malformed XML: not well-formed (invalid token)"
