"""Real response shapes from SCHOON_EVAL_DIR (read at test time, never copied into the repository).

- UniversalScanner's SADP, WS-Discovery and DHIP fixtures served as replies (the DHIP one has a JSON error;
  the WS-Discovery one points ``XAddrs`` at 240.0.2.0, outside any scope);
- Hikvision's real NVR favicon served at ``/favicon.ico``;
- Recog's examples of HTTP ``Server``/``WWW-Authenticate``, RTSP ``Server``, SSH, telnet and SNMP sysDescr, each
  served by its own emulated device: the banner must arrive in the right field unchanged.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest

from schoon.discover import Settings, ber, discover, make_context
from schoon.discover.scope import Scope
from schoon.settings import eval_dir
from tests.discover.conftest import jsonl, run_cli
from tests.discover.estate import SNMP_COMMUNITY, Device, Estate

REALWORLD = eval_dir() / "realworld"
NEEDED = ("universalscanner_discovery_Hikvision.selftest", "universalscanner_discovery_Wsdiscovery.selftest",
          "universalscanner_discovery_Dahua2.selftest", "hikvision_nvr_webui_favicon.ico",
          "recog_camera_and_target_vendor_examples.jsonl")
pytestmark = pytest.mark.skipif(not all((REALWORLD / n).exists() for n in NEEDED),
                                reason="SCHOON_EVAL_DIR/realworld with the UniversalScanner, favicon and Recog files "
                                       "is not available")

FIELD_OF_DB = {"http_header.server": "http_server", "http_header.wwwauth": "http_www_authenticate",
               "rtsp_header.server": "rtsp_server", "ssh.banner": "ssh_banner", "telnet_banners": "telnet_banner",
               "snmp.sys_description": "snmp_sysdescr"}


def _examples() -> list[dict[str, str]]:
    rows = [json.loads(line) for line in (REALWORLD / NEEDED[4]).read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if r.get("recog_db") in FIELD_OF_DB and isinstance(r.get("input"), str)
            and r["input"].strip() and "\n" not in r["input"].strip() and len(r["input"]) < 400]


def _device(n: int, row: dict[str, str]) -> Device:
    value = row["input"].strip()
    field = FIELD_OF_DB[row["recog_db"]]
    dev = Device(f"recog {n}", f"127.51.4.{n}", None)
    if field == "http_server":
        dev.http = {80: {"/": (200, [("Server", value)], b"")}}
    elif field == "http_www_authenticate":
        dev.http = {80: {"/": (401, [("WWW-Authenticate", value)], b"")}}
    elif field == "rtsp_server":
        dev.rtsp = {554: [("Server", value)]}
    elif field == "ssh_banner":
        dev.ssh = value if value.startswith("SSH-") else f"SSH-2.0-{value}"
    elif field == "telnet_banner":
        dev.telnet = value.encode("utf-8")
    else:
        dev.snmp = {"1.3.6.1.2.1.1.1.0": (ber.OCTET_STRING, value.encode("utf-8"))}
    return dev


@pytest.fixture(scope="module")
def realworld(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Estate, list[dict[str, str]]]]:
    """The UniversalScanner/favicon device on 127.51.3.1 and one device per Recog example on 127.51.4.N."""
    def read(name: str) -> bytes:
        return (REALWORLD / name).read_bytes()

    fixtures = Device("universalscanner fixtures", "127.51.3.1", "hikvision",
                      http={80: {"/favicon.ico": (200, [], read(NEEDED[3]))}},
                      udp={37020: lambda d: [read(NEEDED[0])], 3702: lambda d: [read(NEEDED[1])],
                           37810: lambda d: [read(NEEDED[2])]})
    examples = _examples()[:200]
    devices = [fixtures] + [_device(n, row) for n, row in enumerate(examples, start=1)]
    with Estate(devices, tmp_path_factory.mktemp("certs")) as running:
        yield running, examples


def test_universalscanner_replies_and_the_real_favicon(realworld: tuple[Estate, list[dict[str, str]]]) -> None:
    scope = Scope.build(["127.51.3.1"])
    settings = Settings(ports=(80,), rate=4000, timeout=2)
    ctx = make_context(scope, settings)

    async def go() -> list[object]:
        return [r async for r in discover(scope, settings, context=ctx)]

    (result,) = asyncio.run(go())
    obs = result.observation()  # type: ignore[attr-defined]
    assert obs.model == "Virtual" and obs.serial == "Virtual-123456789" and obs.mac == "00:11:22:33:44:55"
    assert obs.favicon_mmh3 == 999357577 and obs.favicon_md5 == "89b932fcc47cf4ca3faadb0cfdef89cf"
    assert "dhip" not in obs.extra["protocols"]  # the fixture's JSON is malformed: read as nothing, no crash
    assert obs.extra["onvif_xaddrs"].startswith("http://240.0.2.0/")
    assert {address for address, _, _ in ctx.contacts} == {"127.51.3.1"}  # 240.0.2.0 never contacted


def test_recog_banners_arrive_in_the_right_field(realworld: tuple[Estate, list[dict[str, str]]]) -> None:
    _, examples = realworld
    assert len(examples) >= 40
    code, out, err = run_cli("discover", f"127.51.4.1-{len(examples)}", "--ports", "22,23,80,554", "--no-udp",
                             "--snmp-community", SNMP_COMMUNITY, "--rate", "4000", "--timeout", "2")
    assert code == 0, err
    found = {str(r["id"]): r for r in jsonl(out)}
    missing = []
    for n, row in enumerate(examples, start=1):
        field = FIELD_OF_DB[row["recog_db"]]
        expected = " ".join(row["input"].split())
        got = " ".join(str(found.get(f"127.51.4.{n}", {}).get(field, "")).split())
        if field == "ssh_banner" and not row["input"].startswith("SSH-"):
            expected = f"SSH-2.0-{expected}"
        if got != expected:
            missing.append((row["recog_db"], expected, got))
    assert not missing, missing[:5]
