import datetime as dt
from types import SimpleNamespace

import pytest

from members.models import Ethnicity, Member, ProfessionalEducation, Status
from members.selectors import changes_in_period, member_statistics, probationary_due_for_full
from members.services import member_attach_temporarily, member_change_status, member_transfer_out, member_transfer_within
from members.testing import add_member

D = dt.date
ON = D(2025, 6, 30)


@pytest.fixture
def people(tree):
    kinh, tay = Ethnicity.objects.get(name="Kinh"), Ethnicity.objects.get(name="Tày")
    university = ProfessionalEducation.objects.get(code="dai-hoc")
    p = SimpleNamespace()
    p.young = add_member(
        tree.office_cell, given_name="Hoa", sex="F", birth_date=D(1996, 1, 1), admitted_on=D(2016, 1, 10), ethnicity=kinh
    )
    p.moved = add_member(
        tree.office_cell, given_name="Hùng", birth_date=D(1980, 5, 1), ethnicity=tay, professional_education=university
    )
    member_transfer_within(member=p.moved, to_organization=tree.budget_cell, letter_on=D(2025, 2, 3), presented_on=D(2025, 2, 10))
    p.exempt = add_member(tree.budget_cell, given_name="Khải", birth_date=D(1960, 3, 1), ethnicity=kinh)
    member_change_status(member=p.exempt, status=Status.EXEMPT, effective_on=D(2022, 1, 1))
    p.probationary = add_member(
        tree.budget_cell, given_name="Lan", sex="F", birth_date=D(1990, 9, 9), admitted_on=D(2024, 8, 23), full_member_on=None
    )
    p.deceased = add_member(tree.office_cell, given_name="Minh", birth_date=D(1950, 1, 1))
    member_change_status(member=p.deceased, status=Status.DECEASED, effective_on=D(2024, 12, 1))
    p.elsewhere = add_member(tree.newspaper, given_name="Nam", birth_date=D(1970, 2, 2))
    member_attach_temporarily(member=p.elsewhere, organization=tree.budget_cell, started_on=D(2025, 3, 1), ends_on=D(2025, 12, 1))
    p.left = add_member(tree.office_cell, given_name="Oanh", sex="F", birth_date=D(1975, 4, 4))
    member_transfer_out(member=p.left, destination="Đảng bộ tỉnh Bắc Ninh", letter_no="G-5", letter_on=D(2025, 3, 3))
    p.later = add_member(
        tree.budget_cell, given_name="Phú", birth_date=D(2000, 1, 1), admitted_on=D(2025, 8, 1), full_member_on=None
    )
    return p


def counts(rows):
    return {r.key: r.count for r in rows if r.count}


def test_statistics_count_members_in_the_party_on_the_date_in_the_cell_they_were_in(tree, people, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):  # one query per dimension, whatever the number of members
        stats = member_statistics(Member.objects.all(), on=ON, organization=tree.finance)
    # Hoa (office), Hùng (moved to budget), Khải (exempt), Lan (probationary). Not Minh (died),
    # Oanh (left), Phú (admitted later), Nam (another cell, only attached to budget).
    assert stats.total == 4 and stats.youth == 1
    assert counts(stats.by_status) == {"probationary": 1, "full": 2, "exempt": 1}
    assert counts(stats.by_sex) == {"M": 2, "F": 2}
    assert counts(stats.by_age_band) == {"le30": 1, "31-40": 1, "41-50": 1, "gt60": 1}
    assert counts(stats.by_ethnicity) == {"01": 2, "02": 1, "": 1}
    assert counts(stats.by_professional_education) == {"dai-hoc": 1, "": 3}
    assert stats.by_ethnicity[-1].label == "Chưa cập nhật"


def test_a_temporary_member_is_not_counted_in_the_temporary_cell(tree, people):
    stats = member_statistics(Member.objects.all(), on=ON, organization=tree.budget_cell)
    assert stats.total == 3  # Hùng, Khải, Lan; not Nam
    assert member_statistics(Member.objects.all(), on=ON, organization=tree.newspaper).total == 1


def test_statistics_of_an_earlier_date_follow_the_history(tree, people):
    before = member_statistics(Member.objects.all(), on=D(2024, 6, 30), organization=tree.office_cell)
    assert before.total == 4  # Hoa, Hùng (not yet moved), Minh (alive), Oanh (not yet left)
    after = member_statistics(Member.objects.all(), on=ON, organization=tree.office_cell)
    assert after.total == 1
    assert member_statistics(Member.objects.all(), on=ON).total == 5  # the whole scope: Nam counted once


def test_statistics_respect_the_scope_given(tree, people):
    assert member_statistics(Member.objects.filter(sex="F"), on=ON).total == 2


def test_changes_in_a_period_by_organization(tree, people):
    finance = changes_in_period(Member.objects.all(), start=D(2024, 7, 1), end=ON, organization=tree.finance)
    values = {r.key: r.count for r in finance.rows()}
    assert values == {
        "admitted": 1,  # Lan
        "made_full": 0,
        "transferred_in": 0,  # Hùng moved inside the subtree
        "transferred_out": 1,  # Oanh
        "deceased": 1,
        "removed": 0,
        "expelled": 0,
    }
    budget = changes_in_period(Member.objects.all(), start=D(2024, 7, 1), end=ON, organization=tree.budget_cell)
    office = changes_in_period(Member.objects.all(), start=D(2024, 7, 1), end=ON, organization=tree.office_cell)
    assert (budget.transferred_in, budget.admitted, office.transferred_out, office.deceased) == (1, 1, 2, 1)


def test_probationary_members_due_for_full_membership_with_their_deadline(tree, people):
    rows = probationary_due_for_full(Member.objects.all(), on=D(2025, 8, 1))
    # Lan: admitted 23/08/2024, 12 months end 23/08/2025, 30 working days later 07/10/2025
    # (counted by hand in test_rules). Phú, admitted 01/08/2025, is not due yet.
    assert [(r.member.given_name, r.probation_ends_on, r.deadline, r.overdue) for r in rows] == [
        ("Lan", D(2025, 8, 23), D(2025, 10, 7), False)
    ]
    assert probationary_due_for_full(Member.objects.all(), on=D(2025, 10, 8))[0].overdue
