"""MAC addresses the local ARP table already knows (Linux ``/proc/net/arp``); reading it sends nothing."""

from __future__ import annotations

from pathlib import Path

ARP_TABLE = Path("/proc/net/arp")


def arp_mac(address: str, table: Path = ARP_TABLE) -> str | None:
    """The complete ARP entry's MAC for ``address``, or None."""
    try:
        lines = table.read_text(encoding="ascii", errors="replace").splitlines()[1:]
    except OSError:
        return None
    for line in lines:
        cols = line.split()
        if len(cols) >= 4 and cols[0] == address and cols[2] != "0x0" and cols[3] != "00:00:00:00:00:00":
            return cols[3]
    return None
