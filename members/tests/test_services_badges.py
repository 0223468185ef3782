import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from members.models import Member
from members.selectors import badges_due
from members.services import badge_award
from members.testing import add_member

D = dt.date


def test_a_member_at_29_years_11_months_of_party_age_is_due_the_30_year_badge_within_the_year(tree):
    # Admitted 02/10/1995: on 02/09/2025 the party age is 29 years 11 months; the 30 years are
    # complete on 02/10/2025, before the award date 03/02/2026.
    member = add_member(tree.office_cell, birth_date=D(1970, 1, 1), admitted_on=D(1995, 10, 2))
    assert member.party_age(D(2025, 9, 2)) == 29
    assert badges_due(Member.objects.all(), award_date=D(2025, 9, 2)) == []
    rows = badges_due(Member.objects.all(), award_date=D(2026, 2, 3))
    assert [(r.member, r.years, r.due_on, r.missed) for r in rows] == [(member, 30, D(2025, 10, 2), False)]


def test_the_due_list_gives_the_highest_milestone_above_the_badges_already_awarded(tree):
    veteran = add_member(tree.office_cell, given_name="Bảo", birth_date=D(1950, 1, 1), admitted_on=D(1980, 3, 1))
    badge_award(member=veteran, years=30, awarded_on=D(2010, 3, 1))
    awarded_40 = add_member(tree.office_cell, given_name="Chi", birth_date=D(1950, 1, 1), admitted_on=D(1984, 1, 1))
    badge_award(member=awarded_40, years=40, awarded_on=D(2024, 2, 3))
    # Duy reached 55 years of party age on 05/05/2023 and was never awarded a badge.
    add_member(tree.budget_cell, given_name="Duy", birth_date=D(1940, 1, 1), admitted_on=D(1968, 5, 5))
    rows = badges_due(Member.objects.all(), award_date=D(2025, 9, 2))
    assert [(r.member.given_name, r.years, r.missed) for r in rows] == [("Duy", 55, True), ("Bảo", 45, False)]


def test_a_badge_is_awarded_once_the_milestone_is_reached(tree):
    member = add_member(tree.office_cell, birth_date=D(1970, 1, 1), admitted_on=D(1995, 9, 2))
    with pytest.raises(ValidationError, match="chưa đủ 30 năm tuổi Đảng: đủ vào ngày 02/09/2025"):
        badge_award(member=member, years=30, awarded_on=D(2025, 2, 3))
    result = badge_award(member=member, years=30, awarded_on=D(2025, 9, 2), decision_no="QĐ-HH-1")
    assert result.badge.history.count() == 1 and "huy hiệu 30 năm" in result.effects[0]
    with pytest.raises(ValidationError, match="đã được tặng huy hiệu 30"):
        badge_award(member=member, years=30, awarded_on=D(2025, 9, 3))


def test_an_early_badge_for_illness_within_12_months_is_accepted(tree):
    member = add_member(tree.office_cell, birth_date=D(1970, 1, 1), admitted_on=D(1995, 9, 2))
    result = badge_award(member=member, years=30, awarded_on=D(2024, 9, 2), early_for_illness=True)
    assert result.badge.early_for_illness


def test_an_early_badge_for_illness_13_months_before_is_refused(tree):
    member = add_member(tree.office_cell, birth_date=D(1970, 1, 1), admitted_on=D(1995, 9, 2))
    with pytest.raises(ValidationError, match="tối đa 12 tháng, tức từ ngày 02/09/2024"):
        badge_award(member=member, years=30, awarded_on=D(2024, 8, 2), early_for_illness=True)


def test_a_probationary_member_gets_no_badge(tree):
    member = add_member(tree.office_cell, admitted_on=D(2024, 9, 2), full_member_on=None)
    with pytest.raises(ValidationError, match="chưa có tuổi đảng"):
        badge_award(member=member, years=30, awarded_on=D(2025, 9, 2))
