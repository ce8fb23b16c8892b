"""Labels as evidence: when a name on a label names a real company, and when a label disagrees with the evidence.

A label is what people wrote or what a device says about itself: a register's brand column, an ONVIF/UPnP
manufacturer, a brand in a procurement description. Two judgements live here, for the engine and for the audit:

* :class:`CompanyNames` decides whether a label that is no registry name still names **a real company** (so a
  record may be ``clear`` on it): a maker in ``rules/makers.yaml`` (each with an IEEE block or a site as its
  source), a company the IEEE lists as a MAC-block assignee (whole distinctive name, four letters or more; this
  needs IEEE's CSV files installed, since the shipped aiooui data answers by prefix only), or a name with a
  legal form ("Foo Beveiliging B.V."). Placeholders, device words ("camera", "IP-camera", "NVR"),
  references ("zie bijlage 3") and unknown free text name no company: such a label is no evidence.
* :func:`judge_label` decides whether a label **disagrees** with the maker the evidence names. A maker's own
  names (any registered name of its corporate group, its registered short names such as "UNV" for Uniview, or
  the beginning of its common name, "Hik" for Hikvision) and a brand documented to relabel that maker do not
  disagree; any other name does ("the label says 'Axis' but the evidence says Hikvision").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

from schoon.identify.rules import KnownMaker
from schoon.placeholders import fold, is_placeholder
from schoon.registry.ieee import IeeeRegistry
from schoon.registry.registry import Registry

if TYPE_CHECKING:
    from schoon.identify.engine import Identification
    from schoon.names.normalise import NormalisedName

#: Words that name a kind of device, a part or a paper, never a company (compared after :func:`fold`).
DEVICE_WORDS: frozenset[str] = frozenset({
    "camera", "cameras", "ipcamera", "ip", "cam", "cctv", "dome", "bullet", "ptz", "turret", "fisheye",
    "beveiligingscamera", "bewakingscamera", "videobewaking", "camerasysteem", "camerabewaking", "webcam",
    "nvr", "dvr", "xvr", "recorder", "videorecorder", "encoder", "decoder", "switch", "router", "firewall",
    "accesspoint", "ap", "wifi", "wlan", "poe", "injector", "modem", "server", "nas", "opslag", "storage",
    "intercom", "deurstation", "videofoon", "lezer", "kaartlezer", "reader", "sensor", "detector", "monitor",
    "scherm", "display", "printer", "telefoon", "phone", "toestel", "apparaat", "apparatuur", "device",
    "devices", "systeem", "system", "kabel", "cable", "module", "drone", "portofoon", "radio", "mast",
    "zie", "bijlage", "factuur", "offerte", "opmerking", "overig", "algemeen", "standaard", "default",
    "generic", "generiek", "test", "demo", "merkloos", "nomerk", "noname", "whitelabel", "oem", "huismerk",
    "geen", "merk", "brand", "type", "model", "nr", "no", "nummer", "number",
})
#: A whole distinctive name the IEEE lists must be at least this long to count ("Sony" yes, "IP" no).
MIN_IEEE_KEY = 4
#: A maker's name begun by a label of at least this many letters is the maker's abbreviation ("Hik").
MIN_ABBREVIATION = 3

Basis = Literal["known-maker", "ieee-assignee", "legal-form"]


@dataclass(frozen=True)
class CompanyEvidence:
    """Why a label names a real company outside the registry."""

    name: str  # the company as we know it (the known maker's name, the IEEE assignee, or the label)
    basis: Basis
    detail: str  # one line for people


def normalise(text: str) -> NormalisedName:
    """:func:`schoon.names.normalise` (imported on first use: a run without labels does not load the names
    package)."""
    from schoon.names.normalise import normalise as normalised

    return normalised(text)


def names_nothing(text: str) -> bool:
    """Whether ``text`` has no word that could name a company: a placeholder, device words, numbers."""
    if is_placeholder(text):
        return True
    return not [t for t in normalise(text).of("D") if fold(t) not in DEVICE_WORDS and not t.isdigit()]


def _key(text: str) -> str:
    """The distinctive words of a name (legal forms and generic words dropped), space-separated."""
    return " ".join(normalise(text).of("D"))


@cache
def _ieee_keys(assignments: tuple[tuple[str, str], ...]) -> dict[str, tuple[str, str]]:
    keys: dict[str, tuple[str, str]] = {}
    for prefix, name in assignments:
        key = _key(name)
        if len(key.replace(" ", "")) >= MIN_IEEE_KEY:
            keys.setdefault(key, (name, prefix))
    return keys


def shipped_assignees() -> tuple[tuple[str, str], ...]:
    """(prefix, assignee) of every IEEE block that can be listed: those of the IEEE CSV files the user installed
    (``schoon registry update-ieee``); the MA-L data shipped with aiooui is looked up by prefix only."""
    return _listed()


@cache
def _listed() -> tuple[tuple[str, str], ...]:
    return tuple(IeeeRegistry.shipped().assignees().items())


class CompanyNames:
    """Decide whether a label names a real company: the known makers, the IEEE assignees, a legal form.

    The IEEE index (about 17,000 distinctive names when IEEE's MA-L file is installed) is built on first use and
    shared by the process.
    """

    def __init__(self, makers: Iterable[KnownMaker],
                 assignees: Callable[[], tuple[tuple[str, str], ...]] = shipped_assignees) -> None:
        self._known: dict[str, KnownMaker] = {}
        for maker in makers:
            for name in (maker.name, *maker.aliases):
                for key in (fold(name), _key(name)):
                    if key:
                        self._known.setdefault(key, maker)
        self._assignees = assignees

    def known_maker(self, text: str) -> KnownMaker | None:
        """The known maker ``text`` names (its name or an alias, whole), or None."""
        return self._known.get(fold(text)) or self._known.get(_key(text))

    def evidence(self, text: str) -> CompanyEvidence | None:
        """Why ``text`` names a real company, or None when it names none we can confirm."""
        if is_placeholder(text):
            return None
        maker = self.known_maker(text)
        if maker is not None:
            where = f"IEEE block {maker.ieee}" if maker.ieee else "its own site (unconfirmed)"
            return CompanyEvidence(maker.name, "known-maker", f"{maker.name} is a known maker ({where})")
        name = normalise(text)
        words = [t for t in name.of("D") if fold(t) not in DEVICE_WORDS and not t.isdigit()]
        if not words:
            return None
        assignee = _ieee_keys(self._assignees()).get(" ".join(name.of("D")))
        if assignee is not None:
            return CompanyEvidence(assignee[0], "ieee-assignee",
                                   f"the IEEE lists {assignee[0]!r} as the assignee of MAC block {assignee[1]}")
        if name.legal_forms and len("".join(words)) >= 2:
            return CompanyEvidence(text.strip(), "legal-form",
                                   f"{text.strip()!r} carries a legal form ({', '.join(name.legal_forms)})")
        return None


@dataclass(frozen=True)
class LabelDiscrepancy:
    """A label that names another maker than the evidence: the label as written and the maker's name."""

    label: str
    maker: str

    def describe(self) -> str:
        """One line for people."""
        return f"the label says {self.label!r} but the evidence says {self.maker}"


class OwnNames:
    """The names of each corporate group, folded, for :func:`is_own_name` (built per group on first use)."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._exact: dict[str, frozenset[str]] = {}
        self._common: dict[str, tuple[str, ...]] = {}

    def _names(self, group: str) -> tuple[frozenset[str], tuple[str, ...]]:
        if group not in self._exact:
            entities = [self.registry.get(group), *self.registry.descendants(group)]
            exact = {fold(a.name) for e in entities for a in e.all_names()}
            common = tuple(fold(a.name) for e in entities for a in e.aliases if a.kind in ("common", "short", "brand"))
            self._exact[group], self._common[group] = frozenset(exact - {""}), tuple(c for c in common if c)
        return self._exact[group], self._common[group]

    def is_own_name(self, label: str, entity_id: str) -> bool:
        """Whether ``label`` is a name of ``entity_id``'s group: a registered name (short ones such as "UNV"
        included), or the first three or more letters of its common, short or brand name ("Hik")."""
        key = fold(label)
        if not key:
            return False
        exact, common = self._names(self.registry.group_of(entity_id))
        if key in exact:
            return True
        return len(key) >= MIN_ABBREVIATION and any(name.startswith(key) for name in common)


def is_own_name(registry: Registry, label: str, entity_id: str) -> bool:
    """Whether ``label`` is one of the maker's own names (see :meth:`OwnNames.is_own_name`)."""
    return OwnNames(registry).is_own_name(label, entity_id)


def _relabels(registry: Registry, brand_id: str, group: str) -> bool:
    """Whether the brand is documented to relabel hardware of ``group``."""
    return any(registry.group_of(r.maker) == group for r in registry.get(brand_id).relabels)


def judge_label(registry: Registry, label: str | None, brand_id: str | None, manufacturer_id: str | None,
                manufacturer: str | None, own: OwnNames | None = None) -> LabelDiscrepancy | None:
    """The discrepancy between a label and the maker the evidence names, or None when they agree.

    ``label`` is the label as written, ``brand_id`` its registry entity if it resolved to one; the maker is a
    registry entity (``manufacturer_id``) or a maker outside the registry (``manufacturer`` only). No label or
    no maker, or a label that names nothing (device words, placeholders): None. A label of the maker's own group,
    one of its own short names or abbreviations, or a brand documented to relabel it: None. Evidence of a maker
    outside the registry disagrees only with a registry label: the question is "one of ours, or not", so
    "Hanwha Vision" against a MAC block of Samsung Techwin (its former name) is no discrepancy.
    """
    if not label or manufacturer is None or (brand_id is None and names_nothing(label)):
        return None
    if manufacturer_id is None:  # a maker outside the registry: only a registry label disagrees in our sense
        return LabelDiscrepancy(label, manufacturer) if brand_id is not None else None
    group = registry.group_of(manufacturer_id)
    if brand_id is not None:
        if registry.group_of(brand_id) == group or _relabels(registry, brand_id, group):
            return None
        return LabelDiscrepancy(label, manufacturer)
    if (own or OwnNames(registry)).is_own_name(label, manufacturer_id):
        return None
    return LabelDiscrepancy(label, manufacturer)


def label_discrepancy(identification: Identification) -> LabelDiscrepancy | None:
    """The label-vs-evidence discrepancy of an identification (judged by the engine with :func:`judge_label`),
    or None: for the audit's reconciliation and for reports, with the label and the maker as parameters."""
    return identification.label_discrepancy
