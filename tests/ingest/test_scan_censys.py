"""Censys host records: one record per service, legacy and Platform shapes."""

from __future__ import annotations

from pathlib import Path

from schoon.ingest.scan import detect_scan_format
from tests.ingest.scan_helpers import read_all, write_lines

LEGACY = {
    "ip": "198.51.100.7", "last_updated_at": "2026-01-07T08:00:00.123456789Z",
    "autonomous_system": {"asn": 1136, "name": "KPN", "organization": "KPN B.V.", "country_code": "NL"},
    "location": {"country_code": "NL"}, "dns": {"reverse_dns": {"names": ["host.example.nl"]}},
    "services": [
        {"port": 80, "service_name": "HTTP", "observed_at": "2026-01-06T12:00:00Z",
         "http": {"response": {"headers": {"Server": ["App-webs/"], "WWW_Authenticate": ["Digest realm=\"DVRNVRDVS\""]},
                               "html_title": "Login", "body": "<html></html>",
                               "favicons": [{"shodan_hash": 999357577, "md5_hash": "89b932fcc47cf4ca3faadb0cfdef89cf"}]}}},
        {"port": 443, "service_name": "HTTP", "tls": {"certificates": {"leaf_data": {
            "subject_dn": "C=CN, O=HIKVISION, OU=DVRNVR, CN=www.hikvision.com", "issuer_dn": "CN=www.hikvision.com"}}}},
        {"port": 554, "service_name": "RTSP", "banner": "RTSP/1.0 200 OK\r\nServer: Dahua Rtsp Server\r\n\r\n"},
        {"port": 22, "service_name": "SSH", "banner": "SSH-2.0-dropbear_2019.78\r\n"},
    ],
}
PLATFORM = {"host": {"ip": "198.51.100.8", "autonomous_system": {"asn": "AS3265", "name": "XS4ALL"},
                     "services": [{"port": 8080, "protocol": "HTTP", "endpoints": [{"http": {"response": {
                         "headers": {"server": ["DNVRS-Webs"]}, "favicons": [{"hash_shodan": -1, "hash_md5": None}]}}}]}]}}


def test_one_record_per_service_with_the_host_context(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "censys.jsonl", [LEGACY, PLATFORM, {"ip": "198.51.100.9", "services": []}])
    assert detect_scan_format(path) == "censys"
    records, rejects = read_all(path)
    assert rejects == []
    assert [(r.observation.ip, r.port) for r in records] == [
        ("198.51.100.7", 80), ("198.51.100.7", 443), ("198.51.100.7", 554), ("198.51.100.7", 22), ("198.51.100.8", 8080)]
    http, tls, rtsp, ssh, platform = records
    assert http.observation.http_server == "App-webs/"
    assert http.observation.http_www_authenticate == 'Digest realm="DVRNVRDVS"'
    assert http.observation.favicon_mmh3 == 999357577 and http.observation.favicon_md5 == "89b932fcc47cf4ca3faadb0cfdef89cf"
    assert http.observation.http_title == "Login" and http.observation.hostname == "host.example.nl"
    assert (http.time, http.asn, http.org, http.country) == (1767700800, 1136, "KPN B.V.", "NL")
    assert tls.time == 1767772800  # the host's last_updated_at, nanoseconds cut
    assert tls.observation.tls_subject == "C=CN, O=HIKVISION, OU=DVRNVR, CN=www.hikvision.com"
    assert rtsp.observation.rtsp_server == "Dahua Rtsp Server"
    assert ssh.observation.ssh_banner == "SSH-2.0-dropbear_2019.78"
    assert platform.observation.http_server == "DNVRS-Webs" and platform.observation.favicon_mmh3 == -1
    assert platform.asn == 3265 and platform.org == "XS4ALL" and platform.time is None


def test_a_bad_service_rejects_its_host_line(tmp_path: Path) -> None:
    bad = {**LEGACY, "services": [{"port": "eighty"}]}
    path = write_lines(tmp_path / "censys.jsonl", [LEGACY, bad])
    records, rejects = read_all(path, "censys")
    assert len(records) == 4 and [(r.row, "port" in r.message) for r in rejects] == [(2, True)]
