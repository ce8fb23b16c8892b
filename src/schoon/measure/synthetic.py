"""Synthetic Shodan-style banners from templates of our own, for tests, the benchmark and the bundled sample.

Each :class:`Template` builds the Shodan banner fields of one kind of device answer (a Hikvision web server, a
Dahua RTSP server, an nginx site, an OpenSSH server ...) and says which registry group the identify engine should
name for it (None for the rest). The banners follow Shodan's published banner shape (``ip_str``, ``port``,
``timestamp``, ``data``, ``asn``, ``org``, ``location``, ``http{server,title,html,favicon}``, ``ssl.cert``,
``hikvision``, ``dahua``, ``_shodan.module``); their contents are written for schoon from the identification
facts in the rule files, not copied from any capture. :func:`benchmark_lines` streams a large mix with the
repetition of real scan data (few distinct banners, many addresses, each seen on several ports and days).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

Fields = dict[str, Any]
_PAGE = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title>"
         "<link rel=\"stylesheet\" href=\"/css/main.css\"></head><body><div id=\"app\">{body}</div>"
         "<script src=\"/js/app.js\"></script></body></html>")


@dataclass(frozen=True)
class Template:
    """One kind of banner: the port it answers on, the group schoon should name, and its fields."""

    name: str
    port: int
    group: str | None
    build: Callable[[random.Random], Fields]
    identity: bool = False  # whether the banner carries a serial number or MAC


def _http(server: str, *, status: str = "200 OK", title: str = "", extra: str = "", body: str = "") -> Fields:
    raw = f"HTTP/1.1 {status}\r\nServer: {server}\r\nContent-Type: text/html\r\n{extra}\r\n"
    html = _PAGE.format(title=title, body=body or "Loading...")
    return {"data": raw, "_shodan": {"module": "http"},
            "http": {"server": server, "title": title or None, "html": html, "status": int(status.split()[0])}}


def _hik_web(rng: random.Random) -> Fields:
    return _http("App-webs/", title="", body="<script>window.location.href='/doc/page/login.asp'</script>")


def _hik_favicon(rng: random.Random) -> Fields:
    fields = _http("webserver", title="", body="<div class=\"login\"></div>")
    fields["http"]["favicon"] = {"hash": 999357577, "location": "/favicon.ico"}
    return fields


def _hik_realm(rng: random.Random) -> Fields:
    return _http("DNVRS-Webs", status="401 Unauthorized", extra="WWW-Authenticate: Digest realm=\"DVRNVRDVS\", "
                 "domain=\"::\", qop=\"auth\", nonce=\"4e5749\", opaque=\"\", algorithm=\"MD5\", stale=\"FALSE\"\r\n")


def _hik_sdk(rng: random.Random) -> Fields:
    model = rng.choice(("DS-2CD2386G2-IU", "DS-2CD2143G2-I", "DS-7608NXI-I2/8P/S", "DS-2DE4425IW-DE"))
    return {"data": "\x00\x00\x00\x10", "_shodan": {"module": "hikvision"},
            "hikvision": {"device_model": model, "device_name": "Camera 01", "web_version": "V5.5.0 build 190828"}}


def _hik_tls(rng: random.Random) -> Fields:
    name = {"C": "CN", "ST": "ZheJiang", "L": "HangZhou", "O": "HIKVISION", "OU": "DVRNVR", "CN": "www.hikvision.com"}
    fields = _http("App-webs/")
    fields["ssl"] = {"cert": {"subject": name, "issuer": name, "serial": 1}}
    fields["_shodan"] = {"module": "https"}
    return fields


def _dahua_rtsp(rng: random.Random) -> Fields:
    return {"data": "RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nServer: Dahua Rtsp Server\r\nWWW-Authenticate: "
                    "Digest realm=\"Login to 4M0A1B2PAZ\", nonce=\"1a2b3c\"\r\n\r\n", "_shodan": {"module": "rtsp-tcp"}}


def _dahua_sdk(rng: random.Random) -> Fields:
    serial = "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(15))
    return {"data": "\x00" * 8, "_shodan": {"module": "dahua-dvr"}, "dahua": {"serial_number": serial}}


def _dahua_realm(rng: random.Random) -> Fields:
    return _http("Webs", status="401 Unauthorized",
                 extra="WWW-Authenticate: Basic realm=\"Login to ND021811019863\"\r\n")


def _nginx(rng: random.Random) -> Fields:
    version = rng.choice(("1.18.0", "1.24.0", "1.25.3"))
    return _http(f"nginx/{version}", title=rng.choice(("Welcome to nginx!", "Home", "Login", "Dashboard")),
                 body="<h1>Welcome</h1>" * rng.randint(2, 20))


def _apache(rng: random.Random) -> Fields:
    return _http(rng.choice(("Apache/2.4.41 (Ubuntu)", "Apache/2.4.57 (Debian)", "Apache")),
                 title=rng.choice(("Apache2 Ubuntu Default Page: It works", "Index of /", "Intranet")),
                 body="<p>It works!</p>" * rng.randint(2, 20))


def _iis(rng: random.Random) -> Fields:
    return _http("Microsoft-IIS/10.0", title="IIS Windows Server", body="<img src=\"iisstart.png\">")


def _openssh(rng: random.Random) -> Fields:
    banner = rng.choice(("SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.5", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2",
                         "SSH-2.0-OpenSSH_7.4"))
    return {"data": banner + "\r\nKey type: ssh-ed25519\r\nKey: AAAAC3NzaC1lZDI1NTE5AAAAI...\r\n",
            "_shodan": {"module": "ssh"}}


def _axis(rng: random.Random) -> Fields:
    return _http("Apache/2.4.57 (Unix) OpenSSL/3.0.8", title="AXIS", body="<h1>AXIS</h1>")


TEMPLATES: dict[str, Template] = {t.name: t for t in (
    Template("hikvision-web", 80, "hikvision", _hik_web),
    Template("hikvision-favicon", 80, "hikvision", _hik_favicon),
    Template("hikvision-realm", 8080, "hikvision", _hik_realm),
    Template("hikvision-sdk", 8000, "hikvision", _hik_sdk),
    Template("hikvision-tls", 443, "hikvision", _hik_tls),
    Template("dahua-rtsp", 554, "dahua", _dahua_rtsp),
    Template("dahua-sdk", 37777, "dahua", _dahua_sdk, identity=True),
    Template("dahua-realm", 80, "dahua", _dahua_realm),
    Template("nginx", 443, None, _nginx),
    Template("apache", 80, None, _apache),
    Template("iis", 80, None, _iis),
    Template("openssh", 22, None, _openssh),
    Template("axis-like", 80, None, _axis),
)}
TARGETS = tuple(name for name, t in TEMPLATES.items() if t.group is not None)
NOISE = tuple(name for name, t in TEMPLATES.items() if t.group is None)


def banner(template: str, ip: str, moment: dt.datetime | None, *, rng: random.Random, port: int | None = None,
           asn: int | None = 1136, org: str | None = "Example Net B.V.", country: str | None = "NL",
           overrides: Fields | None = None) -> Fields:
    """One Shodan banner of ``template`` for ``ip`` at ``moment`` (None: no timestamp)."""
    chosen = TEMPLATES[template]
    fields: Fields = {"ip_str": ip, "port": port or chosen.port, "transport": "tcp", "hostnames": [],
                      "domains": [], "isp": org, "org": org, "asn": f"AS{asn}" if asn is not None else None,
                      "location": {"country_code": country, "city": "Amsterdam", "latitude": 52.37,
                                   "longitude": 4.89}, "hash": rng.randint(-2**31, 2**31 - 1), "tags": []}
    if moment is not None:
        fields["timestamp"] = moment.strftime("%Y-%m-%dT%H:%M:%S.%f")
    fields.update(chosen.build(rng))
    fields["_shodan"] = {**fields.get("_shodan", {}), "id": f"{rng.getrandbits(64):016x}", "crawler": "synthetic",
                         "ptr": False, "options": {}}
    if overrides:
        fields.update(overrides)
    return fields


def address(index: int) -> str:
    """A distinct IPv4 address for each index, in 10.0.0.0/8 (synthetic data only: never contacted)."""
    return f"10.{(index >> 16) & 255}.{(index >> 8) & 255}.{index & 255}"


def benchmark_lines(records: int, *, seed: int = 7, target_share: float = 0.035,
                    start: dt.datetime = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)) -> Iterator[bytes]:
    """``records`` Shodan JSON lines: ~``target_share`` of them from target makers, each address on 1-4 ports
    and several days, banners drawn from a small set of variants per template (as in real scan data)."""
    rng = random.Random(seed)
    variants: dict[str, list[Fields]] = {name: [banner(name, "0.0.0.0", None, rng=rng) for _ in range(6)]
                                         for name in TEMPLATES}
    written = 0
    index = 0
    while written < records:
        index += 1
        ip = address(index)
        target = rng.random() < target_share
        names = [rng.choice(TARGETS)] if target else rng.sample(NOISE, rng.randint(1, 3))
        if target and rng.random() < 0.5:
            names.append(rng.choice(NOISE[:2]))
        days = rng.randint(1, 3)
        for name in names:
            variant = rng.choice(variants[name])  # one device answers the same way every day
            if TEMPLATES[name].identity:  # and its serial number is its own
                variant = {**variant, "dahua": {"serial_number": f"SYN{index:012d}"}}
            for d in range(days):
                if written >= records:
                    return
                fields = dict(variant)
                fields["ip_str"] = ip
                moment = start + dt.timedelta(days=d * 7, seconds=rng.randint(0, 86_399))
                fields["timestamp"] = moment.strftime("%Y-%m-%dT%H:%M:%S.%f")
                fields["asn"] = f"AS{rng.choice((1136, 3265, 33915, 1103, 9143))}"
                yield (json.dumps(fields, separators=(",", ":")) + "\n").encode()
                written += 1
