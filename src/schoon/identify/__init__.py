"""Identify the true maker of a device from its evidence, and judge it under a policy."""

from schoon.identify.engine import FLAG_THRESHOLD, Engine, Finding, Identification
from schoon.identify.rules import RuleBook, default_rulebook, load_rulebook
from schoon.identify.signals import Signal
from schoon.names.resolver import NameHit, NameResolver

__all__ = [
    "FLAG_THRESHOLD", "Engine", "Finding", "Identification", "NameHit", "NameResolver", "RuleBook", "Signal",
    "default_rulebook", "load_rulebook",
]
