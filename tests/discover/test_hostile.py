"""Hostile replies: slow, huge, malformed. The scan ends on time, without a traceback, keeping what is usable."""

from __future__ import annotations

import asyncio
import time

from schoon.discover import Settings, discover
from schoon.discover.scope import Scope
from tests.discover.conftest import jsonl, run_cli
from tests.discover.estate import NET, Estate


def test_hostile_devices_do_not_hang_or_crash_the_scan(hostile: Estate) -> None:
    start = time.monotonic()
    code, out, err = run_cli("discover", f"{NET}.2.1-5", "--snmp-community", "estate-ro", "--rate", "4000",
                             "--timeout", "0.5")
    elapsed = time.monotonic() - start
    assert code == 0, err
    assert "Traceback" not in err
    assert elapsed < 12, elapsed  # slowloris and a silent TLS port are cut by the per-probe time cap
    found = {str(r["id"]): r for r in jsonl(out)}
    assert set(found) == {f"{NET}.2.{n}" for n in (1, 2, 3, 4, 5)}
    garbage = found[f"{NET}.2.4"]  # answers only with garbage: it answered SSDP, nothing else is usable
    assert garbage["protocols"] == "ssdp" and garbage["ssdp_location_not_followed"] == "http://[::1"
    assert not {"mac", "serial", "model", "declared_vendor", "onvif_manufacturer", "snmp_sysdescr"} & set(garbage)
    assert found[f"{NET}.2.3"]["ports"] == [443] and "tls_error" in found[f"{NET}.2.3"]
    huge = found[f"{NET}.2.5"]  # a 100 kB Server header: the read stops at its cap, the field at 64 KiB
    assert 0 < len(str(huge["http_server"])) <= 65_536 and "http_title" not in huge
    assert found[f"{NET}.2.5"]["serial"] == "SN1" and "mac" not in found[f"{NET}.2.5"]
    assert found[f"{NET}.2.5"]["unusable_fields"] == "mac"  # a malformed MAC is named, not silently lost
    assert found[f"{NET}.2.1"]["ports"] == [22, 80, 554]  # slowloris: open ports, no usable banner
    assert "ssh_banner" not in found[f"{NET}.2.1"]


def test_hostile_identify_still_writes_records(hostile: Estate) -> None:
    code, out, err = run_cli("discover", f"{NET}.2.2", f"{NET}.2.5", "--identify", "--no-udp", "--rate", "4000",
                             "--timeout", "0.5")
    assert code == 0, err
    assert [r["id"] for r in jsonl(out)] == [f"{NET}.2.2", f"{NET}.2.5"]


def test_probes_in_flight_per_host_are_bounded(hostile: Estate) -> None:
    scope = Scope.build([f"{NET}.2.6"])
    for per_host, bound in ((2, 3), (6, 6)):  # the server may see one close late: +1 at most
        hostile.settle()
        hostile.peak.pop(f"{NET}.2.6", None)
        settings = Settings(ports=(80, 81, 88, 8080, 8081, 8888), per_host=per_host, udp=False, rate=4000,
                            timeout=0.4)

        async def go(settings: Settings = settings) -> None:
            async for _ in discover(scope, settings):
                pass

        asyncio.run(go())
        hostile.settle()
        assert hostile.peak[f"{NET}.2.6"] <= bound
    assert hostile.peak[f"{NET}.2.6"] >= 4  # without the limit the six ports are probed at once
