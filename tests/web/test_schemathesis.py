"""Schemathesis over the API's OpenAPI document, in process, with every role's token.

For each role (coordinator, and org-admin, editor and viewer of one tree) and each operation, Hypothesis
generates requests from the schema (``SCHOON_SCHEMATHESIS_EXAMPLES`` per operation, default 8: the machine is
small; raise it for a deeper run). Every answer must be no 5xx, carry a declared status and content type, and
match its declared schema (Schemathesis' ``call_and_validate`` with the checks in :data:`CHECKS`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.webworld import Served, served_world

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install -e '.[dev]')")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

#: what the issue asks: no 5xx, and every answer as the document declares it (status, content type, headers, body
#: schema). Schemathesis' positive/negative data checks are left out: they judge input validation, not answers.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]

EXAMPLES = int(os.environ.get("SCHOON_SCHEMATHESIS_EXAMPLES", "8"))
ROLES = ["coordinator", "alfa/org-admin", "alfa/editor", "alfa/viewer"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served_world("sqlite", tmp_path_factory.mktemp("schemathesis")) as world:
        yield world


def operations(served: Served) -> list[Any]:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", served.app)
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) >= 10
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_conforms(served: Served, role: str, tmp_path: Path) -> None:
    headers = served.bearer(role)
    failures: list[str] = []
    calls = 0
    for operation in operations(served):

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            nonlocal calls
            calls += 1
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # one operation's failure is reported with the others, not on its own
            failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:1500]}")
    print(f"schemathesis {role}: {calls} requests over {len(operations(served))} operations")
    assert calls >= len(ROLES)
    assert not failures, f"{len(failures)} operation(s) failed for {role}:\n\n" + "\n\n".join(failures)
