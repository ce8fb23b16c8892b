"""Placeholders are read as empty, in every column and in the column-specific cases; real values are kept."""

import pytest

from schoon.observation import Observation
from schoon.placeholders import is_placeholder


@pytest.mark.parametrize("text", ["", "  ", "-", "?", "??", "n.v.t.", "N.V.T", "nvt", "Onbekend", "onbekend ",
                                  "Diverse", "Zie factuur", "zie factuur.", "n/a", "N/A", "unknown", "TBD", "...",
                                  "—", "(leeg)"])
def test_placeholders_in_any_column(text: str) -> None:
    assert is_placeholder(text)


@pytest.mark.parametrize("text", ["Hikvision", "DS-2CD2143G2-I", "LTS", "Hik", "UNV", "Axis", "1", "X-Series",
                                  "Dahua Technology", "10.0.0.1", "n"])
def test_real_values_are_not_placeholders(text: str) -> None:
    assert not is_placeholder(text)


def test_column_specific_placeholders() -> None:
    assert is_placeholder("DHCP", "ip")
    assert not is_placeholder("DHCP", "model")
    assert not is_placeholder("DHCP")


def test_observation_reads_placeholders_as_empty() -> None:
    obs = Observation.from_mapping({"id": "A-1", "mac": "n.v.t.", "ip": "DHCP", "declared_vendor": "Onbekend",
                                    "model": "DS-2CD2143G2-I", "ports": "-"})
    assert (obs.mac, obs.ip, obs.declared_vendor, obs.ports) == (None, None, None, ())
    assert obs.model == "DS-2CD2143G2-I"
    assert obs.id == "A-1"
