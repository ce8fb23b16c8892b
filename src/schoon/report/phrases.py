"""Sentences a report writes, stored as a code and parameters and rendered per language.

The audit store keeps ``{"code": ..., **params}`` (discrepancy details, for instance), never an English sentence;
``say(code, params, lang)`` writes it in Dutch or English. Dates among the parameters (keys ending in ``date``)
are written in words with Babel; coded values (``kinds``, ``confidence``) are translated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Final

from schoon.report.i18n import date, number

PHRASES: Final[dict[str, dict[str, str]]] = {
    # Discrepancies (schoon.audit.reconcile)
    "label-vs-evidence": {
        "en": "the label says '{label}' but the evidence says {maker}",
        "nl": "op het label staat '{label}', maar het bewijs wijst op {maker}",
    },
    "not-in-register": {
        "en": "{where}: made by {maker}, which the policy covers, but the register has no such device",
        "nl": "{where}: gemaakt door {maker}, dat onder het beleid valt, maar het register kent dit apparaat niet",
    },
    "replaced-but-seen": {
        "en": "marked replaced on {date} but still seen ({kinds})",
        "nl": "op {date} als vervangen gemeld, maar nog steeds gezien ({kinds})",
    },
    "not-seen-on-network": {
        "en": "register entry {entry} ({label}) was not seen by the scan of its site",
        "nl": "registerregel {entry} ({label}) is niet gezien bij de scan van de locatie",
    },
    # The group basis of the appendix and the XLSX
    "basis.listing": {
        "en": "{via}{list}, since {date}; source: {source}{published}",
        "nl": "{via}{list}, sinds {date}; bron: {source}{published}",
    },
    "basis.evidence": {
        "en": "{via}documented: \u2018{title}\u2019 ({date}); source: {source}{published}",
        "nl": "{via}gedocumenteerd: \u2018{title}\u2019 ({date}); bron: {source}{published}",
    },
    "basis.via": {"en": "parent company {entity}: ", "nl": "moederbedrijf {entity}: "},
    "basis.entity": {"en": "{entity}: ", "nl": "{entity}: "},
    "basis.official": {"en": "{name}", "nl": "{name} (officieel: {official})"},
    # Caveats on method
    "caveat.coverage": {
        "en": "Counts are devices found in the registers and network scans the institutions supplied; equipment that "
              "neither a register nor a scan shows is not counted.",
        "nl": "De aantallen zijn apparaten uit de registers en netwerkscans die de instellingen aanleverden; "
              "apparatuur die in geen register of scan voorkomt, is niet meegeteld.",
    },
    "caveat.confidence": {
        "en": "A device counts as flagged when its maker is identified with a confidence of at least {threshold} and "
              "the policy covers that maker; {unknown} could not be identified with that confidence and may "
              "include relabelled equipment.",
        "nl": "Een apparaat telt als gemarkeerd als de fabrikant met een zekerheid van minstens {threshold} is "
              "vastgesteld en het beleid die fabrikant omvat; van {unknown} kon de fabrikant niet met die zekerheid "
              "worden vastgesteld; daaronder kan omgelabelde apparatuur zijn.",
    },
    "caveat.policy": {
        "en": "Makers are judged under the policy \u2018{policy}\u2019 with registry version {version}; listings and "
              "evidence are dated and sourced in the registry.",
        "nl": "Fabrikanten zijn beoordeeld volgens het beleid \u2018{policy}\u2019 met registerversie {version}; "
              "vermeldingen en bewijs staan met datum en bron in het register.",
    },
    "caveat.replacement": {
        "en": "A replacement counts as confirmed only when a later scan of its site no longer sees the device.",
        "nl": "Een vervanging geldt pas als bevestigd wanneer een latere scan van de locatie het apparaat niet meer "
              "ziet.",
    },
    "caveat.titles": {
        "en": "Titles of sources and of documented evidence are quoted in their original language.",
        "nl": "Titels van bronnen en van gedocumenteerd bewijs staan in hun oorspronkelijke taal.",
    },
    "count.devices": {"en": "{n} device|{n} devices", "nl": "{n} apparaat|{n} apparaten"},
    "source.kind": {"en": "{kinds}", "nl": "{kinds}"},
    "no-label": {"en": "no label", "nl": "geen merk"},
    "unknown-maker": {"en": "a company the policy covers", "nl": "een bedrijf dat onder het beleid valt"},
}

#: Source kinds of a device, as the store names them, in words.
KINDS: Final[dict[str, dict[str, str]]] = {
    "register": {"en": "register", "nl": "register"},
    "scan": {"en": "network scan", "nl": "netwerkscan"},
    "procurement": {"en": "procurement", "nl": "inkoop"},
}
CONFIDENCE: Final[dict[str, dict[str, str]]] = {
    "high": {"en": "high", "nl": "hoog"},
    "medium": {"en": "medium", "nl": "gemiddeld"},
    "low": {"en": "low", "nl": "laag"},
}


def _value(key: str, value: Any, lang: str) -> str:
    if value is None:
        return {"label": PHRASES["no-label"], "maker": PHRASES["unknown-maker"]}.get(key, {}).get(lang, "?")
    if key.endswith("date") and isinstance(value, str) and value:
        return date(value, lang)
    if key == "kinds" and isinstance(value, list | tuple):
        return ", ".join(KINDS.get(str(k), {}).get(lang, str(k)) for k in value)
    if key == "confidence" and isinstance(value, str):
        return CONFIDENCE.get(value, {}).get(lang, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value, lang)
    return str(value)


def say(code: str, params: Mapping[str, Any], lang: str) -> str:
    """The phrase ``code`` in ``lang`` with ``params`` filled in; a missing parameter shows as ``?``."""
    template = PHRASES[code][lang]
    names = set(re.findall(r"{(\w+)}", template))
    return template.format(**{name: _value(name, params.get(name), lang) for name in names})


def count(n: int, lang: str) -> str:
    """``n`` devices in words: ``1 apparaat``, ``12 apparaten``."""
    one, many = PHRASES["count.devices"][lang].split("|")
    return (one if n == 1 else many).format(n=number(n, lang))


def encode(code: str, **params: Any) -> str:
    """A phrase as stored in a text column: compact JSON of the code and its parameters."""
    return json.dumps({"code": code, **params}, ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> tuple[str, dict[str, Any]] | None:
    """The code and parameters of a stored phrase, or None when ``text`` is not one (plain text of old rows)."""
    if not text.startswith("{"):
        return None
    try:
        raw = json.loads(text)
    except ValueError:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("code"), str) or raw["code"] not in PHRASES:
        return None
    params = {k: v for k, v in raw.items() if k != "code"}
    return raw["code"], params
