"""Report labels in Dutch and English: one table of keys, each with both languages, and Babel formatting.

``t(key, lang)`` gives a label; ``term(domain, value, lang)`` translates a coded value (a device type, verdict,
lifecycle state, sensitivity class, discrepancy kind or site owner kind) and falls back to the value itself, made
readable, when the table does not know it. ``list_name`` and ``policy_text`` give a list's and a built-in policy's
name in the language. ``number``, ``decimal``, ``date`` and ``datetime`` format with Babel: ``12.345``, ``0,50``,
``28 november 2026`` and times in Europe/Amsterdam.
"""

from __future__ import annotations

import datetime as dt
from typing import Final
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LABELS: Final[dict[str, dict[str, str]]] = {
    # Sections
    "section.answer": {"nl": "Antwoord", "en": "Answer"},
    "section.key_figures": {"nl": "Kerncijfers", "en": "Key figures"},
    "section.trend": {"nl": "Verloop over de momentopnames", "en": "Trend over the snapshots"},
    "section.institutions": {"nl": "Per instelling", "en": "By institution"},
    "section.sensitivity": {"nl": "Naar gevoeligheid van de locatie", "en": "By site sensitivity"},
    "section.device_types": {"nl": "Naar soort apparaat", "en": "By device type"},
    "section.groups": {"nl": "Naar concern (fabrikant)", "en": "By corporate group (maker)"},
    "section.basis": {"nl": "Naar grondslag", "en": "By legal basis"},
    "section.exemptions": {"nl": "Uitzonderingen", "en": "Exemptions"},
    "section.overdue": {"nl": "Over de deadline", "en": "Past the deadline"},
    "section.discrepancies": {"nl": "Verschillen tussen register en netwerk", "en": "Register versus network"},
    "section.landlords": {"nl": "Apparatuur van verhuurders en aannemers", "en": "Landlord and contractor equipment"},
    "section.caveats": {"nl": "Kanttekeningen bij de methode", "en": "Caveats on method"},
    "section.devices": {"nl": "Bijlage: apparaten en bewijs", "en": "Appendix: devices and evidence"},
    "section.summary": {"nl": "Samenvatting", "en": "Summary"},
    # Spreadsheet sheet names (at most 31 characters)
    "sheet.summary": {"nl": "Samenvatting", "en": "Summary"},
    "sheet.institutions": {"nl": "Instellingen", "en": "Institutions"},
    "sheet.sensitivity": {"nl": "Gevoeligheid", "en": "Sensitivity"},
    "sheet.device_types": {"nl": "Soorten apparaat", "en": "Device types"},
    "sheet.groups": {"nl": "Concerns", "en": "Groups"},
    "sheet.basis": {"nl": "Grondslag", "en": "Legal basis"},
    "sheet.trend": {"nl": "Verloop", "en": "Trend"},
    "sheet.exemptions": {"nl": "Uitzonderingen", "en": "Exemptions"},
    "sheet.overdue": {"nl": "Over de deadline", "en": "Overdue"},
    "sheet.discrepancies": {"nl": "Verschillen", "en": "Discrepancies"},
    "sheet.landlords": {"nl": "Verhuurders", "en": "Landlords"},
    "sheet.devices": {"nl": "Apparaten", "en": "Devices"},
    # Report kinds and header
    "kind.national": {"nl": "Landelijk overzicht", "en": "National overview"},
    "kind.institution": {"nl": "Rapport per instelling", "en": "Institution report"},
    "meta.as_of": {"nl": "Peildatum", "en": "As of"},
    "meta.generated_at": {"nl": "Gemaakt op", "en": "Generated"},
    "meta.policy": {"nl": "Beleid", "en": "Policy"},
    "meta.registry_version": {"nl": "Versie register", "en": "Registry version"},
    "meta.scope": {"nl": "Reikwijdte", "en": "Scope"},
    "meta.organisations": {"nl": "Organisaties", "en": "Organisations"},
    "meta.sites": {"nl": "Locaties", "en": "Sites"},
    "meta.snapshots": {"nl": "Momentopnames", "en": "Snapshots"},
    "meta.period": {"nl": "Periode", "en": "Period"},
    "meta.made_with": {"nl": "Gemaakt met schoon", "en": "Made with schoon"},
    "meta.page": {"nl": "pagina", "en": "page"},
    "meta.of": {"nl": "van", "en": "of"},
    "meta.language": {"nl": "nl", "en": "en"},
    # Key figures and counts
    "fig.devices": {"nl": "Apparaten onderzocht", "en": "Devices examined"},
    "fig.flagged": {"nl": "Vallen onder het beleid (in gebruik)", "en": "Covered by the policy (in use)"},
    "fig.clear": {"nl": "Niet onder het beleid", "en": "Not covered"},
    "fig.unknown": {"nl": "Fabrikant onbekend", "en": "Maker unknown"},
    "fig.in_use": {"nl": "In gebruik, geen plan", "en": "In use, no plan"},
    "fig.scheduled": {"nl": "Vervanging gepland", "en": "Replacement scheduled"},
    "fig.replaced": {"nl": "Vervangen", "en": "Replaced"},
    "fig.exempted": {"nl": "Uitgezonderd", "en": "Exempted"},
    "fig.overdue": {"nl": "Over de deadline", "en": "Past the deadline"},
    "fig.institutions_using": {"nl": "Instellingen met zulke apparaten", "en": "Institutions using such devices"},
    "fig.definitions": {
        "nl": ("'Onder het beleid' telt apparaten die nu onder het beleid vallen en nog niet vervangen zijn "
               "(in gebruik, vervanging gepland of uitgezonderd); 'over de deadline' en 'uitgezonderd' zijn daar "
               "een deel van. 'Vervangen' telt apparaten waarvan de vervanging is bevestigd."),
        "en": ("'Covered by the policy' counts devices that fall under the policy now and are not yet replaced "
               "(in use, replacement scheduled or exempted); 'past the deadline' and 'exempted' are part of it. "
               "'Replaced' counts devices whose replacement has been confirmed."),
    },
    # Column headers
    "col.org": {"nl": "Instelling", "en": "Institution"},
    "col.org_id": {"nl": "Code instelling", "en": "Institution id"},
    "col.parent_org": {"nl": "Valt onder", "en": "Part of"},
    "col.site": {"nl": "Locatie", "en": "Site"},
    "col.devices": {"nl": "Apparaten", "en": "Devices"},
    "col.flagged": {"nl": "Onder beleid", "en": "Covered"},
    "col.in_use": {"nl": "In gebruik", "en": "In use"},
    "col.scheduled": {"nl": "Gepland", "en": "Scheduled"},
    "col.replaced": {"nl": "Vervangen", "en": "Replaced"},
    "col.exempted": {"nl": "Uitgezonderd", "en": "Exempted"},
    "col.overdue": {"nl": "Over deadline", "en": "Overdue"},
    "col.outstanding": {"nl": "Openstaand", "en": "Outstanding"},
    "col.deadline": {"nl": "Deadline", "en": "Deadline"},
    "col.sensitivity": {"nl": "Gevoeligheid", "en": "Sensitivity"},
    "col.device_type": {"nl": "Soort apparaat", "en": "Device type"},
    "col.group": {"nl": "Concern", "en": "Group"},
    "col.group_id": {"nl": "Code concern", "en": "Group id"},
    "col.list": {"nl": "Lijst of grondslag", "en": "List or basis"},
    "col.list_id": {"nl": "Code lijst", "en": "List id"},
    "col.snapshot_id": {"nl": "Momentopname", "en": "Snapshot"},
    "col.date": {"nl": "Datum", "en": "Date"},
    "col.device_id": {"nl": "Nummer", "en": "Asset no."},
    "col.store_id": {"nl": "Nummer in schoon", "en": "Number in schoon"},
    "col.evidence_short": {"nl": "Bewijs (kort)", "en": "Evidence (short)"},
    "col.official": {"nl": "Officiële naam", "en": "Official name"},
    "col.owner_kind": {"nl": "Soort beheerder", "en": "Operator kind"},
    "col.reason": {"nl": "Reden", "en": "Reason"},
    "col.approver": {"nl": "Goedgekeurd door", "en": "Approved by"},
    "col.review_date": {"nl": "Herbeoordeling", "en": "Review date"},
    "col.overdue_review": {"nl": "Herbeoordeling te laat", "en": "Review overdue"},
    "col.days_overdue": {"nl": "Dagen te laat", "en": "Days overdue"},
    "col.kind": {"nl": "Soort verschil", "en": "Kind"},
    "col.detail": {"nl": "Toelichting", "en": "Detail"},
    "col.owner": {"nl": "Beheerder", "en": "Operated by"},
    "col.device_count": {"nl": "Apparaten", "en": "Devices"},
    "col.label": {"nl": "Omschrijving", "en": "Label"},
    "col.model": {"nl": "Model", "en": "Model"},
    "col.brand": {"nl": "Merk", "en": "Brand"},
    "col.verdict": {"nl": "Oordeel", "en": "Verdict"},
    "col.state": {"nl": "Status", "en": "State"},
    "col.confidence": {"nl": "Zekerheid", "en": "Confidence"},
    "col.confidence_short": {"nl": "Zeker\u00adheid", "en": "Confi\u00addence"},
    "col.makers": {"nl": "Fabrikanten", "en": "Makers"},
    "section.group_basis": {"nl": "Grondslag per concern", "en": "Basis per group"},
    "section.capabilities": {"nl": "Gezichtsherkenning en persoonskenmerken", "en": "Face recognition and people "
                             "attributes"},
    "sheet.capabilities": {"nl": "Capaciteiten", "en": "Capabilities"},
    "note.capabilities": {
        "nl": "Apparaten waarvan een capaciteitsdocument (ISAPI, Dahua) of het typenummer volgens een bron deze "
              "functie aanbiedt. Aangeboden is niet hetzelfde als ingeschakeld of gebruikt; gezichtsdetectie alleen "
              "is geen herkenning. Het bewijs per apparaat staat in de bijlage.",
        "en": "Devices whose capability document (ISAPI, Dahua) or model number, according to a source, offers this "
              "function. Advertised is not the same as switched on or used; face detection alone is not "
              "recognition. The evidence per device is in the appendix."},
    "col.capability": {"nl": "Functie", "en": "Capability"},
    "col.capabilities": {"nl": "Functies (bewijs)", "en": "Capabilities (evidence)"},
    "col.institutions": {"nl": "Instellingen", "en": "Institutions"},
    "col.from_documents": {"nl": "Uit documenten", "en": "From documents"},
    "col.from_registry": {"nl": "Uit het register (typenummer)", "en": "From the registry (model)"},
    "capability.face-detection": {"nl": "gezichtsdetectie", "en": "face detection"},
    "capability.face-recognition": {"nl": "gezichtsherkenning (vergelijking met een gezichtenbestand)",
                                    "en": "face recognition (comparison with a face library)"},
    "capability.people-attributes": {"nl": "persoonskenmerken (leeftijd, geslacht, kleding)",
                                     "en": "people attributes (age, gender, clothing)"},
    "capability.ethnicity-or-skin-colour": {"nl": "etniciteit of huidskleur", "en": "ethnicity or skin colour"},
    "capability.crowd-counting": {"nl": "mensen tellen", "en": "crowd counting"},
    "capability.registry": {"nl": "register (typenummer)", "en": "registry (model number)"},
    "capability.unverified": {"nl": "betekenis niet geverifieerd", "en": "meaning not verified"},
    "capability.source": {"nl": "bron", "en": "source"},
    "sheet.group_basis": {"nl": "Grondslag per concern", "en": "Basis per group"},
    "col.first_seen": {"nl": "Eerst gezien", "en": "First seen"},
    "col.last_seen": {"nl": "Laatst gezien", "en": "Last seen"},
    "col.sources": {"nl": "Bronnen", "en": "Sources"},
    "col.evidence": {"nl": "Bewijs", "en": "Evidence"},
    "col.basis": {"nl": "Grondslag", "en": "Basis"},
    "col.item": {"nl": "Onderdeel", "en": "Item"},
    "col.value": {"nl": "Waarde", "en": "Value"},
    # Chart titles and descriptions
    "chart.trend": {"nl": "Verloop per momentopname", "en": "Trend per snapshot"},
    "chart.trend_desc": {
        "nl": "Lijngrafiek van het aantal apparaten onder het beleid, vervangen en openstaand, per momentopname.",
        "en": "Line chart of devices covered by the policy, replaced and outstanding, per snapshot.",
    },
    "chart.bar_desc": {
        "nl": "Staafdiagram van het aantal apparaten onder het beleid per categorie.",
        "en": "Bar chart of devices covered by the policy per category.",
    },
    # Empty sections and notes
    "note.none": {"nl": "Geen.", "en": "None."},
    "note.yes": {"nl": "ja", "en": "yes"},
    "note.no": {"nl": "nee", "en": "no"},
    "note.unknown_value": {"nl": "onbekend", "en": "unknown"},
    "note.devices_elsewhere": {
        "nl": "De lijst van apparaten staat in de XLSX- en CSV-uitvoer van dit rapport.",
        "en": "The device list is in the XLSX and CSV output of this report.",
    },
    "note.basis_counts": {
        "nl": ("Een apparaat telt één keer per lijst waar het onder valt; de kolom telt daarom op tot meer dan "
               "het totaal."),
        "en": "A device counts once per list it falls under, so the column can add up to more than the total.",
    },
    "note.landlords": {
        "nl": "Deze apparatuur wordt beheerd door een verhuurder of aannemer, niet door de instelling zelf.",
        "en": "This equipment is operated by a landlord or contractor, not by the institution itself.",
    },
    "note.discrepancies": {
        "nl": "Verschillen tussen wat registers melden en wat netwerk en bewijs laten zien.",
        "en": "Differences between what registers report and what the network and the evidence show.",
    },
    "note.review_overdue": {"nl": "herbeoordeling te laat", "en": "review overdue"},
    "note.days": {"nl": "dagen", "en": "days"},
    "group.unidentified": {"nl": "Fabrikant niet vastgesteld", "en": "Maker not established"},
    "note.group_basis": {"nl": "Grondslag voor alle apparaten van dit concern",
                         "en": "Basis for every device of this group"},
    "note.group_devices": {"nl": "Apparaten", "en": "Devices"},
    "note.appendix": {
        "nl": ("Per concern staat de grondslag één keer, met datum en bron; daaronder de apparaten, genoemd naar het "
               "eigen nummer van de instelling. Het volledige bewijs per apparaat staat in de XLSX-uitvoer."),
        "en": ("For each group the basis is stated once, with date and source; below it the devices, named by the "
               "institution's own number. The full evidence per device is in the XLSX output."),
    },
    "note.no_basis": {"nl": "De fabrikant is niet met voldoende zekerheid vastgesteld; er is dus geen grondslag.",
                      "en": "The maker was not established with enough confidence, so there is no basis."},
    # Verdicts
    "verdict.flagged": {"nl": "onder het beleid", "en": "flagged"},
    "verdict.clear": {"nl": "niet onder het beleid", "en": "clear"},
    "verdict.unknown": {"nl": "onbekend", "en": "unknown"},
    # Lifecycle states
    "state.in_use": {"nl": "in gebruik", "en": "in use"},
    "state.scheduled": {"nl": "vervanging gepland", "en": "replacement scheduled"},
    "state.replaced": {"nl": "vervangen", "en": "replaced"},
    "state.exempted": {"nl": "uitgezonderd", "en": "exempted"},
    "state.overdue": {"nl": "over de deadline", "en": "past the deadline"},
    # Site sensitivity
    "sensitivity.high": {"nl": "hoog", "en": "high"},
    "sensitivity.normal": {"nl": "normaal", "en": "normal"},
    "sensitivity.public": {"nl": "openbare ruimte", "en": "public space"},
    "sensitivity.unknown": {"nl": "onbekend", "en": "unknown"},
    # Device types (the registry's DeviceType values, plus 'unknown')
    "device_type.camera": {"nl": "IP-camera", "en": "IP camera"},
    "device_type.thermal_camera": {"nl": "warmtebeeldcamera", "en": "thermal camera"},
    "device_type.ptz_camera": {"nl": "PTZ-camera", "en": "PTZ camera"},
    "device_type.recorder": {"nl": "recorder (NVR/DVR)", "en": "recorder (NVR/DVR)"},
    "device_type.encoder": {"nl": "encoder", "en": "encoder"},
    "device_type.intercom": {"nl": "intercom / deurstation", "en": "intercom / door station"},
    "device_type.access_control": {"nl": "toegangscontrole", "en": "access control"},
    "device_type.radio": {"nl": "portofoon / radio", "en": "radio"},
    "device_type.drone": {"nl": "drone", "en": "drone"},
    "device_type.network": {"nl": "netwerkapparatuur", "en": "network equipment"},
    "device_type.phone": {"nl": "telefoon", "en": "phone"},
    "device_type.storage": {"nl": "opslag", "en": "storage"},
    "device_type.body_camera": {"nl": "bodycam", "en": "body-worn camera"},
    "device_type.anpr": {"nl": "ANPR-camera", "en": "ANPR camera"},
    "device_type.vms": {"nl": "videomanagementsoftware", "en": "video management software"},
    "device_type.other": {"nl": "overig", "en": "other"},
    "device_type.unknown": {"nl": "onbekend", "en": "unknown"},
    # Discrepancy kinds
    "discrepancy.label-vs-evidence": {"nl": "merk op label wijkt af van bewijs", "en": "label differs from evidence"},
    "discrepancy.not-in-register": {"nl": "op netwerk, niet in register", "en": "on network, not in register"},
    "discrepancy.not-seen-on-network": {"nl": "in register, niet op netwerk", "en": "in register, not on network"},
    "discrepancy.replaced-but-seen": {"nl": "vervangen, maar nog gezien", "en": "replaced, but still seen"},
    # Legal basis rows
    "basis.human-rights-evidence": {"nl": "Gedocumenteerd bewijs van betrokkenheid bij mensenrechtenschendingen",
                                    "en": "Documented human-rights evidence"},
    # Who operates a site
    "owner_kind.own": {"nl": "eigen beheer", "en": "own"},
    "owner_kind.landlord": {"nl": "verhuurder", "en": "landlord"},
    "owner_kind.contractor": {"nl": "aannemer", "en": "contractor"},
    "owner_kind.unknown": {"nl": "onbekend", "en": "unknown"},
}

TERM_DOMAINS: Final[tuple[str, ...]] = ("verdict", "state", "sensitivity", "device_type", "discrepancy", "basis",
                                         "owner_kind")

#: Dutch names of the registry's lists; the official (English) name is always shown beside them.
LIST_NAMES_NL: Final[dict[str, str]] = {
    "us-fcc-covered": "FCC-lijst van verboden communicatieapparatuur en -diensten (VS)",
    "us-ndaa-889": "Defensiewet VS 2019, artikel 889 (telecommunicatie- en camerabewakingsapparatuur)",
    "us-bis-entity-list": "Exportbeperkingslijst van het Amerikaanse ministerie van Handel (BIS)",
    "us-dod-1260h": "Chinese militaire bedrijven volgens het Amerikaanse ministerie van Defensie (artikel 1260H)",
    "us-ns-cmic": "NS-CMIC-lijst: Chinees militair-industrieel complex (Amerikaans ministerie van Financiën)",
    "eu-iran-human-rights": "EU-sancties tegen Iran wegens mensenrechtenschendingen",
    "uk-sensitive-sites-2022": "Britse overheidsinstructie over camerasystemen op gevoelige locaties (2022)",
    "us-fy25-ndaa-1709": "Defensiewet VS 2025, artikel 1709 (communicatie- en camera-apparatuur van DJI en Autel "
                         "Robotics)",
    "us-tx-prohibited-technologies": "Texas: lijst van verboden technologie op apparaten en netwerken van de staat",
    "nl-rijk-offensive-cyber-tenders": "Rijksoverheid: uitsluiting van apparatuur uit landen met een offensief "
                                       "cyberprogramma bij bepaalde aanbestedingen (moties 26643-830 en 26643-874)",
    "nl-municipal-phase-outs": "Besluiten van Nederlandse gemeenten om camera's van Hikvision en Dahua niet meer te "
                               "gebruiken of uit te faseren",
    "eu-parliament-hikvision-removal": "Europees Parlement: verwijdering van warmtebeeldcamera's van Hikvision uit "
                                       "zijn gebouwen (2021)",
    "eu-dual-use-cyber-surveillance": "EU-verordening producten voor tweeërlei gebruik (EU) 2021/821, artikel 5: "
                                      "vangnet voor cybersurveillance",
}

#: Dutch titles and descriptions of the built-in policies (a user's own policy file is shown as written).
POLICY_TEXT_NL: Final[dict[str, tuple[str, str]]] = {
    "default": (
        "Op een lijst, of betrokken bij mensenrechtenschendingen",
        "Het criterium van de Kamervragen 2020Z25656: apparatuur van bedrijven op een wettelijke lijst (FCC Covered "
        "List, NDAA §889, BIS Entity List, DoD §1260H, NS-CMIC, nationale maatregelen) of met gedocumenteerde "
        "betrokkenheid bij mensenrechtenschendingen, met hun dochterondernemingen en gelieerde bedrijven.",
    ),
    "any-listing": (
        "Elke wettelijke lijst (geen markering op bewijs alleen)",
        "Markeert alleen wat een wettelijke lijst noemt (met dochterondernemingen en gelieerde bedrijven), voor "
        "organisaties die niet op gerapporteerd bewijs alleen mogen handelen.",
    ),
    "us-bis-entity-list": (
        "Amerikaanse BIS Entity List",
        "Bedrijven op de Entity List van het Amerikaanse ministerie van Handel (15 CFR part 744, supplement 4). De "
        "lijst noemt de vermelde rechtspersonen; gelieerde bedrijven staan er niet vanzelf op en vallen hier dus "
        "niet onder.",
    ),
    "us-fcc-covered": (
        "Amerikaanse FCC Covered List",
        "Apparatuur en diensten op de FCC Covered List (Secure and Trusted Communications Networks Act, 47 CFR "
        "1.50002), gelezen als inclusief de dochterondernemingen en gelieerde bedrijven van de genoemde producenten.",
    ),
    "nl-eu-measures": (
        "Genoemd in een Nederlandse of Europese maatregel",
        "Markeert een fabrikant waartegen een Nederlandse of Europese overheidsinstantie bij naam is opgetreden: "
        "besluiten van Nederlandse gemeenten om de apparatuur niet meer te gebruiken of uit te faseren, en de "
        "verwijdering van Hikvision-camera's door het Europees Parlement. Dit zijn inkoopbesluiten en adviezen, geen "
        "wetten; criteria die geen bedrijf noemen (de aanbestedingsrichtlijn van de rijksoverheid voor landen met een "
        "offensief cyberprogramma, het vangnet van de EU-verordening voor tweeërlei gebruik) staan in het register "
        "maar markeren niemand. Dochterondernemingen en merken volgen de status van hun eigenaar.",
    ),
    "us-ndaa-889": (
        "Amerikaanse NDAA FY2019 §889 (FAR 52.204-25)",
        "Huawei, ZTE, Hytera, Hikvision en Dahua en hun dochterondernemingen en gelieerde bedrijven. Voor Hytera, "
        "Hikvision en Dahua geldt de wet voor camerabewakings- en telecommunicatieapparatuur voor openbare "
        "veiligheid, beveiliging van overheidsgebouwen, bewaking van vitale infrastructuur en andere doelen van "
        "nationale veiligheid; de grondslag van elk oordeel noemt die reikwijdte.",
    ),
}

LOCALES: Final[dict[str, str]] = {"nl": "nl_NL", "en": "en_GB"}
TIMEZONE: Final = ZoneInfo("Europe/Amsterdam")


def t(key: str, lang: str) -> str:
    """The label ``key`` in ``lang`` (``nl`` or ``en``); a missing key is a bug and raises ``KeyError``."""
    return LABELS[key][lang]


def term(domain: str, value: str | None, lang: str) -> str:
    """A coded value of ``domain`` in words; unknown values come back readable (``foo_bar`` → ``foo bar``)."""
    if value is None or value == "":
        return LABELS[f"{domain}.unknown"][lang] if f"{domain}.unknown" in LABELS else t("note.unknown_value", lang)
    entry = LABELS.get(f"{domain}.{value}")
    return entry[lang] if entry else value.replace("_", " ")


def list_name(list_id: str, official: str, lang: str) -> str:
    """A list's name in ``lang``: in Dutch the Dutch name (the official name goes beside it); else the official one."""
    if lang == "nl":
        return LIST_NAMES_NL.get(list_id, official)
    return official


def policy_text(policy_id: str, title: str, description: str, lang: str) -> tuple[str, str]:
    """A built-in policy's title and description in ``lang``; other policies as written."""
    if lang == "nl" and policy_id in POLICY_TEXT_NL:
        return POLICY_TEXT_NL[policy_id]
    return title, description


def number(value: int | float, lang: str) -> str:
    """A count with the language's separators (Babel): 12.345 and 0,75 in Dutch, 12,345 and 0.75 in English."""
    fraction = isinstance(value, float) and not value.is_integer()
    return format_decimal(value, format="#,##0.00" if fraction else "#,##0", locale=LOCALES[lang])


def decimal(value: float, lang: str, places: int = 2) -> str:
    """A number with a fixed count of decimals, in the language's notation: ``0,50`` / ``0.50``."""
    return format_decimal(value, format="#,##0." + "0" * places, locale=LOCALES[lang])


def plural(count: int, one: str, many: str, lang: str) -> str:
    """``count`` followed by the singular or plural word: ``1 apparaat``, ``3 apparaten``."""
    return f"{number(count, lang)} {one if count == 1 else many}"


def _as_date(value: str | dt.date) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def date(value: str | dt.date | None, lang: str) -> str:
    """A date in words: ``28 november 2026`` / ``28 November 2026``; text that is no ISO date stays as it is.

    A partial date (``2018-06``, ``2021``) keeps its precision: ``juni 2018``, ``2021``.
    """
    if value is None or value == "":
        return "–"
    if isinstance(value, str) and len(value) == 7 and value[4] == "-" and _as_date(value + "-01"):
        return format_date(dt.date.fromisoformat(value + "-01"), "MMMM y", locale=LOCALES[lang])
    day = _as_date(value)
    if day is None:
        return str(value)
    return format_date(day, "d MMMM y", locale=LOCALES[lang])


def month(value: dt.date, lang: str) -> str:
    """A month for an axis label: ``mrt 2026`` / ``Mar 2026``."""
    return format_date(value, "MMM y", locale=LOCALES[lang])


def datetime(value: str | None, lang: str) -> str:
    """An ISO timestamp as a date and time in Europe/Amsterdam: ``29 november 2026, 00:40 CET``.

    A timestamp without a zone is read as UTC (the store writes UTC); text that is no timestamp stays as it is.
    """
    if not value:
        return "–"
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return format_datetime(moment, "d MMMM y, HH:mm zzz", tzinfo=TIMEZONE, locale=LOCALES[lang])
