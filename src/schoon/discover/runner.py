"""The asyncio runner: targets streamed from the scope, bounded hosts in flight, results in address order.

Hosts are taken from the scope's generator one at a time; at most ``max_hosts`` are probed at once (each with at
most ``Context.per_host`` probes in flight, so at most ``max_hosts × per_host`` sockets are open); results are
yielded in the scope's address order as soon as every earlier host is done (at most ``max_hosts × 4`` results
wait for a slow earlier host). Every host has a total time budget;
what was found before it ran out is kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import resource
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import partial

from schoon.discover.arp import arp_mac
from schoon.discover.net import Context
from schoon.discover.ports import Role, role
from schoon.discover.probes import banner, dhip, http, rtsp, sadp, snmp, ssdp, wsd
from schoon.discover.result import HostResult

Probe = Callable[[], Awaitable[None]]
WINDOW_FACTOR = 4  # finished results held while an earlier host is still being probed: max_hosts × 4


@dataclass(frozen=True)
class Plan:
    """What to probe on every host."""

    ports: tuple[int, ...]
    udp: bool = True
    max_hosts: int = 256


def host_probes(ctx: Context, plan: Plan, address: str, result: HostResult) -> list[Probe]:
    """The probes for one host: one per TCP port by its role, then the UDP discovery protocols."""
    probes: list[Probe] = []
    for port in plan.ports:
        kind = role(port)
        if kind is Role.http or kind is Role.https:
            probes.append(partial(http.probe, ctx, address, port, result, tls=kind is Role.https))
        elif kind is Role.rtsp:
            probes.append(partial(rtsp.probe, ctx, address, port, result))
        elif kind is Role.ssh:
            probes.append(partial(banner.ssh, ctx, address, port, result))
        elif kind is Role.telnet:
            probes.append(partial(banner.telnet, ctx, address, port, result))
        else:
            probes.append(partial(banner.connect, ctx, address, port, result))
    if plan.udp:
        probes.extend(partial(module.probe, ctx, address, result) for module in (sadp, dhip, wsd, ssdp))
    if ctx.snmp_community:
        probes.append(partial(snmp.probe, ctx, address, result))
    return probes


async def probe_host(ctx: Context, plan: Plan, address: str) -> HostResult:
    """Run every probe on one host (at most ``per_host`` at once) within the host's time budget."""
    result = HostResult(address)
    slot = ctx.slot(address)

    async def guarded(probe: Probe) -> None:
        async with slot:
            with contextlib.suppress(Exception):  # a hostile reply may break one probe, never the scan
                await probe()

    tasks = [asyncio.ensure_future(guarded(p)) for p in host_probes(ctx, plan, address, result)]
    budget = ctx.timeout * (4 + len(tasks) / max(1, ctx.per_host) * 2)
    _done, pending = await asyncio.wait(tasks, timeout=budget)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
        result.note("host_budget_exceeded", f"{len(pending)} probes stopped after {budget:.0f} s")
    ctx.release_host(address)
    if result.responsive and "mac" not in result.fields:
        mac = arp_mac(address)
        if mac:
            result.add("mac", mac)
            result.note("mac_source", "arp")
    return result


def fd_cap(per_host: int) -> int:
    """How many hosts fit in the process's open-file limit (a quarter of it kept free), at least 1."""
    try:
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (OSError, ValueError):
        soft = 1024
    if soft == resource.RLIM_INFINITY:
        soft = 65_536
    return max(1, (soft * 3 // 4 - 32) // max(1, per_host))


async def run(ctx: Context, plan: Plan, targets: Iterable[str],
              on_done: Callable[[], None] | None = None) -> AsyncIterator[HostResult]:
    """Probe ``targets`` (a stream), yielding every host's result in target order."""
    window: deque[asyncio.Task[HostResult]] = deque()
    max_hosts = min(plan.max_hosts, fd_cap(ctx.per_host))
    in_flight = asyncio.Semaphore(max_hosts)
    iterator = iter(targets)
    exhausted = False

    async def limited(address: str) -> HostResult:
        async with in_flight:
            return await probe_host(ctx, plan, address)

    try:
        while True:
            while not exhausted and len(window) < max_hosts * WINDOW_FACTOR:
                address = next(iterator, None)
                if address is None:
                    exhausted = True
                    break
                window.append(asyncio.ensure_future(limited(address)))
            if not window:
                return
            result = await window.popleft()
            if on_done is not None:
                on_done()
            yield result
    finally:
        for task in window:
            task.cancel()
