"""Evidence lines in the report's language.

The audit store keeps each finding's evidence as the identify engine's one-line explanations (English). This
module reads those lines back into a kind and its values (``MAC block 4419B6 is assigned to X`` → kind ``mac``,
prefix ``4419B6``, maker ``X``) and writes them in Dutch or English, in full and in a short form for tables.
The rule explanations of fingerprints (HTTP headers, certificates, banners, favicons) are reduced to what was seen
and the maker the rule names; the full English explanation stays in ``schoon identify --explain``. A line this
module does not recognise is kept, in the short form "other signal", with the maker it names.
Labels that name nothing, relabel brands alone, suppliers and procurement descriptions, and the verdict reasons
("probably made by X ...; verify") are read too; "X (part of Y)" keeps both names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from schoon.report.i18n import date, decimal, term
from schoon.report.phrases import CONFIDENCE

#: What a fingerprint line starts with, and its name in each language (longest first when matching).
FEATURES: Final[tuple[tuple[str, str, str], ...]] = (
    ("HTTP/UPnP Server header", "HTTP/UPnP-serverheader", "HTTP/UPnP Server header"),
    ("HTTP Server header", "HTTP-serverheader", "HTTP Server header"),
    ("RTSP Server header", "RTSP-serverheader", "RTSP Server header"),
    ("RTSP authentication realm", "RTSP-aanmeldrealm", "RTSP authentication realm"),
    ("Authentication realm", "aanmeldrealm", "authentication realm"),
    ("Digest realm", "aanmeldrealm", "digest realm"),
    ("Realm", "aanmeldrealm", "realm"),
    ("TLS certificate", "TLS-certificaat", "TLS certificate"),
    ("Telnet prompt", "Telnet-prompt", "Telnet prompt"),
    ("Telnet banner", "Telnet-banner", "Telnet banner"),
    ("SSH banner", "SSH-banner", "SSH banner"),
    ("SSH server", "SSH-servernaam", "SSH server name"),
    ("SNMP sysDescr", "SNMP-systeembeschrijving", "SNMP sysDescr"),
    ("Page title", "paginatitel", "page title"),
    ("Login page", "aanmeldpagina", "login page"),
    ("Web UI", "webinterface", "web interface"),
    ("Page", "webpagina", "web page"),
    ("ISAPI", "ISAPI-antwoord", "ISAPI reply"),
    ("Reply to /cgi-bin/magicBox.cgi", "antwoord van magicBox.cgi", "magicBox.cgi reply"),
    ("magicBox.cgi", "antwoord van magicBox.cgi", "magicBox.cgi reply"),
    ("Firmware version", "firmwareversie", "firmware version"),
    ("Favicon", "favicon van de webinterface", "web interface favicon"),
    ("http title", "paginatitel", "page title"),
    ("http server", "HTTP-serverheader", "HTTP Server header"),
)
FIELDS: Final[dict[str, tuple[str, str]]] = {
    "model": ("modelnummer", "model"), "serial": ("serienummer", "serial"),
    "onvif model": ("ONVIF-model", "ONVIF model"),
    "upnp model": ("UPnP-model", "UPnP model"), "declared vendor": ("merk in het register", "declared vendor"),
    "onvif manufacturer": ("ONVIF-fabrikant", "ONVIF manufacturer"),
    "upnp manufacturer": ("UPnP-fabrikant", "UPnP manufacturer"), "supplier": ("leverancier", "supplier"),
    "description": ("omschrijving", "description"),
}
TEXT: Final[dict[str, dict[str, str]]] = {
    "mac": {"nl": "MAC-blok {prefix} is door de IEEE toegewezen aan {maker}",
            "en": "MAC block {prefix} is assigned to {maker}"},
    "mac-other": {"nl": "MAC-blok {prefix} hoort bij {maker}, geen bedrijf uit het register",
                  "en": "MAC block {prefix} belongs to {maker}, not a registry company"},
    "model-number": {"nl": "{field} '{value}' volgt de modelnummering van {maker} ({device_type})",
                     "en": "{field} '{value}' follows the model numbering of {maker} ({device_type})"},
    "declared": {"nl": "{field} '{value}' is {maker}", "en": "{field} '{value}' is {maker}"},
    "declared-outside": {"nl": "{field} '{value}' noemt een fabrikant buiten het register",
                         "en": "{field} '{value}' names a maker outside the registry"},
    "relabel": {"nl": "{brand} verkoopt volgens de bronnen hardware van {maker}{until} (betrouwbaarheid {confidence})",
                "en": "{brand} is documented to sell hardware made by {maker}{until} ({confidence} confidence)"},
    "enterprise": {"nl": "SNMP sysObjectID valt onder ondernemingsnummer {number}, door IANA toegekend aan {maker}",
                   "en": "SNMP sysObjectID is under enterprise number {number}, assigned by IANA to {maker}"},
    "port": {"nl": "{proto}-poort {port} is een standaardpoort van {maker}{shared}",
             "en": "{proto} port {port} is a default port of {maker}{shared}"},
    "feature": {"nl": "{what} '{value}' wijst op {maker}", "en": "{what} '{value}' points to {maker}"},
    "feature-plain": {"nl": "{what} wijst op {maker}", "en": "{what} points to {maker}"},
    "conflict": {"nl": "op het label staat '{value}', maar het bewijs wijst op {maker}",
                 "en": "the label says '{value}' but the evidence says {maker}"},
    "also": {"nl": "het bewijs wijst ook op {maker} (score {score})", "en": "evidence also points to {maker} "
             "(score {score})"},
    "brand": {"nl": "op het label staat '{value}': {maker}", "en": "the label says '{value}': {maker}"},
    "not-registry": {"nl": "{field} '{value}' is geen naam uit het register",
                     "en": "{field} '{value}' is not a registry name"},
    "no-maker": {"nl": "{field} '{value}' noemt geen fabrikant die we kunnen bevestigen: geen bewijs",
                 "en": "{field} '{value}' names no maker we can confirm: no evidence"},
    "outside-known": {"nl": "{field} '{value}' noemt {maker}, een bekende fabrikant buiten het register",
                      "en": "{field} '{value}' names {maker}, a known maker outside the registry"},
    "description-model": {"nl": "de omschrijving noemt model '{value}', volgens de modelnummering van {maker} "
                                "({device_type})",
                          "en": "the description names model '{value}', which follows the model numbering of "
                                "{maker} ({device_type})"},
    "description-known": {"nl": "de omschrijving noemt {maker}, een bekende fabrikant buiten het register",
                          "en": "the description names {maker}, a known maker outside the registry"},
    "description-name": {"nl": "de omschrijving noemt {maker}, geen naam uit het register",
                         "en": "the description names {maker}, not a registry name"},
    "supplier-outside": {"nl": "leverancier '{value}' is {maker}, een bekende fabrikant buiten het register",
                         "en": "supplier '{value}' is {maker}, a known maker outside the registry"},
    "bought": {"nl": "gekocht bij '{value}', dat is {maker} of een bedrijf uit die groep",
               "en": "bought from '{value}', which is {maker} or a company of its group"},
    "mac-brand": {"nl": "MAC-blok {prefix} is toegewezen aan {maker}, een merk dat hardware van anderen verkoopt",
                  "en": "MAC block {prefix} is assigned to {maker}, a brand that sells other makers' hardware"},
    "enterprise-other": {"nl": "SNMP sysObjectID valt onder ondernemingsnummer {number} ({maker}), geen bedrijf uit "
                               "het register",
                         "en": "SNMP sysObjectID is under enterprise number {number} ({maker}), not a registry "
                               "company"},
    "product-line": {"nl": "'{value}' noemt {line}, een productlijn van {maker}",
                     "en": "'{value}' names {line}, a product line of {maker}"},
    "soc-sdk": {"nl": "{what} '{value}' komt uit de referentiesoftware van chipleverancier {maker}; dat zegt niet wie "
                      "het apparaat maakte",
                "en": "{what} '{value}' comes from the reference SDK of chip supplier {maker}; it does not say who "
                      "made the device"},
    "probably": {"nl": "waarschijnlijk gemaakt door {maker}: {brand} verkoopt volgens de bronnen hardware van {maker} "
                       "(zekerheid {score}); controleren",
                 "en": "probably made by {maker}: {brand} is documented to sell {maker}'s hardware (confidence "
                       "{score}); verify"},
    "possibly": {"nl": "mogelijk gemaakt door {maker} (zekerheid {score}): controleren",
                 "en": "possibly made by {maker} (confidence {score}): verify"},
    "label-unconfirmed": {"nl": "het label '{value}' noemt geen fabrikant die we kunnen bevestigen en niets anders "
                                "noemt er een: controleren",
                          "en": "the label '{value}' names no maker we can confirm and nothing else names one: verify"},
    "no-maker-named": {"nl": "het bewijs noemt geen fabrikant met voldoende zekerheid",
                       "en": "the evidence does not name a maker with confidence"},
    "made-outside": {"nl": "gemaakt door {maker}, dat niet in het register staat",
                     "en": "made by {maker}, which is not in the registry"},
    "made-not-flagged": {"nl": "gemaakt door {maker}, niet gemarkeerd onder beleid {policy}",
                         "en": "made by {maker}, not flagged under policy {policy}"},
    "made-flagged": {"nl": "gemaakt door {maker}: {grounds}", "en": "made by {maker}: {grounds}"},
    "other": {"nl": "ander kenmerk uit de identificatie, wijst op {maker}",
              "en": "another identifying signal, pointing to {maker}"},
    "other-plain": {"nl": "ander kenmerk uit de identificatie", "en": "another identifying signal"},
}
SHORT: Final[dict[str, dict[str, str]]] = {
    "mac": {"nl": "MAC {prefix}", "en": "MAC {prefix}"},
    "mac-other": {"nl": "MAC {prefix}", "en": "MAC {prefix}"},
    "model-number": {"nl": "{field}", "en": "{field}"},
    "declared": {"nl": "{field}", "en": "{field}"},
    "declared-outside": {"nl": "{field} '{value}'", "en": "{field} '{value}'"},
    "relabel": {"nl": "{brand} is relabel", "en": "{brand} is a relabel"},
    "enterprise": {"nl": "SNMP-nummer {number}", "en": "SNMP number {number}"},
    "port": {"nl": "{proto}-poort {port}", "en": "{proto} port {port}"},
    "feature": {"nl": "{what}", "en": "{what}"},
    "feature-plain": {"nl": "{what}", "en": "{what}"},
    "conflict": {"nl": "label '{value}' wijkt af", "en": "label '{value}' differs"},
    "also": {"nl": "ook {maker}", "en": "also {maker}"},
    "brand": {"nl": "label '{value}'", "en": "label '{value}'"},
    "not-registry": {"nl": "{field} '{value}'", "en": "{field} '{value}'"},
    "no-maker": {"nl": "{field} '{value}'", "en": "{field} '{value}'"},
    "outside-known": {"nl": "{field} '{value}'", "en": "{field} '{value}'"},
    "description-model": {"nl": "model in omschrijving", "en": "model in description"},
    "description-known": {"nl": "omschrijving", "en": "description"},
    "description-name": {"nl": "omschrijving", "en": "description"},
    "supplier-outside": {"nl": "leverancier", "en": "supplier"},
    "bought": {"nl": "leverancier", "en": "supplier"},
    "mac-brand": {"nl": "MAC {prefix}", "en": "MAC {prefix}"},
    "enterprise-other": {"nl": "SNMP-nummer {number}", "en": "SNMP number {number}"},
    "product-line": {"nl": "productlijn {line}", "en": "product line {line}"},
    "soc-sdk": {"nl": "{what} (chip-SDK)", "en": "{what} (chip SDK)"},
    "probably": {"nl": "waarschijnlijk {maker}", "en": "probably {maker}"},
    "possibly": {"nl": "mogelijk {maker}", "en": "possibly {maker}"},
    "label-unconfirmed": {"nl": "label '{value}' onbevestigd", "en": "label '{value}' unconfirmed"},
    "no-maker-named": {"nl": "geen fabrikant", "en": "no maker"},
    "made-outside": {"nl": "{maker}", "en": "{maker}"},
    "made-not-flagged": {"nl": "{maker}", "en": "{maker}"},
    "made-flagged": {"nl": "{maker}", "en": "{maker}"},
    "other": {"nl": "ander kenmerk", "en": "other signal"},
    "other-plain": {"nl": "ander kenmerk", "en": "other signal"},
}
SHARED: Final[dict[str, str]] = {"nl": " (ook andere diensten gebruiken die poort)",
                                 "en": " (other services use it too)"}
UNTIL: Final[dict[str, str]] = {"nl": " tot {date}", "en": " until {date}"}
PART: Final[dict[str, str]] = {"nl": " (onderdeel van {group})", "en": " (part of {group})"}
#: The grounds a verdict reason names besides list codes (kept as written), in each language.
GROUNDS: Final[tuple[tuple[str, str, str], ...]] = (
    ("human-rights evidence", "gedocumenteerd bewijs van mensenrechtenschendingen", "human-rights evidence"),
    (" (via parent company)", " (via het moederbedrijf)", " (via parent company)"),
)

_Q = r"'(?P<value>(?:[^']|'(?!\s|$|\)|;|,))*)'"
_FIELD = r"(?P<field>[a-z][a-z ]*?) "
_PART = r"(?: \(part of (?P<group>[^()]+)\))?"
PATTERNS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("mac-brand", re.compile(r"^MAC block (?P<prefix>[0-9A-Fa-f]+) is assigned to (?P<maker>.+?), a brand that "
                             r"sells other makers' hardware$")),
    ("mac-other", re.compile(r"^MAC block (?P<prefix>[0-9A-Fa-f]+) belongs to (?P<maker>.+?), not to a registry "
                             r"company")),
    ("mac", re.compile(r"^MAC block (?P<prefix>[0-9A-Fa-f]+) is assigned to (?P<assignee>.+?)"
                       r"(?: \((?P<maker>[^()]*(?:\([^()]*\))?[^()]*)\))?$")),
    ("model-number", re.compile(r"^(?P<field>model|serial|onvif model|upnp model) " + _Q
                                + r" follows the model numbering of (?P<maker>.+?) \((?P<device_type>[a-z _]+)\)")),
    ("label-unconfirmed", re.compile(r"^the label " + _Q + r" names no maker we can confirm and nothing else names "
                                     r"one: verify$")),
    ("outside-known", re.compile(r"^" + _FIELD + _Q + r" names a maker outside the registry: (?P<maker>.+?) is a "
                                 r"known maker \(")),
    ("declared-outside", re.compile(r"^" + _FIELD + _Q + r" names a maker outside the registry")),
    ("no-maker", re.compile(r"^" + _FIELD + _Q + r" names no maker we can confirm")),
    ("not-registry", re.compile(r"^" + _FIELD + _Q + r" is not a registry name$")),
    ("supplier-outside", re.compile(r"^supplier " + _Q + r" is (?P<maker>.+?), a known maker outside the registry$")),
    ("declared", re.compile(r"^(?P<field>declared vendor|onvif manufacturer|upnp manufacturer|supplier|description) "
                            + _Q + r" is (?P<maker>.+?)" + _PART + r" \(")),
    ("brand", re.compile(r"^the label says " + _Q + r" = (?P<maker>.+?) \(")),
    ("bought", re.compile(r"^bought from " + _Q + r", which is (?P<maker>.+?)" + _PART + r" \(")),
    ("description-model", re.compile(r"^the description mentions model " + _Q + r", which follows the model numbering "
                                     r"of (?P<maker>.+?) \((?P<device_type>[a-z _]+)\)")),
    ("description-known", re.compile(r"^the description names (?P<maker>.+?), a known maker outside the registry$")),
    ("description-name", re.compile(r"^the description names (?P<maker>.+?), not a registry name$")),
    ("enterprise-other", re.compile(r"^sysObjectID is under enterprise number (?P<number>\d+) \((?P<maker>.+)\), "
                                    r"not a registry company$")),
    ("product-line", re.compile(r"^" + _Q + r" names (?P<line>.+?), (?P<maker>.+?)'s [\w/ -]+ product line$")),
    ("soc-sdk", re.compile(r"^(?P<what>.+?) " + _Q + r" .*? the (?P<maker>\w+) reference SDK; it names the SoC "
                           r"supplier, not the device maker$")),
    ("probably", re.compile(r"^probably made by (?P<maker>.+?): (?P<brand>.+?) is documented to sell .+ "
                            r"\(confidence (?P<score>[0-9.]+)\); verify$")),
    ("possibly", re.compile(r"^possibly made by (?P<maker>.+?) \(confidence (?P<score>[0-9.]+)\): verify$")),
    ("no-maker-named", re.compile(r"^the evidence does not name a maker with confidence$")),
    ("made-outside", re.compile(r"^made by (?P<maker>.+?), which is not in the registry$")),
    ("made-not-flagged", re.compile(r"^made by (?P<maker>.+?), not flagged under policy (?P<policy>[\w.-]+)$")),
    ("made-flagged", re.compile(r"^made by (?P<maker>.+?): (?P<grounds>.+)$")),
    ("relabel", re.compile(r"^(?P<brand>.+?) is documented to sell hardware made by (?P<maker>.+?)"
                           r"(?: until (?P<until>\d{4}-\d{2}(?:-\d{2})?))? \((?P<confidence>\w+) confidence\)$")),
    ("enterprise", re.compile(r"^sysObjectID is under enterprise number (?P<number>\d+), assigned by IANA to "
                              r"(?P<maker>.+)$")),
    ("port", re.compile(r"^(?P<proto>TCP|UDP) (?P<port>\d+) is (?P<rest>.*)$")),
    ("conflict", re.compile(r"^the label says " + _Q + r" but the evidence says (?P<maker>.+)$")),
    ("also", re.compile(r"^evidence also points to (?P<maker>.+?) \(score (?P<score>[0-9.]+)\)$")),
)


@dataclass(frozen=True)
class Evidence:
    """One evidence line read back: its kind and values (``values['maker']`` is the maker it points to)."""

    kind: str
    values: dict[str, str] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        """The line in full, in ``lang``."""
        return _fill(TEXT[self.kind][lang], self.values, lang)

    def short(self, lang: str) -> str:
        """A few words for a table cell: what was seen (``MAC 4419B6``, ``model DS-2CD2386G2-IU``)."""
        return _fill(SHORT[self.kind][lang], self.values, lang)


def _fill(template: str, values: dict[str, str], lang: str) -> str:
    names = set(re.findall(r"{(\w+)}", template))
    out: dict[str, str] = {}
    for name in names:
        value = values.get(name) or ""
        if name == "maker" and values.get("group"):
            value += PART[lang].format(group=values["group"])
        if name == "field":
            value = FIELDS.get(value, (value, value))[0 if lang == "nl" else 1]
        elif name == "what":
            value = next((nl if lang == "nl" else en for start, nl, en in FEATURES if start == value), value)
        elif name == "device_type":
            value = term("device_type", value.replace(" ", "_"), lang)
        elif name == "confidence":
            value = CONFIDENCE.get(value, {}).get(lang, value)
        elif name == "until":
            value = UNTIL[lang].format(date=date(value, lang)) if value else ""
        elif name == "score":
            value = decimal(float(value), lang) if value else ""
        elif name == "grounds":
            for english, nl, en in GROUNDS:
                value = value.replace(english, nl if lang == "nl" else en)
        elif name == "shared":
            value = SHARED[lang] if value else ""
        out[name] = value if value or name in ("until", "shared") else "?"
    return template.format(**out)


def _named_maker(text: str, makers: Sequence[str]) -> str | None:
    """The first of ``makers`` that ``text`` names (whole words, any case), by position in the text."""
    best: tuple[int, str] | None = None
    for name in makers:
        match = re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text, flags=re.IGNORECASE)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), name)
    return best[1] if best else None


def read(line: str, makers: Sequence[str] = ()) -> list[Evidence]:
    """One stored evidence line as one or more ``Evidence`` (a brand's artefact line carries its relabel too).

    ``makers`` are the names to look for in fingerprint explanations (the registry's groups and brands).
    """
    parts = [line]
    if "; " in line and " is documented to sell hardware made by " in line:
        head, _, tail = line.rpartition("; ")
        parts = [head, tail] if " is documented to sell hardware made by " in tail else [line]
    return [_read_one(part.strip(), makers) for part in parts]


def _read_one(line: str, makers: Sequence[str]) -> Evidence:
    for kind, pattern in PATTERNS:
        match = pattern.match(line)
        if match is None:
            continue
        values = {k: v for k, v in match.groupdict().items() if v is not None}
        if kind == "mac":
            values["maker"] = values.get("maker") or values.pop("assignee", "")
            values.pop("assignee", None)
        part = re.fullmatch(r"(?P<maker>.+?) \(part of (?P<group>[^()]+)\)", values.get("maker", ""))
        if part is not None:
            values.update(part.groupdict())
        if kind == "port":
            rest = values.pop("rest")
            values["maker"] = _named_maker(rest, makers) or "?"
            values["shared"] = "1" if "other services" in rest or "too" in rest else ""
        return Evidence(kind, values)
    quoted = re.search(_Q, line)
    value = quoted.group("value") if quoted else None
    outside = line.replace(quoted.group(0), " ") if quoted else line
    maker = _named_maker(outside, makers) or (_named_maker(value, makers) if value else None)
    for start, _nl, _en in sorted(FEATURES, key=lambda f: -len(f[0])):
        if line.startswith(start) and maker:
            if value and len(value) <= 60:
                return Evidence("feature", {"what": start, "value": value, "maker": maker})
            return Evidence("feature-plain", {"what": start, "maker": maker})
    if maker:
        return Evidence("other", {"maker": maker})
    return Evidence("other-plain", {})
