import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from members import rules

D = dt.date


def test_add_months_clamps_to_the_end_of_the_month():
    assert rules.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert rules.add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert rules.add_months(D(2025, 3, 15), -15) == D(2023, 12, 15)


def test_age_counts_completed_years_and_a_29_february_birthday_completes_on_1_march():
    assert rules.age_on(D(1995, 6, 10), D(2025, 6, 9)) == 29
    assert rules.age_on(D(1995, 6, 10), D(2025, 6, 10)) == 30
    assert rules.age_on(D(2004, 2, 29), D(2025, 2, 28)) == 20
    assert rules.age_on(D(2004, 2, 29), D(2025, 3, 1)) == 21


@given(st.dates(min_value=D(1920, 1, 1), max_value=D(2010, 12, 31)), st.dates(min_value=D(2011, 1, 1)), st.integers(0, 90))
def test_the_birth_date_cut_off_agrees_with_the_age(birth, on, years):
    # The database filters on this cut-off; it must say exactly what age_on says.
    assert (rules.age_on(birth, on) >= years) == (birth <= rules.latest_birth_date_for_age(years, on))


def test_youth_is_thirty_or_younger_at_the_reference_date():
    assert rules.is_youth(D(1994, 12, 31), D(2025, 12, 30))  # 30 years old
    assert not rules.is_youth(D(1994, 12, 31), D(2025, 12, 31))  # 31 that day


def test_admission_at_17_years_11_months_is_refused_and_at_exactly_18_accepted():
    birth = D(2005, 4, 20)
    error = rules.admission_age_error(birth, D(2023, 3, 20))
    assert error is not None and "17 tuổi 11 tháng" in error
    assert rules.admission_age_error(birth, D(2023, 4, 20)) is None


def test_full_membership_needs_twelve_months_of_probation_counted_from_the_ceremony():
    assert "11 tháng" in rules.full_membership_error(admitted_on=D(2023, 5, 10), ceremony_on=None, full_on=D(2024, 5, 9))
    assert rules.full_membership_error(admitted_on=D(2023, 5, 10), ceremony_on=None, full_on=D(2024, 5, 10)) is None
    # With the ceremony on 02/06/2023 the 12 months end on 02/06/2024.
    assert rules.full_membership_error(admitted_on=D(2023, 5, 10), ceremony_on=D(2023, 6, 2), full_on=D(2024, 5, 20))


def test_party_age_counts_only_once_the_member_is_full_and_from_the_admission():
    assert rules.party_age(admitted_on=D(2000, 3, 1), full_member_on=None, on=D(2025, 3, 1)) is None
    assert rules.party_age(admitted_on=D(2000, 3, 1), full_member_on=D(2001, 3, 1), on=D(2025, 2, 28)) == 24
    assert rules.party_age(admitted_on=D(2000, 3, 1), full_member_on=D(2001, 3, 1), on=D(2025, 3, 1)) == 25
    # Ten months outside the Party (re-admitted) are not counted.
    assert rules.party_age(admitted_on=D(2000, 3, 1), full_member_on=D(2001, 3, 1), on=D(2025, 3, 1), gap_months=10) == 24


def test_badges_fall_due_at_the_milestones_and_the_next_one_follows_the_highest_awarded():
    assert rules.BADGE_YEARS == (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
    nxt = rules.next_badge(admitted_on=D(1995, 9, 2), awarded=[])
    assert (nxt.years, nxt.due_on, nxt.earliest_for_illness) == (30, D(2025, 9, 2), D(2024, 9, 2))
    assert rules.next_badge(admitted_on=D(1975, 9, 2), awarded=[30, 40]).years == 45
    assert rules.next_badge(admitted_on=D(1935, 9, 2), awarded=[90]) is None
    assert rules.next_badge(admitted_on=D(2024, 9, 2), awarded=[], full=False) is None


def test_a_badge_may_come_twelve_months_early_for_illness_up_to_65_years_and_24_from_70():
    # 30 years due on 02/09/2025: 12 months early is 02/09/2024, 13 months is 02/08/2024.
    assert rules.badge_award_error(admitted_on=D(1995, 9, 2), years=30, awarded_on=D(2024, 9, 2), early_for_illness=True) is None
    assert rules.badge_award_error(admitted_on=D(1995, 9, 2), years=30, awarded_on=D(2024, 8, 2), early_for_illness=True)
    assert rules.badge_award_error(admitted_on=D(1995, 9, 2), years=30, awarded_on=D(2025, 9, 1), early_for_illness=False)
    # 70 years due on 02/09/2025: 24 months early allowed, 25 not.
    assert rules.badge_award_error(admitted_on=D(1955, 9, 2), years=70, awarded_on=D(2023, 9, 2), early_for_illness=True) is None
    assert rules.badge_award_error(admitted_on=D(1955, 9, 2), years=70, awarded_on=D(2023, 8, 2), early_for_illness=True)


def test_temporary_activity_lasts_three_months_to_under_a_year_or_up_to_two_years_of_study():
    start = D(2025, 3, 1)
    assert rules.temporary_period_error(started_on=start, ends_on=D(2025, 5, 31), reason="work")  # under 3 months
    assert rules.temporary_period_error(started_on=start, ends_on=D(2025, 6, 1), reason="work") is None
    assert rules.temporary_period_error(started_on=start, ends_on=D(2026, 2, 28), reason="work") is None
    assert rules.temporary_period_error(started_on=start, ends_on=D(2026, 3, 1), reason="work")  # a full year
    assert rules.temporary_period_error(started_on=start, ends_on=D(2027, 3, 1), reason="study") is None
    assert rules.temporary_period_error(started_on=start, ends_on=D(2027, 3, 2), reason="study")


def test_a_national_id_has_exactly_twelve_digits_and_its_digits_are_checked_against_sex_and_year():
    assert rules.national_id_format_error("00108500123") is not None
    assert rules.national_id_format_error("00108500123A") is not None
    assert rules.national_id_format_error("001085001234") is None
    assert rules.national_id_warnings("001085001234", sex="M", birth_date=D(1985, 1, 1)) == []
    assert len(rules.national_id_warnings("001185001234", sex="M", birth_date=D(1986, 1, 1))) == 2


@pytest.mark.django_db
def test_a_transfer_caused_on_10_january_2025_must_start_by_14_april_2025():
    # Working days after Fri 10/01/2025: 13–17/01 and 20–24/01 make 10; 27/01–31/01 is the
    # Tết 2025 holiday (off); 03/02–28/02 adds 20 (30); 03/03–28/03 adds 20 (50); 31/03–04/04
    # adds 5 (55); Mon 07/04 is Hùng Kings day (off); 08–11/04 adds 4 (59); Mon 14/04 is the 60th.
    assert rules.transfer_start_deadline(D(2025, 1, 10)) == D(2025, 4, 14)


@pytest.mark.django_db
def test_the_letter_is_presented_within_30_working_days_and_probation_is_considered_within_30_after_12_months():
    # Letter of Fri 11/04/2025: 14–18/04 (5), 21–25/04 (10), Sat 26/04 is worked in exchange
    # for Fri 02/05 (11), 28–29/04 (13); 30/04, 01/05 and 02/05 are off; 05–09/05 (18),
    # 12–16/05 (23), 19–23/05 (28), 26–27/05 (30).
    assert rules.transfer_present_deadline(D(2025, 4, 11)) == D(2025, 5, 27)
    # Admitted 23/08/2024, 12 months end Sat 23/08/2025: 25–29/08 (5), 01–02/09 off (National Day),
    # 03–05/09 (8), 08–12/09 (13), 15–19/09 (18), 22–26/09 (23), 29/09–03/10 (28), 06–07/10 (30).
    assert rules.full_consideration_deadline(admitted_on=D(2024, 8, 23)) == D(2025, 10, 7)
