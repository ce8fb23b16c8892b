"""An emulated estate: devices on their own 127.51.x.y addresses, each serving what its real counterpart serves.

Every reply is a hand-written template built from the facts in the research note (nmap match lines, Recog
examples, UniversalScanner fixtures, the ONVIF Core spec), not copied captures. The estate runs its own asyncio
loop in a background thread, binds only to 127.0.0.0/8, and logs every connection, request line and datagram it
receives, so tests can count contacts (tripwires) and look for forbidden requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import struct
import subprocess
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from schoon.discover import ber, digest

Reply = tuple[int, list[tuple[str, str]], bytes]  # status, headers, body
UdpHandler = Callable[[bytes], list[bytes]]
NET = "127.51"


def http_reply(status: int, headers: list[tuple[str, str]], body: bytes = b"") -> bytes:
    """An HTTP/1.1 response as bytes."""
    reason = {200: "OK", 302: "Found", 401: "Unauthorized", 404: "Not Found"}.get(status, "Status")
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    return head.encode() + body


@dataclass
class Device:
    """One emulated device and what a correct identification says about it."""

    name: str
    address: str
    maker: str | None  # expected group id; None for a non-target
    http: dict[int, dict[str, Reply]] = field(default_factory=dict)
    https: dict[int, dict[str, Reply]] = field(default_factory=dict)
    rtsp: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # port → headers of a 401/200
    rtsp_status: int = 401
    ssh: str | None = None
    telnet: bytes | None = None
    tcp_open: list[int] = field(default_factory=list)
    raw_tcp: dict[int, str] = field(default_factory=dict)  # port → hostile behaviour name
    udp: dict[int, UdpHandler] = field(default_factory=dict)
    snmp: dict[str, tuple[int, bytes]] | None = None  # oid → (tag, value) served for community "estate-ro"
    protected: dict[str, bytes | str] = field(default_factory=dict)  # digest-protected path → body or behaviour
    login: tuple[str, str] = ("", "")  # (user, password) the protected paths accept
    realm: str = "IP Camera"
    basic_only: bool = False  # challenge with Basic instead of Digest

    def authorised(self, head: bytes) -> bool:
        """True when the request carries a Digest answer proving this device's password."""
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "authorization":
                return digest.verify(value.strip(), "GET", self.login[1], self.login[0])
        return False

    @property
    def tcp_ports(self) -> list[int]:
        """Every TCP port the device listens on."""
        return sorted({*self.http, *self.https, *self.rtsp, *self.tcp_open, *self.raw_tcp,
                       *([22] if self.ssh else []), *([23] if self.telnet else [])})


# ---- reply templates ---------------------------------------------------------------------------------------

def sadp_reply(model: str, serial_tail: str, mac: str, version: str = "V5.7.3build 220112") -> UdpHandler:
    """A SADP ProbeMatch (fields as in UniversalScanner's Hikvision fixture), only for an inquiry."""
    def handler(data: bytes) -> list[bytes]:
        if b"<Types>inquiry</Types>" not in data:
            return []
        uuid = data.split(b"<Uuid>")[1].split(b"</Uuid>")[0].decode() if b"<Uuid>" in data else "x"
        return [(
            '<?xml version="1.0" encoding="UTF-8"?><ProbeMatch>'
            f"<Uuid>{uuid}</Uuid><Types>inquiry</Types><DeviceType>139</DeviceType>"
            f"<DeviceDescription>{model}</DeviceDescription><DeviceSN>{model}20220312CCWR{serial_tail}</DeviceSN>"
            f"<CommandPort>8000</CommandPort><HttpPort>80</HttpPort><MAC>{mac}</MAC>"
            "<IPv4Address>192.168.1.64</IPv4Address><IPv4SubnetMask>255.255.255.0</IPv4SubnetMask>"
            f"<DHCP>false</DHCP><SoftwareVersion>{version}</SoftwareVersion>"
            "<DSPVersion>V7.3 build 220112</DSPVersion><Activated>true</Activated>"
            "<PasswordResetAbility>false</PasswordResetAbility></ProbeMatch>").encode()]
    return handler


def dhip_packet(body: bytes) -> bytes:
    """A DHIP frame (header layout from the research note §1.4)."""
    return struct.pack("<I4sIIIIII", 0x20, b"DHIP", 0, 0, len(body), 0, len(body), 0) + body


def dhip_reply(device_type: str, serial: str, mac: str, vendor: str = "Dahua",
               version: str = "2.800.0000016.0.R") -> UdpHandler:
    """A client.notifyDevInfo answer to DHDiscover.search."""
    def handler(data: bytes) -> list[bytes]:
        if data[4:8] != b"DHIP" or b"DHDiscover.search" not in data:
            return []
        body = {"mac": mac, "method": "client.notifyDevInfo", "params": {"deviceInfo": {
            "DeviceClass": "IPC", "DeviceType": device_type, "HttpPort": 80, "MachineName": serial,
            "Port": 37777, "SerialNo": serial, "Vendor": vendor, "Version": version,
            "VideoInputChannels": 1}}, "random": "0001"}
        return [dhip_packet(json.dumps(body).encode() + b"\n")]
    return handler


def wsd_reply(scopes: str, xaddrs: str) -> UdpHandler:
    """A WS-Discovery ProbeMatches (shape of UniversalScanner's fixture and ONVIF Core's scopes)."""
    def handler(data: bytes) -> list[bytes]:
        if b"discovery/Probe<" not in data:
            return []
        relates = data.split(b"<a:MessageID>")[1].split(b"</a:MessageID>")[0].decode()
        return [(
            '<?xml version="1.0" encoding="UTF-8"?><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
            'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" '
            'xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><e:Header>'
            f"<a:MessageID>urn:uuid:5a1e0000-0000-0000-0000-000000000001</a:MessageID><a:RelatesTo>{relates}"
            "</a:RelatesTo><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action>"
            '<d:AppSequence InstanceId="3" MessageNumber="7"/></e:Header><e:Body><d:ProbeMatches><d:ProbeMatch>'
            "<a:EndpointReference><a:Address>urn:uuid:5a1e0000-0000-0000-0000-000000000002</a:Address>"
            "</a:EndpointReference><d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>"
            f"<d:Scopes>{scopes}</d:Scopes><d:XAddrs>{xaddrs}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>"
            "</d:ProbeMatch></d:ProbeMatches></e:Body></e:Envelope>").encode()]
    return handler


def ssdp_reply(server: str, location: str) -> UdpHandler:
    """An M-SEARCH answer (fields as in the SSDP fixture: LOCATION, SERVER, USN, ST)."""
    def handler(data: bytes) -> list[bytes]:
        if not data.startswith(b"M-SEARCH"):
            return []
        return [(f"HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nLOCATION: {location}\r\n"
                 f"SERVER: {server}\r\nST: upnp:rootdevice\r\nUSN: uuid:0000-1111::upnp:rootdevice\r\n\r\n").encode()]
    return handler


def upnp_description(manufacturer: str, model: str, serial: str = "") -> bytes:
    """A UPnP device description XML."""
    return ('<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major>'
            "<minor>0</minor></specVersion><device><deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType>"
            f"<friendlyName>device</friendlyName><manufacturer>{manufacturer}</manufacturer>"
            f"<modelName>{model}</modelName><serialNumber>{serial}</serialNumber></device></root>").encode()


SNMP_COMMUNITY = "estate-ro"


def snmp_agent(values: dict[str, tuple[int, bytes]]) -> UdpHandler:
    """A v2c agent answering GetRequests for ``values`` with community ``estate-ro`` only."""
    def handler(data: bytes) -> list[bytes]:
        try:
            message, _ = ber.decode_one(data)
            _version, community, pdu = message.children()
            request_id, _, _, bindings = pdu.children()
        except (ber.BerError, ValueError):
            return []
        if community.value != SNMP_COMMUNITY.encode():
            return []
        out = b""
        for binding in bindings.children():
            oid = ber.decode_oid(binding.children()[0].value)
            tag, value = values.get(oid, (0x80, b""))  # noSuchObject
            out += ber.encode(ber.SEQUENCE, ber.encode_oid(oid) + ber.encode(tag, value))
        resp = ber.encode(0xA2, ber.encode(ber.INTEGER, request_id.value) + ber.encode_int(0) + ber.encode_int(0)
                          + ber.encode(ber.SEQUENCE, out))
        return [ber.encode(ber.SEQUENCE, ber.encode_int(1) + ber.encode(ber.OCTET_STRING, community.value) + resp)]
    return handler


# ---- the server machinery -----------------------------------------------------------------------------------

@dataclass
class Log:
    """Everything the estate received."""

    contacts: list[tuple[str, int, str]] = field(default_factory=list)  # (address, port, proto)
    requests: list[tuple[str, int, bytes]] = field(default_factory=list)  # (address, port, request bytes)

    def contacts_to(self, address: str) -> int:
        """How many connections and datagrams reached ``address``."""
        return sum(1 for a, _, _ in self.contacts if a == address)


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, estate: Estate, address: str, port: int, handler: UdpHandler) -> None:
        self.estate, self.address, self.port, self.handler = estate, address, port, handler
        self.transport: Any = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.estate.log.contacts.append((self.address, self.port, "udp"))
        self.estate.log.requests.append((self.address, self.port, data))
        for reply in self.handler(data):
            self.transport.sendto(reply, addr)


class Estate:
    """Start and stop the emulated devices (a context manager)."""

    def __init__(self, devices: list[Device], cert_dir: Path | None = None) -> None:
        self.devices = devices
        self.cert_dir = cert_dir
        self.log = Log()
        self.nonce = 0  # digest nonces handed out
        self.active: dict[str, int] = {}  # open TCP connections per device address, now
        self.peak: dict[str, int] = {}  # and at most
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._closers: list[Callable[[], object]] = []

    def __enter__(self) -> Estate:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=20)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self.loop).result(timeout=20)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)
        self.loop.close()

    def settle(self, quiet: float = 0.3, limit: float = 5.0) -> int:
        """Wait until no new contact has arrived for ``quiet`` seconds (late accepts of an earlier scan)."""
        import time

        deadline = time.monotonic() + limit
        count = -1
        while count != len(self.log.contacts) and time.monotonic() < deadline:
            count = len(self.log.contacts)
            time.sleep(quiet)
        return count

    async def _stop(self) -> None:
        for close in self._closers:
            close()
        for task in [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]:
            task.cancel()

    def _tls(self, subject: str) -> object:
        import ssl

        assert self.cert_dir is not None
        key, cert = self.cert_dir / "key.pem", self.cert_dir / "cert.pem"
        if not cert.exists():
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                            "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "3650", "-subj", subject],
                           check=True, capture_output=True)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        return ctx

    async def _start(self) -> None:
        loop = asyncio.get_running_loop()
        for dev in self.devices:
            for port in dev.tcp_ports:
                tls = self._tls(HIK_CERT_SUBJECT) if port in dev.https else None
                server = await asyncio.start_server(partial(self._serve, dev, port), dev.address, port,
                                                    ssl=tls, reuse_address=True)
                self._closers.append(server.close)
            handlers = dict(dev.udp)
            if dev.snmp is not None:
                handlers[161] = snmp_agent(dev.snmp)
            for port, handler in handlers.items():
                transport, _ = await loop.create_datagram_endpoint(
                    partial(_Udp, self, dev.address, port, handler), local_addr=(dev.address, port))
                self._closers.append(transport.close)

    async def _serve(self, dev: Device, port: int, reader: asyncio.StreamReader,
                     writer: asyncio.StreamWriter) -> None:
        self.log.contacts.append((dev.address, port, "tcp"))
        self.active[dev.address] = self.active.get(dev.address, 0) + 1
        self.peak[dev.address] = max(self.peak.get(dev.address, 0), self.active[dev.address])
        try:
            if port in dev.raw_tcp:
                await HOSTILE[dev.raw_tcp[port]](reader, writer)
            elif port in dev.http or port in dev.https:
                await self._http(dev, port, {**dev.http, **dev.https}[port], reader, writer)
            elif port in dev.rtsp:
                await self._rtsp(dev, port, reader, writer)
            elif port == 22 and dev.ssh:
                writer.write(dev.ssh.encode() + b"\r\n")
                await writer.drain()
                await asyncio.wait_for(reader.read(1024), 5)
            elif port == 23 and dev.telnet:
                writer.write(dev.telnet)
                await writer.drain()
                await asyncio.wait_for(reader.read(1024), 5)
            else:
                await asyncio.wait_for(reader.read(1024), 5)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        except (IndexError, ValueError):  # not a request this device understands (nmap's probes): hang up
            pass
        finally:
            self.active[dev.address] -= 1
            with contextlib.suppress(Exception):
                writer.close()

    async def _http(self, dev: Device, port: int, routes: dict[str, Reply], reader: asyncio.StreamReader,
                    writer: asyncio.StreamWriter) -> None:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        body = await asyncio.wait_for(reader.readexactly(length), 5) if length else b""
        self.log.requests.append((dev.address, port, head + body))
        path = head.split(b" ")[1].decode()
        method = head.split(b" ")[0].decode()
        if path in dev.protected and method == "GET":
            await self._protected(dev, path, head, writer)
            return
        status, headers, content = routes.get(f"{method} {path}", routes.get(path, (404, [], b"")))
        writer.write(http_reply(status, headers, content))
        await writer.drain()

    async def _protected(self, dev: Device, path: str, head: bytes, writer: asyncio.StreamWriter) -> None:
        """A digest-protected capability document: 401 + challenge, 401 for a wrong answer, else the body."""
        server = [("Server", "App-webs/")] if dev.maker == "hikvision" else []
        if not dev.authorised(head):
            self.nonce += 1
            challenge = (f'Basic realm="{dev.realm}"' if dev.basic_only else
                         f'Digest qop="auth", realm="{dev.realm}", nonce="{self.nonce:032x}", stale="FALSE"')
            writer.write(http_reply(401, [*server, ("WWW-Authenticate", challenge)], b"<h1>401 Unauthorized</h1>"))
            await writer.drain()
            return
        body = dev.protected[path]
        if body == "silent":
            await asyncio.sleep(60)
            return
        if body == "huge":
            writer.write(http_reply(200, [*server, ("Content-Type", "application/xml")], b"<a>" + b"x" * (5 << 20)))
        elif isinstance(body, bytes):
            kind = "application/xml" if body.startswith(b"<") else "text/plain"
            writer.write(http_reply(200, [*server, ("Content-Type", kind),
                                          ("Content-Disposition", 'attachment; filename="../../../escaped.xml"')],
                                    body))
        await writer.drain()

    async def _rtsp(self, dev: Device, port: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            self.log.requests.append((dev.address, port, head))
            cseq = next((line.split(b":")[1].strip() for line in head.split(b"\r\n")
                         if line.lower().startswith(b"cseq")), b"0").decode()
            status = 200 if head.startswith(b"OPTIONS") else dev.rtsp_status
            reason = "OK" if status == 200 else "Unauthorized"
            lines = [f"RTSP/1.0 {status} {reason}", f"CSeq: {cseq}"]
            lines += [f"{k}: {v}" for k, v in dev.rtsp[port] if status != 200 or k != "WWW-Authenticate"]
            if status == 200 and head.startswith(b"OPTIONS"):
                lines.append("Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN")
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
            await writer.drain()


# ---- hostile behaviours ---------------------------------------------------------------------------------------

async def _slowloris(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nServer: slow")
    for _ in range(600):
        await asyncio.sleep(0.1)
        writer.write(b"w")
        await writer.drain()


async def _flood(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nServer: flood\r\nX-Pad: ")
    chunk = b"A" * 65536
    for _ in range(160):  # 10 MiB of header
        writer.write(chunk)
        await writer.drain()


async def _garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(bytes(range(256)) * 8)
    await writer.drain()
    await asyncio.sleep(0.2)


async def _silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await asyncio.wait_for(reader.read(), 60)  # says nothing; ends when the prober hangs up


HOSTILE: dict[str, Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]] = {
    "slowloris": _slowloris, "flood": _flood, "garbage": _garbage, "silent": _silent,
}

# ---- the estate ---------------------------------------------------------------------------------------------

HIK_CERT_SUBJECT = "/C=CN/ST=ZheJiang/L=HangZhou/O=HIKVISION/OU=DVRNVR/CN=www.hikvision.com"
HIK_LOGIN = (b"<!DOCTYPE html><html><head><title></title><meta charset=\"utf-8\"/>"
             b"<script src=\"../script/lib/seajs/sea.js\"></script></head><body></body></html>")
DAHUA_PAGE = (b"\xef\xbb\xbf<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"><html><head>"
              b"<title>WEB SERVICE</title></head><body><div class=\"ui-dialog-content\"></div></body></html>")
ICON = b"\x00\x00\x01\x00\x01\x00\x10\x10\x00\x00\x01\x00\x20\x00" + bytes(64)
SOAP_TIME = (b'<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope">'
             b"<env:Body><tds:GetSystemDateAndTimeResponse xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\">"
             b"</tds:GetSystemDateAndTimeResponse></env:Body></env:Envelope>")
TRIPWIRE_EXCLUDED = f"{NET}.0.99"
TRIPWIRE_OUTSIDE = f"{NET}.1.1"


def devices() -> list[Device]:
    """The standard estate: targets, a relabel, a weak signal, non-targets, a scope escaper, tripwires."""
    a = f"{NET}.0."
    hik_http = {"/": (302, [("Server", "App-webs/"), ("Location", "/doc/page/login.asp")], b""),
                "/doc/page/login.asp": (200, [("Server", "App-webs/")], HIK_LOGIN),
                "/favicon.ico": (200, [("Server", "App-webs/")], ICON)}
    tripwire_ports: dict[int, dict[str, Reply]] = {80: {"/": (200, [], b"tripwire")}, 8080: {"/": (200, [], b"")},
                                                   49152: {"/": (200, [], b"")}}
    tripwire_udp: dict[int, UdpHandler] = {p: (lambda d: []) for p in (3702, 37020, 37810, 1900)}
    return [
        Device("hikvision camera, ONVIF disabled", a + "10", "hikvision", http={80: hik_http},
               rtsp={554: [("WWW-Authenticate", 'Digest realm="Hikvision", nonce="0f1e2d3c4b5a69788796a5b4c3d2e1f0", '
                                                 'stale="FALSE"'), ("Server", "")]},
               tcp_open=[8000], udp={37020: sadp_reply("DS-2CD2043G2-I", "J01234567", "c4-2f-90-12-34-56")}),
        Device("hikvision NVR, HTTPS + ONVIF", a + "11", "hikvision",
               http={80: {"/": (302, [("Server", "DNVRS-Webs"), ("Location", f"https://{a}11/")], b""),
                          "POST /onvif/device_service": (200, [("Server", "DNVRS-Webs"),
                                                               ("Content-Type", "application/soap+xml")], SOAP_TIME)}},
               https={443: {"/": (200, [("Server", "DNVRS-Webs")], HIK_LOGIN)}}, tcp_open=[8000],
               udp={3702: wsd_reply("onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/Profile/Streaming "
                                    "onvif://www.onvif.org/name/HIKVISION onvif://www.onvif.org/hardware/DS-7608NI-K2",
                                    f"http://{a}11/onvif/device_service")}),
        Device("dahua camera", a + "12", "dahua",
               http={80: {"/": (200, [("Content-Type", "text/html")], DAHUA_PAGE)}},
               rtsp={554: [("Server", "Dahua Rtsp Server"),
                           ("WWW-Authenticate", 'Digest realm="Login to 4C045ADPAG60CD", nonce="123456789"')]},
               tcp_open=[37777],
               udp={37810: dhip_reply("IPC-HDW2431T-AS-S2", "4C045ADPAG60CD", "3c:ef:8c:61:01:c0"),
                    3702: wsd_reply("onvif://www.onvif.org/name/Dahua onvif://www.onvif.org/hardware/IPC-HDW2431T-AS-S2 "
                                    "onvif://www.onvif.org/Profile/Streaming", f"http://{a}12/onvif/device_service")}),
        Device("annke relabel (hikvision firmware)", a + "13", "hikvision",
               http={80: hik_http}, tcp_open=[8000],
               udp={3702: wsd_reply("onvif://www.onvif.org/name/ANNKE onvif://www.onvif.org/hardware/C800",
                                    f"http://{a}13:8899/onvif/device_service")}),
        Device("uniview camera, WS-Discovery only", a + "14", "uniview",
               udp={3702: wsd_reply("onvif://www.onvif.org/name/UNIVIEW onvif://www.onvif.org/hardware/IPC3612LB-ADF28K-G",
                                    f"http://{a}14/onvif/device_service")}),
        Device("one weak signal (Dahua DVRIP port only)", a + "15", "dahua", tcp_open=[37777]),
        Device("huawei switch (SSH, SNMP)", a + "16", "huawei", ssh="SSH-2.0-HUAWEI-1.5",
               snmp={"1.3.6.1.2.1.1.1.0": (ber.OCTET_STRING, b"S5735-L24T4X-A1\r\nHuawei Versatile Routing Platform "
                                           b"Software\r\nVRP (R) software, Version 5.170 (S5735 V200R019C10SPC500)"),
                     "1.3.6.1.2.1.1.2.0": (ber.OID, ber.encode_oid("1.3.6.1.4.1.2011.2.23.605")[2:])}),
        Device("hikvision DVR telnet", a + "17", "hikvision", telnet=b"\xff\xfd\x18\xff\xfd\x20192.0.0.64 login: "),
        Device("axis camera (non-target)", a + "20", None,
               http={80: {"/": (200, [("Server", "Apache")], b"<html><head><title>AXIS</title></head></html>"),
                          "/rootdesc.xml": (200, [], upnp_description("AXIS", "AXIS P1448-LE", "ACCC8E000001"))}},
               udp={3702: wsd_reply("onvif://www.onvif.org/name/AXIS onvif://www.onvif.org/hardware/P1448-LE",
                                    f"http://{a}20/onvif/device_service"),
                    1900: ssdp_reply("Linux/4.9 UPnP/1.0 Axis/1.0", f"http://{a}20:80/rootdesc.xml")}),
        Device("linux server (non-target)", a + "21", None, ssh="SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3",
               http={80: {"/": (200, [("Server", "nginx/1.22.1")],
                                b"<html><head><title>Welcome to nginx!</title></head></html>")}}),
        Device("home router (non-target)", a + "22", None,
               http={49000: {"/desc.xml": (200, [], upnp_description("AVM Berlin", "FRITZ!Box 7590"))}},
               udp={1900: ssdp_reply("FRITZ!Box 7590 UPnP/1.0 AVM FRITZ!Box 7590 154.07.57",
                                     f"http://{a}22:49000/desc.xml")}),
        Device("scope escaper", a + "30", None,
               http={80: {"/": (302, [("Location", f"http://{TRIPWIRE_OUTSIDE}/")], b"")},
                     8080: {"/": (302, [("Location", f"http://{TRIPWIRE_EXCLUDED}:8080/")], b"")},
                     81: {"/": (302, [("Location", "http://localhost/")], b"")}},
               udp={3702: wsd_reply("onvif://www.onvif.org/name/Escaper",
                                    f"http://{TRIPWIRE_OUTSIDE}/onvif/device_service "
                                    f"http://{TRIPWIRE_EXCLUDED}/onvif/device_service http://240.0.2.0/"),
                    1900: ssdp_reply("escaper", f"http://{TRIPWIRE_OUTSIDE}:49152/desc.xml")}),
        Device("tripwire (excluded)", TRIPWIRE_EXCLUDED, None, http=dict(tripwire_ports), udp=dict(tripwire_udp),
               ssh="SSH-2.0-tripwire"),
        Device("tripwire (outside scope)", TRIPWIRE_OUTSIDE, None, http=dict(tripwire_ports), udp=dict(tripwire_udp),
               ssh="SSH-2.0-tripwire"),
    ]


def hostile_devices() -> list[Device]:
    """Devices that answer badly: slow, huge, malformed."""
    b = f"{NET}.2."
    bad_ber = lambda d: [b"\x30\x84\xff\xff\xff\xff" + b"\x02" * 20]  # noqa: E731 - a length beyond the data
    return [
        Device("slowloris", b + "1", None, raw_tcp={80: "slowloris", 554: "slowloris", 22: "slowloris"}),
        Device("flood", b + "2", None, raw_tcp={80: "flood", 8080: "garbage", 23: "flood"}),
        Device("tls errors", b + "3", None, raw_tcp={443: "garbage", 8443: "silent"}),
        Device("malformed udp", b + "4", None, udp={
            37020: lambda d: [b"<ProbeMatch><DeviceSN>&lol;</DeviceSN>",
                              b'<!DOCTYPE x [<!ENTITY a "aaaa">]><ProbeMatch><MAC>&a;</MAC></ProbeMatch>'],
            37810: lambda d: [dhip_packet(b'{"method":"client.notifyDevInfo","params":{"deviceInfo":'),
                              b"DHIP" * 100, dhip_packet(b"[" * 100_000)],
            3702: lambda d: [b"<e:Envelope><unclosed>", b"\x00" * 70_000],
            1900: lambda d: [b"HTTP/1.1 200 OK\r\nLOCATION: http://[::1\r\n\r\n"],
            161: bad_ber}),
        Device("six silent HTTP ports", b + "6", None,
               raw_tcp={port: "silent" for port in (80, 81, 88, 8080, 8081, 8888)}),
        Device("bad values", b + "5", None,
               http={80: {"/": (200, [("Server", "x" * 100_000)], b"<title>" + b"t" * 200_000)}},
               udp={37020: lambda d: [b"<ProbeMatch><MAC>not-a-mac</MAC><DeviceSN>SN1</DeviceSN></ProbeMatch>"]}),
    ]


# ---- capability documents (written from the field names of research note §3.1/§3.2, not copied files) ----------

ISAPI_NS = "http://www.isapi.org/ver20/XMLSchema"
HIK_SYSTEM_CAPS = (f'<?xml version="1.0" encoding="UTF-8"?><DeviceCap version="2.0" xmlns="{ISAPI_NS}">'
                   "<SysCap><isSupportDst>true</isSupportDst></SysCap><EventCap>"
                   "<isSupportHumanRecognition>true</isSupportHumanRecognition>"
                   "<isSupportFaceContrast>true</isSupportFaceContrast></EventCap>"
                   "<isSupportFaceCaptureStatistics>true</isSupportFaceCaptureStatistics></DeviceCap>").encode()
HIK_SMART_CAPS = (f'<?xml version="1.0" encoding="UTF-8"?><SmartCap version="2.0" xmlns="{ISAPI_NS}">'
                  "<isSupportROI>true</isSupportROI><isSupportFaceDetect>true</isSupportFaceDetect>"
                  "<isSupportLineDetection>true</isSupportLineDetection></SmartCap>").encode()
HIK_EVENT_CAPS = (f'<?xml version="1.0" encoding="UTF-8"?><EventCap version="2.0" xmlns="{ISAPI_NS}">'
                  "<isSupportHDFull>true</isSupportHDFull><isSupportSmartDetection>true</isSupportSmartDetection>"
                  "<isSupportFaceSnap>true</isSupportFaceSnap></EventCap>").encode()
DAHUA_CAPS = b"caps.MaxRules=8\r\ncaps.SupportedScenes[0]=FaceAnalysis\r\ncaps.SupportedScenes[1]=Normal\r\n"
DAHUA_GLOBAL = b"table.VideoAnalyseGlobal[0].Scene.Type=FaceAnalysis\r\n"
DAHUA_RULE = (b"table.VideoAnalyseRule[0][0].Class=FaceAnalysis\r\ntable.VideoAnalyseRule[0][0].Enable=true\r\n"
              b"table.VideoAnalyseRule[0][0].Name=Rule1\r\ntable.VideoAnalyseRule[0][0].Type=FaceRecognition\r\n")
HIK_PATHS = ("/ISAPI/System/capabilities", "/ISAPI/Smart/capabilities", "/ISAPI/Event/capabilities")
DAHUA_PATHS = ("/cgi-bin/devVideoAnalyse.cgi?action=getCaps&channel=1",
               "/cgi-bin/configManager.cgi?action=getConfig&name=VideoAnalyseGlobal",
               "/cgi-bin/configManager.cgi?action=getConfig&name=VideoAnalyseRule")
CAP_USER, CAP_PASSWORD = "audit-ro", "Tr0ub4dor-and-3-horses"
CAP_WRONG_PASSWORD = "not-the-password-9"
CAP_OUTSIDE = f"{NET}.4.1"  # a tripwire outside the capability scope


def capability_devices() -> list[Device]:
    """Devices on 127.51.3.x with digest-protected capability documents, and ones that must get no credential."""
    c = f"{NET}.3."
    login = (CAP_USER, CAP_PASSWORD)
    hik_docs: dict[str, bytes | str] = dict(zip(HIK_PATHS, (HIK_SYSTEM_CAPS, HIK_SMART_CAPS, HIK_EVENT_CAPS),
                                                strict=True))
    dahua_docs: dict[str, bytes | str] = dict(zip(DAHUA_PATHS, (DAHUA_CAPS, DAHUA_GLOBAL, DAHUA_RULE), strict=True))
    hik_http = {"/": (302, [("Server", "App-webs/"), ("Location", "/doc/page/login.asp")], b""),
                "/doc/page/login.asp": (200, [("Server", "App-webs/")], HIK_LOGIN)}
    dahua_http = {"/": (200, [("Content-Type", "text/html")], DAHUA_PAGE)}

    def hik(last: str, name: str, serial_tail: str, **kw: Any) -> Device:
        return Device(name, c + last, "hikvision", http={80: hik_http}, tcp_open=[8000],
                      udp={37020: sadp_reply("DS-2CD2043G2-I", serial_tail, f"c4-2f-90-00-03-{int(last):02x}")},
                      realm="IP Camera", **kw)

    def dahua(last: str, name: str, serial: str, **kw: Any) -> Device:
        return Device(name, c + last, "dahua", http={80: dahua_http}, tcp_open=[37777],
                      udp={37810: dhip_reply("IPC-HDW2431T-AS-S2", serial, f"3c:ef:8c:00:03:{int(last):02x}")},
                      realm=f"Login to {serial}", **kw)

    return [
        hik("10", "hikvision with capability documents (serial tries a path)", "J000001/../../../x",
            protected=dict(hik_docs), login=login),
        dahua("12", "dahua with capability documents", "5B0000AAPAG0001", protected=dict(dahua_docs), login=login),
        hik("13", "hikvision whose credential in the file is wrong", "J000013", protected=dict(hik_docs),
            login=login),
        hik("14", "hikvision: smart caps hang, event caps 5 MiB", "J000014",
            protected={HIK_PATHS[0]: HIK_SYSTEM_CAPS, HIK_PATHS[1]: "silent", HIK_PATHS[2]: "huge"}, login=login),
        dahua("15", "dahua covered only by a hikvision credential", "5B0000AAPAG0015", protected=dict(dahua_docs),
              login=login),
        Device("linux server covered by the hikvision block", c + "16", None, ssh="SSH-2.0-OpenSSH_9.2p1",
               http={80: {"/": (200, [("Server", "nginx/1.22.1")], b"<title>Welcome to nginx!</title>")}},
               protected=dict(hik_docs), login=login),
        hik("17", "hikvision that offers only Basic", "J000017", protected=dict(hik_docs), login=login,
            basic_only=True),
        Device("tripwire outside the capability scope", CAP_OUTSIDE, "hikvision", http={80: hik_http},
               udp={37020: sadp_reply("DS-2CD2043G2-I", "J999999", "c4-2f-90-00-04-01")},
               protected=dict(hik_docs), login=login),
    ]
