"""TCP connect, SSH and telnet banners.

Sends nothing but the TCP handshake: connects, reads what the server says first (the SSH identification line,
the telnet greeting up to the login prompt), and closes. Telnet option negotiation (IAC) is read and ignored,
never answered; no user name or password is ever sent. Connect-only ports (8000, 37777, ...) just record that
the port is open.
"""

from __future__ import annotations

from schoon.discover.net import Context, OutOfScope, open_tcp
from schoon.discover.result import HostResult

MAX_BANNER = 4096


def strip_telnet(data: bytes) -> str:
    """Telnet text without IAC negotiation sequences, control characters folded to spaces."""
    out = bytearray()
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == 0xFF and i + 1 < len(data):
            command = data[i + 1]
            if command in (0xFB, 0xFC, 0xFD, 0xFE):
                i += 3
                continue
            if command == 0xFA:
                end = data.find(b"\xff\xf0", i)
                i = end + 2 if end >= 0 else len(data)
                continue
            i += 2
            continue
        out.append(byte)
        i += 1
    text = out.decode("utf-8", errors="replace")
    return " ".join(text.replace("\r", " ").split())


async def connect(ctx: Context, address: str, port: int, result: HostResult) -> None:
    """Is the port open? (handshake, then close)."""
    try:
        async with open_tcp(ctx, address, port, probe="banner.connect") as stream:
            if stream is not None:
                result.ports.add(port)
    except OutOfScope:
        return


async def ssh(ctx: Context, address: str, port: int, result: HostResult) -> None:
    """Read the SSH identification line, then close."""
    try:
        async with open_tcp(ctx, address, port, probe="banner.ssh") as stream:
            if stream is None:
                return
            result.ports.add(port)
            line = await stream.read_until(b"\n", MAX_BANNER)
            text = line.decode("utf-8", errors="replace").strip()
            if text.startswith("SSH-"):
                result.protocols.add("ssh")
                result.add("ssh_banner", text.splitlines()[0][:255])
    except OutOfScope:
        return


async def telnet(ctx: Context, address: str, port: int, result: HostResult) -> None:
    """Read the telnet greeting up to the login prompt (or the time cap), then close."""
    try:
        async with open_tcp(ctx, address, port, probe="banner.telnet") as stream:
            if stream is None:
                return
            result.ports.add(port)
            data = await stream.read_until(b"login:", MAX_BANNER)
            text = strip_telnet(data)
            if text:
                result.protocols.add("telnet")
                result.add("telnet_banner", text[:500])
    except OutOfScope:
        return
