"""The targets API per role: resolutions, their targets, and a target's values per year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from members.testing import add_member
from targets.models import Period, Unit
from targets.services import resolution_create, target_create


@pytest.fixture
def admitted_target(cast):
    resolution = resolution_create(
        organization=cast.tree.bloc, term_name="2020–2025", start_year=2020, end_year=2025, congress_number="XV", user=cast.upper
    )
    add_member(cast.tree.office_cell, given_name="Một", admitted_on=dt.date(2021, 3, 1), birth_date=dt.date(1995, 1, 1))
    add_member(cast.tree.newspaper, given_name="Hai", admitted_on=dt.date(2022, 4, 1), birth_date=dt.date(1996, 1, 1))
    return target_create(
        resolution=resolution,
        wording="Cả nhiệm kỳ kết nạp từ 2 đảng viên trở lên",
        indicator_code="members.admitted",
        threshold=Decimal(2),
        unit=Unit.COUNT,
        period=Period.TERM,
        user=cast.upper,
    )


def test_resolutions_and_their_targets_answer_within_the_scope(api_as, admitted_target):
    resolutions = api_as("viewer").get("/api/v1/resolutions").json()
    assert [(r["term_name"], r["congress_number"]) for r in resolutions] == [("2020–2025", "XV")]
    targets = api_as("viewer").get(f"/api/v1/resolutions/{resolutions[0]['id']}/targets").json()
    assert [(t["indicator_code"], t["threshold"], t["period"]) for t in targets] == [("members.admitted", 2.0, "term")]
    assert api_as("outsider").get("/api/v1/resolutions").json() == []
    assert api_as("outsider").get(f"/api/v1/resolutions/{resolutions[0]['id']}/targets").status_code == 404


def test_a_targets_values_per_year_count_the_organizations_subtree(api_as, cast, admitted_target):
    whole = api_as("upper").get(f"/api/v1/organizations/{cast.tree.bloc.pk}/targets/{admitted_target.pk}/values").json()
    assert [(y["year"], y["value"]) for y in whole["years"]] == [(2020, 0), (2021, 1), (2022, 2), (2023, 2), (2024, 2), (2025, 2)]
    assert whole["met"] is True
    assert whole["years"][-1]["sentence"] == "kết nạp 2 đảng viên, đạt chỉ tiêu Nghị quyết"
    cell = api_as("cell").get(f"/api/v1/organizations/{cast.tree.office_cell.pk}/targets/{admitted_target.pk}/values").json()
    assert cell["years"][-1]["value"] == 1
    assert api_as("cell").get(f"/api/v1/organizations/{cast.tree.bloc.pk}/targets/{admitted_target.pk}/values").status_code == 404
