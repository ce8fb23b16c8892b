"""Header names registers and procurement files really use, mapped onto canonical Observation fields.

The tables below are data, not code: each canonical field lists the column headers (English and Dutch) that
mean it. Matching ignores case, spaces, punctuation and accents, so ``MAC-adres``, ``mac adres`` and
``MAC_ADRES`` are one header. Every canonical field name is also accepted as its own header. A column the
table does not know is kept, under its original header, in ``Observation.extra``.

Two tables, because one word means different things in different files: in a device register ``Vendor`` is
the brand on the box (``declared_vendor``); on an invoice line it is the company that was paid (``supplier``).

A user's ``column_map`` (CLI ``--map "Their Column=field"``) overrides both; the value ``-`` keeps a column in
``extra`` even when the table would map it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from schoon.errors import DataError
from schoon.observation import CANONICAL_FIELDS

#: Device-register headers: canonical field → the headers that mean it.
REGISTER_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("ID", "Asset ID", "Asset number", "Asset tag", "Assetnummer", "Inventarisnummer",
           "Inventory number", "Objectnummer", "Apparaatnummer", "Device ID"),
    "ip": ("IP", "IP-adres", "IP address", "IPv4", "IPv4-adres", "IPv4 address", "IPv6", "IPv6-adres",
           "IPv6 address"),
    "mac": ("MAC", "MAC-adres", "MAC address", "Hardware address", "Hardwareadres", "Fysiek adres",
            "Physical address"),
    "hostname": ("Hostnaam", "Hostname", "Host name", "Host", "Apparaatnaam", "Device name", "DNS name",
                 "DNS-naam"),
    "org": ("Organisatie", "Organisation", "Organization", "Instelling", "Org"),
    "site": ("Locatie", "Location", "Site", "Vestiging", "Gebouw", "Building"),
    "declared_vendor": ("Merk", "Fabrikant", "Vendor", "Brand", "Manufacturer", "Make", "Producent"),
    "supplier": ("Leverancier", "Supplier", "Vendor name", "Reseller", "Wederverkoper", "Crediteur"),
    "model": ("Typenummer", "Type", "Model", "Modelnummer", "Model number", "Typeaanduiding", "Typenr"),
    "firmware": ("Firmware", "Firmwareversie", "Firmware version", "Softwareversie", "Software version"),
    "serial": ("Serienummer", "Serial", "Serial number", "Serienr", "S/N", "SN"),
    "ports": ("Poorten", "Ports", "Poort", "Port", "Open ports", "Open poorten"),
    "snmp_sysdescr": ("sysDescr",),
    "snmp_sysobjectid": ("sysObjectID",),
}

#: Procurement headers mapped to fields; everything else on a procurement line stays in ``extra``.
PROCUREMENT_HEADERS: dict[str, tuple[str, ...]] = {
    "supplier": ("Leverancier", "Leveranciersnaam", "Supplier", "Supplier name", "Vendor", "Vendor name",
                 "Crediteur", "Crediteurnaam", "Creditor", "Opdrachtnemer", "Contractor"),
    "declared_vendor": ("Merk", "Brand", "Fabrikant", "Manufacturer", "Make"),
    "model": ("Typenummer", "Type", "Model", "Modelnummer", "Model number"),
}

#: Headers that only a procurement line has (kept in ``extra``); one of them is needed to detect the format.
PROCUREMENT_ONLY: tuple[str, ...] = (
    "Omschrijving", "Description", "Bedrag", "Amount", "Factuurnummer", "Invoice", "Invoice number",
    "Factuurdatum", "Invoice date", "Datum", "Date", "Artikel", "Item", "Artikelnummer", "Item number",
    "Bestelnummer", "Order number", "PO number", "Inkoopordernummer", "Prijs", "Price", "Totaal", "Total",
    "Aantal", "Quantity", "Valuta", "Currency", "Kostenplaats", "Cost centre", "Cost center",
    "Grootboekrekening",
)

#: Register fields that mark a file as a device register, never a procurement file.
DEVICE_FIELDS: frozenset[str] = frozenset({"mac", "ip", "hostname", "serial", "ports", "firmware"})

KEEP_IN_EXTRA = "-"
MAX_HEADER_CHARS = 200  # a longer cell is no header name we know (and is not worth normalising to find out)


def header_key(text: str) -> str:
    """The matching key of a header: accents, case, spaces and punctuation removed (``MAC-adres`` → ``macadres``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "", plain.casefold())


def _index(table: Mapping[str, Sequence[str]]) -> dict[str, str]:
    index = {header_key(name): name for name in CANONICAL_FIELDS}
    for canonical, headers in table.items():
        for header in headers:
            index[header_key(header)] = canonical
    return index


REGISTER_INDEX = _index(REGISTER_HEADERS)
PROCUREMENT_INDEX: dict[str, str] = {header_key(h): f for f, hs in PROCUREMENT_HEADERS.items() for h in hs}
_PROCUREMENT_ONLY_KEYS = frozenset(header_key(h) for h in PROCUREMENT_ONLY)


@dataclass(frozen=True)
class Column:
    """One column of a header: its position, the field it feeds (or ``None``), and its name in ``extra``."""

    index: int
    field: str | None
    name: str


def looks_like_procurement(header: Sequence[str]) -> bool:
    """The procurement rule: a supplier column, a procurement-only column, and no device column.

    ``Leverancier;Omschrijving;Bedrag`` is procurement; ``Merk;Type;MAC-adres;Leverancier`` is a register.
    """
    keys = [header_key(cell) for cell in header]
    has_supplier = any(PROCUREMENT_INDEX.get(k) == "supplier" for k in keys)
    has_procurement_only = any(k in _PROCUREMENT_ONLY_KEYS for k in keys)
    has_device = any(REGISTER_INDEX.get(k) in DEVICE_FIELDS for k in keys)
    return has_supplier and has_procurement_only and not has_device


def header_score(cells: Sequence[str]) -> int:
    """How many cells of a row are known headers (register, procurement or procurement-only): a title row above
    the header scores 0 or 1, a real header usually 2 or more."""
    score = 0
    for cell in cells:
        key = header_key(cell) if len(cell) <= MAX_HEADER_CHARS else ""
        if key and (key in REGISTER_INDEX or key in PROCUREMENT_INDEX or key in _PROCUREMENT_ONLY_KEYS):
            score += 1
    return score


def plan_columns(header: Sequence[str], *, procurement: bool = False,
                 column_map: Mapping[str, str] | None = None, source: str | None = None,
                 line: int | None = None) -> list[Column]:
    """Decide, for each header cell, the canonical field it feeds and its name in ``extra``.

    ``column_map`` entries win over the tables; a map naming a column the header lacks, or a field that is not
    canonical, raises :class:`DataError`. When two columns map to one field, the first one wins and the
    others stay in ``extra``.
    """
    index = PROCUREMENT_INDEX if procurement else REGISTER_INDEX
    overrides = _check_map(header, column_map or {}, source=source, line=line)
    columns: list[Column] = []
    taken: set[str] = set()
    names: set[str] = set()
    next_number: dict[str, int] = {}  # per label, the next "(n)" to try: linear in the number of columns
    for position, cell in enumerate(header):
        label = cell.strip() or f"column {position + 1}"
        name = label
        if name in names:
            n = next_number.get(label, 2)
            while (name := f"{label} ({n})") in names:
                n += 1
            next_number[label] = n + 1
        names.add(name)
        key = header_key(cell)
        target = overrides.get(key, index.get(key) if key else None)
        if target == KEEP_IN_EXTRA or target in taken:
            target = None
        if target is not None:
            taken.add(target)
        columns.append(Column(index=position, field=target, name=name))
    return columns


def check_map(column_map: Mapping[str, str] | None) -> dict[str, str]:
    """``column_map`` with matching keys; raises :class:`DataError` for a target that is not a canonical field."""
    checked: dict[str, str] = {}
    for column, target in (column_map or {}).items():
        target = target.strip()
        if target != KEEP_IN_EXTRA and target not in CANONICAL_FIELDS:
            raise DataError(f"--map {column}={target}: {target!r} is not a canonical field (or '-' for extra)")
        checked[header_key(column)] = target
    return checked


def _check_map(header: Sequence[str], column_map: Mapping[str, str], *, source: str | None,
               line: int | None) -> dict[str, str]:
    keys = {header_key(cell) for cell in header}
    overrides = check_map(column_map)
    for column in column_map:
        if header_key(column) not in keys:
            raise DataError(f"--map {column}=...: no column {column!r} in the header", file=source, line=line)
    return overrides
