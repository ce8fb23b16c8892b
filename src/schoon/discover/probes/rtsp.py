"""RTSP probe.

Sends, on one connection: ``OPTIONS rtsp://ADDRESS:PORT/ RTSP/1.0`` (``CSeq: 1``, ``User-Agent``) and then
``DESCRIBE rtsp://ADDRESS:PORT/ RTSP/1.0`` (``CSeq: 2``, ``Accept: application/sdp``), both without credentials.
Reads the ``Server`` header and the ``WWW-Authenticate`` realm. Never ``SETUP``/``PLAY``: no stream is opened and
no video frame is received.
"""

from __future__ import annotations

from schoon.discover.net import Context, OutOfScope, open_tcp
from schoon.discover.probes.http import parse_response
from schoon.discover.result import HostResult

MAX_REPLY = 32 * 1024


async def probe(ctx: Context, address: str, port: int, result: HostResult) -> None:
    """OPTIONS then DESCRIBE, no credentials."""
    url = f"rtsp://{address}:{port}/"
    try:
        async with open_tcp(ctx, address, port, budget=ctx.timeout * 2, probe="rtsp") as stream:
            if stream is None:
                return
            result.ports.add(port)
            for seq, method, extra in ((1, "OPTIONS", ""), (2, "DESCRIBE", "Accept: application/sdp\r\n")):
                stream.send(f"{method} {url} RTSP/1.0\r\nCSeq: {seq}\r\nUser-Agent: {ctx.user_agent}\r\n"
                            f"{extra}\r\n".encode())
                raw = await stream.read_until(b"\r\n\r\n", MAX_REPLY)
                reply = parse_response(raw, b"RTSP/")
                if reply is None:
                    return
                result.protocols.add("rtsp")
                result.add("rtsp_server", reply.headers.get("server"))
                result.add("rtsp_www_authenticate", reply.headers.get("www-authenticate"))
                length = reply.headers.get("content-length", "0").strip()
                if length.isdigit() and 0 < int(length) <= MAX_REPLY:
                    rest = int(length) - len(reply.body)
                    if rest > 0:
                        await stream.read_some(rest)  # drain an SDP so the next reply parses
    except OutOfScope:
        return
