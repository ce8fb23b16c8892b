"""nmap XML: hosts, ports, banners from services and scripts; truncation; DOCTYPE/entity refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoon.errors import DataError
from schoon.ingest import Reject, read
from schoon.ingest.nmap import fingerprint_responses
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
        # issue 13: rtsp-methods and -sV's CPE are read too (kept in extra: they name no maker by themselves)
        "rtsp_methods": "OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER",
        "cpe": "cpe:/h:hikvision:ds-2cd2032-i",
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


# ---------------------------------------------------------------- issue 13: what nmap found beyond `product`
GEMEENTE = FIXTURES / "gemeente-scan.xml"  # our own scan file, written in the layout nmap 7.94 writes


def gemeente(**options: bool) -> dict[str, Observation]:
    out = list(read(GEMEENTE, **options))
    assert all(isinstance(r, Observation) for r in out), out
    return {str(r.ip): r for r in out if isinstance(r, Observation)}


def test_fingerprint_responses_are_decoded_across_sf_lines() -> None:
    fp = ('SF-Port554-TCP:V=7.94SVN%I=7%D=11/27%Time=6564A1F2%P=x86_64-pc-linux-gnu%r(RTSP\nSF:Request,2C,'
          '"RTSP/1\\.0\\x20200\\x20OK\\r\\nServer:\\x20Dahua\\x2\nSF:0Rtsp\\x20Server\\r\\n\\r\\n")'
          '%r(NULL,7,"\\0\\x01\\\\\\"q\\(");')
    assert fingerprint_responses(fp) == [
        ("RTSPRequest", "RTSP/1.0 200 OK\r\nServer: Dahua Rtsp Server\r\n\r\n"),
        ("NULL", '\x00\x01\\"q('),
    ]
    assert fingerprint_responses("not a fingerprint") == []


def test_an_rtsp_server_only_in_the_fingerprint_is_read() -> None:
    dahua = gemeente()["10.20.0.11"]
    assert dahua.rtsp_server == "Dahua Rtsp Server"  # nmap printed it only inside servicefp
    assert dahua.ports == (80, 554, 37777)
    assert dahua.http_title is None  # "Site doesn't have a title" is no title
    assert dahua.extra["rtsp_methods"].startswith("OPTIONS, DESCRIBE, ANNOUNCE")


def test_http_title_and_http_auth_scripts() -> None:
    hik = gemeente()["10.20.0.12"]
    assert hik.http_title == "Hikvision Web Client - Login"
    assert hik.http_www_authenticate == 'Digest realm="IP Camera(K1234)", qop="auth", nonce="ZmVkY2JhOTg3NjU0MzIx", ' \
                                        'stale="FALSE"'


def test_ssh_product_hostkey_and_cpe_and_an_ssh_banner_in_a_fingerprint() -> None:
    hosts = gemeente()
    switch = hosts["10.20.1.1"]
    assert switch.ssh_banner == "Huawei VRP sshd (protocol 2.0)"
    assert switch.extra["ssh_hostkey"] == "2048 3f:a1:7c:22:9b:10:5e:44:0d:c8:71:aa:13:e2:90:6b (RSA)"
    assert switch.extra["cpe"] == "cpe:/o:huawei:vrp"
    assert hosts["10.20.1.2"].ssh_banner == "SSH-2.0-HUAWEI-1.5"


def test_an_http_reply_in_a_fingerprint_gives_server_title_realm_and_body() -> None:
    web = gemeente()["10.20.0.50"]
    assert web.http_title == "Printer status"
    assert web.http_www_authenticate == 'Basic realm="Printer"'
    assert web.http_body is not None and web.http_body.startswith("<html>")
    assert web.http_server is None


def test_hosts_without_open_ports_are_skipped_unless_asked() -> None:
    assert sorted(gemeente()) == ["10.20.0.11", "10.20.0.12", "10.20.0.50", "10.20.1.1", "10.20.1.2"]
    every = gemeente(all_hosts=True)
    assert sorted(every) == ["10.20.0.11", "10.20.0.12", "10.20.0.40", "10.20.0.50", "10.20.1.1", "10.20.1.2"]
    assert every["10.20.0.40"].mac == "00:40:8c:12:ab:40" and every["10.20.0.40"].ports == ()
    assert "10.20.0.60" not in every  # down stays skipped


def test_a_ping_scan_host_has_no_ports_element_and_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "ping.xml"
    path.write_text('<?xml version="1.0"?>\n<nmaprun args="nmap -sn">\n<host><status state="up"/>'
                    '<address addr="192.0.2.70" addrtype="ipv4"/><address addr="BC:5E:33:00:00:70" addrtype="mac"/>'
                    "</host>\n</nmaprun>\n")
    (host,) = list(read(path))
    assert isinstance(host, Observation) and host.mac == "bc:5e:33:00:00:70"


def test_http_auth_text_output_and_a_banner_on_another_port(tmp_path: Path) -> None:
    path = tmp_path / "auth.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<nmaprun>\n<host><status state="up"/><address addr="192.0.2.80" addrtype="ipv4"/>'
        '<ports><port protocol="tcp" portid="8080"><state state="open"/><service name="http-proxy"/>'
        '<script id="http-auth" output="&#xa;HTTP/1.1 401 Unauthorized&#xd;&#xa;  Basic realm=Hikvision&#xa;"/>'
        '</port><port protocol="tcp" portid="2222"><state state="open"/><service name="unknown"/>'
        '<script id="banner" output="SSH-2.0-HUAWEI-1.5"/></port>'
        '<port protocol="tcp" portid="9000"><state state="open"/><service name="unknown"/>'
        '<script id="banner" output="hello"/></port></ports></host>\n</nmaprun>\n')
    (host,) = list(read(path))
    assert isinstance(host, Observation)
    assert host.http_www_authenticate == 'Basic realm="Hikvision"'
    assert host.ssh_banner == "SSH-2.0-HUAWEI-1.5"
    assert host.extra["banner"] == "hello"
