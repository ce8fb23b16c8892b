"""Attribution: the user's prefix table (CIDR → sector, institution, municipality), longest prefix wins.

The CSV has a header row; its columns are found by name (English or Dutch): ``cidr`` (or ``prefix``,
``netwerk``), ``sector``, ``institution`` (``instelling``, ``organisation``), ``municipality`` (``gemeente``).
Only the CIDR column is required. A bad row is a configuration error, reported with file and line.
"""

from __future__ import annotations

import csv
import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from schoon.errors import DataError

_COLUMNS = {
    "cidr": ("cidr", "prefix", "network", "netwerk", "subnet"),
    "sector": ("sector",),
    "institution": ("institution", "instelling", "organisation", "organization", "organisatie"),
    "municipality": ("municipality", "gemeente"),
}

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Attribution:
    """Who an address belongs to, according to the prefix table."""

    cidr: str
    sector: str | None
    institution: str | None
    municipality: str | None


class PrefixTable:
    """A longest-prefix-match table over IPv4 and IPv6 networks."""

    def __init__(self, entries: list[tuple[Network, Attribution]]) -> None:
        self._tables: dict[int, dict[int, dict[int, Attribution]]] = {4: {}, 6: {}}
        for network, attribution in entries:
            by_length = self._tables[network.version].setdefault(network.prefixlen, {})
            by_length[int(network.network_address)] = attribution
        self._lengths = {version: sorted(table, reverse=True) for version, table in self._tables.items()}
        self.size = len(entries)

    @classmethod
    def load(cls, path: str | Path) -> PrefixTable:
        """Read a prefix CSV; DataError naming file and line for a bad CIDR or a missing CIDR column."""
        name = str(path)
        try:
            with Path(path).open(encoding="utf-8-sig", newline="") as handle:
                return cls(_read(handle, name))
        except OSError as err:
            raise DataError(f"cannot read prefix table: {err.strerror or err}", file=name) from None

    def lookup(self, address: str) -> Attribution | None:
        """The attribution of the longest prefix containing ``address`` (None: no prefix, or not an address)."""
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return None
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        value = int(ip)
        bits = ip.max_prefixlen
        table = self._tables[ip.version]
        for length in self._lengths[ip.version]:
            found = table[length].get(value >> (bits - length) << (bits - length) if length else 0)
            if found is not None:
                return found
        return None


def _read(handle: TextIO, name: str) -> list[tuple[Network, Attribution]]:
    sample = handle.read(4096)
    handle.seek(0)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(handle, dialect)
    header = next(reader, None)
    if header is None:
        raise DataError("empty prefix table", file=name)
    cidr_index, index = _columns(header, name)
    entries: list[tuple[Network, Attribution]] = []
    for row in reader:
        if not any(value.strip() for value in row):
            continue
        text = row[cidr_index].strip() if cidr_index < len(row) else ""
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise DataError(f"not a CIDR prefix: {text[:60]!r}", file=name, line=reader.line_num,
                            field="cidr") from None
        values = {key: (row[i].strip() or None) if i is not None and i < len(row) else None
                  for key, i in index.items()}
        entries.append((network, Attribution(str(network), values.get("sector"), values.get("institution"),
                                             values.get("municipality"))))
    return entries


def _columns(header: list[str], name: str) -> tuple[int, dict[str, int | None]]:
    lowered = [cell.strip().lower() for cell in header]
    index: dict[str, int | None] = {}
    for key, names in _COLUMNS.items():
        index[key] = next((i for i, cell in enumerate(lowered) if cell in names), None)
    cidr = index.pop("cidr")
    if cidr is None:
        raise DataError(f"prefix table has no CIDR column (header: {', '.join(header)[:80]})", file=name, line=1)
    return cidr, index
