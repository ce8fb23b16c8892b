"""Labels exist in both languages, and coded values are translated."""

from __future__ import annotations

from schoon.registry.model import DEVICE_TYPES
from schoon.report import tables
from schoon.report.i18n import LABELS, TERM_DOMAINS, number, t, term
from schoon.report.model import DISCREPANCY_KINDS, LIFECYCLE_STATES, VERDICTS


def test_every_label_has_dutch_and_english() -> None:
    for key, entry in LABELS.items():
        assert set(entry) == {"nl", "en"}, key
        assert entry["nl"].strip() and entry["en"].strip(), key


def test_every_coded_value_and_column_has_a_label() -> None:
    for device_type in (*DEVICE_TYPES, "unknown"):
        assert f"device_type.{device_type}" in LABELS, device_type
    for state in LIFECYCLE_STATES:
        assert f"state.{state}" in LABELS
    for verdict in VERDICTS:
        assert f"verdict.{verdict}" in LABELS
    for kind in DISCREPANCY_KINDS:
        assert f"discrepancy.{kind}" in LABELS
    for table in tables.TABLES:
        assert f"sheet.{table.id}" in LABELS and f"section.{table.id}" in LABELS, table.id
        assert len(t(f"sheet.{table.id}", "nl")) <= 31 and len(t(f"sheet.{table.id}", "en")) <= 31
        for column in table.columns:
            assert f"col.{column.key}" in LABELS, column.key
    assert all(any(key.startswith(f"{domain}.") for key in LABELS) for domain in TERM_DOMAINS)


def test_lifecycle_states_in_dutch() -> None:
    assert [term("state", s, "nl") for s in LIFECYCLE_STATES] == [
        "in gebruik", "vervanging gepland", "vervangen", "uitgezonderd", "over de deadline"]
    assert term("state", "in_use", "en") == "in use"


def test_unknown_values_fall_back_readably() -> None:
    assert term("device_type", "lidar_scanner", "nl") == "lidar scanner"
    assert term("device_type", None, "en") == "unknown"


def test_numbers_in_each_language() -> None:
    assert number(12345, "nl") == "12.345"
    assert number(12345, "en") == "12,345"
    assert number(0.5, "nl") == "0,50"


def test_every_list_of_the_registry_has_a_dutch_name() -> None:
    """A Dutch report names each list in Dutch, with the official name beside it."""
    from schoon.registry import default_registry
    from schoon.report.i18n import LIST_NAMES_NL, list_name

    registry = default_registry()
    for definition in registry.lists.values():
        assert definition.id in LIST_NAMES_NL, definition.id
    assert list_name("us-bis-entity-list", "BIS Entity List", "en") == "BIS Entity List"
    assert list_name("nl-something-new", "Kamerbrief over camera's", "nl") == "Kamerbrief over camera's"


def test_builtin_policies_have_dutch_titles() -> None:
    from schoon.registry.policy import builtin_policies, load_policy
    from schoon.report.i18n import POLICY_TEXT_NL, policy_text

    for name in builtin_policies():
        assert load_policy(name).id in POLICY_TEXT_NL, name
    assert policy_text("mine", "My policy", "Mine.", "nl") == ("My policy", "Mine.")
