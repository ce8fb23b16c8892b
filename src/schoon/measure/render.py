"""The published result as CSV (one long table) or HTML (Dutch or English, with the report's bar chart).

Both are made from the JSON result (:func:`schoon.measure.result.build`), so small cells are already ``"<5"``
and nothing here can show more than the JSON does. CSV text cells are neutralised against spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from schoon.measure.caveats import sentence
from schoon.measure.privacy import PER_ADDRESS_NOTICE_NL
from schoon.report.charts import bar_chart
from schoon.report.i18n import number, term
from schoon.report.safe import neutralise

CSV_COLUMNS = ("breakdown", "key", "group_id", "devices")
_BREAKDOWNS = (("by_group", "group", "group_id"), ("by_sector", "sector", "sector"),
               ("by_institution", "institution", "institution"), ("by_municipality", "municipality", "municipality"),
               ("by_device_type", "device_type", "device_type"), ("by_asn", "asn", "asn"),
               ("by_country", "country", "country"))

LABELS: dict[str, dict[str, str]] = {
    "en": {"title": "Exposed equipment of listed makers", "kicker": "National measurement from internet-scan data",
           "window": "Period", "files": "Input files", "execution": "Run", "devices": "devices",
           "addresses": "addresses seen", "records": "banners read", "by_group": "Devices by corporate group",
           "by_sector": "By sector", "by_institution": "By institution", "by_municipality": "By municipality",
           "by_device_type": "By device type", "by_asn": "By autonomous system (network operator)",
           "by_country": "By country", "change": "Change against the earlier run", "excluded": "Left out",
           "caveats": "Caveats", "none": "None.", "group": "Group", "sector": "Sector",
           "institution": "Institution", "municipality": "Municipality", "device_type": "Device type",
           "asn": "AS", "country": "Country", "count": "Devices", "previous": "Earlier", "difference": "Change",
           "all": "all", "open": "open", "partitions": "partitions",
           "privacy": "Aggregates only. Counts from 1 to 4 are shown as <5. Addresses are never published."},
    "nl": {"title": "Zichtbare apparatuur van genoemde fabrikanten", "kicker": "Landelijke meting uit internetscans",
           "window": "Periode", "files": "Invoerbestanden", "execution": "Uitvoering", "devices": "apparaten",
           "addresses": "adressen gezien", "records": "banners gelezen", "by_group": "Apparaten per concern",
           "by_sector": "Per sector", "by_institution": "Per instelling", "by_municipality": "Per gemeente",
           "by_device_type": "Per soort apparaat", "by_asn": "Per autonoom systeem (netwerkbeheerder)",
           "by_country": "Per land", "change": "Verandering sinds de vorige meting", "excluded": "Weggelaten",
           "caveats": "Kanttekeningen", "none": "Geen.", "group": "Concern", "sector": "Sector",
           "institution": "Instelling", "municipality": "Gemeente", "device_type": "Soort apparaat",
           "asn": "AS", "country": "Land", "count": "Apparaten", "previous": "Vorige", "difference": "Verschil",
           "all": "alle", "open": "open", "partitions": "partities",
           "privacy": "Alleen totalen. Aantallen van 1 tot 4 staan er als <5. Adressen worden nooit gepubliceerd."},
}


EXCLUDED: dict[str, dict[str, str]] = {
    "en": {"unreadable": "unreadable lines", "outside_window": "records outside the period",
           "no_time": "records without a time", "honeypot_suspect": "addresses suspected to be honeypots"},
    "nl": {"unreadable": "onleesbare regels", "outside_window": "records buiten de periode",
           "no_time": "records zonder tijd", "honeypot_suspect": "adressen die op een honeypot lijken"},
}


def to_csv(result: dict[str, Any]) -> str:
    """The result as one long CSV table: ``breakdown, key, group_id, devices``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerow(["total", "records", "", result["records"]])
    writer.writerow(["total", "devices", "", result["devices"]])
    writer.writerow(["total", "addresses", "", result["addresses"]])
    for key, name, field in _BREAKDOWNS:
        for item in result.get(key, []):
            group = "" if name == "group" else item.get("group_id") or ""
            writer.writerow([name, _safe(item.get(field)), group, item["devices"]])
    for item in result["excluded"]:
        writer.writerow(["excluded", item["reason"], "", item["count"]])
    for item in result.get("per_address", []):
        writer.writerow(["per_address", item["ip"], item["group_id"], 1])
    return out.getvalue()


def _safe(value: object) -> str:
    return "" if value is None else neutralise(str(value))


def to_html(result: dict[str, Any], lang: str = "nl") -> str:
    """The result as one self-contained HTML page in ``lang`` (``nl`` or ``en``)."""
    labels = LABELS[lang]
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(["html"]))
    groups = [(item["name"], item["devices"]) for item in result["by_group"]]
    numeric = [(name, value) for name, value in groups if isinstance(value, int)]
    chart = bar_chart(numeric, chart_id="measure-groups", title=labels["by_group"],
                      desc=", ".join(f"{name}: {value}" for name, value in groups),
                      value_format=lambda v: number(v, lang)) if numeric else ""
    names = {item["group_id"]: item["name"] for item in result["by_group"]}
    sections: list[dict[str, Any]] = [{
        "title": None, "heads": [labels["group"], labels["count"]],
        "rows": [[item["name"], _shown(item["devices"], lang)] for item in result["by_group"]]}]
    for key, name, field in _BREAKDOWNS[1:]:
        heads = [labels[name], labels["group"], labels["count"]]
        rows = [[_key(field, item, lang), names.get(item["group_id"], item["group_id"]),
                 _shown(item["devices"], lang)] for item in result.get(key, [])]
        sections.append({"title": labels[key], "heads": heads, "rows": rows})
    if "change" in result:
        rows = [[names.get(item["group_id"], item["group_id"]), _shown(item["previous"], lang),
                 _shown(item["devices"], lang), "" if item["change"] is None else f"{item['change']:+d}"]
                for item in result["change"]["by_group"]]
        sections.append({"title": labels["change"], "rows": rows,
                         "heads": [labels["group"], labels["previous"], labels["count"], labels["difference"]]})
    window = result["window"]
    notice = None
    if "per_address" in result:
        notice = PER_ADDRESS_NOTICE_NL if lang == "nl" else result["per_address_notice"]
        sections.append({"title": "per address" if lang == "en" else "per adres",
                         "heads": ["ip", labels["group"], labels["sector"], labels["count"]],
                         "rows": [[a["ip"], a["group_id"], a["sector"] or "", 1] for a in result["per_address"]]})
    return env.get_template("measure.html").render(
        lang=lang, L=labels, chart=chart, sections=sections, notice=notice,
        window=f"{window['since'] or labels['open']} – {window['until'] or labels['open']}",
        files=", ".join(Path(f).name for f in result["execution"]["files"]),
        execution=f"{result['execution']['mode']}, {result['execution']['partitions']} {labels['partitions']}",
        devices=_shown(result["devices"], lang), addresses=_shown(result["addresses"], lang),
        records=_shown(result["records"], lang),
        excluded=[{"reason": EXCLUDED[lang][item["reason"]], "count": _shown(item["count"], lang)}
                  for item in result["excluded"]],
        caveats=[sentence(item, lang) for item in result["caveats"]])


def _key(field: str, item: dict[str, Any], lang: str) -> str:
    """The first column of a breakdown row, as people read it."""
    if field == "device_type":
        return term("device_type", item.get(field), lang)
    if field == "asn":
        return f"AS{item['asn']}" + (f" ({item['org']})" if item.get("org") else "")
    return _shown(item.get(field), lang)


def _shown(value: object, lang: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value, lang)
    return "" if value is None else str(value)
