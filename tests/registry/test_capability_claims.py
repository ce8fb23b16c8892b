"""Capability claims in the registry: sourced, dated, checked on load."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from schoon.registry import Registry
from schoon.registry.model import CapabilityClaim


def test_every_claim_has_a_dated_source_with_an_address(bundled: Registry) -> None:
    assert len(bundled.capability_claims) >= 7
    for claim in bundled.capability_claims:
        source = bundled.source(claim.source)
        assert source.url and source.date and claim.date
        assert claim.entity in bundled.entities


def test_a_pattern_that_misses_its_own_model_is_refused() -> None:
    with pytest.raises(ValidationError, match="does not match"):
        CapabilityClaim(model="DS-2CD7A2XYZ-JM/RX", pattern="^DH-", entity="hikvision",
                        capabilities=["face-recognition"], date="2019", source="x")
    with pytest.raises(ValidationError):
        CapabilityClaim(model="X", pattern="X", entity="hikvision", capabilities=["mind-reading"],  # type: ignore[list-item]
                        date="2019", source="x")
