"""docs/capabilities.md keeps step with the classifier's table and the registry's model claims."""

from __future__ import annotations

from pathlib import Path

from schoon.capabilities.catalogue import DAHUA, DAHUA_ATTRIBUTES, HIKVISION
from schoon.registry import Registry

DOC = Path(__file__).resolve().parents[2] / "docs" / "capabilities.md"


def test_every_field_rule_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for rule in (*HIKVISION, *DAHUA):
        assert f"`{rule.name}`" in text, rule.name
    for key in ("emRace", "emNation"):
        assert key.lower() in DAHUA_ATTRIBUTES and f"`{key}`" in text


def test_every_registry_claim_is_documented(bundled: Registry) -> None:
    text = DOC.read_text(encoding="utf-8")
    for claim in bundled.capability_claims:
        family = claim.model.removeprefix("DHI-").removeprefix("DH-")[:6]
        assert family in text, claim.model
