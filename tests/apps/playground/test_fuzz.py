"""The API fuzzed from its own OpenAPI schema (schemathesis): no 500, no hang, answers as documented.

Bounded for CI: ``PLAYGROUND_FUZZ_EXAMPLES`` examples per operation (default 25); set it higher for a long run,
e.g. ``PLAYGROUND_FUZZ_EXAMPLES=500 python -m pytest tests/apps/playground/test_fuzz.py``.
"""

import os
import time

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

from rosenblatt.apps.playground.server import create_app  # noqa: E402

EXAMPLES = int(os.environ.get("PLAYGROUND_FUZZ_EXAMPLES", "25"))
MAX_SECONDS = 15.0  # the largest allowed request (10,000 steps × 12 optimizers) takes a few seconds

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_input_gives_a_server_error_or_hangs(case):
    started = time.monotonic()
    response = case.call()
    took = time.monotonic() - started
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
    assert response.status_code < 500, response.text[:500]
    assert took < MAX_SECONDS, f"{case.method} {case.path} took {took:.1f} s"
