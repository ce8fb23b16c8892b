"""The header tables: matching keys, the procurement rule, column planning, and the docs listing them."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoon.ingest.headers import (
    PROCUREMENT_HEADERS,
    PROCUREMENT_ONLY,
    REGISTER_HEADERS,
    REGISTER_INDEX,
    Column,
    header_key,
    looks_like_procurement,
    plan_columns,
)
from schoon.observation import CANONICAL_FIELDS

DOCS = Path(__file__).parents[2] / "docs" / "ingest.md"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Merk", "declared_vendor"), ("FABRIKANT", "declared_vendor"), ("Vendor", "declared_vendor"),
        ("Brand", "declared_vendor"), ("Manufacturer", "declared_vendor"),
        ("Leverancier", "supplier"), ("Supplier", "supplier"), ("Vendor name", "supplier"),
        ("Typenummer", "model"), ("Type", "model"), ("Model", "model"), ("Modelnummer", "model"),
        ("MAC-adres", "mac"), ("MAC address", "mac"), ("mac", "mac"), ("Mac_Adres", "mac"),
        ("IP-adres", "ip"), ("IP address", "ip"), ("ip", "ip"),
        ("Locatie", "site"), ("Location", "site"), ("Site", "site"), ("Vestiging", "site"),
        ("Organisatie", "org"), ("Organisation", "org"), ("Organization", "org"), ("Instelling", "org"),
        ("Serienummer", "serial"), ("Serial", "serial"), ("Serial number", "serial"), ("S/N", "serial"),
        ("Firmware", "firmware"), ("Firmwareversie", "firmware"),
        ("Hostnaam", "hostname"), ("Hostname", "hostname"),
        ("ID", "id"), ("Asset ID", "id"), ("Inventarisnummer", "id"), ("Assetnummer", "id"),
        ("Poorten", "ports"), ("Ports", "ports"),
        ("  http_server ", "http_server"), ("declared vendor", "declared_vendor"),
    ],
)
def test_register_headers(header: str, field: str) -> None:
    assert REGISTER_INDEX[header_key(header)] == field


def test_header_key() -> None:
    assert header_key("MAC-adres") == header_key(" mac adres ") == header_key("MAC_ADRES") == "macadres"
    assert header_key("Café Locatie") == "cafelocatie"


def test_every_canonical_field_is_its_own_header() -> None:
    assert all(REGISTER_INDEX[header_key(name)] == name for name in CANONICAL_FIELDS)


def test_tables_only_name_canonical_fields() -> None:
    assert set(REGISTER_HEADERS) <= set(CANONICAL_FIELDS)
    assert set(PROCUREMENT_HEADERS) == {"supplier", "declared_vendor", "model"}


def test_no_header_means_two_things_in_the_register_table() -> None:
    seen: dict[str, str] = {}
    for field, headers in REGISTER_HEADERS.items():
        for header in headers:
            assert seen.setdefault(header_key(header), field) == field, header


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["Leverancier", "Omschrijving", "Bedrag"], True),
        (["Vendor", "Invoice", "Amount"], True),
        (["Supplier", "Brand", "Model", "Date"], True),
        (["Leverancier", "Merk"], False),
        (["Omschrijving", "Bedrag"], False),
        (["Leverancier", "Omschrijving", "IP-adres"], False),
        (["Merk", "Type", "MAC"], False),
    ],
)
def test_procurement_rule(header: list[str], expected: bool) -> None:
    assert looks_like_procurement(header) is expected


def test_plan_columns() -> None:
    assert plan_columns(["Merk", "", "Notes", "Notes", "Merk"]) == [
        Column(0, "declared_vendor", "Merk"), Column(1, None, "column 2"), Column(2, None, "Notes"),
        Column(3, None, "Notes (2)"), Column(4, None, "Merk (2)"),
    ]
    assert plan_columns(["Vendor", "Bedrag"], procurement=True) == [Column(0, "supplier", "Vendor"),
                                                                    Column(1, None, "Bedrag")]


def test_docs_list_every_header() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for headers in [*REGISTER_HEADERS.values(), *PROCUREMENT_HEADERS.values(), PROCUREMENT_ONLY]:
        for header in headers:
            assert header in text, header
