"""Caveats computed from the data, each with its numbers and a sentence in English and Dutch.

The research behind them (``shared/research/next-wave.md`` §2.5): count addresses, not banners; NAT puts
several devices behind one address; honeypots claim to be many makers; addresses churn (up to 25 % of active
IPv4 addresses in a year, Richter et al., IMC 2016); WHOIS/AS organisation names describe the network operator,
not the device's owner; counts are specific to the scan source.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schoon.measure.execute import Totals
from schoon.report.i18n import number

TEXTS: dict[str, dict[str, str]] = {
    "ports_not_hosts": {
        "en": "{records} banners were read; they are {addresses} addresses. A device is counted once per "
              "address within the window, whatever its number of ports, banners and days.",
        "nl": "Er zijn {records} banners gelezen; dat zijn {addresses} adressen. Een apparaat telt één keer per "
              "adres binnen de periode, hoeveel poorten, banners en dagen het ook heeft.",
    },
    "nat": {
        "en": "{addresses} addresses show at least {behind} distinct devices (serial numbers, MACs or models) "
              "behind one address (NAT); each counts as one device, so the totals are a lower bound.",
        "nl": "{addresses} adressen tonen samen minstens {behind} verschillende apparaten (serienummers, MAC's of "
              "modellen) achter één adres (NAT); elk telt als één apparaat, dus de totalen zijn een ondergrens.",
    },
    "honeypot_suspects": {
        "en": "{addresses} addresses claim several makers at once (two registry groups, or three makers); they "
              "look like honeypots and are left out of every count.",
        "nl": "{addresses} adressen beweren tegelijk van meerdere makers te zijn (twee concerns uit het register, "
              "of drie makers); ze lijken honeypots en zijn uit alle tellingen gelaten.",
    },
    "churn": {
        "en": "{moved} devices were seen at more than one address (same serial number or MAC) and are counted "
              "once; {one_day} of {devices} devices were seen on one day only. Addresses change owner: up to "
              "25 % of active IPv4 addresses in a year (Richter et al., IMC 2016).",
        "nl": "{moved} apparaten zijn op meer dan één adres gezien (zelfde serienummer of MAC) en tellen één keer; "
              "{one_day} van de {devices} apparaten zijn op één dag gezien. Adressen wisselen van gebruiker: tot "
              "25 % van de actieve IPv4-adressen per jaar (Richter e.a., IMC 2016).",
    },
    "records_without_time": {
        "en": "{records} records carry no time; {fate}.",
        "nl": "{records} records hebben geen tijd; {fate}.",
    },
    "network_operator": {
        "en": "{unmatched} of {devices} devices matched no prefix in the prefix table and are attributed by "
              "autonomous system only; AS and WHOIS names describe the network operator (often an ISP), not "
              "the owner of the device.",
        "nl": "{unmatched} van de {devices} apparaten vallen in geen prefix van de prefixtabel en zijn alleen naar "
              "autonoom systeem ingedeeld; AS- en WHOIS-namen noemen de netwerkbeheerder (vaak een provider), "
              "niet de eigenaar van het apparaat.",
    },
}
_FATE = {
    ("en", True): "a time window was given, so they are left out",
    ("en", False): "no time window was given, so they are counted",
    ("nl", True): "er is een periode gekozen, dus ze zijn weggelaten",
    ("nl", False): "er is geen periode gekozen, dus ze tellen mee",
}


def compute(totals: Totals, *, bounded: bool) -> list[dict[str, Any]]:
    """The caveats of a run, each ``{"id", <numbers>, "text"}`` (text in English; :func:`sentence` for Dutch)."""
    tally = totals.counts.tally
    devices = totals.counts.devices
    items: list[dict[str, Any]] = [
        {"id": "ports_not_hosts", "records": totals.records, "addresses": tally["addresses"]},
        {"id": "nat", "addresses": tally["nat_addresses"], "behind": tally["nat_devices_behind"]},
        {"id": "honeypot_suspects", "addresses": tally["honeypot_suspects"]},
        {"id": "churn", "moved": tally["moved_devices"], "addresses_merged": tally["moved_addresses_merged"],
         "one_day": tally["devices_seen_one_day"], "devices": devices},
        {"id": "records_without_time", "records": totals.untimed, "excluded": bounded},
        {"id": "network_operator", "unmatched": devices - tally["attributed_by_prefix"], "devices": devices},
    ]
    for item in items:
        item["text"] = sentence(item, "en")
    return items


def sentence(item: Mapping[str, Any], lang: str) -> str:
    """A caveat's sentence in ``lang`` (``en`` or ``nl``)."""
    values = {key: number(value, lang) if isinstance(value, int) and not isinstance(value, bool) else value
              for key, value in item.items() if key not in ("id", "text")}
    if item["id"] == "records_without_time":
        values["fate"] = _FATE[(lang, bool(item.get("excluded")))]
    return TEXTS[str(item["id"])][lang].format(**values)
