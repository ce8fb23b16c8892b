"""Realistic, fictional report data: a ministry with five agencies, sites of every sensitivity, three snapshots.

The numbers add up the way the audit store adds them up (flagged = in use + scheduled + exempted; replaced is
separate; overdue is part of flagged), so tests can check the answer sentence against the totals.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from schoon.report.i18n import policy_text
from schoon.report.model import (
    BasisRow,
    Device,
    DeviceTypeRow,
    Discrepancy,
    Exemption,
    GroupRow,
    InstitutionRow,
    LandlordCase,
    OverdueItem,
    Policy,
    ReportData,
    Scope,
    SensitivityRow,
    Totals,
    TrendPoint,
)

MINISTRY = "Ministerie van Binnenlandse Veiligheid"
POLICY = Policy(
    id="default",
    title="Listed, or implicated in human-rights abuses",
    description=("The Dutch parliamentary question's criterion (Kamervragen 2020Z25656): equipment from companies "
                 "on any legal list or with documented involvement in human-rights abuses, including their "
                 "subsidiaries and affiliates."),
)


def _policy(language: str) -> Policy:
    """The policy as the audit store gives it: title and description in the report's language."""
    title, description = policy_text(POLICY.id, POLICY.title, POLICY.description, language)
    return dataclasses.replace(POLICY, title=title, description=description)


INSTITUTIONS = [
    # org_id, org, parent, devices, flagged, in_use, scheduled, replaced, exempted, overdue, deadline
    ("mbv", MINISTRY, None, 96, 9, 2, 6, 5, 1, 2, "2027-06-30"),
    ("dgb", "Dienst Grensbewaking", MINISTRY, 120, 14, 3, 10, 4, 1, 3, "2027-03-31"),
    ("rii", "Rijksinspectie Infrastructuur", MINISTRY, 58, 0, 0, 0, 3, 0, 0, "2026-12-31"),
    ("avr", "Agentschap Vastgoed Rijk", MINISTRY, 44, 6, 4, 2, 0, 0, 0, None),
    ("rad", "Rijksarchiefdienst", MINISTRY, 31, 0, 0, 0, 0, 0, 0, None),
    ("dvb", "Dienst Verkeersbeheer", MINISTRY, 63, 8, 1, 6, 0, 1, 0, "2028-01-01"),
]
CAVEATS = [
    "Registers van 2 van de 6 instellingen waren onvolledig; netwerkscans vulden 23 apparaten aan.",
    "Netwerkscans dekken alleen segmenten binnen de opgegeven scope; camera's op gescheiden beveiligingsnetwerken "
    "van verhuurders zijn niet gescand.",
    "Een apparaat telt als 'onder het beleid' bij een identificatie met minstens lage zekerheid; 23 apparaten "
    "konden niet aan een fabrikant worden toegewezen.",
    "Aantallen zijn momentopnames per peildatum, geen doorlopende metingen.",
]


def _devices(org: str, prefix: str, count: int, *, replaced: int = 0) -> list[Device]:
    """Flagged devices of one institution, with varied sites, types, makers and evidence."""
    sites = [("Hoofdkantoor Den Haag", "high"), ("Grenspost Hazeldonk", "normal"), ("Steiger Vlissingen", "public"),
             ("Rekencentrum Zoetermeer", "high")]
    kinds = [("camera", "hikvision", "Hikvision", "DS-2CD2143G2-I"), ("recorder", "dahua", "Dahua", "NVR4216-16P-4KS2"),
             ("thermal_camera", "hikvision", "Hikvision", "DS-2TD2617-6/PA"), ("intercom", "dahua", "Dahua", "VTO2202F-P"),
             ("network", "huawei", "Huawei", "S5735-L24P4S-A1"), ("camera", "uniview", "Uniview", "IPC2124LE-ADF28KM-G")]
    out = []
    for i in range(count + replaced):
        site, sensitivity = sites[i % len(sites)]
        device_type, group_id, brand, model = kinds[i % len(kinds)]
        label = "Annke C500" if i == 2 else f"{brand} {device_type.replace('_', ' ')} {i + 1:02d}"
        state = "replaced" if i >= count else ("exempted" if i == 1 else ("scheduled" if i % 3 else "in_use"))
        evidence = [
            f"OUI {['4C:BD:8F', 'E0:50:8B', '24:0F:9B', '3C:EF:8C', '00:E0:FC', '48:EA:63'][i % 6]} → {brand} (weight 0.90)",
            f"HTTP Server header 'App-webs/' → {brand} (weight 0.70)" if group_id == "hikvision"
            else f"SNMP sysDescr '{model}' → {brand} (weight 0.80)",
        ]
        if i == 2:
            evidence.append("Label says Annke; OUI and web server say Hikvision (OEM relabel)")
        out.append(Device(
            device_id=f"{prefix}-{i + 1:04d}", org=org, site=site, sensitivity=sensitivity, label=label, model=model,
            device_type=device_type, group_id=group_id, group=brand, brand="Annke" if i == 2 else brand,
            verdict="flagged", state=state, confidence=round(0.95 - (i % 5) * 0.07, 2),
            first_seen="2026-03-31", last_seen="2026-11-28" if state != "replaced" else "2026-07-15",
            sources=[f"register:{prefix}-assets-2026-11.xlsx row {12 + i}", "scan:nmap-2026-11-20.xml",
                     "https://www.fcc.gov/supplychain/coveredlist"],
            evidence=evidence,
            basis=["US FCC Covered List (47 CFR 1.50002), 2022-11-25", "US NDAA FY2019 §889"]
            + (["Human-rights evidence: Xinjiang surveillance contracts (2018–2022)"] if group_id != "huawei" else []),
            deadline=None if state in ("exempted", "replaced") else "2027-03-31",
        ))
    return out


def national_report(*, language: str = "nl", extra_devices: list[Device] | None = None,
                    **overrides: Any) -> ReportData:
    """The national answer across the ministry and its agencies on 2026-11-28."""
    rows = [InstitutionRow(*row) for row in INSTITUTIONS]
    devices = _devices("Dienst Grensbewaking", "DGB", 6, replaced=1) + (extra_devices or [])
    data = ReportData(
        kind="national", language=language,  # type: ignore[arg-type]
        title="Surveillanceapparatuur bij de rijksoverheid" if language == "nl" else "Surveillance equipment in central government",
        subtitle="Antwoord op Kamervragen 2020Z25656, stand najaar 2026" if language == "nl"
        else "Answer to parliamentary questions 2020Z25656, autumn 2026",
        generated_at="2026-11-30T09:15:00+01:00", as_of="2026-11-28", policy=_policy(language),
        registry_version="2026.11.2 (sha 4be1c9a)",
        scope=Scope(organisations=[r.org for r in rows], sites=27, snapshots=3, first_snapshot="2026-03-31",
                    last_snapshot="2026-11-28"),
        totals=Totals(devices=412, flagged=37, clear=340, unknown=23, in_use=10, scheduled=24, replaced=12,
                      exempted=3, overdue=5),
        by_institution=rows,
        by_sensitivity=[SensitivityRow("high", 11), SensitivityRow("normal", 17), SensitivityRow("public", 8),
                        SensitivityRow("unknown", 1)],
        by_device_type=[DeviceTypeRow("camera", 19), DeviceTypeRow("recorder", 6), DeviceTypeRow("intercom", 4),
                        DeviceTypeRow("thermal_camera", 3), DeviceTypeRow("network", 3),
                        DeviceTypeRow("access_control", 2)],
        by_group=[GroupRow("hikvision", "Hikvision", 21), GroupRow("dahua", "Dahua", 11),
                  GroupRow("huawei", "Huawei", 3), GroupRow("uniview", "Uniview", 2)],
        by_basis=[BasisRow("us-fcc-covered", "US FCC Covered List", 35), BasisRow("us-ndaa-889", "US NDAA §889", 35),
                  BasisRow("us-bis-entity-list", "US BIS Entity List", 32),
                  BasisRow("human-rights-evidence", "", 34)],
        trend=[TrendPoint("s1", "2026-03-31", None, 46, 0, 44), TrendPoint("s2", "2026-07-15", None, 43, 5, 40),
               TrendPoint("s3", "2026-11-28", None, 37, 12, 34)],
        exemptions=[
            Exemption("MBV-0031", MINISTRY, "Hoofdkantoor Den Haag", "Hikvision",
                      "Warmtebeeldcamera in serverruimte; alleen bereikbaar met hoogwerker, vervanging bij renovatie 2027",
                      "CISO Bestuursdepartement", "2027-01-15", False),
            Exemption("DGB-0002", "Dienst Grensbewaking", "Grenspost Hazeldonk", "Dahua",
                      "Arbo: verlichting en zicht op laadperron, geen vervanger leverbaar vóór aanbesteding",
                      "Directeur Bedrijfsvoering DGB", "2026-10-01", True),
            Exemption("DVB-0107", "Dienst Verkeersbeheer", "Verkeerscentrale Wolverhampton-Oost", "Uniview",
                      "Gekoppeld aan verkeersregelinstallatie; vervanging met de installatie in 2028",
                      "CIO Dienst Verkeersbeheer", "2027-06-01", False),
        ],
        overdue=[
            OverdueItem("MBV-0012", MINISTRY, "Hoofdkantoor Den Haag", "Hikvision", "camera", "2026-09-30", 59),
            OverdueItem("MBV-0013", MINISTRY, "Hoofdkantoor Den Haag", "Hikvision", "camera", "2026-09-30", 59),
            OverdueItem("DGB-0004", "Dienst Grensbewaking", "Grenspost Hazeldonk", "Dahua", "recorder", "2026-10-31", 28),
            OverdueItem("DGB-0005", "Dienst Grensbewaking", "Steiger Vlissingen", "Huawei", "network", "2026-10-31", 28),
            OverdueItem("DGB-0009", "Dienst Grensbewaking", "Rekencentrum Zoetermeer", "Hikvision", "thermal_camera",
                        "2026-11-15", 13),
        ],
        discrepancies=[
            Discrepancy("Dienst Grensbewaking", "Grenspost Hazeldonk", "label-vs-evidence", "DGB-0003",
                        "Register: Annke C500; OUI 4C:BD:8F en webserver App-webs wijzen op Hikvision (OEM)"),
            Discrepancy(MINISTRY, "Hoofdkantoor Den Haag", "not-in-register", "MBV-N-0007",
                        "Gevonden in netwerkscan 2026-11-20 (Dahua NVR op VLAN 120), niet in het register"),
            Discrepancy(MINISTRY, "Rekencentrum Zoetermeer", "not-in-register", "MBV-N-0008",
                        "Gevonden in netwerkscan 2026-11-20 (Hikvision camera), niet in het register"),
            Discrepancy("Dienst Verkeersbeheer", "Verkeerscentrale Wolverhampton-Oost", "not-seen-on-network",
                        "DVB-0044", "In register sinds 2021; niet gezien in de scans van juli en november"),
            Discrepancy("Rijksinspectie Infrastructuur", "Kantoor Utrecht", "replaced-but-seen", "RII-0006",
                        "Gemeld als vervangen op 2026-06-30; MAC-adres nog actief op 2026-11-20"),
        ],
        landlord_cases=[
            LandlordCase("Agentschap Vastgoed Rijk", "Kantoor Utrecht, Stationsplein", "Vastgoedbeheer Domstad B.V.", 4),
            LandlordCase("Dienst Verkeersbeheer", "Verkeerscentrale Wolverhampton-Oost", "Beveiliging Noord-Oost (aannemer)", 2),
        ],
        caveats=list(CAVEATS),
        devices=devices,
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def institution_report(*, language: str = "nl", extra_devices: list[Device] | None = None) -> ReportData:
    """The report for one agency, Dienst Grensbewaking, with its evidence appendix."""
    national = national_report(language=language)
    row = national.by_institution[1]
    devices = _devices(row.org, "DGB", 6, replaced=2) + (extra_devices or [])
    return ReportData(
        kind="institution", language=national.language,
        title=f"{row.org}: surveillanceapparatuur" if language == "nl" else f"{row.org}: surveillance equipment",
        subtitle=None, generated_at=national.generated_at, as_of=national.as_of, policy=_policy(language),
        registry_version=national.registry_version,
        scope=Scope(organisations=[row.org], sites=4, snapshots=3, first_snapshot="2026-03-31",
                    last_snapshot="2026-11-28"),
        totals=Totals(devices=row.devices, flagged=row.flagged, clear=92, unknown=10, in_use=row.in_use,
                      scheduled=row.scheduled, replaced=row.replaced, exempted=row.exempted, overdue=row.overdue),
        by_institution=[row],
        by_sensitivity=[SensitivityRow("high", 6), SensitivityRow("normal", 5), SensitivityRow("public", 3)],
        by_device_type=[DeviceTypeRow("camera", 7), DeviceTypeRow("recorder", 3), DeviceTypeRow("thermal_camera", 2),
                        DeviceTypeRow("network", 2)],
        by_group=[GroupRow("hikvision", "Hikvision", 8), GroupRow("dahua", "Dahua", 4), GroupRow("huawei", "Huawei", 2)],
        by_basis=[BasisRow("us-fcc-covered", "US FCC Covered List", 14), BasisRow("human-rights-evidence", "", 12)],
        trend=[TrendPoint("s1", "2026-03-31", row.org, 18, 0, 18), TrendPoint("s2", "2026-07-15", row.org, 16, 2, 15),
               TrendPoint("s3", "2026-11-28", row.org, 14, 4, 13)],
        exemptions=[e for e in national.exemptions if e.org == row.org],
        overdue=[o for o in national.overdue if o.org == row.org],
        discrepancies=[d for d in national.discrepancies if d.org == row.org],
        landlord_cases=[],
        caveats=national.caveats[1:],
        devices=devices,
    )


HOSTILE_TEXTS = ["=1+1", "@SUM(A1:A2)", "+31 70 123 4567", "-5", "\tTAB", "\rCR"]


def hostile_device() -> Device:
    """A device whose text fields try formula injection and HTML injection."""
    return Device(
        device_id="=1+1", org="@SUM(A1:A2)", site="+31 70 123 4567", sensitivity="high",
        label="<script>alert('x')</script>", model="-5", device_type="camera", group_id="hikvision",
        group="Hikvision", brand="\tTAB", verdict="flagged", state="in_use", confidence=-5.0,
        first_seen="2026-03-31", last_seen="2026-11-28", sources=["javascript:alert(1)", "=HYPERLINK(\"x\")"],
        evidence=["<img src=x onerror=alert(1)>"], basis=["\rCR"], deadline=None,
    )
