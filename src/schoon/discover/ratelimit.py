"""A global packet-rate limiter (token bucket) shared by every probe of a scan."""

from __future__ import annotations

import asyncio
import time


class RateLimiter:
    """At most ``rate`` sends per second across the whole scan, with a burst of at most ``burst``.

    Each probe calls :meth:`wait` before it opens a connection or sends a datagram; nmap's ``--max-rate`` and
    runZero's ``rate`` work the same way.
    """

    def __init__(self, rate: float, burst: int | None = None) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = float(burst if burst is not None else max(1, min(int(rate // 10), 50)))
        self._tokens = self.capacity
        self._stamp = time.monotonic()
        self._lock = asyncio.Lock()
        self.sent = 0

    async def wait(self) -> None:
        """Block until one more send is allowed."""
        async with self._lock:
            while True:
                now = time.monotonic()
                self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    self.sent += 1
                    return
                await asyncio.sleep((1 - self._tokens) / self.rate)
