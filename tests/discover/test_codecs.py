"""The small codecs: BER, SNMP, DHIP, certificate names, favicon hashes, telnet, ports, rate."""

from __future__ import annotations

import asyncio
import subprocess
import time
from pathlib import Path

import pytest

from schoon.discover import ber
from schoon.discover.ports import DEFAULT_PORTS, Role, parse_ports, role
from schoon.discover.probes import dhip, sadp, snmp, wsd
from schoon.discover.probes.banner import strip_telnet
from schoon.discover.probes.http import favicon_hashes, parse_response, title
from schoon.discover.ratelimit import RateLimiter
from schoon.discover.result import HostResult
from schoon.errors import SchoonError
from schoon.settings import eval_dir


def test_ber_round_trip_and_malformed() -> None:
    for oid in ("1.3.6.1.2.1.1.1.0", "1.3.6.1.4.1.39165.1.1.0", "2.5.4.3"):
        tlv, _ = ber.decode_one(ber.encode_oid(oid))
        assert ber.decode_oid(tlv.value) == oid
    for value in (0, 1, 127, 128, -1, 2**31 - 1):
        assert ber.decode_int(ber.decode_one(ber.encode_int(value))[0].value) == value
    assert ber.decode_all(b"") == []
    for bad in (b"\x30", b"\x30\x84\xff\xff\xff\xff", b"\x30\x05\x02\x01", b"\x1f\x01\x00"):
        with pytest.raises(ber.BerError):
            ber.decode_all(bad)


def test_snmp_request_names_only_the_two_oids_and_the_given_community() -> None:
    packet = snmp.get_request("estate-ro", 42)
    message, _ = ber.decode_one(packet)
    version, community, pdu = message.children()
    assert ber.decode_int(version.value) == 1 and community.value == b"estate-ro" and pdu.tag == snmp.GET_REQUEST
    oids = [ber.decode_oid(b.children()[0].value) for b in pdu.children()[3].children()]
    assert oids == [snmp.SYS_DESCR, snmp.SYS_OBJECT_ID]
    assert snmp.parse_response(packet, 42) == {}  # a request is not a response
    assert snmp.parse_response(b"\x30\x03\x02\x01", 42) == {}


def test_dhip_frame_and_reply() -> None:
    packet = dhip.search()
    assert packet[:8] == b"\x20\x00\x00\x00DHIP" and packet[32:] == dhip.BODY
    assert int.from_bytes(packet[16:20], "little") == len(dhip.BODY) == int.from_bytes(packet[24:28], "little")
    result = HostResult("127.0.0.1")
    body = (b'{"mac":"3c:ef:8c:00:00:01","method":"client.notifyDevInfo","params":{"deviceInfo":'
            b'{"DeviceType":"IPC-HFW1230S","SerialNo":"5J0ABC","Vendor":"General","Version":"2.800.0.R"}}}')
    assert dhip.read_reply(dhip.frame(body), result)
    assert result.fields == {"model": "IPC-HFW1230S", "serial": "5J0ABC", "declared_vendor": "General",
                             "firmware": "2.800.0.R", "mac": "3c:ef:8c:00:00:01"}
    for bad in (b"DHIP", dhip.frame(b"{not json"), dhip.frame(b"[1]"), b"\x20\x00\x00\x00XXXX" + bytes(40)):
        assert not dhip.read_reply(bad, HostResult("127.0.0.1"))


def test_sadp_sends_inquiry_only_and_reads_probematch() -> None:
    message = sadp.inquiry()
    assert b"<Types>inquiry</Types>" in message
    for forbidden in (b"getcode", b"reset", b"update", b"activate", b"Password"):
        assert forbidden.lower() not in message.lower()
    result = HostResult("127.0.0.1")
    assert sadp.read_reply(b"<ProbeMatch><DeviceDescription>DS-2CD2T47G2-L</DeviceDescription>"
                           b"<MAC>c0-56-e3-00-00-01</MAC></ProbeMatch>", result)
    assert result.fields == {"model": "DS-2CD2T47G2-L", "mac": "c0-56-e3-00-00-01"}
    assert not sadp.read_reply(b'<!DOCTYPE x [<!ENTITY a "b">]><ProbeMatch>&a;</ProbeMatch>', HostResult("x"))


def test_wsd_probe_asks_for_video_transmitters() -> None:
    message = wsd.probe_message()
    assert b"dn:NetworkVideoTransmitter" in message and b"discovery/Probe<" in message
    assert b"GetDeviceInformation" not in message


def test_certificate_names(tmp_path: Path) -> None:
    key, cert = tmp_path / "k.pem", tmp_path / "c.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj",
                    "/C=CN/O=Zhejiang Dahua Technology/CN=Dahua Device ECC CA"], check=True, capture_output=True)
    der = subprocess.run(["openssl", "x509", "-in", str(cert), "-outform", "DER"], check=True,
                         capture_output=True).stdout
    assert ber.certificate_names(der) == ("CN=Dahua Device ECC CA,O=Zhejiang Dahua Technology,C=CN",) * 2
    with pytest.raises((ber.BerError, IndexError)):
        ber.certificate_names(der[:40])


def test_favicon_hash_is_shodans() -> None:
    import mmh3

    # Shodan hashes base64 *with* its trailing newline (base64.encodebytes), not the bare base64 text
    assert favicon_hashes(b"hello") == (mmh3.hash(b"aGVsbG8=\n"), "5d41402abc4b2a76b9719d911017c592")
    assert favicon_hashes(b"hello")[0] != mmh3.hash(b"aGVsbG8=")
    path = eval_dir() / "realworld" / "hikvision_nvr_webui_favicon.ico"
    if not path.exists():
        pytest.skip("SCHOON_EVAL_DIR has no realworld/hikvision_nvr_webui_favicon.ico")
    assert favicon_hashes(path.read_bytes()) == (999357577, "89b932fcc47cf4ca3faadb0cfdef89cf")  # nuclei, Recog


def test_http_parsing() -> None:
    reply = parse_response(b"HTTP/1.1 401 Unauthorized\r\nServer: App-webs/\r\nWWW-Authenticate: Digest realm=\"a\"\r\n"
                           b"WWW-Authenticate: Basic realm=\"b\"\r\n\r\n<title> Log  in </title>")
    assert reply is not None and reply.status == 401 and reply.headers["server"] == "App-webs/"
    assert reply.headers["www-authenticate"] == 'Digest realm="a", Basic realm="b"'
    assert title(reply.body) == "Log in"
    assert parse_response(b"SSH-2.0-x\r\n") is None and parse_response(b"HTTP/1.1 abc\r\n\r\n") is None


def test_telnet_negotiation_is_stripped() -> None:
    assert strip_telnet(b"\xff\xfd\x18\xff\xfd\x20\xff\xfa\x18\x01\xff\xf0192.0.0.64 login: ") == "192.0.0.64 login:"


def test_ports() -> None:
    assert 80 in DEFAULT_PORTS and 554 in DEFAULT_PORTS and 37777 in DEFAULT_PORTS
    assert not set(DEFAULT_PORTS) & set(range(9100, 9108))
    assert parse_ports("80,8000-8002") == (80, 8000, 8001, 8002)
    assert set(parse_ports("+9999")) == {*DEFAULT_PORTS, 9999}
    assert role(9100) is Role.connect and role(554) is Role.rtsp and role(12345) is Role.connect
    for bad in ("http", "0", "70000", "5-"):
        with pytest.raises(SchoonError):
            parse_ports(bad)


def test_rate_limiter_holds_the_rate() -> None:
    async def sends() -> float:
        limiter = RateLimiter(200, burst=1)
        start = time.monotonic()
        for _ in range(41):
            await limiter.wait()
        return time.monotonic() - start

    assert 0.18 <= asyncio.run(sends()) < 1.0  # 40 intervals of 5 ms
