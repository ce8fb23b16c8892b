"""The measurement over real banner strings (Recog examples and a Hikvision NVR favicon from the shared eval data).

Each example becomes Shodan banners on one to three addresses, seen on two days. The truth per group is what the
identify engine says of one such banner alone (the engine is the oracle here: this checks that reading, merging
and counting lose and invent nothing with real-world strings, not the engine's own accuracy, which
tests/identify covers). The eval data is never copied into the repository; without it this module is skipped.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from pathlib import Path
from typing import Any

import mmh3
import pytest

from schoon import settings
from schoon.identify import FLAG_THRESHOLD
from schoon.ingest.scan import parse_line
from schoon.measure import measure
from schoon.measure.partition import worker_engine
from tests.conftest import require_eval

EVAL = require_eval(settings.eval_dir() / "realworld")
EXAMPLES = EVAL / "recog_camera_and_target_vendor_examples.jsonl"
FAVICON = EVAL / "hikvision_nvr_webui_favicon.ico"


def _banner(db: str, text: str) -> dict[str, Any] | None:
    if db == "http_header.server":
        return {"port": 80, "data": f"HTTP/1.1 200 OK\r\nServer: {text}\r\n\r\n", "_shodan": {"module": "http"}}
    if db == "http_header.wwwauth":
        return {"port": 80, "data": f"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: {text}\r\n\r\n",
                "_shodan": {"module": "http"}}
    if db == "html_title":
        return {"port": 443, "data": "HTTP/1.1 200 OK\r\n\r\n", "http": {"title": text}, "_shodan": {"module": "https"}}
    if db == "rtsp_header.server":
        return {"port": 554, "data": f"RTSP/1.0 200 OK\r\nServer: {text}\r\n\r\n", "_shodan": {"module": "rtsp-tcp"}}
    if db == "snmp.sys_description":
        return {"port": 161, "data": "", "snmp": {"description": text}, "_shodan": {"module": "snmp"}}
    if db == "ssh.banner":
        return {"port": 22, "data": (text if text.startswith("SSH-") else f"SSH-2.0-{text}") + "\r\n",
                "_shodan": {"module": "ssh"}}
    if db == "telnet_banners":
        return {"port": 23, "data": text, "_shodan": {"module": "telnet"}}
    if db == "x509.subject":
        return {"port": 443, "data": "HTTP/1.1 200 OK\r\n\r\n", "ssl": {"cert": {"subject": text, "issuer": text}},
                "_shodan": {"module": "https"}}
    return None


def _templates() -> list[dict[str, Any]]:
    out = []
    for line in EXAMPLES.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        found = _banner(row["recog_db"], row["input"])
        if found is not None:
            out.append(found)
    icon = base64.encodebytes(FAVICON.read_bytes())
    out.append({"port": 80, "data": "HTTP/1.1 200 OK\r\n\r\n", "_shodan": {"module": "http"},
                "http": {"favicon": {"hash": mmh3.hash(icon)}}})
    return out


def _group(template: dict[str, Any]) -> str | None:
    found = parse_line("shodan", json.dumps({"ip_str": "192.0.2.1", **template}).encode(), source="-", row=1)
    assert isinstance(found, list), found
    outcome = worker_engine("default", None).run(found[0].observation).identification.outcome
    return outcome.group_id if outcome.confidence >= FLAG_THRESHOLD else None


def test_counts_over_real_banners_equal_the_engine_per_banner(tmp_path: Path) -> None:
    templates = _templates()
    assert len(templates) > 100
    truth: Counter[str] = Counter()
    lines = []
    address = 0
    for i, template in enumerate(templates):
        group = _group(template)
        for _ in range(1 + i % 3):
            address += 1
            ip = f"10.{address >> 16 & 255}.{address >> 8 & 255}.{address & 255}"
            for day in ("2026-01-05T10:00:00", "2026-01-07T11:00:00"):
                lines.append(json.dumps({"ip_str": ip, "timestamp": day, "asn": "AS1136", **template}))
            if group:
                truth[group] += 1
    assert truth["hikvision"] >= 5 and len(truth) >= 3, truth  # real target banners are among them
    path = tmp_path / "real.json"
    path.write_text("\n".join(lines) + "\n")
    result = measure([path], chunk_bytes=4096, buckets=3)
    assert result["records"] == len(lines)
    assert sum(item["count"] for item in result["excluded"] if item["reason"] == "unreadable") == 0
    counted = {g["group_id"]: g["devices"] for g in result["by_group"]}
    assert counted == {group: (n if n >= 5 else "<5") for group, n in truth.items()}
    assert result["addresses"] == address


@pytest.mark.parametrize("name", ["hikvision_nvr_webui_favicon.ico"])
def test_the_favicon_hash_is_shodans(name: str) -> None:
    icon = base64.encodebytes((EVAL / name).read_bytes())
    assert mmh3.hash(icon) == 999357577  # the value the eval README gives for Shodan's http.favicon.hash
