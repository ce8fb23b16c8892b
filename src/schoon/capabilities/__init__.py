"""What a device's capability documents (or the registry's model claims) say it can do, with evidence.

schoon audits these capabilities; it never uses them. Inputs: Hikvision ISAPI capability XML and Dahua video
analysis exports (read by :mod:`schoon.ingest.capdocs`), one per device, in a folder with an optional manifest
(:mod:`schoon.capabilities.documents`). Classification (:mod:`schoon.capabilities.classify`) turns fields into
findings ``face-detection``, ``face-recognition``, ``people-attributes``, ``ethnicity-or-skin-colour``,
``crowd-counting``; :mod:`schoon.capabilities.models` adds the registry's sourced model claims.
"""

from __future__ import annotations

from schoon.capabilities.catalogue import CAPABILITIES, DESCRIPTIONS
from schoon.capabilities.classify import CapabilityFinding, Classification, classify, summarise
from schoon.capabilities.documents import LinkedDocument, classify_files, read_documents
from schoon.capabilities.models import model_findings

__all__ = ["CAPABILITIES", "DESCRIPTIONS", "CapabilityFinding", "Classification", "LinkedDocument", "classify",
           "classify_files", "model_findings", "read_documents", "summarise"]
