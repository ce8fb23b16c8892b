"""Evidence lines in the report's language.

The audit store keeps each finding's evidence as the identify engine's one-line explanations (English). This
module reads those lines back into a kind and its values (``MAC block 4419B6 is assigned to X`` → kind ``mac``,
prefix ``4419B6``, maker ``X``) and writes them in Dutch or English, in full and in a short form for tables.
The rule explanations of fingerprints (HTTP headers, certificates, banners, favicons) are reduced to what was seen
and the maker the rule names; the full English explanation stays in ``schoon identify --explain``. A line this
module does not recognise is kept, in the short form "other signal", with the maker it names.
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
    "other": {"nl": "ander kenmerk", "en": "other signal"},
    "other-plain": {"nl": "ander kenmerk", "en": "other signal"},
}
SHARED: Final[dict[str, str]] = {"nl": " (ook andere diensten gebruiken die poort)",
                                 "en": " (other services use it too)"}
UNTIL: Final[dict[str, str]] = {"nl": " tot {date}", "en": " until {date}"}

_Q = r"'(?P<value>(?:[^']|'(?!\s|$|\)|;|,))*)'"
PATTERNS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("mac-other", re.compile(r"^MAC block (?P<prefix>[0-9A-Fa-f]+) belongs to (?P<maker>.+?), not to a registry "
                             r"company")),
    ("mac", re.compile(r"^MAC block (?P<prefix>[0-9A-Fa-f]+) is assigned to (?P<assignee>.+?)"
                       r"(?: \((?P<maker>[^()]*(?:\([^()]*\))?[^()]*)\))?$")),
    ("model-number", re.compile(r"^(?P<field>model|serial|onvif model|upnp model) " + _Q
                                + r" follows the model numbering of (?P<maker>.+?) \((?P<device_type>[a-z _]+)\)")),
    ("declared-outside", re.compile(r"^(?P<field>declared vendor|onvif manufacturer|upnp manufacturer) " + _Q
                                    + r" names a maker outside the registry")),
    ("declared", re.compile(r"^(?P<field>declared vendor|onvif manufacturer|upnp manufacturer|supplier) " + _Q
                            + r" is (?P<maker>.+?) \(")),
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
