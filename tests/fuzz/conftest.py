"""Hypothesis settings for the fuzz suite: a small example count in CI, as many as you like locally.

``SCHOON_FUZZ_EXAMPLES`` sets the examples per entry point (default 40, which keeps the suite under a
minute on one core); ``SCHOON_FUZZ_EXAMPLES=2000 pytest tests/fuzz`` for a long local run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("SCHOON_FUZZ_EXAMPLES", "40"))

settings.register_profile(
    "schoon-fuzz", max_examples=EXAMPLES, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                           HealthCheck.function_scoped_fixture],
)
settings.load_profile("schoon-fuzz")
