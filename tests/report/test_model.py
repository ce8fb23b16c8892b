"""ReportData: the dict round trip, and strict checking of what the audit store hands over."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from schoon.errors import DataError
from schoon.report.model import ReportData
from tests.report.factory import hostile_device, institution_report, national_report


@pytest.mark.parametrize("make", [national_report, institution_report])
def test_round_trip_through_dict_and_json(make) -> None:
    data = make(extra_devices=[hostile_device()])
    assert ReportData.from_dict(data.to_dict()) == data
    assert ReportData.from_dict(json.loads(json.dumps(data.to_dict()))) == data


def test_dates_may_be_date_objects_and_ints_may_stand_for_floats() -> None:
    raw = national_report().to_dict()
    raw["as_of"] = dt.date(2026, 11, 28)
    raw["devices"][0]["confidence"] = 1
    data = ReportData.from_dict(raw)
    assert data.as_of == "2026-11-28"
    assert data.devices[0].confidence == 1.0


@pytest.mark.parametrize(("path", "value", "message"), [
    (("kind",), "regional", "kind: must be one of"),
    (("language",), "de", "language: must be one of"),
    (("totals", "flagged"), "37", "totals.flagged: expected a whole number"),
    (("totals", "flagged"), True, "totals.flagged: expected a whole number"),
    (("by_institution", 2, "devices"), None, "by_institution[2].devices: expected a whole number"),
    (("exemptions", 0, "overdue_review"), "no", "exemptions[0].overdue_review: expected true or false"),
    (("devices", 0, "sources"), "scan.xml", "devices[0].sources: expected a list"),
])
def test_wrong_values_are_named_by_path(path, value, message) -> None:
    raw = national_report().to_dict()
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(DataError, match=message.replace("[", r"\[").replace("]", r"\]")):
        ReportData.from_dict(raw)


def test_missing_and_unknown_fields_are_errors() -> None:
    raw = national_report().to_dict()
    del raw["totals"]["overdue"]
    with pytest.raises(DataError, match=r"totals\.overdue: is missing"):
        ReportData.from_dict(raw)
    raw = national_report().to_dict()
    raw["scope"]["regions"] = 3
    with pytest.raises(DataError, match="scope: unknown field"):
        ReportData.from_dict(raw)


def test_optional_lists_may_be_left_out() -> None:
    raw = national_report().to_dict()
    for key in ("devices", "trend", "exemptions", "overdue", "discrepancies", "landlord_cases", "caveats"):
        del raw[key]
    data = ReportData.from_dict(raw)
    assert data.devices == [] and data.trend == []
