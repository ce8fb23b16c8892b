"""Procurement files: supplier, brand and model; everything else in extra."""

from __future__ import annotations

from pathlib import Path

from schoon.ingest import read
from schoon.observation import Observation

FIXTURES = Path(__file__).parent / "fixtures"


def test_procurement_lines() -> None:
    out = list(read(FIXTURES / "procurement.csv"))
    assert all(isinstance(r, Observation) for r in out)
    obs = [r for r in out if isinstance(r, Observation)]
    assert [(o.row, o.supplier, o.declared_vendor, o.model) for o in obs] == [
        (2, "Beveiliging BV", "Hikvision", "DS-2CD2143G2-I"),
        (3, "Netwerk Partners BV", None, None),
        (4, "Camera Groothandel NV", "Dahua", None),
    ]
    assert obs[0].extra == {"Factuurnummer": "F2023-0101", "Datum": "2023-03-14",
                            "Omschrijving": "Levering 12 camera's buitengevel", "Bedrag": "4.812,00"}


def test_vendor_means_supplier_on_procurement_lines(tmp_path: Path) -> None:
    path = tmp_path / "ap.csv"
    path.write_text("Vendor,Invoice number,Description,Amount\nAcme Security Ltd,INV-9,CCTV maintenance,1200.00\n")
    (obs,) = list(read(path))
    assert isinstance(obs, Observation)
    assert (obs.supplier, obs.declared_vendor) == ("Acme Security Ltd", None)
    assert obs.extra == {"Invoice number": "INV-9", "Description": "CCTV maintenance", "Amount": "1200.00"}


def test_vendor_means_brand_in_a_register(tmp_path: Path) -> None:
    path = tmp_path / "reg.csv"
    path.write_text("Vendor,Model,IP\nHikvision,DS-2CD1,192.0.2.80\n")
    (obs,) = list(read(path))
    assert isinstance(obs, Observation)
    assert (obs.supplier, obs.declared_vendor) == (None, "Hikvision")


def test_input_format_overrides_detection(tmp_path: Path) -> None:
    path = tmp_path / "reg.csv"
    path.write_text("Vendor,Model,IP\nHikvision,DS-2CD1,192.0.2.80\n")
    (obs,) = list(read(path, input_format="procurement-csv"))
    assert isinstance(obs, Observation)
    assert (obs.supplier, obs.model, obs.ip, obs.extra) == ("Hikvision", "DS-2CD1", None, {"IP": "192.0.2.80"})


INKOOP = Path(__file__).parents[2] / "examples" / "gemeente" / "inkoop-2024.csv"


def test_dutch_excel_procurement_export() -> None:
    """Dutch Excel's CSV: `;`, cp1252, decimal commas, dd-mm-jjjj dates, Crediteurnaam/Omschrijving headers."""
    from schoon.ingest.detect import detect_format

    assert detect_format(INKOOP.read_bytes()[:4096], INKOOP.name) == "procurement-csv"
    obs = [r for r in read(INKOOP) if isinstance(r, Observation)]
    assert len(obs) == 20
    first = obs[0]
    assert (first.row, first.supplier, first.declared_vendor, first.model) == (2, "Hikvision Europe B.V.", None, None)
    assert first.extra["Omschrijving"] == "Hikvision DS-2CD2143G2-I 4MP dome camera"
    assert (first.extra["Bedrag"], first.extra["Factuurdatum"]) == ("1.734,00", "12-02-2024")
    assert obs[18].supplier == "Café de Beveiligingsshop"  # cp1252 é
    assert obs[15].extra["Omschrijving"] == "UTP kabel cat6 305m (€ 0,49/m)"  # cp1252 0x80 is the euro sign
    assert obs[16].supplier is None  # "Onbekend" is a placeholder, read as empty
