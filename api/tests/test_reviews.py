"""The review API per role: rounds, a round's ratings and the report, scoped like every endpoint."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from members.tests._people import add_people
from reviews.models import MemberReview
from reviews.regimes.base import Rating
from reviews.services import review_appraise, review_decide, review_self_assess
from reviews.testing import open_round


@pytest.fixture
def decided(cast):
    people = add_people(cast.tree)
    round = open_round(cast.tree.bloc, 2025, user=cast.upper)
    review = MemberReview.objects.get(round=round, member=people.an)
    review = review_self_assess(
        review=review, user=cast.cell, general_points=Decimal(20), result_points=Decimal(55), tasks_total=4
    )
    review = review_appraise(review=review, user=cast.cell, rating=Rating.GOOD)
    review_decide(review=review, user=cast.base, decided_on=dt.date(2026, 1, 20), decision_number="15-QĐ/ĐU")
    return round


def test_the_rounds_list_answers_each_role_within_its_scope(api_as, decided):
    assert [r["year"] for r in api_as("cell").get("/api/v1/review-rounds").json()] == [2025]
    assert api_as("outsider").get("/api/v1/review-rounds").json() == []


def test_a_rounds_ratings_hold_the_proposal_and_its_reasons(api_as, decided):
    body = api_as("base").get(f"/api/v1/review-rounds/{decided.pk}/ratings").json()
    assert body["count"] == 4  # the four members of the finance committee's cells
    an = next(r for r in body["results"] if r["rating"])
    assert (an["rating"], an["score"], an["decision_number"]) == ("good", 75.0, "15-QĐ/ĐU")
    assert an["reasons"][0]["document"].startswith("Quy định 366-QĐ/TW")


def test_a_member_reads_only_their_own_rating(api_as, cast, decided):
    body = api_as("member").get(f"/api/v1/review-rounds/{decided.pk}/ratings").json()
    assert body["count"] == 0  # the member account is linked to no member record here


def test_an_outsider_gets_404_for_the_round_and_the_report(api_as, cast, decided):
    outsider = api_as("outsider")
    assert outsider.get(f"/api/v1/review-rounds/{decided.pk}/ratings").status_code == 404
    assert outsider.get(f"/api/v1/organizations/{cast.tree.bloc.pk}/review-report/2025").status_code == 404


def test_the_report_states_the_counts_and_the_paragraph(api_as, cast, decided):
    body = api_as("viewer").get(f"/api/v1/organizations/{cast.tree.bloc.pk}/review-report/2025").json()
    assert body["members"]["good"] == 1
    assert body["members"]["held_review"] == 1
    assert "1 đảng viên được đánh giá từ hoàn thành nhiệm vụ trở lên" in body["narrative"]
