"""The decision's what-if (``reviews.services.what_if`` and its page), and the three steps of
many members at once (``reviews.services.reviews_decide_in_bulk``), on the small tree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.tests._people import add_people
from reviews.models import MemberReview, OrganizationReview, RatingTally, Step, Subject
from reviews.regimes.base import Rating, RatingCounts
from reviews.selectors import recount, tallies
from reviews.services import StepsEntry, review_appraise, review_self_assess, reviews_decide_in_bulk, what_if
from reviews.testing import open_round


@pytest.fixture
def people(cast):
    return add_people(cast.tree)


@pytest.fixture
def round_2025(cast, people):
    return open_round(cast.tree.bloc, 2025, user=cast.upper)


def review_of(round, member) -> MemberReview:
    return MemberReview.objects.select_related("member", "cell", "round").get(round=round, member=member)


def org_review(round, organization) -> OrganizationReview:
    return OrganizationReview.objects.select_related("round", "organization").get(round=round, organization=organization)


@pytest.fixture
def proposed(cast, people, round_2025):
    """The four members of the finance committee proposed excellent (92 points, 4 of 10 tasks
    above requirement), its two cells and itself proposed excellent (95 points)."""
    for person, user in ((people.duc, cast.cell), (people.an, cast.cell), (people.binh, cast.base), (people.hoa, cast.base)):
        review = review_self_assess(
            review=review_of(round_2025, person),
            user=user,
            general_points=Decimal(28),
            result_points=Decimal(64),
            tasks_total=10,
            tasks_above=4,
        )
        review_appraise(review=review, user=user, rating=Rating.EXCELLENT)
    tree = cast.tree
    figures = {"points": Decimal(95), "tasks_total": 10, "tasks_above": 4}
    for organization, user in ((tree.office_cell, cast.base), (tree.budget_cell, cast.base), (tree.finance, cast.upper)):
        review_appraise(review=org_review(round_2025, organization), user=user, rating=Rating.EXCELLENT, **figures)
    return round_2025


def test_the_what_if_moves_the_quota_the_cells_own_ratings_and_the_totals_without_saving(cast, people, proposed):
    round = proposed
    duc, an, binh = (review_of(round, p).pk for p in (people.duc, people.an, people.binh))
    result = what_if(
        round=round,
        base=cast.tree.finance,
        choices={duc: Rating.NOT_COMPLETE, an: Rating.GOOD, binh: Rating.GOOD},
    )
    before, after = result.before, result.after
    # The quota: 4 excellent of 4 good or better → at most 0 (20% of 4, rounded down), 4 over;
    # after: 1 excellent, 2 good → at most 0 (20% of 3), 1 over.
    assert (before.quota.excellent, before.quota.good, before.quota.quota, before.quota.overflow) == (4, 0, 0, 4)
    assert (after.quota.excellent, after.quota.good, after.quota.quota, after.quota.overflow) == (1, 2, 0, 1)
    # The counts per rating of the base's members.
    assert before.members == RatingCounts(4, 0, 0, 0)
    assert after.members == RatingCounts(1, 2, 0, 1)
    # The organizations' own ratings: the office cell (Đức not complete, An good) can no longer
    # be excellent; the budget cell (Bình good, Hoa excellent) and the committee keep excellent.
    outcomes = {o.review.organization.name: o for o in after.organizations}
    office = outcomes["Chi bộ Văn phòng"]
    assert (office.proposal.rating, office.rating) == (Rating.GOOD, Rating.GOOD)
    assert [r.rule for r in office.proposal.capped_by] == ["cap.below_not_complete"]
    assert outcomes["Chi bộ Ngân sách"].proposal.rating == Rating.EXCELLENT
    assert outcomes["Đảng bộ Sở Tài chính"].proposal.rating == Rating.EXCELLENT
    assert {o.review.organization.name: o.proposal.rating for o in before.organizations} == {
        "Đảng bộ Sở Tài chính": Rating.EXCELLENT,
        "Chi bộ Văn phòng": Rating.EXCELLENT,
        "Chi bộ Ngân sách": Rating.EXCELLENT,
    }
    assert before.organization_counts == RatingCounts(3, 0, 0, 0)
    assert after.organization_counts == RatingCounts(2, 1, 0, 0)
    # Nothing was saved.
    assert set(MemberReview.objects.filter(round=round, base=cast.tree.finance).values_list("appraised_rating", flat=True)) == {
        Rating.EXCELLENT
    }
    assert org_review(round, cast.tree.office_cell).appraised_rating == Rating.EXCELLENT


def test_without_changes_both_sides_give_the_proposals_the_real_path_stored(cast, people, proposed):
    # The same proposals as the real path gives: what_if's "before" equals each review's stored proposal.
    result = what_if(round=proposed, base=cast.tree.finance, choices={})
    assert result.changes == {}
    assert [(o.review.pk, o.proposal.rating) for o in result.before.organizations] == [
        (o.review.pk, o.proposal.rating) for o in result.after.organizations
    ]
    stored = dict(OrganizationReview.objects.filter(round=proposed).values_list("pk", "proposed_rating"))
    assert all(stored[o.review.pk] == o.proposal.rating for o in result.before.organizations)


def test_the_what_if_page_shows_before_and_after_to_the_deciding_committee_only(client, cast, people, proposed):
    duc = review_of(proposed, people.duc)
    url = reverse("reviews:decide_what_if", args=[proposed.pk, cast.tree.finance.pk])
    client.force_login(cast.cell)
    assert client.get(url).status_code == 404  # the committee lies above the cell's scope
    client.force_login(cast.viewer)
    assert client.get(url).status_code == 403
    client.force_login(cast.base)
    page = client.get(url, {f"rating-{duc.pk}": "not_complete"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="quota-before"' in text and "4 xuất sắc, 0 tốt" in text and "Vượt 4" in text
    assert "3 xuất sắc, 0 tốt" in text and "Vượt 3" in text  # 20% of 3, rounded down: 0
    assert "1/2 đảng viên hoặc tổ chức trực thuộc không hoàn thành nhiệm vụ" in text
    assert client.post(url).status_code == 405
    assert review_of(proposed, people.duc).appraised_rating == Rating.EXCELLENT


# -- many members at once --------------------------------------------------------------


def _entries(round, people, **overrides):
    decided_on = dt.date(2026, 1, 20)
    form = {"general_points": Decimal(26), "result_points": Decimal(56), "tasks": [{"name": "Báo cáo quý", "outcome": "on_time"}]}
    return [
        StepsEntry(review=review_of(round, p), self_values=form, decided_on=decided_on, decision_number="15-QĐ/ĐU", **overrides)
        for p in (people.duc, people.an, people.binh, people.hoa)
    ]


def test_many_members_go_through_the_three_steps_at_once_with_their_history_and_tallies(cast, people, round_2025):
    decided = reviews_decide_in_bulk(round=round_2025, entries=_entries(round_2025, people), user=cast.upper)
    assert len(decided) == 4
    duc = review_of(round_2025, people.duc)
    assert (duc.step, duc.proposed_rating, duc.appraised_rating, duc.rating) == (Step.DECIDED, "good", "good", "good")
    assert (duc.tasks_total, duc.tasks_late, duc.tasks_above) == (1, 0, 0)
    # A history row for each step, after the one of the round's opening.
    steps = [h.step for h in duc.history.order_by("history_date", "history_id")]
    assert steps == [Step.SELF, Step.SELF, Step.APPRAISED, Step.DECIDED]
    assert duc.history.first().history_user == cast.upper
    tally = RatingTally.objects.get(organization=cast.tree.office_cell, year=2025, subject=Subject.MEMBER)
    assert tally.good == 2
    assert recount(year=2025) == tallies(year=2025)


def test_one_entry_above_the_rules_writes_nothing(cast, people, round_2025):
    entries = _entries(round_2025, people)
    entries[1].appraised_rating = Rating.EXCELLENT  # 82 points cannot be excellent
    with pytest.raises(ValidationError, match="Không thể xếp loại «Hoàn thành xuất sắc nhiệm vụ»"):
        reviews_decide_in_bulk(round=round_2025, entries=entries, user=cast.upper)
    assert not MemberReview.objects.filter(round=round_2025).exclude(step=Step.SELF).exists()
    assert not RatingTally.objects.filter(year=2025, good__gt=0).exists()


def test_a_cell_secretary_cannot_decide_many_at_once(cast, people, round_2025):
    entries = [e for e in _entries(round_2025, people) if e.review.cell_id == cast.tree.office_cell.pk]
    with pytest.raises(ValidationError, match="không có quyền"):
        reviews_decide_in_bulk(round=round_2025, entries=entries, user=cast.cell)
    assert review_of(round_2025, people.duc).step == Step.SELF
