"""Dates, times and numbers through Babel; evidence lines in the report's language; the time axis; the layout."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from schoon.report import render_bytes
from schoon.report.charts import Series, month_ticks, time_chart
from schoon.report.evidence import read
from schoon.report.html import _trend_by_date, render_html
from schoon.report.i18n import date, datetime, decimal, number
from schoon.report.model import GroupBasis, TrendPoint
from schoon.report.phrases import decode, encode, say
from tests.report.factory import institution_report, national_report

MAKERS = ("Hikvision", "Dahua", "ANNKE")


def test_dates_times_and_numbers_follow_the_language() -> None:
    assert date("2026-11-28", "nl") == "28 november 2026" and date("2026-11-28", "en") == "28 November 2026"
    assert date("2018-06", "nl") == "juni 2018" and date("2021", "nl") == "2021" and date(None, "nl") == "–"
    assert datetime("2026-11-28T23:40:00+00:00", "nl") == "29 november 2026, 00:40 CET"
    assert datetime("2026-07-01T10:00:00", "en") == "1 July 2026, 12:00 CEST"  # naive = UTC, shown in Amsterdam
    assert number(12345, "nl") == "12.345" and number(12345, "en") == "12,345"
    assert decimal(0.5, "nl") == "0,50" and decimal(1234.5, "en") == "1,234.50"


@pytest.mark.parametrize(("line", "nl", "short"), [
    ("MAC block 4419B6 is assigned to Hangzhou Hikvision Digital Technology Co.,Ltd. (Hangzhou Hikvision Digital "
     "Technology Co., Ltd.)", "MAC-blok 4419B6 is door de IEEE toegewezen aan Hangzhou Hikvision Digital Technology "
     "Co., Ltd.", "MAC 4419B6"),
    ("model 'DS-2CD2386G2-IU' follows the model numbering of Hangzhou Hikvision Digital Technology Co., Ltd. "
     "(camera) (DS-2CD network cameras)", "modelnummer 'DS-2CD2386G2-IU' volgt de modelnummering van Hangzhou "
     "Hikvision Digital Technology Co., Ltd. (IP-camera)", "modelnummer"),
    ("Lorex Technology Inc. is documented to sell hardware made by Zhejiang Dahua Technology Co., Ltd. until "
     "2022-11-24 (medium confidence)", "Lorex Technology Inc. verkoopt volgens de bronnen hardware van Zhejiang "
     "Dahua Technology Co., Ltd. tot 24 november 2022 (betrouwbaarheid gemiddeld)", "Lorex Technology Inc. is relabel"),
    ("HTTP Server header 'App-webs/' is sent by Hikvision IP camera firmware (ISAPI web server)",
     "HTTP-serverheader 'App-webs/' wijst op Hikvision", "HTTP-serverheader"),
    ("TCP 37777 is the default Dahua SDK (DVRIP/DHIP) port", "TCP-poort 37777 is een standaardpoort van Dahua",
     "TCP-poort 37777"),
    ("the label says 'Axis' but the evidence says Hangzhou Hikvision Digital Technology Co., Ltd.",
     "op het label staat 'Axis', maar het bewijs wijst op Hangzhou Hikvision Digital Technology Co., Ltd.",
     "label 'Axis' wijkt af"),
    ("evidence also points to Axis (score 0.50)", "het bewijs wijst ook op Axis (score 0,50)", "ook Axis"),
    ("Web UI logs in through /RPC2_Login, Dahua's JSON-RPC login", "webinterface wijst op Dahua", "webinterface"),
    ("something nobody has a pattern for", "ander kenmerk uit de identificatie", "ander kenmerk"),
])
def test_evidence_lines_are_read_back_and_written_in_dutch(line: str, nl: str, short: str) -> None:
    [evidence] = read(line, MAKERS)
    assert evidence.text("nl") == nl and evidence.short("nl") == short
    assert not re.search(r"\b(is assigned|follows|documented|points to|says)\b", evidence.text("nl"))


def test_a_brand_artefact_line_carries_its_relabel() -> None:
    line = ("HTTP Server header 'ANNKE' identifies an ANNKE IP camera; ANNKE is documented to sell hardware made by "
            "Hangzhou Hikvision Digital Technology Co., Ltd. (medium confidence)")
    kinds = [e.kind for e in read(line, MAKERS)]
    assert kinds == ["feature", "relabel"]


def test_phrases_round_trip_through_storage() -> None:
    stored = encode("replaced-but-seen", date="2026-06-10", kinds=["register", "scan"])
    code, params = decode(stored) or ("", {})
    assert say(code, params, "nl") == "op 10 juni 2026 als vervangen gemeld, maar nog steeds gezien (register, netwerkscan)"
    assert say(code, params, "en") == "marked replaced on 10 June 2026 but still seen (register, network scan)"
    assert decode("marked replaced on 2026-06-10") is None and decode('{"code": "no-such-code"}') is None


def test_the_trend_axis_is_time() -> None:
    """Points sit at their dates' proportional places; month starts are labelled, not the snapshots."""
    dates = [dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 9, 14)]
    svg = str(time_chart(dates, [Series("x", [10, 12, 10])], chart_id="c", title="t", desc="d",
                         tick_label=lambda d: d.strftime("%b"), point_label=str, width=680))
    xs = [float(x) for x in re.findall(r'<circle cx="([0-9.]+)"', svg)]
    gap_week, gap_months = xs[1] - xs[0], xs[2] - xs[1]
    assert gap_months / gap_week == pytest.approx(189 / 7, rel=0.02)
    labels = re.findall(r'class="tick-label"[^>]*>([^<]+)<', svg)
    assert labels[0] == "Apr" and "Sep" in labels and "2026-03-09" not in labels
    assert month_ticks(dates[0], dates[-1], 580)[0].isoformat() == "2026-04-01"


def test_per_organisation_trend_points_carry_forward() -> None:
    """Two organisations importing on different dates: each date shows the sum of both latest states."""
    data = national_report(trend=[
        TrendPoint("1", "2026-03-02", "A", 10, 0, 10), TrendPoint("2", "2026-03-09", "B", 2, 0, 2),
        TrendPoint("3", "2026-09-14", "A", 10, 2, 8)])
    assert _trend_by_date(data) == {"2026-03-02": (10, 0, 10), "2026-03-09": (12, 0, 12),
                                    "2026-09-14": (12, 2, 10)}


def test_the_stylesheet_avoids_automatic_hyphens_and_keeps_caveats_together() -> None:
    html = render_html(national_report())
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "hyphens: manual" in style and "hyphens: auto" not in style
    assert re.search(r"ul\.caveats li \{[^}]*break-inside: avoid", style)
    assert re.search(r"td\.id \{[^}]*overflow-wrap: anywhere", style)


def _big_institution(n: int) -> object:
    data = institution_report()
    template = data.devices[0]
    devices = [dataclasses.replace(template, device_id=f"GEM-{i:04d}", store_id=str(i),
                                   evidence_short=["MAC 4419B6", "modelnummer", "merk in het register"],
                                   sources=[f"register: exports/register-2026-03.csv:{i + 2} (2 maart 2026)",
                                            f"register: exports/register-2026-09.csv:{i + 2} (14 september 2026)"])
               for i in range(n)]
    basis = [f"Amerikaanse lijst {i}, sinds 12 maart 2021; bron: FCC, 20 augustus 2026" for i in range(12)]
    return dataclasses.replace(data, devices=devices,
                               group_basis=[GroupBasis(template.group_id, "Hikvision", n, basis)])


def test_the_appendix_states_the_basis_once_and_lists_devices_in_a_table() -> None:
    data = _big_institution(40)
    html = render_html(data)  # type: ignore[arg-type]
    assert html.count("Amerikaanse lijst 3, sinds 12 maart 2021") == 1
    assert html.count('<tr id="device-') == 40 and "GEM-0039" in html


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) is not installed")
def test_a_300_device_appendix_stays_compact(tmp_path: Path) -> None:
    pdf = tmp_path / "big.pdf"
    pdf.write_bytes(render_bytes(_big_institution(300), "pdf"))  # type: ignore[arg-type]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert pages <= 30, pages  # 25 when measured; 197 before the appendix became a table (see docs/report.md)


def test_the_workbook_writes_dates_in_words_and_times_in_amsterdam() -> None:
    book = load_workbook(io.BytesIO(render_bytes(national_report(), "xlsx")))
    assert book["Verloop"]["B2"].is_date and book["Verloop"]["B2"].number_format == "d mmmm yyyy"
    summary = {row[0].value: row[1].value for row in book["Samenvatting"].iter_rows()}
    assert summary["Gemaakt op"] == "30 november 2026, 09:15 CET"
    assert summary["Periode"] == "31 maart 2026 – 28 november 2026"


def test_every_fingerprint_rule_keeps_its_maker_in_dutch() -> None:
    """Each rule explanation of identify/rules/*.yaml, once stored as evidence, reads back naming the maker it names."""
    from schoon.audit.reportdata import maker_names
    from schoon.registry import default_registry

    makers = maker_names(default_registry())
    rules = Path(__file__).resolve().parents[2] / "src" / "schoon" / "identify" / "rules"
    explains = re.findall(r'explain:\s*"((?:[^"\\]|\\.)*)"', "".join(p.read_text() for p in rules.glob("*.yaml")))
    assert len(explains) > 50
    for explain in explains:
        line = explain.replace("{value}", "Sample-1").replace("{model}", "M1")
        names_a_maker = any(re.search(rf"(?<!\w){re.escape(m)}(?!\w)", line, re.I) for m in makers)
        for evidence in read(line, makers):
            assert evidence.kind != "other-plain" or not names_a_maker, line
            if names_a_maker:
                assert evidence.values.get("maker"), line
