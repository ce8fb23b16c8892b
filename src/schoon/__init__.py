"""schoon: find, prove and phase out equipment made by companies implicated in human-rights abuses.

The library is the product; the command line (``schoon.cli``) is a thin adapter over it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from schoon.errors import DataError, SchoonError

if TYPE_CHECKING:
    from schoon.registry import Registry, load_registry

__version__ = "0.1.0"

__all__ = ["DataError", "Registry", "SchoonError", "__version__", "load_registry"]


def __getattr__(name: str) -> Any:
    """``Registry`` and ``load_registry`` are imported on first use, so ``import schoon`` (and ``schoon --help``)
    does not pay for the registry's dependencies."""
    if name in ("Registry", "load_registry"):
        from schoon import registry

        return getattr(registry, name)
    raise AttributeError(f"module 'schoon' has no attribute {name!r}")
