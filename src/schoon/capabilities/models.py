"""Capability findings from the registry: models that sources report with face recognition or ethnicity analytics.

A register line (or scan record) naming such a model yields a finding with ``document = "registry"`` even when
no capability document was supplied; its evidence is the registry's claim: the model as the source names it, the
pattern that matched, the source's title, address and date, and the claim's confidence.
"""

from __future__ import annotations

from schoon.capabilities.classify import CapabilityFinding
from schoon.registry import Registry

REGISTRY = "registry"


def model_findings(registry: Registry, model: str | None) -> list[CapabilityFinding]:
    """The capability findings the registry's model claims give for a device's model number."""
    out: list[CapabilityFinding] = []
    for claim in registry.capability_claims_for(model):
        source = registry.sources.get(claim.source)
        cited = claim.source if source is None else \
            f"{source.title}, {source.url or 'no address'}, {source.date}"
        meaning = f"the registry's source reports model {claim.model} with this capability " \
                  f"(confidence {claim.confidence})"
        for capability in claim.capabilities:
            out.append(CapabilityFinding(capability, REGISTRY, REGISTRY, claim.pattern, (model or "").strip(), None,
                                         meaning, cited, claim.confidence != "low"))
    return out
