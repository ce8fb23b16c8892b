"""The answer in plain words, as a minister must give it: who uses such equipment, how much, and its replacement.

``answer_sentence`` is the one sentence at the top of every report; ``answer_details`` adds the extent (sensitive
sites, plans, gaps between register and network, landlords) in a few short sentences. Both come straight from
``ReportData`` totals and rows, so the numbers in the sentence are the numbers in the tables.
"""

from __future__ import annotations

from schoon.report.i18n import date, number, plural
from schoon.report.model import ReportData


def institutions_using(data: ReportData) -> tuple[int, int]:
    """How many institutions have flagged devices, out of how many (institution rows, else the scope's list)."""
    total = len(data.by_institution) or len(data.scope.organisations)
    using = sum(1 for row in data.by_institution if row.flagged > 0)
    return using, total


def subject(data: ReportData) -> str:
    """The institution an institution report is about: its single organisation, else the report title."""
    if len(data.scope.organisations) == 1:
        return data.scope.organisations[0]
    if data.by_institution:
        roots = [row.org for row in data.by_institution if row.parent_org is None]
        if len(roots) == 1:
            return roots[0]
    return data.title


def answer_sentence(data: ReportData) -> str:
    """The answer in one sentence, in the report's language, with the report's own numbers."""
    return _answer_nl(data) if data.language == "nl" else _answer_en(data)


def _answer_nl(data: ReportData) -> str:
    tot = data.totals
    policy = f"‘{data.policy.title}’"
    day = date(data.as_of, "nl")
    if data.kind == "national":
        using, total = institutions_using(data)
        if tot.flagged == 0 or using == 0:
            head = f"Op {day} gebruikt geen van de {number(total, 'nl')} instellingen apparaten"
        else:
            verb = "gebruikt" if using == 1 else "gebruiken"
            devices = plural(tot.flagged, "apparaat", "apparaten", "nl")
            head = (f"Op {day} {verb} {number(using, 'nl')} van {number(total, 'nl')} instellingen "
                    f"{devices}")
    elif tot.flagged == 0:
        head = f"Op {day} gebruikt {subject(data)} geen apparaten"
    else:
        head = f"Op {day} gebruikt {subject(data)} {plural(tot.flagged, 'apparaat', 'apparaten', 'nl')}"
    head += f" van bedrijven die onder het beleid {policy} vallen"
    tail = []
    if tot.replaced or tot.flagged:
        tail.append(f"{number(tot.replaced, 'nl')} {'is' if tot.replaced == 1 else 'zijn'} al vervangen")
    if tot.flagged:
        tail.append(f"{number(tot.exempted, 'nl')} {'is' if tot.exempted == 1 else 'zijn'} uitgezonderd")
        tail.append(f"{number(tot.overdue, 'nl')} {'is' if tot.overdue == 1 else 'zijn'} over de deadline")
    return head + ("; " + ", ".join(tail) if tail else "") + "."


def _answer_en(data: ReportData) -> str:
    tot = data.totals
    policy = f"‘{data.policy.title}’"
    day = date(data.as_of, "en")
    if data.kind == "national":
        using, total = institutions_using(data)
        if tot.flagged == 0 or using == 0:
            head = f"On {day}, none of {number(total, 'en')} institutions uses devices"
        else:
            verb = "uses" if using == 1 else "use"
            devices = plural(tot.flagged, "device", "devices", "en")
            head = (f"On {day}, {number(using, 'en')} of {number(total, 'en')} institutions {verb} "
                    f"{devices}")
    elif tot.flagged == 0:
        head = f"On {day}, {subject(data)} uses no devices"
    else:
        head = f"On {day}, {subject(data)} uses {plural(tot.flagged, 'device', 'devices', 'en')}"
    head += f" from companies covered by policy {policy}"
    tail = []
    if tot.replaced or tot.flagged:
        tail.append(f"{number(tot.replaced, 'en')} {'has' if tot.replaced == 1 else 'have'} already been replaced")
    if tot.flagged:
        tail.append(f"{number(tot.exempted, 'en')} {'is' if tot.exempted == 1 else 'are'} exempted")
        tail.append(f"{number(tot.overdue, 'en')} {'is' if tot.overdue == 1 else 'are'} past the deadline")
    return head + ("; " + ", ".join(tail) if tail else "") + "."


def capability_sentences(data: ReportData) -> list[str]:
    """The capability audit in words: devices (and institutions) advertising face recognition, and ethnicity or
    skin-colour attributes, from the report's own capability rows; nothing when no capability was audited."""
    rows = {row.capability: row for row in data.capabilities}
    lang = data.language
    lost = data.capability_unmatched
    if lost and lang == "nl":
        tail = (f" {plural(lost, 'capaciteitsdocument', 'capaciteitsdocumenten', lang)} "
                f"{'hoort' if lost == 1 else 'horen'} bij geen bekend apparaat.")
    elif lost:
        tail = f" {plural(lost, 'capability document', 'capability documents', lang)} matched no known device."
    else:
        tail = ""
    if not rows:
        return [tail.strip()] if tail else []
    face = rows.get("face-recognition")
    ethnic = rows.get("ethnicity-or-skin-colour")
    n, m = (face.devices, face.institutions) if face else (0, 0)
    k = ethnic.devices if ethnic else 0
    detection = data.face_detection_only
    docs = data.capability_documents
    if lang == "nl":
        return [f"{plural(n, 'apparaat', 'apparaten', lang)} bij {plural(m, 'instelling', 'instellingen', lang)} "
                f"{'biedt' if n == 1 else 'bieden'} gezichtsherkenning; {number(k, lang)} "
                f"{'biedt' if k == 1 else 'bieden'} kenmerken voor etniciteit of huidskleur.",
                f"Dit volgt uit de capaciteitsdocumenten van {plural(docs, 'apparaat', 'apparaten', lang)} en uit "
                f"typenummers die bronnen met zulke analyses noemen; {number(detection, lang)} "
                f"{'detecteert' if detection == 1 else 'detecteren'} alleen gezichten (detectie is geen herkenning). "
                "Een aangeboden functie is niet per se ingeschakeld of in gebruik." + tail]
    return [f"{plural(n, 'device', 'devices', lang)} at {plural(m, 'institution', 'institutions', lang)} "
            f"{'advertises' if n == 1 else 'advertise'} face recognition; {number(k, lang)} "
            f"{'advertises' if k == 1 else 'advertise'} ethnicity or skin-colour attributes.",
            f"This comes from the capability documents of {plural(docs, 'device', 'devices', lang)} and from model "
            f"numbers that sources report with such analytics; {number(detection, lang)} "
            f"only {'detects' if detection == 1 else 'detect'} faces (detection is not recognition). "
            "A capability advertised is not necessarily switched on or used." + tail]


def answer_details(data: ReportData, discrepancies: int | None = None) -> list[str]:
    """A few sentences on the extent and on replacement; sentences with nothing to say are left out.
    ``discrepancies`` is the full count when ``data.discrepancies`` holds only the first rows (the dashboard)."""
    lang = data.language
    tot = data.totals
    high = sum(row.flagged for row in data.by_sensitivity if row.sensitivity == "high")
    deadlines = sorted(row.deadline for row in data.by_institution if row.deadline)
    landlord = sum(case.device_count for case in data.landlord_cases)
    gaps = len(data.discrepancies) if discrepancies is None else discrepancies
    out: list[str] = []
    if lang == "nl":
        if high:
            out.append(f"Daarvan {'staat' if high == 1 else 'staan'} {number(high, lang)} op locaties met een "
                       "hoge gevoeligheid.")
        if tot.scheduled:
            line = f"Voor {plural(tot.scheduled, 'apparaat', 'apparaten', lang)} is vervanging gepland"
            out.append(line + (f"; de laatste deadline is {date(deadlines[-1], lang)}." if deadlines else "."))
        if tot.in_use:
            out.append(f"{plural(tot.in_use, 'apparaat is', 'apparaten zijn', lang)} in gebruik zonder "
                       "vervangingsplan.")
        if landlord:
            out.append(f"{plural(landlord, 'apparaat wordt', 'apparaten worden', lang)} beheerd door een "
                       "verhuurder of aannemer.")
        if gaps:
            out.append(f"Registers en netwerk verschillen op {plural(gaps, 'punt', 'punten', lang)}.")
        if tot.unknown:
            out.append(f"Van {plural(tot.unknown, 'apparaat', 'apparaten', lang)} is de fabrikant niet vast te "
                       "stellen.")
    else:
        if high:
            out.append(f"Of these, {number(high, lang)} {'is' if high == 1 else 'are'} on high-sensitivity sites.")
        if tot.scheduled:
            line = f"Replacement is scheduled for {plural(tot.scheduled, 'device', 'devices', lang)}"
            out.append(line + (f"; the last deadline is {date(deadlines[-1], lang)}." if deadlines else "."))
        if tot.in_use:
            out.append(f"{plural(tot.in_use, 'device is', 'devices are', lang)} in use with no replacement plan.")
        if landlord:
            out.append(f"{plural(landlord, 'device is', 'devices are', lang)} operated by a landlord or contractor.")
        if gaps:
            out.append(f"Registers and the network differ on {plural(gaps, 'point', 'points', lang)}.")
        if tot.unknown:
            out.append(f"For {plural(tot.unknown, 'device', 'devices', lang)} the maker could not be established.")
    return out + capability_sentences(data)
