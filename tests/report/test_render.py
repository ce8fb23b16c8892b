"""Every format renders; HTML is self-contained, escaped and answers with the right numbers; spreadsheets are
safe from formula injection; PDF pages are real pages with ink on them."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from schoon.errors import SchoonError
from schoon.report import FORMATS, render, render_bytes
from schoon.report.model import ReportData
from schoon.report.tables import TABLES
from tests.report.factory import hostile_device, institution_report, national_report

NL_ANSWER = ("Op 28 november 2026 gebruiken 4 van 6 instellingen 37 apparaten van bedrijven die onder het beleid "
             "\u2018Op een lijst, of betrokken bij mensenrechtenschendingen\u2019 vallen; 12 zijn al vervangen, 3 zijn "
             "uitgezonderd, 5 zijn over de deadline.")
EN_ANSWER = ("On 28 November 2026, 4 of 6 institutions use 37 devices from companies covered by policy "
             "\u2018Listed, or implicated in human-rights abuses\u2019; 12 have already been replaced, 3 are exempted, "
             "5 are past the deadline.")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("make", [national_report, institution_report])
def test_every_format_renders_to_a_path_and_a_binary_file(tmp_path: Path, fmt: str, make) -> None:
    data = make()
    target = tmp_path / f"report.{fmt}"
    render(data, fmt, target)
    buffer = io.BytesIO()
    render(data, fmt, buffer)
    assert target.stat().st_size > 200
    assert buffer.getvalue()[:4] == target.read_bytes()[:4]


def test_text_formats_write_to_text_streams_and_binary_ones_refuse() -> None:
    stream = io.StringIO()
    render(national_report(), "json", stream)
    assert json.loads(stream.getvalue())["kind"] == "national"
    with pytest.raises(SchoonError, match="binary"):
        render(national_report(), "xlsx", io.StringIO())
    with pytest.raises(SchoonError, match="unknown report format"):
        render_bytes(national_report(), "docx")


def _html(data: ReportData) -> str:
    return render_bytes(data, "html").decode("utf-8")


@pytest.mark.parametrize(("language", "answer"), [("nl", NL_ANSWER), ("en", EN_ANSWER)])
def test_html_answers_in_plain_words_with_the_right_numbers(language: str, answer: str) -> None:
    html = _html(national_report(language=language))
    assert answer in html.replace("&#39;", "'")
    assert f'<html lang="{language}">' in html


def test_answer_follows_the_totals() -> None:
    data = national_report()
    data.totals.flagged, data.totals.replaced, data.totals.exempted, data.totals.overdue = 1, 1, 1, 0
    for row in data.by_institution:
        row.flagged = 0
    data.by_institution[0].flagged = 1
    html = _html(data).replace("&#39;", "'")
    assert ("Op 28 november 2026 gebruikt 1 van 6 instellingen 1 apparaat van bedrijven die onder het beleid "
            "\u2018Op een lijst, of betrokken bij mensenrechtenschendingen\u2019 vallen; 1 is al vervangen, 1 is "
            "uitgezonderd, 0 zijn over de deadline.") in html
    data.totals.flagged = 0
    data.by_institution[0].flagged = 0
    assert "gebruikt geen van de 6 instellingen apparaten" in _html(data)


def test_institution_report_names_the_institution_and_shows_the_evidence() -> None:
    html = _html(institution_report(language="en")).replace("&#39;", "'")
    assert ("On 28 November 2026, Dienst Grensbewaking uses 14 devices from companies covered by policy "
            "\u2018Listed, or implicated in human-rights abuses\u2019; 4 have already been replaced, 1 is exempted, "
            "3 are past the deadline.") in html
    assert 'id="devices"' in html and "OUI 4C:BD:8F → Hikvision (weight 0.90)" in html
    assert "Label says Annke; OUI and web server say Hikvision (OEM relabel)" in html
    assert '<a href="https://www.fcc.gov/supplychain/coveredlist"' in html


@pytest.mark.parametrize("make", [national_report, institution_report])
def test_html_is_self_contained(make) -> None:
    html = _html(make(extra_devices=[hostile_device()]))
    assert "<script" not in html.lower()
    assert "<link" not in html.lower() and "@import" not in html and "url(" not in html
    assert not re.search(r"""\ssrc\s*=\s*["']?(?:https?:)?//""", html, re.I)
    for href in re.findall(r"""\shref\s*=\s*["']([^"']*)""", html, re.I):
        assert href.startswith(("https://", "http://", "#")), href  # plain anchors to sources only
    assert "<a " not in html or all(tag.startswith("<a href=") for tag in re.findall(r"<a\b[^>]*>", html))


def test_html_sections_and_charts_are_all_there() -> None:
    html = _html(national_report())
    for section in ("answer", "key-figures", "trend", "institutions", "sensitivity", "device_types", "groups",
                    "basis", "exemptions", "overdue", "discrepancies", "landlords", "caveats"):
        assert f'id="{section}"' in html, section
    assert html.count('<svg role="img"') == 6
    assert html.count("<title id=") == 6 and html.count("<desc id=") == 6
    assert "Vastgoedbeheer Domstad B.V." in html and "herbeoordeling te laat" in html
    assert "op netwerk, niet in register" in html and "vervanging gepland" in html
    assert "Gedocumenteerd bewijs van betrokkenheid bij mensenrechtenschendingen" in html


def test_device_text_is_escaped() -> None:
    html = _html(institution_report(extra_devices=[hostile_device()]))
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html and "javascript:alert(1)" in html  # shown as text, never a link


def test_css_strings_cannot_break_out() -> None:
    data = national_report()
    data.policy.id = 'x"; } body { display: none } </style><script>'
    html = _html(data)
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "<" not in style and "display: none }" not in style  # braces are escaped too
    assert '"schoon · x\\22 ' in style  # the quote is a CSS escape inside the string


def test_empty_sections_say_none() -> None:
    data = national_report(exemptions=[], overdue=[], discrepancies=[], landlord_cases=[], caveats=[], trend=[])
    html = _html(data)
    assert html.count("Geen.") == 5
    assert 'id="trend"' not in html


def _sheet_cells(data: ReportData) -> dict[str, list[list[object]]]:
    book = load_workbook(io.BytesIO(render_bytes(data, "xlsx")))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}


def test_xlsx_has_one_sheet_per_section_with_bold_headers_and_widths() -> None:
    book = load_workbook(io.BytesIO(render_bytes(national_report(language="en"), "xlsx")))
    assert book.sheetnames == ["Summary", "Institutions", "Sensitivity", "Device types", "Groups", "Legal basis",
                               "Trend", "Exemptions", "Overdue", "Discrepancies", "Landlords", "Capabilities", "Devices",
                               "Basis per group"]
    for ws in book.worksheets:
        assert all(cell.font.bold for cell in ws[1])
        assert ws.column_dimensions["A"].width > 6
    institutions = book["Institutions"]
    assert [c.value for c in institutions[1]][:3] == ["Institution id", "Institution", "Part of"]
    assert institutions["D3"].value == 120 and institutions["D3"].data_type == "n"
    assert book["Trend"]["B2"].is_date
    nl = load_workbook(io.BytesIO(render_bytes(national_report(), "xlsx")))
    devices = nl["Apparaten"]
    headers = [c.value for c in devices[1]]
    assert nl.sheetnames[0] == "Samenvatting"
    assert devices.cell(2, headers.index("Oordeel") + 1).value == "onder het beleid"
    assert devices.cell(2, headers.index("Status") + 1).value == "in gebruik"


def test_xlsx_summary_carries_the_answer_and_totals() -> None:
    rows = _sheet_cells(national_report())["Samenvatting"]
    assert [r[1] for r in rows if r[0] == "Antwoord"] == [NL_ANSWER]
    assert ["Vervangen", 12] in rows and ["Over de deadline", 5] in rows


def test_xlsx_neutralises_formulas_and_keeps_numbers() -> None:
    data = institution_report(extra_devices=[hostile_device()])
    book = load_workbook(io.BytesIO(render_bytes(data, "xlsx")))
    sheet = book["Apparaten"]
    last = sheet.max_row
    values = {sheet.cell(1, col).value: sheet.cell(last, col) for col in range(1, sheet.max_column + 1)}
    assert values["Nummer"].value == "'=1+1" and values["Nummer"].data_type == "s"
    assert values["Instelling"].value == "'@SUM(A1:A2)"
    assert values["Locatie"].value == "'+31 70 123 4567"
    assert values["Model"].value == "'-5"
    assert values["Merk"].value == "'\tTAB"
    assert values["Grondslag"].value.startswith("'")  # '\rCR; the XML file stores the CR as a line break
    assert values["Zekerheid"].value == -5.0 and values["Zekerheid"].data_type == "n"
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), (ws.title, cell.value)


def test_csv_is_the_device_table_neutralised() -> None:
    data = national_report(extra_devices=[hostile_device()])
    rows = list(csv.DictReader(io.StringIO(render_bytes(data, "csv", "standard").decode("utf-8"))))
    assert len(rows) == len(data.devices)
    assert rows[0]["state"] in ("in_use", "scheduled", "exempted", "replaced")
    hostile = rows[-1]
    assert hostile["device_id"] == "'=1+1" and hostile["org"] == "'@SUM(A1:A2)"
    assert hostile["site"] == "'+31 70 123 4567" and hostile["model"] == "'-5" and hostile["brand"] == "'\tTAB"
    assert hostile["confidence"] == "-5.0"  # a real number stays a number
    assert hostile["sources"] == "javascript:alert(1); =HYPERLINK(\"x\")"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")) or value == "", value


def test_csv_without_devices_is_the_institution_table() -> None:
    data = national_report(devices=[])
    rows = list(csv.DictReader(io.StringIO(render_bytes(data, "csv", "standard").decode("utf-8"))))
    assert [r["org_id"] for r in rows] == ["mbv", "dgb", "rii", "avr", "rad", "dvb"]
    assert rows[1]["flagged"] == "14" and rows[0]["parent_org"] == ""


def test_json_is_the_data_and_round_trips() -> None:
    data = institution_report(extra_devices=[hostile_device()])
    text = render_bytes(data, "json").decode("utf-8")
    assert "Dienst Grensbewaking" in text and "\n  \"kind\": \"institution\"" in text
    assert ReportData.from_dict(json.loads(text)) == data


def _ink_ratio(png: Path) -> float:
    from PIL import Image

    with Image.open(png) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
    return sum(histogram[:200]) / (grey.width * grey.height)


@pytest.mark.skipif(shutil.which("pdftoppm") is None,
                    reason="pdftoppm (Debian package poppler-utils) is not installed; apt-get install poppler-utils")
@pytest.mark.parametrize(("make", "language"), [(national_report, "nl"), (institution_report, "en")])
def test_pdf_pages_are_a4_and_none_is_blank(tmp_path: Path, make, language: str) -> None:
    pdf = tmp_path / "report.pdf"
    render(make(language=language), "pdf", pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3
    for page in pages:
        from PIL import Image

        with Image.open(page) as image:
            width, height = image.size
        assert abs(height / width - 297 / 210) < 0.01, page.name  # A4 portrait
        assert _ink_ratio(page) > 0.005, f"{page.name} is (nearly) blank"


def test_every_table_is_in_the_spreadsheet() -> None:
    sheets = _sheet_cells(national_report(language="en"))
    assert len(sheets) == len(TABLES) + 1
