"""schoon: find, prove and phase out equipment made by companies implicated in human-rights abuses.

The library is the product; the command line (``schoon.cli``) is a thin adapter over it.
"""

from schoon.errors import DataError, SchoonError
from schoon.registry import Registry, load_registry

__version__ = "0.1.0"

__all__ = ["DataError", "Registry", "SchoonError", "__version__", "load_registry"]
