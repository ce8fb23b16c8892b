"""Every explanation the identify engine writes reads in Dutch in the Dutch report, with its maker kept.

The explanations are generated, not copied: the engine runs on small observations that trigger each kind of
evidence (labels naming nothing, relabel brands alone, short names, suppliers in a maker's group and outside it,
procurement descriptions, nmap titles and SSH names, SNMP product lines, the HiSilicon SDK rules), and every
signal, conflict and verdict reason it writes is rendered in Dutch by :mod:`schoon.report.evidence`.
"""

from __future__ import annotations

import re

import pytest

from schoon.audit.reportdata import maker_names
from schoon.identify import Engine
from schoon.observation import Observation
from schoon.registry import Registry, load_registry
from schoon.report import evidence

#: (fields, description column) of observations that make the engine write each kind of explanation.
CASES: list[tuple[dict[str, object], str | None]] = [
    ({"declared_vendor": "LTS"}, None),  # relabel brand alone: "probably made by ...; verify"
    ({"declared_vendor": "Foo Bar"}, None),  # names no maker we can confirm
    ({"declared_vendor": "Axis"}, None),  # a known maker outside the registry
    ({"declared_vendor": "Camera Systemen B.V."}, None),  # a legal form
    ({"declared_vendor": "UNV"}, None),  # the maker's own short name: "possibly made by"
    ({"declared_vendor": "Hik", "model": "DS-2CD2386G2-IU"}, None),
    ({"declared_vendor": "Axis", "mac": "44:19:b6:00:00:01"}, None),  # label vs evidence, evidence also points
    ({"supplier": "Hikvision Europe B.V."}, None),  # bought from a member of the group
    ({"supplier": "Dahua Technology Netherlands B.V."}, None),
    ({"supplier": "Axis Communications"}, None),  # a known maker outside the registry as supplier
    ({"supplier": "LTS"}, None),
    ({}, "Hikvision DS-2CD2386G2-IU camera"),  # brand and model number in the description
    ({}, "Axis P3245 camera"),
    ({}, "EZVIZ C6N"),
    ({}, "Imou Ranger 2"),
    ({}, "Annke camera"),
    ({"http_title": "Hikvision Web Client - Login"}, None),  # rule hikvision-title-maker-name
    ({"ssh_banner": "Huawei VRP sshd"}, None),  # rule huawei-ssh-software-name
    ({"snmp_sysdescr": "Quidway S5700 Huawei Versatile Routing Platform"}, None),  # Quidway names Huawei
    ({"http_server": "Cross Web Server"}, None),  # HiSilicon SDK web server
    ({"http_title": "DVR Components Download"}, None),  # HiSilicon SDK title
    ({"snmp_sysobjectid": "1.3.6.1.4.1.2011.2.23"}, None),
    ({"snmp_sysobjectid": "1.3.6.1.4.1.9.1.1"}, None),
    ({}, None),
]

#: Phrases of the engine's English explanations; none may survive in the Dutch rendering.
ENGLISH = ("the label", " names ", "no maker", "known maker", "outside the registry", "registry name", "bought from",
           "supplier", "description", "verify", "probably", "possibly", "made by", "confidence", "which ",
           "reference SDK", "product line", "is named as", "does not", "human-rights", "parent company",
           "a brand that", "documented", "points to", "is assigned", "follows the", "not in the registry",
           "another identifying", "no evidence", "not flagged", "part of")


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(layers=[])


@pytest.fixture(scope="module")
def lines(registry: Registry) -> list[str]:
    """Every explanation the engine writes for the cases: signals (any weight), conflicts and verdict reasons."""
    engine = Engine(registry, as_of="2026-11-28")
    out: list[str] = []
    for fields, text in CASES:
        extra = {"Omschrijving": text} if text else None
        finding = engine.run(Observation.from_mapping(fields, source="t", row=1, extra=extra))
        ident = finding.identification
        out += [s.detail for s in ident.signals] + list(ident.conflicts) + [finding.reason]
    return list(dict.fromkeys(out))


def test_the_cases_cover_the_new_explanations(lines: list[str]) -> None:
    wanted = ("names no maker we can confirm", "probably made by", "; verify", "bought from", "the description names",
              "the description mentions model", "a known maker outside the registry", "is named as Huawei's",
              "names Quidway", "HiSilicon reference SDK", "Page title 'Hikvision Web Client - Login'",
              "possibly made by", "the label 'Foo Bar'")
    missing = [w for w in wanted if not any(w in line for line in lines)]
    assert not missing, missing


def _unquoted(text: str) -> str:
    return re.sub(r"'[^']*'", "''", text)


def test_every_explanation_reads_in_dutch_and_keeps_its_maker(lines: list[str], registry: Registry) -> None:
    makers = maker_names(registry)
    problems = []
    for line in lines:
        read = evidence.read(line, makers)
        for ev in read:
            nl, short = ev.text("nl"), ev.short("nl")
            if ev.kind in ("other", "other-plain"):
                problems.append(("not recognised", line))
            english = [p for p in ENGLISH if p in _unquoted(nl) or p in _unquoted(short)]
            if english:
                problems.append((english, line, nl))
        outside = _unquoted(line)
        named = [m for m in makers if re.search(rf"(?<!\w){re.escape(m)}(?!\w)", outside)]
        rendered = " ".join(ev.text("nl") for ev in read)
        lost = [m for m in named if m not in rendered]
        if lost:
            problems.append(("maker lost", lost, line, rendered))
    assert not problems, problems


@pytest.mark.parametrize(("line", "dutch"), [
    ("probably made by Hikvision: LT Security is documented to sell Hikvision's hardware (confidence 0.40); verify",
     "waarschijnlijk gemaakt door Hikvision: LT Security verkoopt volgens de bronnen hardware van Hikvision "
     "(zekerheid 0,40); controleren"),
    ("declared vendor 'Foo Bar' names no maker we can confirm (not a registry name, not a known maker, no IEEE "
     "assignee, no legal form): no evidence",
     "merk in het register 'Foo Bar' noemt geen fabrikant die we kunnen bevestigen: geen bewijs"),
    ("bought from 'Hikvision Europe B.V.', which is Hangzhou Hikvision Digital Technology Co., Ltd. (0.98 vs "
     "'Hikvision': distinctive token)",
     "gekocht bij 'Hikvision Europe B.V.', dat is Hangzhou Hikvision Digital Technology Co., Ltd. of een bedrijf "
     "uit die groep"),
    ("'Quidway S5700' names Quidway, Huawei's router/switch product line",
     "'Quidway S5700' noemt Quidway, een productlijn van Huawei"),
    ("made by Ezviz: us-fcc-covered (via parent company), human-rights evidence",
     "gemaakt door Ezviz: us-fcc-covered (via het moederbedrijf), gedocumenteerd bewijs van "
     "mensenrechtenschendingen"),
])
def test_known_lines_read_as_written(line: str, dutch: str) -> None:
    assert [ev.text("nl") for ev in evidence.read(line)] == [dutch]
    assert all(ev.kind not in ("other", "other-plain") for ev in evidence.read(line))
