"""zgrab2 result lines: one record per successful module."""

from __future__ import annotations

from pathlib import Path

from schoon.ingest.scan import detect_scan_format
from tests.ingest.scan_helpers import read_all, write_lines

LINE = {"ip": "203.0.113.5", "domain": "nvr.example.org", "data": {
    "http": {"status": "success", "protocol": "http", "timestamp": "2026-01-08T09:10:11+01:00", "result": {
        "response": {"status_code": 200, "headers": {"server": ["App-webs/"], "www_authenticate": ["Digest realm=\"DVRNVRDVS\""]},
                     "body": "<html><head><title> NVR login </title></head></html>",
                     "request": {"tls_log": {"handshake_log": {"server_certificates": {"certificate": {"parsed": {
                         "subject_dn": "CN=www.hikvision.com, O=HIKVISION", "issuer_dn": "CN=www.hikvision.com"}}}}}}}}},
    "ssh": {"status": "success", "protocol": "ssh", "port": 2222, "result": {"server_id": {"raw": "SSH-2.0-OpenSSH_8.0"}}},
    "telnet": {"status": "connection-timeout", "protocol": "telnet", "error": "i/o timeout"},
}}


def test_successful_modules_become_records(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "zgrab.json", [LINE])
    assert detect_scan_format(path) == "zgrab2"
    records, rejects = read_all(path)
    assert rejects == []
    http, ssh = records
    assert (http.port, http.time) == (80, 1767859811)
    assert http.observation.http_server == "App-webs/" and http.observation.http_title == "NVR login"
    assert http.observation.http_www_authenticate == 'Digest realm="DVRNVRDVS"'
    assert http.observation.tls_subject == "CN=www.hikvision.com, O=HIKVISION"
    assert http.observation.hostname == "nvr.example.org"
    assert (ssh.port, ssh.observation.ssh_banner, ssh.time) == (2222, "SSH-2.0-OpenSSH_8.0", None)


def test_a_line_of_failures_gives_no_record_and_bad_json_a_reject(tmp_path: Path) -> None:
    failed = {"ip": "203.0.113.6", "data": {"http": {"status": "io-timeout", "protocol": "http"}}}
    path = write_lines(tmp_path / "zgrab.json", [failed, "{\"ip\": ", LINE])
    records, rejects = read_all(path, "zgrab2")
    assert len(records) == 2 and [r.row for r in rejects] == [2]
