"""Schemathesis on the member operations with members in the register.

The suite-wide fuzz (test_schemathesis.py) runs on the bare cast, where every member id
is unknown: here the register holds members in and out of the caller's scope, and the
ids and organization codes are drawn from the real ones, so the 200 answers (and the
FilterSet's refusals) are checked against their schemas too.
"""

from __future__ import annotations

import datetime as dt

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
from members.models import Ethnicity, Member, PoliticalTheory, Status
from members.services import member_attach_temporarily, member_change_status
from members.testing import add_member
from orgs.models import Organization

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
PREFIX = "/api/v1"
MEMBER_PATHS = ["/members/{member_id}", "/members/{member_id}/status-history", "/members/{member_id}/cell-history"]

pytestmark = pytest.mark.slow


@pytest.fixture
def keep_test_connection():
    """A bare WSGIHandler closes the connection after each request (see test_schemathesis.py)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def register(cast):
    tree = cast.tree
    kinh = Ethnicity.objects.get(name="Kinh")
    duc = add_member(
        tree.office_cell,
        given_name="Đức",
        national_id="024080001234",
        ethnicity=kinh,
        political_theory=PoliticalTheory.objects.get(code="cao-cap"),
        account=cast.member,
    )
    member_attach_temporarily(
        member=duc,
        organization=tree.budget_cell,
        started_on=dt.date.today() - dt.timedelta(days=5),
        ends_on=dt.date.today() + dt.timedelta(days=200),
    )
    binh = add_member(tree.budget_cell, given_name="Bình", birth_date=dt.date(2001, 1, 1), admitted_on=dt.date(2022, 1, 1))
    member_change_status(member=binh, status=Status.SUSPENDED, effective_on=dt.date(2025, 1, 1), decision_no="3-QĐ")
    add_member(tree.newspaper, family_name="Lê", middle_name="Thị", given_name="Hoa", sex="F", full_member_on=None)
    add_member(tree.budget_cell, given_name="Cường", admitted_on=dt.date(1960, 5, 1), birth_date=dt.date(1938, 5, 1))


def _run(strategy, headers: dict[str, str]) -> set[int]:
    """Fuzz; the status codes seen."""
    seen: set[int] = set()

    @given(case=strategy)
    @settings(max_examples=40, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    def run(case):
        seen.add(case.call_and_validate(headers=headers, checks=CHECKS).status_code)

    run()
    return seen


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "base", "viewer", "member"])
def test_the_member_operations_answer_within_their_schemas_on_a_real_register(keep_test_connection, cast, register, who):
    user = getattr(cast, who)
    _, key = ApiToken.issue(user=user, name="schemathesis")
    headers = {"Authorization": f"Bearer {key}"}
    schema = schemathesis.openapi.from_wsgi(f"{PREFIX}/openapi.json", WSGIHandler())
    ids = st.sampled_from(sorted(Member.objects.values_list("pk", flat=True)))
    for path in MEMBER_PATHS:
        operation = schema[PREFIX + path]["GET"]
        seen = _run(ids.flatmap(lambda pk, op=operation: op.as_strategy(path_parameters={"member_id": pk})), headers)
        assert 200 in seen, (path, seen)
    codes = sorted(Organization.objects.values_list("code", flat=True))
    for path, param in (("/members", "organization"), ("/members/statistics", "organization")):
        operation = schema[PREFIX + path]["GET"]
        seen = _run(operation.as_strategy(), headers)
        seen |= _run(
            st.sampled_from(codes).flatmap(lambda code, op=operation, p=param: op.as_strategy(query={p: code})),
            headers,
        )
        assert 200 in seen, (path, seen)
