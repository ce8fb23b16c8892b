"""The messy register of issue 13: a title above the header, placeholders, bad cells, relabels, typos, Dutch
headers; read end to end through ``schoon identify`` and through the library, every row accounted for."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from schoon.ingest import ReadOptions, Reject, read
from schoon.observation import Observation
from tests.cli.helpers import run

MESSY = Path(__file__).parent / "fixtures" / "messy_register.csv"
CLEAN_BRANDS = {"Axis", "Axis Communications", "Bosch", "Hanwha", "Mobotix"}


def test_library_reads_every_row_and_keeps_rows_with_bad_cells() -> None:
    reading = read(MESSY)
    out = list(reading)
    log = reading.log
    assert (log.rows, log.used, log.rejected) == (121, 120, 1)
    assert (log.above_header, log.headers, log.blank) == (3, 1, 0)
    assert log.cells_dropped == 12
    assert len(out) == 121
    (rejected,) = [r for r in out if isinstance(r, Reject)]
    assert (rejected.row, rejected.message) == (45, "row has 9 cells, the header has 8")
    by_id = {o.id: o for o in out if isinstance(o, Observation)}
    assert len(by_id) == 120
    # placeholders are empty, silently: no warning for "n.v.t." in a MAC cell or "DHCP" in an address cell
    assert by_id["CAM-0054"].mac is None and by_id["CAM-0054"].declared_vendor == "Hikvison"
    assert by_id["CAM-0007"].ip is None  # "DHCP"
    assert by_id["CAM-0062"].declared_vendor is None  # "onbekend"
    assert by_id["CAM-0002"].supplier is None  # "onbekend" as supplier
    # an invalid MAC is dropped with a warning naming row and column; brand, model and address are kept
    cam17 = by_id["CAM-0017"]
    assert (cam17.mac, cam17.declared_vendor, cam17.model) == (None, "Dhaua", "IPC-HDW1230T1")
    assert cam17.ip is not None
    warned = {(w.row, w.column) for w in log.warnings}
    assert (21, "MAC-adres") in warned and (74, "IP-adres") in warned
    assert all(w.row is not None for w in log.warnings)
    # every MAC notation is read
    assert by_id["CAM-0002"].mac == "44:19:b6:00:3d:de"  # Cisco dots
    assert by_id["CAM-0003"].mac == "3c:ef:8c:00:5c:cd"  # bare hex


def test_header_row_option_gives_the_same_reading() -> None:
    found = [r for r in read(MESSY) if isinstance(r, Observation)]
    given = [r for r in read(MESSY, ReadOptions(header_row=4, delimiter=";", encoding="utf-8"))
             if isinstance(r, Observation)]
    assert [(o.id, o.mac, o.ip) for o in found] == [(o.id, o.mac, o.ip) for o in given]


def test_identify_end_to_end(tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.csv"
    result = run("identify", str(MESSY), "--format", "jsonl", "--rejects", str(rejects))
    assert result.code == 0, result.err
    records = [json.loads(line) for line in result.out.splitlines()]
    assert len(records) == 120
    # stderr: counts, not one line per problem
    assert "read 121 row(s): 120 used, 1 rejected, 12 invalid cell(s) dropped" in result.err
    assert "1 row(s) rejected, 12 invalid cell(s) dropped; details in" in result.err
    assert "cell dropped" not in result.err and "rejected " + str(MESSY) not in result.err
    rows = list(csv.DictReader(io.StringIO(rejects.read_text(encoding="utf-8"))))
    assert len(rows) == 13
    assert sum(1 for r in rows if r["problem"] == "row rejected") == 1
    by_id = {r["id"]: r for r in records}
    brand_of = {row[0]: row[1] for row in csv.reader(MESSY.read_text(encoding="utf-8-sig").splitlines()[4:],
                                                     delimiter=";")}
    for asset, record in by_id.items():
        if brand_of[asset] in CLEAN_BRANDS:
            assert record["verdict"] != "flagged", (asset, record)
    # a Hikvision MAC is flagged whatever the label says (typo, relabel brand, placeholder)
    for asset in ("CAM-0002", "CAM-0005", "CAM-0031"):
        assert (by_id[asset]["group_id"], by_id[asset]["verdict"]) == ("hikvision", "flagged"), asset
    assert (by_id["CAM-0004"]["group_id"], by_id["CAM-0004"]["verdict"]) == ("dahua", "flagged")


def test_show_columns_identifies_nothing() -> None:
    result = run("identify", str(MESSY), "--show-columns")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0].endswith("csv, header on line 4, delimiter ';' (3 row(s) above it skipped)")
    assert "  MAC-adres         -> mac" in result.out
    assert "  Opmerking         -> extra" in result.out
    assert "flagged" not in result.out and "records" not in result.err


def test_show_columns_and_sheet_in_audit_and_screen() -> None:
    audit = run("audit", "import", str(MESSY), "--org", "x", "--show-columns")
    assert audit.code == 0, audit.err
    assert "IP-adres          -> ip" in audit.out
    screen = run("screen", str(MESSY), "--show-columns", "--delimiter", ";")
    assert screen.code == 0, screen.err
    assert "Leverancier       -> supplier" in screen.out
