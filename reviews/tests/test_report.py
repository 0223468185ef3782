"""The year-end report against a hand count on the small tree, its paragraph, the streaks,
and the tallies held equal to a recount from the reviews after random decisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discipline.services import discipline_record
from members.tests._people import add_people
from reviews.models import MemberReview, OrganizationReview, RatingTally
from reviews.regimes.base import Rating, rank
from reviews.selectors import excellent_streaks, number, recount, tallies, year_report
from reviews.services import review_amend, review_appraise, review_decide, review_self_assess, round_open

DECIDED = dt.date(2026, 1, 20)
POINTS = {  # (general, results) giving each rating under Quy định 366-QĐ/TW
    Rating.EXCELLENT: (28, 64),
    Rating.GOOD: (20, 55),
    Rating.COMPLETE: (20, 35),
    Rating.NOT_COMPLETE: (10, 20),
}


def open_round(cast, year: int):
    return round_open(
        organization=cast.tree.bloc,
        year=year,
        opens_on=dt.date(year, 12, 1),
        self_deadline=dt.date(year, 12, 10),
        appraisal_deadline=dt.date(year, 12, 20),
        decision_deadline=dt.date(year + 1, 1, 31),
        user=cast.upper,
    )


def rate_member(cast, round, member, rating: Rating):
    review = MemberReview.objects.get(round=round, member=member)
    general, results = POINTS[rating]
    form = {"general_points": Decimal(general), "result_points": Decimal(results), "tasks_total": 10, "tasks_above": 4}
    review = review_self_assess(review=review, user=cast.admin, **form)
    review = review_appraise(review=review, user=cast.admin, rating=review.proposed_rating)
    return review_decide(review=review, user=cast.admin, decided_on=DECIDED, decision_number="20-QĐ/ĐUK")


def rate_organization(cast, round, organization, rating: Rating):
    review = OrganizationReview.objects.get(round=round, organization=organization)
    general, results = POINTS[rating]
    review = review_appraise(
        review=review, user=cast.upper, rating=rating, points=Decimal(general + results), tasks_total=10, tasks_above=4
    )
    return review_decide(review=review, user=cast.upper, decided_on=DECIDED, decision_number="21-QĐ/ĐUK")


@pytest.fixture
def decided_2025(cast):
    people = add_people(cast.tree)
    round = open_round(cast, 2025)
    discipline_record(member=people.binh, form="reprimand", decided_on=dt.date(2025, 5, 5), decision_number="03-QĐ/UBKT")
    rate_member(cast, round, people.duc, Rating.COMPLETE)
    rate_member(cast, round, people.an, Rating.GOOD)
    rate_member(cast, round, people.binh, Rating.EXCELLENT)  # the discipline caps it: not complete
    rate_member(cast, round, people.hoa, Rating.GOOD)
    rate_member(cast, round, people.lan, Rating.EXCELLENT)
    rate_organization(cast, round, cast.tree.finance, Rating.GOOD)
    rate_organization(cast, round, cast.tree.newspaper, Rating.EXCELLENT)
    return round, people


def test_the_report_counts_members_and_base_organizations_as_a_hand_count_does(cast, decided_2025):
    report = year_report(organization=cast.tree.bloc, year=2025)
    m, b = report.members, report.bases
    assert (m.excellent, m.good, m.complete, m.not_complete, m.not_complete_disciplined) == (1, 2, 1, 1, 1)
    assert (b.excellent, b.good, b.complete, b.not_complete) == (1, 1, 0, 0)
    by_child = {row.label: (row.members.rated, row.bases.rated) for row in report.by_child}
    assert by_child == {"Đảng bộ Sở Tài chính": (4, 1), "Chi bộ Báo Bắc Giang": (1, 1)}


def test_the_report_for_a_base_organization_counts_only_its_subtree(cast, decided_2025):
    report = year_report(organization=cast.tree.finance, year=2025)
    assert report.members.rated == 4
    assert report.bases.good == 1


def test_the_paragraph_states_the_numbers_as_the_conference_report_does(cast, decided_2025):
    text = year_report(organization=cast.tree.bloc, year=2025).narrative
    assert "Toàn Đảng bộ có 1 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ, 1 hoàn thành tốt nhiệm vụ, " in text
    assert "0 hoàn thành nhiệm vụ và 0 không hoàn thành nhiệm vụ." in text
    assert "4 đảng viên được đánh giá từ hoàn thành nhiệm vụ trở lên; 1 đảng viên không hoàn thành nhiệm vụ." in text
    assert "Trong đó có 1 đảng viên bị xử lý kỷ luật trong năm." in text
    assert "số đảng viên đã kiểm điểm tự phê bình và phê bình là 5 đồng chí" in text


def test_numbers_use_the_vietnamese_thousands_separator():
    assert number(53056) == "53.056"
    assert number(162) == "162"


def test_the_streak_lists_who_was_excellent_every_year(cast):
    people = add_people(cast.tree)
    for year in (2025, 2026):
        round = open_round(cast, year)
        rate_member(cast, round, people.lan, Rating.EXCELLENT)
        rate_member(cast, round, people.an, Rating.EXCELLENT if year == 2026 else Rating.GOOD)
    streaks = excellent_streaks(organization=cast.tree.bloc, year=2026, years=2)
    assert [m.given_name for m in streaks["members"]] == ["Lan"]


ratings = st.sampled_from([Rating.EXCELLENT, Rating.GOOD, Rating.COMPLETE, Rating.NOT_COMPLETE])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(first=st.lists(ratings, min_size=5, max_size=5), second=st.lists(st.one_of(st.none(), ratings), min_size=5, max_size=5))
@pytest.mark.django_db(transaction=False)
def test_the_tallies_equal_a_recount_after_random_decisions_and_amendments(cast, first, second):
    people = add_people(cast.tree)
    round = open_round(cast, 2025)
    try:
        members = [people.duc, people.an, people.binh, people.hoa, people.lan]
        decided = [rate_member(cast, round, member, rating) for member, rating in zip(members, first, strict=True)]
        for review, rating in zip(decided, second, strict=True):
            if rating is not None and rating != review.rating and _allowed(review, rating):
                review_amend(
                    review=review, user=cast.admin, rating=rating, decided_on=DECIDED, decision_number="30-QĐ", note="Sửa"
                )
        assert tallies(year=2025) == recount(year=2025)
    finally:
        # Hypothesis runs the examples in one test transaction: start each from the same tree.
        round.delete()
        for member in vars(people).values():
            member.delete()
        RatingTally.objects.all().delete()


def _allowed(review, rating) -> bool:
    return rank(rating) <= rank(Rating(review.proposed_rating))
