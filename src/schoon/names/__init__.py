"""Company-name normalisation and the matcher that screens supplier names against the registry."""

from schoon.names.features import Feature
from schoon.names.matcher import THRESHOLD, MatchResult, NameMatch, NameMatcher, NameRecord, compare
from schoon.names.normalise import NormalisedName, normalise

__all__ = [
    "THRESHOLD", "Feature", "MatchResult", "NameMatch", "NameMatcher", "NameRecord", "NormalisedName",
    "compare", "normalise",
]
