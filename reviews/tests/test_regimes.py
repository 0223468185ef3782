"""The two regimes with the numbers of their documents (Quy định 124-QĐ/TW, 366-QĐ/TW) and the
edges the issue names: exactly 90, 70 and 50 points, exactly 30% of tasks above requirement,
exactly 20% of tasks late, the quota's rounding and the exclusions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reviews.regimes import a_124, b_366, regime_for
from reviews.regimes.base import Discipline, Effect, MemberFacts, OrganizationFacts, Rating, RatingCounts, TaskOutcome, Tasks
from reviews.regimes.common import QuotaBase, QuotaSettings, Rounding, excellent_quota, quota_overflow

REF = dt.date(2025, 12, 31)
D = Decimal


ON_TIME_30_ABOVE = Tasks(10, 0, 3)


def member_b(general="28", results="62", tasks=ON_TIME_30_ABOVE, **kw) -> MemberFacts:
    return MemberFacts(reference_date=REF, general_points=D(general), result_points=D(results), tasks=tasks, **kw)


def rules_of(proposal) -> list[str]:
    return [r.rule for r in proposal.reasons]


# ---------------------------------------------------------------------------------------
# Which regime


@pytest.mark.parametrize(
    ("year", "expected"), [(2020, None), (2022, None), (2023, a_124), (2024, a_124), (2025, b_366), (2026, b_366)]
)
def test_it_chooses_the_regime_by_the_year_reviewed(year, expected):
    assert regime_for(year) is expected


def test_a_round_can_override_the_regime_of_its_year():
    assert regime_for(2024, "b_366") is b_366


# ---------------------------------------------------------------------------------------
# Regime B: the 100-point score


def test_it_rates_exactly_90_points_with_every_task_on_time_and_30_percent_above_excellent():
    proposal = b_366.propose_member(member_b("28", "62", Tasks(10, 0, 3)))
    assert proposal.rating == Rating.EXCELLENT
    assert proposal.score == D(90)
    assert "b.excellent" in rules_of(proposal)


def test_it_rates_89_and_a_half_points_good():
    assert b_366.propose_member(member_b("28", "61.5")).rating == Rating.GOOD


def test_it_rates_90_points_with_29_percent_above_requirement_good_and_says_why():
    proposal = b_366.propose_member(member_b("30", "60", Tasks(100, 0, 29)))
    assert proposal.rating == Rating.GOOD
    not_excellent = next(r for r in proposal.reasons if r.rule == "b.not_excellent")
    assert "29%" in not_excellent.text and "30%" in not_excellent.text


def test_it_rates_95_points_with_one_late_task_complete_not_good():
    proposal = b_366.propose_member(member_b("30", "65", Tasks(10, 1, 5)))
    assert proposal.rating == Rating.COMPLETE
    assert {"b.not_excellent", "b.not_good", "b.complete"} <= set(rules_of(proposal))


def test_an_unremedied_shortcoming_keeps_a_member_from_excellent():
    assert b_366.propose_member(member_b("30", "65", shortcomings_unremedied=True)).rating == Rating.GOOD


def test_it_rates_exactly_70_points_good_and_69_complete():
    assert b_366.propose_member(member_b("20", "50")).rating == Rating.GOOD
    assert b_366.propose_member(member_b("20", "49")).rating == Rating.COMPLETE


def test_it_rates_exactly_50_points_complete_and_49_not_complete():
    assert b_366.propose_member(member_b("15", "35")).rating == Rating.COMPLETE
    proposal = b_366.propose_member(member_b("15", "34"))
    assert proposal.rating == Rating.NOT_COMPLETE
    assert "b.under_50" in rules_of(proposal)


def test_a_collective_with_exactly_20_percent_late_is_complete_and_with_more_not_complete():
    at_limit = OrganizationFacts(reference_date=REF, points=D(60), tasks=Tasks(10, 2, 0))
    over = OrganizationFacts(reference_date=REF, points=D(60), tasks=Tasks(10, 3, 0))
    assert b_366.propose_organization(at_limit).rating == Rating.COMPLETE
    proposal = b_366.propose_organization(over)
    assert proposal.rating == Rating.NOT_COMPLETE
    assert "b.collective_late" in rules_of(proposal)


def test_a_member_with_many_late_tasks_but_50_points_is_complete():
    assert b_366.propose_member(member_b("20", "30", Tasks(10, 5, 0))).rating == Rating.COMPLETE


def test_it_refuses_points_outside_the_forms_ranges():
    with pytest.raises(ValueError):
        b_366.propose_member(member_b("31", "60"))
    with pytest.raises(ValueError):
        b_366.propose_member(member_b("20", "71"))


def test_a_member_without_a_score_gets_no_proposal_and_is_told_why():
    proposal = b_366.propose_member(MemberFacts(reference_date=REF))
    assert proposal.rating is None
    assert rules_of(proposal) == ["b.missing"]


# ---------------------------------------------------------------------------------------
# The caps both regimes share ("whatever the rest")


def test_a_member_disciplined_in_the_year_is_not_complete_whatever_the_score():
    proposal = b_366.propose_member(member_b("30", "70", disciplines=(Discipline(),)))
    assert proposal.rating == Rating.NOT_COMPLETE
    assert [r.rule for r in proposal.capped_by] == ["cap.disciplined"]


def test_a_discipline_for_a_fault_the_member_found_and_remedied_does_not_cap():
    facts = member_b("30", "70", disciplines=(Discipline(self_detected_and_remedied=True),))
    assert b_366.propose_member(facts).rating == Rating.EXCELLENT


def test_a_member_whose_unit_completed_under_half_its_targets_is_not_complete():
    assert b_366.propose_member(member_b(led_unit_target_share=D("0.49"))).rating == Rating.NOT_COMPLETE
    assert b_366.propose_member(member_b(led_unit_target_share=D("0.5"))).rating == Rating.EXCELLENT


def test_long_sick_leave_caps_a_member_below_good():
    assert b_366.propose_member(member_b(sick_leave_months=3)).rating == Rating.COMPLETE
    assert b_366.propose_member(member_b(sick_leave_months=2)).rating == Rating.EXCELLENT


def test_an_organization_whose_leadership_was_disciplined_is_not_complete():
    facts = OrganizationFacts(reference_date=REF, points=D(95), tasks=Tasks(10, 0, 5), leadership_disciplined=True)
    assert b_366.propose_organization(facts).rating == Rating.NOT_COMPLETE


def test_an_organization_with_more_than_20_percent_of_subordinates_disciplined_is_not_complete():
    exactly = OrganizationFacts(
        reference_date=REF, points=D(95), tasks=Tasks(10, 0, 5), subordinates=10, subordinates_disciplined=2
    )
    over = OrganizationFacts(reference_date=REF, points=D(95), tasks=Tasks(10, 0, 5), subordinates=10, subordinates_disciplined=3)
    # Exactly 20% is not "more than 20%": the organization is capped at complete, not below.
    assert b_366.propose_organization(exactly).rating == Rating.COMPLETE
    assert b_366.propose_organization(over).rating == Rating.NOT_COMPLETE


def test_an_organization_with_one_disciplined_subordinate_or_leader_cannot_be_good():
    one_unit = OrganizationFacts(
        reference_date=REF, points=D(95), tasks=Tasks(10, 0, 5), subordinates=20, subordinates_disciplined=1
    )
    one_leader = OrganizationFacts(reference_date=REF, points=D(80), tasks=Tasks(10, 0, 0), leadership_member_disciplined=True)
    assert b_366.propose_organization(one_unit).rating == Rating.COMPLETE
    assert b_366.propose_organization(one_leader).rating == Rating.COMPLETE
    assert (
        a_124.propose_organization(
            OrganizationFacts(
                reference_date=REF,
                results_level=Rating.EXCELLENT,
                criteria_level=Rating.EXCELLENT,
                subordinates=5,
                subordinates_disciplined=1,
            )
        ).rating
        == Rating.COMPLETE
    )


@pytest.mark.parametrize("fact", ["subordinate_corruption_disciplined", "disunity_concluded"])
def test_corruption_below_or_disunity_makes_an_organization_not_complete(fact):
    facts = OrganizationFacts(reference_date=REF, results_level=Rating.EXCELLENT, **{fact: True})
    assert a_124.propose_organization(facts).rating == Rating.NOT_COMPLETE


def test_an_organization_completing_under_half_its_targets_is_not_complete():
    facts = OrganizationFacts(reference_date=REF, points=D(92), tasks=Tasks(4, 0, 2), target_share=D("0.4"))
    proposal = b_366.propose_organization(facts)
    assert proposal.rating == Rating.NOT_COMPLETE
    assert "40%" in proposal.capped_by[0].text


# ---------------------------------------------------------------------------------------
# Exclusions


def test_a_suspended_member_is_not_rated():
    proposal = b_366.propose_member(member_b(suspended=True))
    assert proposal.rating is None
    assert proposal.reasons[0].effect == Effect.EXCLUDE


def test_an_exempt_member_is_not_rated():
    assert a_124.propose_member(MemberFacts(reference_date=REF, exempt=True, results_level=Rating.GOOD)).rating is None


def test_a_member_admitted_less_than_six_months_before_the_reference_date_is_not_rated():
    recent = b_366.propose_member(member_b(admitted_on=dt.date(2025, 7, 1)))
    six_months = b_366.propose_member(member_b(admitted_on=dt.date(2025, 6, 30)))
    assert recent.rating is None
    assert "01/07/2025" in recent.reasons[0].text
    assert six_months.rating == Rating.EXCELLENT


# ---------------------------------------------------------------------------------------
# Regime A: the results criterion decides the top two levels


def test_regime_a_never_rates_above_the_results_criterion():
    facts = MemberFacts(reference_date=REF, results_level=Rating.GOOD, criteria_level=Rating.EXCELLENT)
    assert a_124.propose_member(facts).rating == Rating.GOOD


def test_regime_a_lowers_the_rating_to_the_other_criteria_and_says_so():
    facts = MemberFacts(reference_date=REF, results_level=Rating.EXCELLENT, criteria_level=Rating.COMPLETE)
    proposal = a_124.propose_member(facts)
    assert proposal.rating == Rating.COMPLETE
    assert "a.criteria" in rules_of(proposal)


def test_regime_a_applies_the_discipline_cap():
    facts = MemberFacts(reference_date=REF, results_level=Rating.EXCELLENT, disciplines=(Discipline(),))
    proposal = a_124.propose_member(facts)
    assert proposal.rating == Rating.NOT_COMPLETE
    assert proposal.capped_by[0].document.startswith("Quy định 124-QĐ/TW")


# ---------------------------------------------------------------------------------------
# The quota


@pytest.mark.parametrize(("good_or_better", "quota"), [(10, 2), (14, 2), (4, 0), (5, 1), (15, 3)])
def test_the_default_quota_is_20_percent_of_good_or_better_rounded_down(good_or_better, quota):
    assert excellent_quota(excellent=0, good=good_or_better, settings=QuotaSettings()) == quota


def test_the_quota_base_and_rounding_are_settings():
    assert excellent_quota(excellent=4, good=10, settings=QuotaSettings(base=QuotaBase.GOOD)) == 2
    assert excellent_quota(excellent=4, good=10, settings=QuotaSettings(rounding=Rounding.UP)) == 3
    assert excellent_quota(excellent=2, good=10, settings=QuotaSettings(rounding=Rounding.NEAREST)) == 2
    assert excellent_quota(excellent=2, good=10, settings=QuotaSettings(applies=False)) is None


def test_the_overflow_says_by_how_many_the_proposals_exceed_the_quota():
    # 4 excellent + 10 good = 14 good or better → at most 2 excellent: 2 too many.
    assert quota_overflow(excellent=4, good=10, settings=QuotaSettings()) == 2
    assert quota_overflow(excellent=2, good=8, settings=QuotaSettings()) == 0
    assert quota_overflow(excellent=9, good=0, settings=QuotaSettings(applies=False)) == 0


# -- the list of tasks (Mẫu 2A/2B/2C) and the ratings below a collective ----------------


def listed(on_time: int = 0, above: int = 0, late: int = 0) -> Tasks:
    return Tasks.from_outcomes([TaskOutcome.ON_TIME] * on_time + [TaskOutcome.ABOVE] * above + [TaskOutcome.LATE] * late)


def test_a_list_of_ten_tasks_with_exactly_three_above_requirement_reaches_excellent():
    tasks = listed(on_time=7, above=3)
    assert (tasks.total, tasks.late, tasks.above_requirement) == (10, 0, 3)
    proposal = b_366.propose_member(member_b("28", "62", tasks=tasks))  # 90 points
    assert proposal.rating == Rating.EXCELLENT
    assert b_366.task_summary(tasks) == "10 nhiệm vụ: 10 đúng tiến độ (100%), trong đó 3 vượt yêu cầu (30%); 0 chậm tiến độ."
    assert "b.tasks" in [r.rule for r in proposal.reasons]


def test_two_of_seven_tasks_above_requirement_is_under_thirty_percent_and_stays_good():
    proposal = b_366.propose_member(member_b("30", "70", tasks=listed(on_time=5, above=2)))
    assert proposal.rating == Rating.GOOD
    assert "28,6% nhiệm vụ vượt yêu cầu, dưới 30%" in " ".join(r.text for r in proposal.reasons)


def test_one_late_task_in_the_list_keeps_a_member_with_95_points_at_complete():
    tasks = listed(on_time=5, above=4, late=1)
    assert b_366.propose_member(member_b("30", "65", tasks=tasks)).rating == Rating.COMPLETE
    assert b_366.task_summary(tasks) == "10 nhiệm vụ: 9 đúng tiến độ (90%), trong đó 4 vượt yêu cầu (40%); 1 chậm tiến độ."
    # A collective with one late task of ten (10%, at most 20%) is complete too.
    assert b_366.propose_organization(OrganizationFacts(reference_date=REF, points=D(95), tasks=tasks)).rating == Rating.COMPLETE


def test_an_unknown_task_outcome_is_refused():
    with pytest.raises(ValueError):
        Tasks.from_outcomes(["on_time", "soon"])


def test_a_collective_is_excellent_with_every_one_below_complete_and_eighty_percent_good():
    facts = OrganizationFacts(reference_date=REF, points=D(95), tasks=Tasks(10, 0, 4), below_ratings=RatingCounts(2, 6, 2, 0))
    assert b_366.propose_organization(facts).rating == Rating.EXCELLENT  # 8/10 good or better: exactly 80%


def test_a_collective_with_seventy_percent_good_below_is_capped_at_good():
    facts = OrganizationFacts(reference_date=REF, points=D(95), tasks=Tasks(10, 0, 4), below_ratings=RatingCounts(2, 5, 3, 0))
    proposal = b_366.propose_organization(facts)
    assert proposal.rating == Rating.GOOD
    assert [r.rule for r in proposal.capped_by] == ["cap.below_good_share"]
    assert "70%" in proposal.capped_by[0].text and "Hướng dẫn 21-HD/BTCTW" in proposal.capped_by[0].document


def test_a_collective_with_one_member_not_complete_cannot_be_excellent_under_either_regime():
    below = RatingCounts(3, 6, 0, 1)
    b = b_366.propose_organization(
        OrganizationFacts(reference_date=REF, points=D(95), tasks=Tasks(10, 0, 4), below_ratings=below)
    )
    assert b.rating == Rating.GOOD and [r.rule for r in b.capped_by] == ["cap.below_not_complete"]
    a = a_124.propose_organization(
        OrganizationFacts(
            reference_date=REF, results_level=Rating.EXCELLENT, criteria_level=Rating.EXCELLENT, below_ratings=below
        )
    )
    assert a.rating == Rating.GOOD
