"""Shodan banner JSON lines onto canonical fields, with time, port, AS, organisation and country."""

from __future__ import annotations

from pathlib import Path

from schoon.ingest.scan import detect_scan_format
from tests.ingest.scan_helpers import read_all, write_lines

HIKVISION = {
    "ip_str": "192.0.2.10", "ip": 3221225994, "port": 80, "transport": "tcp", "timestamp": "2026-01-05T10:23:45.123456",
    "asn": "AS1136", "org": "KPN B.V.", "isp": "KPN", "hostnames": ["cam.example.nl"],
    "location": {"country_code": "nl", "city": "Delft"},
    "data": "HTTP/1.1 401 Unauthorized\r\nServer: App-webs/\r\nWWW-Authenticate: Digest realm=\"DVRNVRDVS\"\r\n\r\n",
    "http": {"server": "App-webs/", "title": "Login", "html": "<html>x</html>",
             "favicon": {"hash": 999357577, "location": "/favicon.ico"}},
    "ssl": {"cert": {"subject": {"CN": "www.hikvision.com", "O": "HIKVISION"}, "issuer": {"CN": "www.hikvision.com"}}},
    "hikvision": {"device_model": "DS-2CD2386G2-IU", "web_version": "V5.5.0 build 190828"},
    "_shodan": {"module": "http", "id": "x"},
}
DAHUA = {"ip_str": "192.0.2.11", "port": 37777, "timestamp": "2026-01-06T00:00:00.000000", "asn": "AS3265",
         "data": "\u0000", "dahua": {"serial_number": "4M0A1B2PAZ12345"}, "mac": {"3c:ef:8c:00:00:01": {}},
         "_shodan": {"module": "dahua-dvr"}}
RTSP = {"ip_str": "192.0.2.12", "port": 554, "timestamp": "2026-01-06T00:00:00",
        "data": "RTSP/1.0 401 Unauthorized\r\nServer: Dahua Rtsp Server\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n",
        "_shodan": {"module": "rtsp-tcp"}}
SSH = {"ip_str": "192.0.2.13", "port": 22, "data": "SSH-2.0-OpenSSH_9.2p1 Debian\r\nKey type: ssh-rsa\r\n",
       "_shodan": {"module": "ssh"}, "snmp": {"description": "Linux box", "objectid": ".1.3.6.1.4.1.8072.3.2.10"}}


def test_maps_a_shodan_banner_onto_observation_fields(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "shodan.json", [HIKVISION, DAHUA, RTSP, SSH])
    assert detect_scan_format(path) == "shodan"
    records, rejects = read_all(path)
    assert rejects == []
    hik, dahua, rtsp, ssh = records
    obs = hik.observation
    assert (obs.ip, obs.ports, obs.hostname) == ("192.0.2.10", (80,), "cam.example.nl")
    assert obs.http_server == "App-webs/" and obs.http_www_authenticate == 'Digest realm="DVRNVRDVS"'
    assert obs.http_title == "Login" and obs.http_body == "<html>x</html>"
    assert obs.favicon_mmh3 == 999357577
    assert obs.tls_subject == "CN=www.hikvision.com, O=HIKVISION" and obs.tls_issuer == "CN=www.hikvision.com"
    assert (obs.declared_vendor, obs.model, obs.firmware) == ("Hikvision", "DS-2CD2386G2-IU", "V5.5.0 build 190828")
    assert (hik.time, hik.port, hik.asn, hik.org, hik.country) == (1767608625, 80, 1136, "KPN B.V.", "NL")
    assert (obs.source, obs.row) == (str(path), 1)
    assert dahua.observation.serial == "4M0A1B2PAZ12345" and dahua.observation.mac == "3c:ef:8c:00:00:01"
    assert dahua.observation.declared_vendor == "Dahua" and dahua.asn == 3265 and dahua.org is None
    assert rtsp.observation.rtsp_server == "Dahua Rtsp Server" and rtsp.observation.rtsp_www_authenticate == 'Basic realm="x"'
    assert rtsp.time == 1767657600
    assert ssh.observation.ssh_banner == "SSH-2.0-OpenSSH_9.2p1 Debian" and ssh.time is None
    assert ssh.observation.snmp_sysobjectid == "1.3.6.1.4.1.8072.3.2.10"


def test_gzip_is_read_by_content_and_broken_lines_are_rejected_with_their_line(tmp_path: Path) -> None:
    items: list[object] = [HIKVISION, "{broken", "", {**RTSP, "port": 70000}, {**RTSP, "timestamp": "yesterday"},
                           {**SSH, "ip_str": None}, DAHUA]
    path = write_lines(tmp_path / "download.bin", items, gz=True)
    assert detect_scan_format(path) == "shodan"
    records, rejects = read_all(path)
    assert [r.observation.ip for r in records] == ["192.0.2.10", "192.0.2.11"]
    assert [r.row for r in rejects] == [2, 4, 5, 6]
    assert rejects[0].message.startswith("not valid JSON") and rejects[0].raw == "{broken"
    assert "port" in rejects[1].message and "not a time" in rejects[2].message and "no address" in rejects[3].message
