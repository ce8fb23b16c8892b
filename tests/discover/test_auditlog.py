"""The audit log of ``schoon discover``: one line per probe, exactly what the emulated estate saw, no secrets."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from schoon.discover.probelog import REDACTED, ProbeLog, redact
from schoon.discover.scope import Scope
from tests.discover.conftest import FAST, jsonl, run_cli
from tests.discover.estate import NET, SNMP_COMMUNITY, TRIPWIRE_EXCLUDED, TRIPWIRE_OUTSIDE, Estate

TARGETS = (f"{NET}.0.10-18", f"{NET}.0.30", TRIPWIRE_EXCLUDED)
PROBE_MODULES = {"banner.connect", "banner.ssh", "banner.telnet", "http", "rtsp", "sadp", "dhip", "wsd", "ssdp",
                 "snmp"}


def _listeners(estate: Estate) -> set[tuple[str, int, str]]:
    """(address, port, transport) of every socket the estate listens on."""
    out: set[tuple[str, int, str]] = set()
    for dev in estate.devices:
        out |= {(dev.address, port, "tcp") for port in dev.tcp_ports}
        out |= {(dev.address, port, "udp") for port in dev.udp}
        if dev.snmp is not None:
            out.add((dev.address, 161, "udp"))
    return out


@pytest.fixture(scope="module")
def logged(estate: Estate, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One scan with a scope file, an exclusion and an SNMP community; its audit log and the estate's contacts."""
    folder = tmp_path_factory.mktemp("auditlog")
    scope_file = folder / "scope.yaml"
    scope_file.write_text(f"owner: Emulated estate\ncontact: soc@estate.example\nvalid_until: 2099-12-31\n"
                          f"ranges: [{NET}.0.0/24]\n", encoding="utf-8")
    log_path = folder / "audit.jsonl"
    before = estate.settle()
    code, _out, err = run_cli("discover", *TARGETS, "--exclude", TRIPWIRE_EXCLUDED, "--scope-file", str(scope_file),
                              "--snmp-community", SNMP_COMMUNITY, "--audit-log", str(log_path), *FAST)
    assert code == 0, err
    estate.settle()
    return {"lines": jsonl(log_path.read_text(encoding="utf-8")), "text": log_path.read_text(encoding="utf-8"),
            "contacts": list(estate.log.contacts[before:]), "stderr": err, "path": log_path}


def _probes(logged: dict[str, object]) -> list[dict[str, object]]:
    lines = logged["lines"]
    assert isinstance(lines, list)
    return [line for line in lines if line["type"] == "probe"]


def test_the_log_lists_exactly_the_contacts_the_estate_saw(estate: Estate, logged: dict[str, object]) -> None:
    probes = _probes(logged)
    contacts = logged["contacts"]
    assert isinstance(contacts, list) and len(contacts) > 30
    listeners = _listeners(estate)
    reached = Counter((str(p["address"]), int(str(p["port"])), "udp" if p["transport"] == "udp" else "tcp")
                      for p in probes if p["outcome"] in ("connected", "answered") or p["transport"] == "udp")
    reached_listeners = Counter({key: n for key, n in reached.items() if key in listeners})
    assert reached_listeners == Counter(contacts)
    assert sum(1 for p in probes if p["outcome"] in ("connected", "answered") and p["transport"] != "udp") == sum(
        1 for c in contacts if c[2] == "tcp")
    for p in probes:  # nothing reached a socket the estate does not have, and nothing came back from one
        key = (str(p["address"]), int(str(p["port"])), "udp" if p["transport"] == "udp" else "tcp")
        if key not in listeners:
            assert p["outcome"] in ("refused", "timeout") and p["bytes_received"] == 0, p


def test_no_line_for_excluded_or_out_of_scope_addresses(logged: dict[str, object]) -> None:
    scope = Scope.build(list(TARGETS), [TRIPWIRE_EXCLUDED])
    addresses = {str(p["address"]) for p in _probes(logged)}
    assert TRIPWIRE_EXCLUDED not in addresses and TRIPWIRE_OUTSIDE not in addresses
    assert all(scope.allows(a) for a in addresses)
    assert f"{NET}.0.18" in addresses  # a silent address is logged too: its probes were refused
    assert {p["outcome"] for p in _probes(logged) if p["address"] == f"{NET}.0.18"} == {"refused"}


def test_each_line_says_what_was_sent_and_what_came_back(logged: dict[str, object]) -> None:
    probes = _probes(logged)
    assert {str(p["probe"]) for p in probes} == PROBE_MODULES
    for p in probes:
        assert str(p["time"]).endswith("Z") and isinstance(p["bytes_sent"], int) and p["sent"]
    http = [p for p in probes if p["probe"] == "http" and p["outcome"] == "answered"]
    assert any(p["sent"] == "GET / HTTP/1.0" and int(str(p["bytes_received"])) > 0 for p in http)
    rtsp = [p for p in probes if p["probe"] == "rtsp" and p["address"] == f"{NET}.0.12"]
    assert rtsp and str(rtsp[0]["sent"]).startswith(f"OPTIONS rtsp://{NET}.0.12:554/ RTSP/1.0; DESCRIBE")
    snmp = [p for p in probes if p["probe"] == "snmp" and p["address"] == f"{NET}.0.16"]
    assert len(snmp) == 1 and snmp[0]["outcome"] == "answered" and snmp[0]["replies"] == 1
    assert [p["outcome"] for p in probes if p["probe"] == "banner.ssh" and p["address"] == f"{NET}.0.16"] == [
        "answered"]
    assert {p["sent"] for p in probes if p["probe"] == "banner.connect"} == {"handshake only"}


def test_header_records_scope_version_operator_and_redacted_options(logged: dict[str, object]) -> None:
    lines = logged["lines"]
    assert isinstance(lines, list)
    header, end = lines[0], lines[-1]
    assert header["type"] == "header" and header["schoon_version"] and header["user"]
    scope = header["scope"]
    assert scope["targets"] == list(TARGETS) and scope["exclude"] == [TRIPWIRE_EXCLUDED]
    assert scope["file"]["scope_owner"] == "Emulated estate" and scope["file"]["scope_contact"] == "soc@estate.example"
    assert scope["file"]["scope_valid_until"] == "2099-12-31" and scope["file_ranges"] == [f"{NET}.0.0/24"]
    assert header["options"]["snmp_community"] == REDACTED and header["options"]["rate"] == 4000.0
    assert SNMP_COMMUNITY not in str(logged["text"])
    assert end["type"] == "end" and end["probes"] == len(_probes(logged))
    assert f"audit log ({end['probes']:,} probes): {logged['path']}" in str(logged["stderr"])
    assert f"{end['probes']:,} packets sent" in str(logged["stderr"])  # one line per connection or datagram


def test_default_log_is_a_timestamped_file_in_the_data_folder(estate: Estate, isolated_data_dir: Path) -> None:
    code, _, err = run_cli("discover", f"{NET}.0.21", "--no-udp", "--ports", "22,80", *FAST)
    assert code == 0, err
    logs = list((isolated_data_dir / "discover-logs").glob("*.jsonl"))
    assert len(logs) == 1 and logs[0].name.endswith("Z.jsonl") and str(logs[0]) in err
    probes = [line for line in jsonl(logs[0].read_text(encoding="utf-8")) if line["type"] == "probe"]
    assert sorted((p["port"], p["outcome"]) for p in probes) == [(22, "answered"), (80, "answered"),
                                                                  (80, "answered")]  # banner, GET /, favicon
    code, _, err = run_cli("discover", f"{NET}.0.21", "--no-udp", "--ports", "22", "--no-audit-log", *FAST)
    assert code == 0 and "audit log" not in err
    assert len(list((isolated_data_dir / "discover-logs").glob("*.jsonl"))) == 1


def test_list_writes_no_probe_lines(estate: Estate, tmp_path: Path) -> None:
    before = estate.settle()
    path = tmp_path / "list.jsonl"
    code, out, _ = run_cli("discover", f"{NET}.0.10-12", "--list", "--audit-log", str(path))
    assert code == 0 and len(out.split()) == 3
    assert not path.exists() or not [line for line in jsonl(path.read_text()) if line["type"] == "probe"]
    assert estate.settle() == before


def test_a_log_in_a_missing_folder_is_one_error_before_anything_is_sent(estate: Estate, tmp_path: Path) -> None:
    before = estate.settle()
    path = tmp_path / "no-such-folder" / "audit.jsonl"
    code, out, err = run_cli("discover", f"{NET}.0.10", "--audit-log", str(path), *FAST)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [f"schoon: error: {path}: cannot write the audit log: "
                                        "No such file or directory"]
    assert estate.settle() == before and not path.parent.exists()
    code, _, err = run_cli("discover", f"{NET}.0.10", "--audit-log", str(tmp_path / "a.jsonl"), "--no-audit-log")
    assert code == 2 and "exclude each other" in err


def test_redaction_and_flushing(tmp_path: Path) -> None:
    assert redact({"snmp_community": "s3cret", "rate": 1.0, "password": None}) == {
        "snmp_community": REDACTED, "rate": 1.0, "password": None}
    log = ProbeLog(tmp_path / "log.jsonl")
    log.probe("127.0.0.1", 80, "tcp", "http", "GET / HTTP/1.0", 60, "answered", 120)
    assert len(jsonl((tmp_path / "log.jsonl").read_text())) == 1  # on disk before the log is closed
    log.close()
    log.close()
    assert [line["type"] for line in jsonl((tmp_path / "log.jsonl").read_text())] == ["probe", "end"]
