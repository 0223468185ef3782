"""Schemathesis fuzzes every operation of the OpenAPI document, in process.

Each operation is fuzzed with positive and negative cases for an administrator, and with
positive cases for a base-committee secretary (whose scope hides most codes). Positive
cases run twice: with generated codes (mostly unknown: 404) and with the real codes of
the test tree the user may read, so the 200 answers are fuzzed too. No answer may be a 5xx, carry an
undeclared status, or break its schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import ApiToken
from api.main import api
from orgs.models import Organization

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MAX_EXAMPLES = 30
PREFIX = "/api/v1"

OPERATIONS = [
    (method.upper(), path) for path, item in api.get_openapi_schema(path_prefix=PREFIX + "/")["paths"].items() for method in item
]
RUNS = [
    ("admin", schemathesis.GenerationMode.POSITIVE),
    ("admin", schemathesis.GenerationMode.NEGATIVE),
    ("base", schemathesis.GenerationMode.POSITIVE),
]

pytestmark = pytest.mark.slow


@pytest.fixture
def keep_test_connection():
    """A bare WSGIHandler closes the connection after each request, ending the test's
    transaction on PostgreSQL; Django's own test client turns that off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _run(strategy, headers: dict[str, str]) -> None:
    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "mode"), RUNS, ids=[f"{w}-{m.value}" for w, m in RUNS])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_operation_answers_within_its_schema_and_never_a_server_error(keep_test_connection, cast, who, mode, method, path):
    user = getattr(cast, who)
    _, key = ApiToken.issue(user=user, name="schemathesis")
    headers = {"Authorization": f"Bearer {key}"}
    schema = schemathesis.openapi.from_wsgi(f"{PREFIX}/openapi.json", WSGIHandler())
    operation = schema[path][method]

    _run(operation.as_strategy(generation_mode=mode), headers)
    if "{code}" in path and mode == schemathesis.GenerationMode.POSITIVE:
        codes = st.sampled_from(sorted(Organization.objects.for_user(user).values_list("code", flat=True)))
        _run(codes.flatmap(lambda code: operation.as_strategy(generation_mode=mode, path_parameters={"code": code})), headers)
