"""The registry: companies, subsidiaries, brands and relabels; their listings and evidence; policies."""

from schoon.registry.loader import default_registry, load_registry
from schoon.registry.model import Entity, Evidence, ListDefinition, Listing, Source
from schoon.registry.registry import MacMatch, Registry, name_key

__all__ = [
    "Entity", "Evidence", "ListDefinition", "Listing", "MacMatch", "Registry", "Source",
    "default_registry", "load_registry", "name_key",
]
