"""The fuzz suite's Hypothesis settings live in :mod:`tests.fuzz.strategies` (``fuzz_settings``), applied per
test, so that they do not change other test packages' property tests."""
