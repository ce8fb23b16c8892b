"""Identify-only discovery on an authorised scope: one small module per protocol, a scope, a rate limiter, a runner.

:func:`discover` is the library entry point: it streams one :class:`HostResult` per responsive host, in address
order. The CLI (``schoon discover``) only parses options and writes the results.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from schoon.discover.net import Context
from schoon.discover.ports import DEFAULT_PORTS, parse_ports
from schoon.discover.probelog import ProbeLog, ProbeLogError
from schoon.discover.ratelimit import RateLimiter
from schoon.discover.result import HostResult
from schoon.discover.runner import Plan, run
from schoon.discover.scope import Scope, ScopeError, ScopeFile, load_scope_file

DEFAULT_RATE = 300.0  # packets (connections + datagrams) per second, whole scan
DEFAULT_PER_HOST = 4  # probes in flight per host
DEFAULT_TIMEOUT = 2.0  # seconds per probe step
DEFAULT_MAX_HOSTS = 256  # hosts probed at once (fewer when the open-file limit is low: runner.fd_cap)


@dataclass(frozen=True)
class Settings:
    """A scan's knobs; :meth:`gentle` gives the fragile-device profile."""

    ports: tuple[int, ...] = DEFAULT_PORTS
    rate: float = DEFAULT_RATE
    timeout: float = DEFAULT_TIMEOUT
    per_host: int = DEFAULT_PER_HOST
    max_hosts: int = DEFAULT_MAX_HOSTS
    udp: bool = True
    snmp_community: str | None = None

    def gentle(self) -> Settings:
        """Fragile devices: no UDP discovery, half the rate, half the per-host and host concurrency."""
        return Settings(self.ports, self.rate / 2, self.timeout, max(1, self.per_host // 2),
                        max(1, self.max_hosts // 2), False, self.snmp_community)


def make_context(scope: Scope, settings: Settings, log: ProbeLog | None = None) -> Context:
    """The probing context for ``scope`` under ``settings``; ``log`` receives one line per probe."""
    contact = scope.file.contact if scope.file else None
    return Context(scope, RateLimiter(settings.rate), settings.timeout, settings.per_host, contact,
                   settings.snmp_community, settings.udp, log=log)


async def discover(scope: Scope, settings: Settings, *, context: Context | None = None,
                   on_host: Callable[[], None] | None = None) -> AsyncIterator[HostResult]:
    """Probe every address of ``scope``; yield the responsive hosts' results in address order."""
    ctx = context or make_context(scope, settings)
    plan = Plan(settings.ports, settings.udp, settings.max_hosts)
    async for result in run(ctx, plan, scope, on_host):
        if result.responsive:
            yield result


__all__ = ["DEFAULT_PORTS", "Context", "HostResult", "ProbeLog", "ProbeLogError", "Scope", "ScopeError",
           "ScopeFile", "Settings", "discover", "load_scope_file", "make_context", "parse_ports"]
