"""The pages' words in Dutch and English, and the choice of language for a request.

Labels of the report (verdicts, states, sensitivity, device types, sections) come from
:mod:`schoon.report.i18n`; this table has what only the web pages say. The language is chosen by ``?lang=``,
then the ``schoon_lang`` cookie, then ``Accept-Language``, then the app's default.
"""

from __future__ import annotations

from typing import Final

from starlette.requests import Request

from schoon.report import i18n as report_i18n

LANGUAGES: Final = ("nl", "en")
COOKIE: Final = "schoon_lang"

LABELS: Final[dict[str, dict[str, str]]] = {
    "skip": {"nl": "Naar de inhoud", "en": "Skip to content"},
    "nav.main": {"nl": "Hoofdmenu", "en": "Main menu"},
    "nav.dashboard": {"nl": "Overzicht", "en": "Dashboard"},
    "nav.devices": {"nl": "Apparaten", "en": "Devices"},
    "nav.upload": {"nl": "Aanleveren", "en": "Upload"},
    "nav.discrepancies": {"nl": "Verschillen", "en": "Discrepancies"},
    "nav.snapshots": {"nl": "Momentopnames", "en": "Snapshots"},
    "nav.reports": {"nl": "Rapporten", "en": "Reports"},
    "nav.registry": {"nl": "Register", "en": "Registry"},
    "nav.screening": {"nl": "Screening", "en": "Screening"},
    "nav.admin": {"nl": "Beheer", "en": "Administration"},
    "nav.accessibility": {"nl": "Toegankelijkheid", "en": "Accessibility"},
    "nav.language": {"nl": "Taal", "en": "Language"},
    "nav.other_language": {"nl": "English", "en": "Nederlands"},
    "login.title": {"nl": "Inloggen", "en": "Log in"},
    "login.email": {"nl": "E-mailadres", "en": "Email address"},
    "login.password": {"nl": "Wachtwoord", "en": "Password"},
    "login.submit": {"nl": "Inloggen", "en": "Log in"},
    "login.failed": {"nl": "E-mailadres of wachtwoord klopt niet, of het account is tijdelijk geblokkeerd.",
                     "en": "Wrong email address or password, or the account is locked for a while."},
    "logout": {"nl": "Uitloggen", "en": "Log out"},
    "signed_in_as": {"nl": "Ingelogd als", "en": "Signed in as"},
    "role": {"nl": "Rol", "en": "Role"},
    "role.coordinator": {"nl": "coördinator", "en": "coordinator"},
    "role.org-admin": {"nl": "beheerder", "en": "organisation admin"},
    "role.editor": {"nl": "bewerker", "en": "editor"},
    "role.viewer": {"nl": "lezer", "en": "viewer"},
    "dashboard.title": {"nl": "Overzicht", "en": "Dashboard"},
    "dashboard.national": {"nl": "Landelijk beeld", "en": "National picture"},
    "dashboard.tree": {"nl": "Uw organisatie en haar onderdelen", "en": "Your organisation and its units"},
    "dashboard.review_due": {"nl": "Uitzonderingen om te herzien", "en": "Exemptions due for review"},
    "dashboard.nothing": {"nl": "Geen.", "en": "None."},
    "dashboard.first": {"nl": "De eerste {shown} van {total}.", "en": "The first {shown} of {total}."},
    "devices.title": {"nl": "Apparaten", "en": "Devices"},
    "devices.filter": {"nl": "Filteren", "en": "Filter"},
    "devices.apply": {"nl": "Toepassen", "en": "Apply"},
    "devices.search": {"nl": "Zoeken (inventarisnummer, merk, model, IP, MAC)",
                       "en": "Search (inventory number, label, model, IP, MAC)"},
    "devices.any": {"nl": "alle", "en": "any"},
    "devices.sort": {"nl": "Sorteren op", "en": "Sort by"},
    "devices.export": {"nl": "Exporteren wat gefilterd is", "en": "Export what is filtered"},
    "devices.count": {"nl": "{n} apparaten gevonden", "en": "{n} devices found"},
    "devices.none": {"nl": "Geen apparaten gevonden.", "en": "No devices found."},
    "page.first": {"nl": "Eerste pagina", "en": "First page"},
    "page.next": {"nl": "Volgende", "en": "Next"},
    "page.pagination": {"nl": "Paginering", "en": "Pagination"},
    "col.id": {"nl": "Nr.", "en": "No."},
    "col.org": {"nl": "Organisatie", "en": "Organisation"},
    "col.site": {"nl": "Locatie", "en": "Site"},
    "col.asset": {"nl": "Inventarisnummer", "en": "Inventory number"},
    "col.label": {"nl": "Merk volgens register", "en": "Label in register"},
    "col.model": {"nl": "Model", "en": "Model"},
    "col.group": {"nl": "Concern", "en": "Group"},
    "col.type": {"nl": "Soort", "en": "Type"},
    "col.verdict": {"nl": "Oordeel", "en": "Verdict"},
    "col.state": {"nl": "Status", "en": "State"},
    "col.sensitivity": {"nl": "Gevoeligheid", "en": "Sensitivity"},
    "col.last_seen": {"nl": "Laatst gezien", "en": "Last seen"},
    "col.first_seen": {"nl": "Eerst gezien", "en": "First seen"},
    "col.ip": {"nl": "IP-adres", "en": "IP address"},
    "col.mac": {"nl": "MAC-adres", "en": "MAC address"},
    "col.serial": {"nl": "Serienummer", "en": "Serial number"},
    "col.confidence": {"nl": "Zekerheid", "en": "Confidence"},
    "col.date": {"nl": "Datum", "en": "Date"},
    "col.kind": {"nl": "Soort", "en": "Kind"},
    "col.detail": {"nl": "Toelichting", "en": "Detail"},
    "col.device": {"nl": "Apparaat", "en": "Device"},
    "col.snapshot": {"nl": "Momentopname", "en": "Snapshot"},
    "col.records": {"nl": "Regels", "en": "Records"},
    "col.rejects": {"nl": "Afgewezen", "en": "Rejected"},
    "col.flagged": {"nl": "Onder beleid", "en": "Flagged"},
    "col.replaced": {"nl": "Vervangen", "en": "Replaced"},
    "col.outstanding": {"nl": "Openstaand", "en": "Outstanding"},
    "col.source": {"nl": "Bron", "en": "Source"},
    "col.row": {"nl": "Regel", "en": "Row"},
    "col.name": {"nl": "Naam", "en": "Name"},
    "col.parent": {"nl": "Valt onder", "en": "Parent"},
    "col.deadline": {"nl": "Deadline", "en": "Deadline"},
    "col.email": {"nl": "E-mailadres", "en": "Email"},
    "col.role": {"nl": "Rol", "en": "Role"},
    "col.actor": {"nl": "Door", "en": "By"},
    "col.action": {"nl": "Handeling", "en": "Action"},
    "col.at": {"nl": "Tijdstip", "en": "When"},
    "col.from": {"nl": "Van", "en": "From"},
    "col.to": {"nl": "Naar", "en": "To"},
    "col.status": {"nl": "Status", "en": "Status"},
    "col.expires": {"nl": "Verloopt", "en": "Expires"},
    "col.brands": {"nl": "Merken", "en": "Brands"},
    "col.listings": {"nl": "Lijsten", "en": "Listings"},
    "col.evidence": {"nl": "Bewijs", "en": "Evidence"},
    "col.days_overdue": {"nl": "Dagen over de deadline", "en": "Days past the deadline"},
    "col.bar": {"nl": "Openstaand, als balk", "en": "Outstanding, as a bar"},
    "col.score": {"nl": "Score", "en": "Score"},
    "device.title": {"nl": "Apparaat {id}", "en": "Device {id}"},
    "device.current": {"nl": "Huidige gegevens", "en": "Current record"},
    "device.evidence": {"nl": "Bewijsketen", "en": "Evidence chain"},
    "device.observations": {"nl": "Waarnemingen per momentopname", "en": "Observations per snapshot"},
    "device.history": {"nl": "Levensloop", "en": "Lifecycle history"},
    "device.capabilities": {"nl": "Gezichtsherkenning en persoonskenmerken", "en": "Face recognition and people "
                            "attributes"},
    "device.no_capabilities": {
        "nl": "Geen capaciteitsdocument of bron zegt dat dit apparaat gezichten herkent of personen indeelt.",
        "en": "No capability document or source says this device recognises faces or classifies people."},
    "device.actions": {"nl": "Handelingen", "en": "Actions"},
    "device.no_lifecycle": {"nl": "Dit apparaat valt niet onder het beleid en heeft geen levensloop.",
                            "en": "This device is not flagged and has no lifecycle."},
    "action.schedule": {"nl": "Vervanging plannen", "en": "Schedule replacement"},
    "action.replace": {"nl": "Als vervangen melden", "en": "Mark replaced"},
    "action.exempt": {"nl": "Uitzondering vastleggen", "en": "Record an exemption"},
    "action.in_use": {"nl": "Terug naar in gebruik", "en": "Back to in use"},
    "action.date": {"nl": "Datum (JJJJ-MM-DD)", "en": "Date (YYYY-MM-DD)"},
    "action.replaced_by": {"nl": "Vervangen door", "en": "Replaced by"},
    "action.reason": {"nl": "Reden", "en": "Reason"},
    "action.approver": {"nl": "Goedgekeurd door", "en": "Approved by"},
    "action.review": {"nl": "Herzien op (JJJJ-MM-DD)", "en": "Review on (YYYY-MM-DD)"},
    "action.done": {"nl": "Vastgelegd.", "en": "Recorded."},
    "upload.title": {"nl": "Bestanden aanleveren", "en": "Upload files"},
    "upload.intro": {"nl": "Register-, scan- en inkoopbestanden worden samen één momentopname.",
                     "en": "Register, scan and procurement files together become one snapshot."},
    "upload.files": {"nl": "Bestanden", "en": "Files"},
    "upload.org": {"nl": "Organisatie", "en": "Organisation"},
    "upload.site": {"nl": "Locatie van regels zonder locatie (bijvoorbeeld een scan)",
                    "en": "Site of records that name none (e.g. a scan)"},
    "upload.date": {"nl": "Datum van de momentopname (JJJJ-MM-DD)", "en": "Snapshot date (YYYY-MM-DD)"},
    "upload.submit": {"nl": "Aanleveren", "en": "Upload"},
    "upload.limits": {"nl": "Ten hoogste {files} bestanden van elk ten hoogste {mb} MB.",
                      "en": "At most {files} files of at most {mb} MB each."},
    "job.title": {"nl": "Verwerking {id}", "en": "Job {id}"},
    "job.state": {"nl": "Stand", "en": "State"},
    "job.progress": {"nl": "Voortgang", "en": "Progress"},
    "job.queued": {"nl": "in de wachtrij", "en": "queued"},
    "job.running": {"nl": "bezig", "en": "running"},
    "job.done": {"nl": "klaar", "en": "done"},
    "job.failed": {"nl": "mislukt", "en": "failed"},
    "job.summary": {"nl": "Samenvatting", "en": "Summary"},
    "job.already": {"nl": "Deze bestanden zijn al ingelezen als momentopname {id}: er is niets veranderd.",
                    "en": "These files were imported already as snapshot {id}: nothing changed."},
    "job.imported": {"nl": "Momentopname {id}: {records} regels ({rejected} afgewezen), {devices} apparaten "
                           "({new} nieuw), {flagged} onder het beleid, {discrepancies} verschillen.",
                     "en": "Snapshot {id}: {records} records ({rejected} rejected), {devices} devices ({new} new), "
                           "{flagged} flagged, {discrepancies} discrepancies."},
    "job.refresh": {"nl": "Deze pagina ververst zichzelf tot de verwerking klaar is.",
                    "en": "This page refreshes itself until the job is done."},
    "discrepancies.title": {"nl": "Verschillen tussen register en netwerk", "en": "Register versus network"},
    "snapshots.title": {"nl": "Momentopnames", "en": "Snapshots"},
    "reports.title": {"nl": "Rapporten", "en": "Reports"},
    "reports.national": {"nl": "Landelijk overzicht", "en": "National overview"},
    "reports.institution": {"nl": "Rapport per instelling", "en": "Institution report"},
    "reports.format": {"nl": "Formaat", "en": "Format"},
    "reports.download": {"nl": "Downloaden", "en": "Download"},
    "registry.title": {"nl": "Register van concerns", "en": "Registry of corporate groups"},
    "registry.group": {"nl": "Concern {name}", "en": "Group {name}"},
    "screening.title": {"nl": "Screening van namen", "en": "Screening names"},
    "screening.name": {"nl": "Naam van leverancier of wederpartij", "en": "Supplier or counterparty name"},
    "screening.submit": {"nl": "Screenen", "en": "Screen"},
    "screening.ledger": {"nl": "Een grootboek of crediteurenlijst screenen", "en": "Screen a ledger or supplier list"},
    "screening.match": {"nl": "Treffer", "en": "Match"},
    "screening.no_match": {"nl": "Geen treffer.", "en": "No match."},
    "admin.title": {"nl": "Beheer", "en": "Administration"},
    "admin.orgs": {"nl": "Organisaties", "en": "Organisations"},
    "admin.sites": {"nl": "Locaties", "en": "Sites"},
    "admin.users": {"nl": "Gebruikers", "en": "Users"},
    "admin.tokens": {"nl": "API-sleutels", "en": "API tokens"},
    "admin.audit": {"nl": "Logboek", "en": "Audit log"},
    "admin.add_user": {"nl": "Gebruiker toevoegen", "en": "Add a user"},
    "admin.add_site": {"nl": "Locatie toevoegen", "en": "Add a site"},
    "admin.add_org": {"nl": "Organisatie toevoegen", "en": "Add an organisation"},
    "admin.set_deadline": {"nl": "Deadline zetten", "en": "Set the deadline"},
    "admin.disabled": {"nl": "uitgeschakeld", "en": "disabled"},
    "admin.active": {"nl": "actief", "en": "active"},
    "admin.disable": {"nl": "Uitschakelen", "en": "Disable"},
    "admin.revoke": {"nl": "Intrekken", "en": "Revoke"},
    "admin.create_token": {"nl": "API-sleutel maken", "en": "Create an API token"},
    "admin.token_once": {"nl": "Bewaar deze sleutel nu; hij wordt niet nog eens getoond:",
                         "en": "Keep this token now; it will not be shown again:"},
    "save": {"nl": "Opslaan", "en": "Save"},
    "error.title": {"nl": "Fout {status}", "en": "Error {status}"},
    "error.404": {"nl": "Deze pagina of dit gegeven bestaat niet.", "en": "This page or record does not exist."},
    "error.403": {"nl": "U mag dit niet doen.", "en": "You may not do this."},
    "error.back": {"nl": "Terug naar het overzicht", "en": "Back to the dashboard"},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
}


def t(key: str, lang: str, **params: object) -> str:
    """The label ``key`` in ``lang`` (a web label, else a report label), with ``{name}`` parameters filled."""
    entry = LABELS.get(key)
    text = entry[lang] if entry else report_i18n.t(key, lang)
    return text.format(**params) if params else text


def choose(request: Request, default: str) -> str:
    """The request's language: ``?lang=``, the cookie, ``Accept-Language``, the default."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGES:
        return cookie
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return default if default in LANGUAGES else "nl"
