"""The review's three steps on the small tree, with a user per role, and the tallies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from discipline.services import discipline_record
from members.tests._people import add_people
from reviews.models import MemberReview, OrganizationReview, RatingTally, Step, Subject
from reviews.regimes.base import Rating
from reviews.services import (
    quota_units,
    review_amend,
    review_appraise,
    review_decide,
    review_self_assess,
    round_close,
    round_open,
)
from reviews.testing import open_round

DECIDED = dt.date(2026, 1, 20)


@pytest.fixture
def people(cast):
    return add_people(cast.tree)


@pytest.fixture
def round_2025(cast, people):
    return open_round(cast.tree.bloc, 2025, user=cast.upper)


def review_of(round, member) -> MemberReview:
    return MemberReview.objects.select_related("member", "cell", "round").get(round=round, member=member)


def excellent_form(**extra):
    return {"general_points": Decimal(28), "result_points": Decimal(64), "tasks_total": 10, "tasks_above": 4, **extra}


def test_it_lists_every_member_of_a_cell_on_the_reference_date_and_every_base_organization_and_cell(cast, people, round_2025):
    members = set(round_2025.member_reviews.values_list("member__given_name", flat=True))
    assert members == {"Đức", "An", "Bình", "Hoa", "Lan"}
    organizations = dict(OrganizationReview.objects.filter(round=round_2025).values_list("organization__name", "is_base"))
    assert organizations == {
        "Đảng bộ Sở Tài chính": True,
        "Chi bộ Văn phòng": False,
        "Chi bộ Ngân sách": False,
        "Chi bộ Báo Bắc Giang": True,
    }
    assert review_of(round_2025, people.duc).base == cast.tree.finance


def test_a_member_admitted_under_six_months_before_is_listed_not_rated_and_counted(cast, people):
    round_2024 = round_open(
        organization=cast.tree.bloc,
        year=2024,
        opens_on=dt.date(2024, 12, 1),
        self_deadline=dt.date(2024, 12, 15),
        appraisal_deadline=dt.date(2024, 12, 20),
        decision_deadline=dt.date(2025, 1, 15),
        user=cast.upper,
    )
    hoa = review_of(round_2024, people.hoa)  # admitted 03/11/2024
    assert hoa.excluded_rule == "excluded.recently_admitted"
    assert hoa.proposed_rating == ""
    tally = RatingTally.objects.get(organization=cast.tree.budget_cell, year=2024, subject=Subject.MEMBER)
    assert tally.not_rated == 1


def test_a_member_self_assesses_and_gets_the_rules_proposal_with_reasons(cast, people, round_2025):
    member_user = cast.member
    people.duc.user = member_user
    people.duc.save()
    review = review_self_assess(review=review_of(round_2025, people.duc), user=member_user, **excellent_form())
    assert review.proposed_rating == Rating.EXCELLENT
    assert [r["rule"] for r in review.proposal_reasons] == ["b.points", "b.tasks", "b.excellent"]


def test_a_member_cannot_fill_in_someone_elses_form(cast, people, round_2025):
    with pytest.raises(PermissionDenied):
        review_self_assess(review=review_of(round_2025, people.an), user=cast.member, **excellent_form())


def test_an_outsider_cannot_self_assess_for_a_member(cast, people, round_2025):
    with pytest.raises(PermissionDenied):
        review_self_assess(review=review_of(round_2025, people.an), user=cast.outsider, **excellent_form())


def test_the_cell_secretary_enters_the_paper_form_and_proposes(cast, people, round_2025):
    review = review_self_assess(review=review_of(round_2025, people.an), user=cast.cell, **excellent_form())
    review = review_appraise(review=review, user=cast.cell, rating=Rating.EXCELLENT)
    assert review.step == Step.APPRAISED
    assert review.appraised_by == cast.cell


def test_a_choice_above_what_the_score_allows_cannot_be_saved(cast, people, round_2025):
    review = review_self_assess(
        review=review_of(round_2025, people.an), user=cast.cell, **excellent_form(result_points=Decimal(50))
    )
    assert review.proposed_rating == Rating.GOOD  # 78 points
    with pytest.raises(ValidationError) as error:
        review_appraise(review=review, user=cast.cell, rating=Rating.EXCELLENT, note="Có nhiều thành tích")
    assert "Hoàn thành tốt nhiệm vụ" in str(error.value)
    assert MemberReview.objects.get(pk=review.pk).step == Step.SELF


def test_a_choice_below_the_proposal_needs_a_written_reason(cast, people, round_2025):
    review = review_self_assess(review=review_of(round_2025, people.an), user=cast.cell, **excellent_form())
    with pytest.raises(ValidationError) as error:
        review_appraise(review=review, user=cast.cell, rating=Rating.GOOD)
    assert "lý do" in str(error.value)
    review = review_appraise(review=review, user=cast.cell, rating=Rating.GOOD, note="Chưa gương mẫu trong sinh hoạt")
    assert review.appraised_rating == Rating.GOOD


def test_a_cell_secretary_cannot_decide(cast, people, round_2025):
    review = review_self_assess(review=review_of(round_2025, people.an), user=cast.cell, **excellent_form())
    review = review_appraise(review=review, user=cast.cell, rating=Rating.EXCELLENT)
    with pytest.raises(PermissionDenied):
        review_decide(review=review, user=cast.cell, decided_on=DECIDED, decision_number="15-QĐ/ĐU")


@pytest.mark.parametrize("role", ["member", "viewer", "outsider"])
def test_read_only_and_outside_roles_cannot_decide(cast, people, round_2025, role):
    review = review_self_assess(review=review_of(round_2025, people.an), user=cast.cell, **excellent_form())
    review = review_appraise(review=review, user=cast.cell, rating=Rating.EXCELLENT)
    with pytest.raises(PermissionDenied):
        review_decide(review=review, user=getattr(cast, role), decided_on=DECIDED, decision_number="15-QĐ/ĐU")


def test_the_base_committee_decides_and_the_tally_counts_it(cast, people, round_2025):
    review = review_self_assess(review=review_of(round_2025, people.an), user=cast.cell, **excellent_form())
    review = review_appraise(review=review, user=cast.cell, rating=Rating.EXCELLENT)
    review = review_decide(review=review, user=cast.base, decided_on=DECIDED, decision_number="15-QĐ/ĐU")
    assert (review.step, review.rating, review.decision_number) == (Step.DECIDED, Rating.EXCELLENT, "15-QĐ/ĐU")
    tally = RatingTally.objects.get(organization=cast.tree.office_cell, year=2025, subject=Subject.MEMBER)
    assert (tally.excellent, tally.good) == (1, 0)
    assert review.history.count() >= 3  # created, self-assessed, appraised, decided


def test_deciding_before_the_appraisal_is_refused(cast, people, round_2025):
    review = review_self_assess(review=review_of(round_2025, people.an), user=cast.cell, **excellent_form())
    with pytest.raises(ValidationError):
        review_decide(review=review, user=cast.base, decided_on=DECIDED, decision_number="15-QĐ/ĐU")


def test_a_decided_rating_changes_only_by_a_recorded_amendment(cast, people, round_2025):
    review = review_self_assess(review=review_of(round_2025, people.an), user=cast.cell, **excellent_form())
    review = review_appraise(review=review, user=cast.cell, rating=Rating.EXCELLENT)
    review = review_decide(review=review, user=cast.base, decided_on=DECIDED, decision_number="15-QĐ/ĐU")
    with pytest.raises(ValidationError):
        review_appraise(review=review, user=cast.cell, rating=Rating.GOOD, note="x")
    with pytest.raises(ValidationError):
        review_amend(review=review, user=cast.base, rating=Rating.GOOD, decided_on=DECIDED, decision_number="16-QĐ/ĐU", note="")
    review = review_amend(
        review=review, user=cast.base, rating=Rating.GOOD, decided_on=DECIDED, decision_number="16-QĐ/ĐU", note="Rà soát lại"
    )
    tally = RatingTally.objects.get(organization=cast.tree.office_cell, year=2025, subject=Subject.MEMBER)
    assert (tally.excellent, tally.good) == (0, 1)
    assert review.decision_number == "16-QĐ/ĐU"


def test_a_member_disciplined_in_the_year_is_proposed_not_complete_and_counted_so(cast, people, round_2025):
    discipline_record(member=people.an, form="reprimand", decided_on=dt.date(2025, 6, 1), decision_number="05-QĐ/UBKT")
    review = review_self_assess(review=review_of(round_2025, people.an), user=cast.cell, **excellent_form())
    assert review.proposed_rating == Rating.NOT_COMPLETE
    review = review_appraise(review=review, user=cast.cell, rating=Rating.NOT_COMPLETE)
    review_decide(review=review, user=cast.base, decided_on=DECIDED, decision_number="15-QĐ/ĐU")
    tally = RatingTally.objects.get(organization=cast.tree.office_cell, year=2025, subject=Subject.MEMBER)
    assert (tally.not_complete, tally.not_complete_disciplined) == (1, 1)


def test_an_organization_with_one_of_its_two_cells_disciplined_is_not_complete(cast, people, round_2025):
    # One of two subordinate organizations is 50%, more than the 20% of Quy định 366-QĐ/TW.
    discipline_record(
        organization=cast.tree.budget_cell, form="reprimand", decided_on=dt.date(2025, 8, 1), decision_number="07-QĐ"
    )
    finance = OrganizationReview.objects.get(round=round_2025, organization=cast.tree.finance)
    with pytest.raises(ValidationError) as error:
        review_appraise(review=finance, user=cast.upper, rating=Rating.COMPLETE, points=Decimal(85), tasks_total=5, note="x")
    assert "1/2 tổ chức trực thuộc bị kỷ luật" in str(error.value)
    finance = review_appraise(
        review=finance, user=cast.upper, rating=Rating.NOT_COMPLETE, points=Decimal(85), tasks_total=5, note="Kỷ luật"
    )
    assert finance.proposed_rating == Rating.NOT_COMPLETE
    assert {"cap.subordinates_disciplined", "cap.discipline_below"} <= {r["rule"] for r in finance.proposal_reasons}


def test_a_base_secretary_cannot_appraise_their_own_organization(cast, people, round_2025):
    finance = OrganizationReview.objects.get(round=round_2025, organization=cast.tree.finance)
    with pytest.raises(PermissionDenied):
        review_appraise(review=finance, user=cast.base, rating=Rating.GOOD, points=Decimal(85), tasks_total=5)


def test_the_round_cannot_close_while_the_quota_is_broken(cast, people, round_2025):
    # Finance's members: Đức, An, Bình, Hoa; two excellent of four good-or-better: the quota is 0.
    for person in (people.duc, people.an):
        review = review_self_assess(
            review=review_of(round_2025, person),
            user=cast.cell if person.organization == cast.tree.office_cell else cast.base,
            **excellent_form(),
        )
        review_appraise(review=review, user=cast.base, rating=Rating.EXCELLENT)
    units = {u.label: u for u in quota_units(round_2025)}
    unit = units["Đảng viên của Đảng bộ Sở Tài chính"]
    assert (unit.excellent, unit.good, unit.quota, unit.overflow) == (2, 0, 0, 2)
    with pytest.raises(ValidationError):
        round_close(round=round_2025, user=cast.upper)


def test_a_member_with_two_posts_is_reviewed_in_each(cast, people, round_2025):
    from reviews.services import review_add_post

    review = review_of(round_2025, people.duc)
    extra = review_add_post(review=review, post="Giám đốc Sở Tài chính", user=cast.cell)
    assert MemberReview.objects.filter(round=round_2025, member=people.duc).count() == 2
    assert extra.history.count() == 1
    with pytest.raises(ValidationError):
        review_add_post(review=review, post="Giám đốc Sở Tài chính", user=cast.cell)
    with pytest.raises(PermissionDenied):
        review_add_post(review=review, post="Phó Giám đốc", user=cast.viewer)


def test_the_rounds_proposals_in_bulk_equal_each_reviews_own(cast, people, round_2025):
    from reviews.services import proposals_for_round, propose

    discipline_record(member=people.an, form="warning", decided_on=dt.date(2025, 4, 1), decision_number="1")
    discipline_record(
        member=people.binh, form="reprimand", decided_on=dt.date(2025, 4, 1), decision_number="2", for_corruption_or_waste=True
    )
    discipline_record(organization=cast.tree.office_cell, form="reprimand", decided_on=dt.date(2025, 5, 1), decision_number="3")
    review_self_assess(
        review=review_of(round_2025, people.duc),
        user=cast.cell,
        general_points=Decimal(28),
        result_points=Decimal(64),
        tasks_total=10,
        tasks_above=4,
    )
    OrganizationReview.objects.filter(round=round_2025).update(points=Decimal(80), tasks_total=5)
    bulk = {(type(r).__name__, r.pk): (p.rating, [x.rule for x in p.reasons]) for r, p in proposals_for_round(round_2025)}
    one_by_one = {}
    for review in [*MemberReview.objects.filter(round=round_2025), *OrganizationReview.objects.filter(round=round_2025)]:
        proposal = propose(review)
        one_by_one[(type(review).__name__, review.pk)] = (proposal.rating, [x.rule for x in proposal.reasons])
    assert bulk == one_by_one
    finance = OrganizationReview.objects.get(round=round_2025, organization=cast.tree.finance)
    assert "cap.corruption" in bulk[("OrganizationReview", finance.pk)][1]
