"""The probing context and the only functions that touch the network.

Every connection and datagram goes through :func:`open_tcp` or :func:`udp_exchange`, which check the scope,
wait for the global rate limiter and the host's concurrency slot, and cap both time and bytes. A probe that hits
a cap or an error gets nothing (``None`` / ``b""``), never an exception. Both write one line to the audit log
(:class:`~schoon.discover.probelog.ProbeLog`) per attempt, when the context has one.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from schoon import __version__
from schoon.discover.probelog import ProbeLog
from schoon.discover.ratelimit import RateLimiter
from schoon.discover.scope import Scope

MAX_READ = 256 * 1024  # bytes read from one reply at most
MAX_DATAGRAM = 65_535


class OutOfScope(Exception):
    """Raised (and caught by the caller) when code tries to contact an address outside the scope."""


@dataclass
class Context:
    """What every probe needs: scope, rate, per-host limits, time caps, identity."""

    scope: Scope
    limiter: RateLimiter
    timeout: float = 2.0
    per_host: int = 4
    contact: str | None = None
    snmp_community: str | None = None
    udp: bool = True
    contacts: list[tuple[str, int, str]] = field(default_factory=list)  # (address, port, proto), first 100,000
    log: ProbeLog | None = None  # the audit log: one line per connection attempt or datagram
    _host_slots: dict[str, asyncio.Semaphore] = field(default_factory=dict)

    @property
    def user_agent(self) -> str:
        """``schoon-discover/VERSION`` plus the scope's contact, so an operator can see who probes."""
        agent = f"schoon-discover/{__version__}"
        return f"{agent} (+{self.contact})" if self.contact else agent

    def slot(self, address: str) -> asyncio.Semaphore:
        """The semaphore that bounds concurrent probes to one host."""
        sem = self._host_slots.get(address)
        if sem is None:
            sem = self._host_slots[address] = asyncio.Semaphore(self.per_host)
        return sem

    def release_host(self, address: str) -> None:
        """Forget a finished host's semaphore (keeps memory flat on large scopes)."""
        self._host_slots.pop(address, None)

    def check(self, address: str, port: int, proto: str) -> None:
        """Refuse an address outside the scope; log the contact otherwise."""
        if not self.scope.allows(address):
            raise OutOfScope(f"{address} is outside the scope")
        if len(self.contacts) < 100_000:
            self.contacts.append((address, port, proto))


@dataclass
class Stream:
    """An open TCP (or TLS) connection with capped reads."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    deadline: float
    bytes_sent: int = 0
    bytes_received: int = 0
    sent_lines: list[str] = field(default_factory=list)  # first line of each send, for the audit log

    def _got(self, chunk: bytes) -> bytes:
        self.bytes_received += len(chunk)
        return chunk

    async def read_some(self, limit: int = MAX_READ) -> bytes:
        """Up to ``limit`` bytes until the peer closes or the deadline passes."""
        chunks: list[bytes] = []
        size = 0
        while size < limit:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                chunk = self._got(await asyncio.wait_for(self.reader.read(min(65_536, limit - size)), remaining))
            except (TimeoutError, OSError, ssl.SSLError, asyncio.IncompleteReadError):
                break
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)

    async def read_until(self, marker: bytes, limit: int = MAX_READ) -> bytes:
        """Bytes up to and including ``marker``, or whatever arrived before the cap or the deadline."""
        buf = bytearray()
        while len(buf) < limit and marker not in buf:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                chunk = self._got(await asyncio.wait_for(self.reader.read(min(4096, limit - len(buf))), remaining))
            except (TimeoutError, OSError, ssl.SSLError):
                break
            if not chunk:
                break
            buf.extend(chunk)
        return bytes(buf)

    def send(self, data: bytes) -> None:
        """Queue ``data`` for sending (its first line is kept for the audit log)."""
        with contextlib.suppress(OSError, RuntimeError):
            self.writer.write(data)
            self.bytes_sent += len(data)
            if len(self.sent_lines) < 4:
                self.sent_lines.append(data.split(b"\r\n", 1)[0].split(b"\n", 1)[0][:160]
                                       .decode("latin-1", errors="replace"))


def _client_tls() -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # identify-only: we read the certificate, we do not trust it
    ctx.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    with contextlib.suppress(ssl.SSLError):
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    return ctx


_TLS = _client_tls()


@contextlib.asynccontextmanager
async def open_tcp(ctx: Context, address: str, port: int, *, tls: bool = False, budget: float | None = None,
                   on_tls_error: Callable[[str], None] | None = None,
                   probe: str = "connect") -> AsyncIterator[Stream | None]:
    """A capped connection to an in-scope address, or None when it cannot be opened in time.

    ``on_tls_error`` is told when TCP connected but the TLS handshake failed (the port is open nonetheless).
    ``probe`` names the probe module in the audit log.
    """
    ctx.check(address, port, "tls" if tls else "tcp")
    await ctx.limiter.wait()
    deadline = time.monotonic() + (budget if budget is not None else ctx.timeout)
    writer: asyncio.StreamWriter | None = None
    stream: Stream | None = None
    outcome = "cancelled"
    try:
        try:
            reader, opened = await asyncio.wait_for(
                asyncio.open_connection(address, port, ssl=_TLS if tls else None,
                                        server_hostname="" if tls else None, limit=MAX_READ),
                max(0.05, deadline - time.monotonic()))
        except ssl.SSLError as err:
            outcome = "tls_error"
            if on_tls_error is not None:
                on_tls_error(err.reason or type(err).__name__)
            yield None
            return
        except ConnectionRefusedError:
            outcome = "refused"
            yield None
            return
        except TimeoutError:
            outcome = "timeout"
            yield None
            return
        except (OSError, ValueError) as err:
            outcome = f"error: {getattr(err, 'strerror', None) or type(err).__name__}"
            yield None
            return
        writer = opened
        stream = Stream(reader, opened, deadline)
        outcome = "connected"
        yield stream
    finally:
        if ctx.log is not None:
            if stream is not None and stream.bytes_received:
                outcome = "answered"
            ctx.log.probe(address, port, "tls" if tls else "tcp", probe,
                          "; ".join(stream.sent_lines) if stream and stream.sent_lines else "handshake only",
                          stream.bytes_sent if stream else 0, outcome, stream.bytes_received if stream else 0)
        if writer is not None:
            writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(writer.wait_closed(), 0.2)


class _Collector(asyncio.DatagramProtocol):
    def __init__(self, peer: tuple[str, int], max_replies: int) -> None:
        self.peer = peer
        self.replies: list[bytes] = []
        self.max_replies = max_replies
        self.refused = False
        self.done = asyncio.get_running_loop().create_future()

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        if addr[0] != self.peer[0] or len(self.replies) >= self.max_replies:
            return  # only the probed host's answers count
        self.replies.append(data[:MAX_DATAGRAM])
        if len(self.replies) >= self.max_replies and not self.done.done():
            self.done.set_result(None)

    def error_received(self, exc: Exception) -> None:
        self.refused = True
        if not self.done.done():
            self.done.set_result(None)  # ICMP port unreachable: nobody listens


async def udp_exchange(ctx: Context, address: str, port: int, payload: bytes, *, max_replies: int = 1,
                       wait: float | None = None, probe: str = "udp", what: str = "datagram") -> list[bytes]:
    """Send ``payload`` once, unicast, to an in-scope host and collect its replies until the time cap.

    ``probe`` and ``what`` (a few words, never a credential) describe the datagram in the audit log.
    """
    ctx.check(address, port, "udp")
    await ctx.limiter.wait()
    loop = asyncio.get_running_loop()
    try:
        transport, proto = await loop.create_datagram_endpoint(
            lambda: _Collector((address, port), max_replies), remote_addr=(address, port))
    except OSError as err:
        if ctx.log is not None:
            ctx.log.probe(address, port, "udp", probe, what, 0, f"error: {err.strerror or type(err).__name__}", 0)
        return []
    sent = 0
    try:
        transport.sendto(payload)
        sent = len(payload)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(proto.done), wait if wait is not None else ctx.timeout)
        return list(proto.replies)
    finally:
        transport.close()
        if ctx.log is not None:
            outcome = ("answered" if proto.replies else "refused" if proto.refused else
                       "timeout" if sent else "cancelled")
            ctx.log.probe(address, port, "udp", probe, what, sent, outcome, sum(len(r) for r in proto.replies),
                          replies=len(proto.replies))
