"""``schoon discover`` against the emulated estate: makers named, scope kept, nothing forbidden sent."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from schoon.audit import Store
from schoon.discover import Settings, discover, make_context
from schoon.discover.scope import Scope
from schoon.ingest import read
from schoon.observation import Observation
from tests.discover.conftest import FAST, jsonl, run_cli
from tests.discover.estate import (
    NET,
    SNMP_COMMUNITY,
    TRIPWIRE_EXCLUDED,
    TRIPWIRE_OUTSIDE,
    Estate,
    devices,
)

TARGETS = (f"{NET}.0.10-30", TRIPWIRE_EXCLUDED)
EXCLUDE = ("--exclude", TRIPWIRE_EXCLUDED)


@pytest.fixture(scope="module")
def scan(estate: Estate, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One observation scan and one --identify scan of the estate, with the estate's log of each."""
    folder = tmp_path_factory.mktemp("scan")
    scope_file = folder / "scope.yaml"
    scope_file.write_text(f"owner: Emulated estate\ncontact: soc@estate.example\nranges: [{NET}.0.0/24]\n",
                          encoding="utf-8")
    before = len(estate.log.requests)
    code, _out, err = run_cli("discover", *TARGETS, *EXCLUDE, "--scope-file", str(scope_file), "--snmp-community",
                             SNMP_COMMUNITY, "-o", str(folder / "obs.jsonl"), *FAST)
    assert code == 0, err
    estate.settle()
    requests = list(estate.log.requests[before:])
    code, ident, err2 = run_cli("discover", *TARGETS, *EXCLUDE, "--identify", "--snmp-community", SNMP_COMMUNITY,
                                *FAST)
    assert code == 0, err2
    return {"obs": jsonl((folder / "obs.jsonl").read_text(encoding="utf-8")), "path": folder / "obs.jsonl",
            "ident": jsonl(ident), "requests": requests, "stderr": err}


def _by_id(records: object) -> dict[str, dict[str, object]]:
    assert isinstance(records, list)
    return {str(r["id"]): r for r in records}


def test_target_makers_are_named_and_non_targets_are_not(scan: dict[str, object]) -> None:
    found = _by_id(scan["ident"])
    for device in devices():
        if device.address in (TRIPWIRE_EXCLUDED, TRIPWIRE_OUTSIDE):
            assert device.address not in found
            continue
        record = found[device.address]
        if device.maker is None:
            assert record["group_id"] is None and record["verdict"] != "flagged", device.name
        elif device.name.startswith("one weak signal"):
            assert record["group_id"] == device.maker and record["verdict"] == "unknown", record
            assert float(str(record["confidence"])) < 0.5
        else:
            assert record["group_id"] == device.maker, (device.name, record["reason"])
    relabel = found[f"{NET}.0.13"]
    assert str(relabel["brand"]).upper() == "ANNKE" and relabel["relabel"] is True
    assert found[f"{NET}.0.10"]["model"] == "DS-2CD2043G2-I"  # SADP: the Hikvision with ONVIF off


def test_observations_carry_the_signals_of_each_protocol(scan: dict[str, object]) -> None:
    obs = _by_id(scan["obs"])
    hik = obs[f"{NET}.0.10"]
    assert hik["ports"] == [80, 554, 8000] and hik["mac"] == "c4:2f:90:12:34:56"
    assert hik["http_server"] == "App-webs/" and 'realm="Hikvision"' in str(hik["rtsp_www_authenticate"])
    assert hik["serial"] == "DS-2CD2043G2-I20220312CCWRJ01234567" and "ws-discovery" not in str(hik["protocols"])
    assert len(str(hik["favicon_md5"])) == 32 and isinstance(hik["favicon_mmh3"], int)
    nvr = obs[f"{NET}.0.11"]
    assert nvr["tls_subject"] == "CN=www.hikvision.com,OU=DVRNVR,O=HIKVISION,L=HangZhou,ST=ZheJiang,C=CN"
    assert nvr["onvif_model"] == "DS-7608NI-K2" and nvr["onvif_server"] == "DNVRS-Webs"
    dahua = obs[f"{NET}.0.12"]
    assert dahua["http_title"] == "WEB SERVICE" and "http_server" not in dahua
    assert dahua["rtsp_server"] == "Dahua Rtsp Server" and dahua["serial"] == "4C045ADPAG60CD"
    assert dahua["mac"] == "3c:ef:8c:61:01:c0" and dahua["model"] == "IPC-HDW2431T-AS-S2"
    huawei = obs[f"{NET}.0.16"]
    assert "VRP (R) software" in str(huawei["snmp_sysdescr"]) and huawei["snmp_sysobjectid"] == "1.3.6.1.4.1.2011.2.23.605"
    assert huawei["ssh_banner"] == "SSH-2.0-HUAWEI-1.5"
    assert obs[f"{NET}.0.17"]["telnet_banner"] == "192.0.0.64 login:"
    router = obs[f"{NET}.0.22"]
    assert router["upnp_manufacturer"] == "AVM Berlin" and router["upnp_model"] == "FRITZ!Box 7590"
    assert obs[f"{NET}.0.20"]["upnp_manufacturer"] == "AXIS"
    assert all(r["scope_owner"] == "Emulated estate" and r["scope_contact"] == "soc@estate.example"
               for r in obs.values())


def test_results_are_in_address_order_and_silent_addresses_absent(scan: dict[str, object]) -> None:
    ids = [r["id"] for r in scan["obs"]]  # type: ignore[attr-defined]
    assert ids == sorted(ids, key=lambda a: tuple(int(x) for x in str(a).split(".")))
    assert f"{NET}.0.18" not in ids and f"{NET}.0.25" not in ids
    assert ids == [r["id"] for r in scan["ident"]]  # type: ignore[attr-defined]


def test_tripwires_and_escapes_are_never_contacted(estate: Estate, scan: dict[str, object]) -> None:
    assert estate.log.contacts_to(TRIPWIRE_EXCLUDED) == 0
    assert estate.log.contacts_to(TRIPWIRE_OUTSIDE) == 0
    escaper = _by_id(scan["obs"])[f"{NET}.0.30"]
    assert escaper["http_redirect_not_followed"] == f"http://{TRIPWIRE_OUTSIDE}/"
    assert escaper["onvif_xaddrs_not_followed"] == f"http://{TRIPWIRE_OUTSIDE}/onvif/device_service"
    assert escaper["ssdp_location_not_followed"] == f"http://{TRIPWIRE_OUTSIDE}:49152/desc.xml"


def test_every_contact_is_inside_the_scope(estate: Estate) -> None:
    scope = Scope.build([f"{NET}.0.30", TRIPWIRE_EXCLUDED], exclude=[TRIPWIRE_EXCLUDED])
    ctx = make_context(scope, Settings(rate=4000, timeout=2, ports=(80, 81, 8080)))

    async def go() -> list[str]:
        return [r.address async for r in discover(scope, Settings(), context=ctx)]

    assert asyncio.run(go()) == [f"{NET}.0.30"]
    contacted = {address for address, _, _ in ctx.contacts}
    assert contacted == {f"{NET}.0.30"}  # not 127.51.1.1, not .99, not 240.0.2.0, not localhost
    assert estate.log.contacts_to(TRIPWIRE_EXCLUDED) == 0 and estate.log.contacts_to(TRIPWIRE_OUTSIDE) == 0


FORBIDDEN = (b"RPC2_Login", b"global.login", b"ISAPI", b"webCapsConfig", b"web_caps", b"Authorization",
             b"getcode", b"<Types>reset", b"<Types>update", b"activate", b"SETUP ", b"PLAY ", b"snapshot",
             b"picture", b"GetDeviceInformation", b"password", b"admin")


def test_nothing_forbidden_was_sent(scan: dict[str, object]) -> None:
    requests = scan["requests"]
    assert isinstance(requests, list) and len(requests) > 40
    for _address, port, data in requests:
        lowered = data.lower()
        for word in FORBIDDEN:
            assert word.lower() not in lowered, (port, word, data[:200])
    http_paths = {data.split(b" ")[1] for _, port, data in requests if data[:4] in (b"GET ", b"POST")}
    assert http_paths <= {b"/", b"/favicon.ico", b"/doc/page/login.asp", b"/onvif/device_service", b"/rootdesc.xml",
                          b"/desc.xml"}
    agents = {line for _, _, data in requests for line in data.split(b"\r\n") if line.startswith(b"User-Agent:")}
    assert agents == {b"User-Agent: schoon-discover/0.1.0 (+soc@estate.example)"}
    sadp_sent = [data for _, port, data in requests if port == 37020]
    assert sadp_sent and all(b"<Types>inquiry</Types>" in d for d in sadp_sent)


def test_no_snmp_without_a_community_and_no_udp_when_asked(estate: Estate) -> None:
    estate.settle()
    before = len(estate.log.requests)
    code, _, err = run_cli("discover", f"{NET}.0.16", *FAST)
    assert code == 0, err
    assert not [p for _, p, _ in estate.log.requests[before:] if p == 161]
    before = estate.settle()
    for flag in ("--no-udp", "--gentle"):
        code, out, err = run_cli("discover", f"{NET}.0.10-12", flag, *FAST)
        assert code == 0, err
        assert "sadp" not in out and "ws-discovery" not in out and "dhip" not in out
    assert not [c for c in estate.log.contacts[before:] if c[2] == "udp"]


def test_list_sends_nothing(estate: Estate) -> None:
    before = estate.settle()
    code, out, _ = run_cli("discover", f"{NET}.0.10-12", f"{NET}.0.0/30", "--exclude", f"{NET}.0.11", "--list")
    assert code == 0
    assert out.split() == [f"{NET}.0.0", f"{NET}.0.1", f"{NET}.0.2", f"{NET}.0.3", f"{NET}.0.10", f"{NET}.0.12"]
    assert len(estate.log.contacts) == before


def test_output_is_a_scan_that_ingest_and_audit_import_accept(scan: dict[str, object], tmp_path: Path) -> None:
    path = scan["path"]
    assert isinstance(path, Path)
    records = list(read(str(path)))
    assert records and all(isinstance(r, Observation) for r in records)
    db = f"sqlite:///{tmp_path / 'audit.db'}"
    code, _out, err = run_cli("audit", "import", str(path), "--org", "estate", "--create", "--db", db)
    assert code == 0, err
    rows = Store.open(db).devices("estate", None, None)
    assert len(rows) == len(records)
    assert {row["group_id"] for row in rows} >= {"hikvision", "dahua", "huawei", "uniview"}


def test_table_and_csv_formats(estate: Estate) -> None:
    code, out, _ = run_cli("discover", f"{NET}.0.12", "--format", "csv", "--no-udp", *FAST)
    assert code == 0 and out.splitlines()[0].startswith("id,ip,mac,") and "Dahua Rtsp Server" in out
    code, out, _ = run_cli("discover", f"{NET}.0.12", "--format", "table", "--identify", "--no-udp", *FAST)
    assert code == 0 and "Dahua" in out and "flagged" in out


def test_bad_options_are_one_clear_error() -> None:
    for args, message in ((["10.0.0.0/33"], "not a CIDR block"), (["127.51.0.1", "--ports", "x"], "--ports"),
                          (["127.51.0.1", "--rate", "0"], "--rate")):
        code, _, err = run_cli("discover", *args)
        assert code == 2 and message in err and "Traceback" not in err


def test_an_expired_scope_file_is_refused_before_anything_is_sent(estate: Estate, tmp_path: Path) -> None:
    path = tmp_path / "scope.yaml"
    path.write_text(f"ranges: [{NET}.0.0/24]\nvalid_until: 2020-01-01\n", encoding="utf-8")
    before = estate.settle()
    code, _, err = run_cli("discover", f"{NET}.0.10", "--scope-file", str(path))
    assert code == 2 and "scope expired on 2020-01-01" in err
    code, _, err = run_cli("discover", f"{NET}.1.1", "--scope-file", str(tmp_path / "scope.yaml"))
    assert code == 2
    assert estate.settle() == before


def test_the_global_rate_is_kept(estate: Estate) -> None:
    scope = Scope.build([f"{NET}.0.15"])
    settings = Settings(rate=40, timeout=0.5)  # burst of 4: 21 packets need at least (21 - 4) / 40 s

    async def go() -> float:
        start = asyncio.get_running_loop().time()
        async for _ in discover(scope, settings):
            pass
        return asyncio.get_running_loop().time() - start

    assert asyncio.run(go()) >= 0.4
