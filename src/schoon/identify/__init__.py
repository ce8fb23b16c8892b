"""Identify the true maker of a device from its evidence, and judge it under a policy."""

from typing import Any

from schoon.identify.engine import FLAG_THRESHOLD, Engine, Finding, Identification
from schoon.identify.rules import RuleBook, default_rulebook, load_rulebook
from schoon.identify.signals import Signal

__all__ = [
    "FLAG_THRESHOLD", "Engine", "Finding", "Identification", "NameHit", "NameResolver", "RuleBook", "Signal",
    "default_rulebook", "load_rulebook",
]


def __getattr__(name: str) -> Any:
    """``NameHit`` and ``NameResolver`` (from :mod:`schoon.names.resolver`), imported when asked for."""
    if name in ("NameHit", "NameResolver"):
        from schoon.names import resolver

        return getattr(resolver, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
