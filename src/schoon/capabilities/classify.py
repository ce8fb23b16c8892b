"""Classify a capability document's fields into capability findings, each with its evidence.

A finding names the capability (``face-detection``, ``face-recognition``, ``people-attributes``,
``ethnicity-or-skin-colour``, ``crowd-counting``), the document, the field path and its value, the line, what the
field means and where that meaning comes from. Fields that are recognised but prove nothing (a ``false``, a
disabled rule, body detection) become *notes*, so nothing read is silently dropped. Detection alone is not
recognition: :meth:`Classification.summary` says which one a device has.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from schoon.capabilities.catalogue import (
    CAPABILITIES,
    DAHUA,
    DAHUA_ATTRIBUTES,
    DAHUA_VALUE_PREFIXES,
    HIKVISION,
    NAME_RULE,
    FieldRule,
)
from schoon.ingest.capdocs import CapabilityDocument, DocField

_TRUE = frozenset({"true", "1", "yes", "on", "enable", "enabled", "support", "supported"})
_FALSE = frozenset({"false", "0", "no", "off", "disable", "disabled", "none", "unsupported", ""})
_VALUE_KEYS = frozenset({"Type", "Class", "Code", "Scene", "Rule", "RuleType", "EventCode"})
_USER_NAMED = frozenset({"Name", "RuleName", "ChannelName", "Title", "Comment", "Description", "ObjectName"})
_TOKEN = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_ETHNIC_TOKENS = frozenset({"race", "races", "racial", "ethnic", "ethnicity", "ethnicities", "nation",
                            "nationality", "minority", "minorities", "uygur", "uyghur", "uighur", "uigur",
                            "tibetan"})
_SKIN_COLOUR = frozenset({"color", "colour", "tone"})
_HAN_WORDS = ("民族", "维族", "维吾尔", "种族", "肤色", "人种", "藏族")
_INDEX = re.compile(r"\[\d+\]")

_HIK_RULES: dict[tuple[str, ...], FieldRule] = {tuple(r.name.split("/")): r for r in HIKVISION}
_DAHUA_RULES: dict[str, FieldRule] = {r.name: r for r in DAHUA}


@dataclass(frozen=True)
class CapabilityFinding:
    """One capability a document (or the registry) shows, with the evidence for it."""

    capability: str
    document: str  # the file, or "registry"
    document_kind: str  # a capability document kind, or "registry"
    field: str  # the field path, or the registry's model pattern
    value: str
    line: int | None
    meaning: str
    source: str  # where the meaning of the field (or the registry claim) comes from
    verified: bool = True

    def evidence(self) -> str:
        """The evidence in one line: where, what it says, what that means, and its source."""
        where = f"{self.document}:{self.line}" if self.line is not None else self.document
        check = "" if self.verified else "; meaning not verified"
        return f"{where}: {self.field} = {self.value!r} ({self.meaning}{check}; source: {self.source})"

    def to_dict(self) -> dict[str, Any]:
        """A plain dict (JSON types)."""
        return asdict(self)


@dataclass
class Classification:
    """The findings of one document and the notes on recognised fields that prove nothing."""

    document: str
    document_kind: str
    vendor: str
    findings: list[CapabilityFinding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def capabilities(self) -> list[str]:
        """The capabilities found, in the catalogue's order."""
        found = {f.capability for f in self.findings}
        return [c for c in CAPABILITIES if c in found]

    def summary(self) -> str:
        """What the document shows in words, saying whether face detection comes with recognition."""
        return summarise(self.capabilities)


def summarise(capabilities: list[str] | set[str]) -> str:
    """The capabilities in words; face detection without face recognition says that it is not recognition."""
    found = set(capabilities)
    if not found:
        return "no face, people-attribute or counting capability shown"
    parts = []
    if "face-recognition" in found:
        parts.append("face recognition (comparison against a face library)")
    elif "face-detection" in found:
        parts.append("face detection only (detection is not recognition)")
    if "people-attributes" in found:
        parts.append("people attributes")
    if "ethnicity-or-skin-colour" in found:
        parts.append("ethnicity or skin-colour attributes")
    if "crowd-counting" in found:
        parts.append("crowd counting")
    return "; ".join(parts)


def truth(value: str) -> bool | None:
    """``true``/``false`` (and 1/0, on/off ...) as a bool; anything else None."""
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def names_ethnicity(text: str) -> bool:
    """Whether a field name or value speaks of race, ethnicity, nation, minority or skin colour."""
    if any(word in text for word in _HAN_WORDS):
        return True
    tokens = [t.lower() for t in _TOKEN.findall(text)]
    if any(t in _ETHNIC_TOKENS for t in tokens):
        return True
    return any(a == "skin" and b in _SKIN_COLOUR for a, b in itertools.pairwise(tokens))


def classify(doc: CapabilityDocument) -> Classification:
    """The capability findings of one document."""
    result = Classification(doc.name, doc.kind, doc.vendor)
    if doc.vendor == "hikvision":
        _classify_hikvision(doc, result)
    else:
        _classify_dahua(doc, result)
    return result


def _finding(doc: CapabilityDocument, item: DocField, capability: str, meaning: str, source: str,
             verified: bool) -> CapabilityFinding:
    return CapabilityFinding(capability, doc.name, doc.kind, item.path, item.value, item.line, meaning, source,
                             verified)


def _hik_rule(path: str) -> FieldRule | None:
    parts = tuple(path.split("/"))
    for size in (2, 1):
        rule = _HIK_RULES.get(parts[-size:]) if len(parts) >= size else None
        if rule is not None:
            return rule
    return None


def _where(item: DocField) -> str:
    return f"line {item.line}: {item.path}" if item.line is not None else item.path


def _classify_hikvision(doc: CapabilityDocument, out: Classification) -> None:
    for item in doc.fields:
        rule = _hik_rule(item.path)
        on = truth(item.value)
        if rule is not None:
            if on is None:
                out.notes.append(f"{_where(item)} = {item.value!r}: not true or false, not counted")
            elif not on:
                out.notes.append(f"{_where(item)} = {item.value!r}: not supported")
            elif not rule.capabilities:
                out.notes.append(f"{_where(item)} = {item.value!r}: {rule.meaning}; no finding")
            for capability in rule.capabilities if on else ():
                out.findings.append(_finding(doc, item, capability, rule.meaning, rule.source, rule.verified))
            continue
        name = item.path.rsplit("/", 1)[-1]
        if names_ethnicity(name):
            if on is False:
                out.notes.append(f"{_where(item)} = {item.value!r}: not supported")
            else:
                out.findings.append(_finding(doc, item, "ethnicity-or-skin-colour",
                                             "a field named for race, ethnicity, nation or skin colour", NAME_RULE,
                                             False))


def _last_key(path: str) -> tuple[str, str]:
    """(the prefix of a Dahua key path, its last key without indices): ``a.b[0].Type`` → (``a.b[0]``, ``Type``)."""
    prefix, _, last = path.rpartition(".")
    return prefix, _INDEX.sub("", last)


def _disabled(path: str, enabled: dict[str, bool]) -> str | None:
    """The rule (an ancestor of ``path``) that is switched off (``Enable=false``), if any."""
    prefix = path
    while prefix:
        prefix = prefix.rpartition(".")[0]
        if enabled.get(prefix) is False:
            return prefix
    return None


def _classify_dahua(doc: CapabilityDocument, out: Classification) -> None:
    enabled: dict[str, bool] = {}
    for item in doc.fields:
        prefix, last = _last_key(item.path)
        if last in ("Enable", "Enabled") and truth(item.value) is not None:
            enabled[prefix] = bool(truth(item.value))
    for item in doc.fields:
        prefix, last = _last_key(item.path)
        off = _disabled(item.path, enabled)
        rule = _DAHUA_RULES.get(item.value.strip()) if (last in _VALUE_KEYS or last.startswith("Supported")) \
            else None
        if rule is not None:
            if off is not None:
                out.notes.append(f"{_where(item)} = {item.value!r}: rule {off} is disabled (Enable=false), "
                                 "not counted")
            for capability in rule.capabilities if off is None else ():
                out.findings.append(_finding(doc, item, capability, rule.meaning, rule.source, rule.verified))
            continue
        if last in _USER_NAMED:
            continue
        meaning_source = _dahua_ethnicity(last, item.value)
        if meaning_source is None:
            continue
        if off is not None or truth(item.value) is False:
            out.notes.append(f"{_where(item)} = {item.value!r}: "
                             + (f"rule {off} is disabled (Enable=false)" if off else "off") + ", not counted")
            continue
        meaning, source, verified = meaning_source
        out.findings.append(_finding(doc, item, "ethnicity-or-skin-colour", meaning, source, verified))


def _dahua_ethnicity(key: str, value: str) -> tuple[str, str, bool] | None:
    attribute = DAHUA_ATTRIBUTES.get(key.lower())
    if attribute is not None:
        return attribute[0], attribute[1], True
    for prefix, (meaning, source) in DAHUA_VALUE_PREFIXES.items():
        if value.strip().upper().startswith(prefix):
            return meaning, source, True
    if names_ethnicity(key) or names_ethnicity(value):
        return "a field or value naming race, ethnicity, nation or skin colour", NAME_RULE, False
    return None
