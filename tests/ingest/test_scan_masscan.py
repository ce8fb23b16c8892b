"""masscan -oJ (a JSON array, commas before or after) and -oD (NDJSON)."""

from __future__ import annotations

from pathlib import Path

from schoon.ingest.scan import detect_scan_format
from tests.ingest.scan_helpers import read_all

OJ_NEW = """[
{   "ip": "192.0.2.1",   "timestamp": "1767600000", "ports": [ {"port": 80, "proto": "tcp", "status": "open", "reason": "syn-ack", "ttl": 64} ] }
,{   "ip": "192.0.2.1",   "timestamp": "1767600001", "ports": [ {"port": 80, "proto": "tcp", "service": {"name": "http.server", "banner": "App-webs/"} } ] }
,{   "ip": "192.0.2.2",   "timestamp": "1767600002", "ports": [ {"port": 554, "proto": "tcp", "service": {"name": "rtsp", "banner": "RTSP/1.0 200 OK\\r\\nServer: Dahua Rtsp Server\\r\\n"} } ] }
,{   "ip": "192.0.2.3",   "timestamp": "1767600003", "ports": [ {"port": 22, "proto": "tcp", "service": {"name": "ssh", "banner": "SSH-2.0-OpenSSH_9.6"} } ] }
]
"""
OJ_OLD = """[
{   "ip": "192.0.2.4",   "timestamp": "1767600004", "ports": [ {"port": 8080, "proto": "tcp", "service": {"name": "http", "banner": "HTTP/1.1 401 Unauthorized\\r\\nServer: DNVRS-Webs\\r\\nWWW-Authenticate: Digest realm=\\"DVRNVRDVS\\"\\r\\n"} } ] },
{   "ip": "192.0.2.5",   "timestamp": "1767600005", "ports": [ {"port": 80, "proto": "tcp", "service": {"name": "title", "banner": "Web Client"} } ] },
{   "ip": "192.0.2.6",   "timestamp": "not a time", "ports": [ {"port": 80} ] },
]
"""
OD = ('{"ip":"192.0.2.7","timestamp":"1767600007","port":37777,"proto":"tcp","rec_type":"status","data":{"status":"open"}}\n'
      '{"ip":"192.0.2.7","timestamp":"1767600008","port":80,"proto":"tcp","rec_type":"banner","data":{"service_name":"http.server","banner":"Webs"}}\n')


def test_oj_with_leading_commas(tmp_path: Path) -> None:
    path = tmp_path / "masscan.json"
    path.write_text(OJ_NEW)
    assert detect_scan_format(path) == "masscan"
    records, rejects = read_all(path)
    assert rejects == []
    assert [(r.observation.ip, r.port, r.time) for r in records] == [
        ("192.0.2.1", 80, 1767600000), ("192.0.2.1", 80, 1767600001), ("192.0.2.2", 554, 1767600002),
        ("192.0.2.3", 22, 1767600003)]
    assert records[1].observation.http_server == "App-webs/"
    assert records[2].observation.rtsp_server == "Dahua Rtsp Server"
    assert records[3].observation.ssh_banner == "SSH-2.0-OpenSSH_9.6"


def test_oj_with_trailing_commas_and_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "masscan.json"
    path.write_text(OJ_OLD)
    records, rejects = read_all(path, "masscan")
    assert records[0].observation.http_server == "DNVRS-Webs"
    assert records[0].observation.http_www_authenticate == 'Digest realm="DVRNVRDVS"'
    assert records[1].observation.http_title == "Web Client"
    assert [(r.row, "not a time" in r.message) for r in rejects] == [(4, True)]


def test_od_ndjson(tmp_path: Path) -> None:
    path = tmp_path / "masscan.ndjson"
    path.write_text(OD)
    assert detect_scan_format(path) == "masscan"
    records, _ = read_all(path)
    assert [(r.port, r.observation.http_server) for r in records] == [(37777, None), (80, "Webs")]
