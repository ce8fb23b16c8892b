"""A synthetic Shodan scan with known ground truth, built from schoon's own banner templates.

The truth, inside the window 2026-01-05 .. 2026-01-18:

- 12 Hikvision devices (web on 80 on two days, TLS on 443, SDK on 8000 with one model each, a duplicate line);
  6 in 10.1.0.0/28 (onderwijs, TU Delft) and 6 in 10.1.0.16/28..: only in 10.1.0.0/24 (gemeente, Delft);
- 8 Dahua cameras (RTSP on 554 on three days, web realm on 80) on AS3265;
- 1 Dahua device that moved: serial MOVED0001 at 10.2.1.1 (day 1) and 10.2.1.2 (day 5): one device;
- 1 NAT address 10.3.0.1 with two Dahua serials behind it: one device, NAT caveat 1 address / 2 behind;
- 2 honeypot addresses claiming Hikvision and Dahua at once: excluded;
- 30 noise addresses (nginx, Apache, OpenSSH) on several ports and days;
- outside the window: a Hikvision device seen only in December 2025 (2 records), and one extra H0 record;
- without a time: one Hikvision-only address (1 record) and one noise record;
- 4 broken lines (not JSON, a JSON array, a bad port, no address) at known line numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from schoon.measure.synthetic import banner

START = dt.datetime(2026, 1, 5, 9, 0, 0)
SINCE, UNTIL = "2026-01-05", "2026-01-18"

PREFIXES = (
    "cidr,sector,institution,municipality\n"
    "10.1.0.0/24,gemeente,Gemeente Delft,Delft\n"
    "10.1.0.0/28,onderwijs,TU Delft,Delft\n"
    "10.7.0.0/16,zorg,Ziekenhuis,Leiden\n"
)


@dataclass
class Truth:
    """The expected counts (inside the window) and where the broken lines are."""

    by_group: dict[str, int] = field(default_factory=lambda: {"hikvision": 12, "dahua": 10})
    devices: int = 22
    honeypots: int = 2
    nat_addresses: int = 1
    nat_behind: int = 2
    moved: int = 1
    broken_lines: list[int] = field(default_factory=list)
    records: int = 0
    outside_window: int = 3
    untimed: int = 2
    addresses_in_window: int = 0


def _day(n: int, hour: int = 0) -> dt.datetime:
    return START + dt.timedelta(days=n, hours=hour)


def build(seed: int = 11) -> tuple[list[str], Truth]:
    """The scan as JSON lines (in a shuffled order, broken lines included) and its truth."""
    rng = random.Random(seed)
    truth = Truth()
    lines: list[dict[str, object] | str] = []
    in_window: set[str] = set()

    def add(template: str, ip: str, moment: dt.datetime | None, **kwargs: object) -> None:
        lines.append(banner(template, ip, moment, rng=rng, **kwargs))  # type: ignore[arg-type]
        if moment is None or dt.datetime(2026, 1, 5) <= moment < dt.datetime(2026, 1, 19):
            in_window.add(ip)

    hosts = [f"10.1.0.{i}" for i in range(1, 7)] + [f"10.1.0.{i}" for i in range(20, 26)]
    for n, ip in enumerate(hosts):
        sdk = {"hikvision": {"device_model": f"DS-2CD2386G2-IU{n % 2}", "web_version": "V5.5.0"}}
        add("hikvision-web", ip, _day(0, n % 5))
        add("hikvision-web", ip, _day(3, 1))
        add("hikvision-tls", ip, _day(1))
        add("hikvision-sdk", ip, _day(2), overrides=sdk)
    lines.append(lines[0])  # the very same banner twice
    add("hikvision-web", hosts[0], dt.datetime(2025, 11, 30))  # outside the window
    for i in range(1, 9):
        ip = f"10.2.0.{i}"
        for d in range(3):
            add("dahua-rtsp", ip, _day(d * 4), asn=3265, org="XS4ALL Internet BV")
        add("dahua-realm", ip, _day(2), asn=3265, org="XS4ALL Internet BV")
    moved = {"dahua": {"serial_number": "MOVED0001"}}
    add("dahua-sdk", "10.2.1.1", _day(1), overrides=moved, asn=3265, org="XS4ALL Internet BV")
    add("dahua-sdk", "10.2.1.2", _day(5), overrides=moved, asn=1136, org="KPN B.V.")
    add("dahua-sdk", "10.3.0.1", _day(1), overrides={"dahua": {"serial_number": "NATSERIAL1"}})
    add("dahua-sdk", "10.3.0.1", _day(2), port=37778, overrides={"dahua": {"serial_number": "NATSERIAL2"}})
    for ip in ("10.4.0.1", "10.4.0.2"):
        add("hikvision-web", ip, _day(1))
        add("dahua-rtsp", ip, _day(1))
    templates = ("nginx", "apache", "openssh")
    for i in range(30):
        ip = f"10.9.0.{i + 1}"
        for template in rng.sample(templates, rng.randint(1, 3)):
            for d in range(rng.randint(1, 3)):
                add(template, ip, _day(d * 3, i % 7))
    add("hikvision-favicon", "10.5.0.1", dt.datetime(2025, 12, 1))
    add("hikvision-web", "10.5.0.1", dt.datetime(2025, 12, 2))
    add("hikvision-web", "10.6.0.1", None)
    add("nginx", "10.9.0.1", None)
    in_window -= {"10.5.0.1"}
    rng.shuffle(lines)
    broken = ["this is not json", "[1, 2, 3]",
              json.dumps({"ip_str": "10.8.0.1", "port": "http", "data": "x", "_shodan": {"module": "http"}}),
              json.dumps({"port": 80, "data": "HTTP/1.1 200 OK", "_shodan": {"module": "http"}})]
    for text, where in zip(broken, (5, 40, 77, 120), strict=True):
        lines.insert(where, text)
    out = [item if isinstance(item, str) else json.dumps(item) for item in lines]
    truth.broken_lines = [i + 1 for i, text in enumerate(out) if text in broken]
    truth.records = len(out) - len(broken)
    truth.addresses_in_window = len(in_window - {"10.6.0.1"}) - 0  # 10.6.0.1 is untimed: out when windowed
    return out, truth


def write(folder: Path, seed: int = 11) -> tuple[Path, Path, Truth]:
    """Write the scan and the prefix table into ``folder``; return their paths and the truth."""
    lines, truth = build(seed)
    scan = folder / "scan.json"
    scan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    prefixes = folder / "prefixes.csv"
    prefixes.write_text(PREFIXES, encoding="utf-8")
    return scan, prefixes, truth
