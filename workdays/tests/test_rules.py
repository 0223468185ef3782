"""The statutory rules of lib.workdays, checked against the holidays package and published schedules."""

import datetime as dt

import holidays
import pytest

from lib import workdays as rules

D = dt.date


def days_off(year: int) -> set[dt.date]:
    return {d.date for d in rules.holidays_for_year(year)}


@pytest.mark.parametrize("year", range(2015, 2036))
def test_the_days_off_of_each_year_agree_with_the_holidays_package(year):
    # The package counts statutory days, compensatory days and the published swaps for public servants.
    assert days_off(year) == set(holidays.Vietnam(years=year).keys())


def test_national_day_is_one_day_before_2021_and_two_days_from_2021():
    assert {d.date for d in rules.statutory_holidays(2020) if d.date.month == 9} == {D(2020, 9, 2)}
    published = {2021: D(2021, 9, 3), 2022: D(2022, 9, 1), 2023: D(2023, 9, 1), 2024: D(2024, 9, 3), 2025: D(2025, 9, 1)}
    for year, adjacent in published.items():
        assert {d.date for d in rules.statutory_holidays(year) if d.date.month == 9} == {D(year, 9, 2), adjacent}


def test_tet_is_the_last_day_of_the_lunar_year_and_the_first_four_of_the_next():
    tet = [d for d in rules.statutory_holidays(2025) if "Tết Nguyên đán" in d.name or "cuối năm" in d.name]
    assert [d.date for d in tet] == [D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31), D(2025, 2, 1)]


def test_a_tet_saturday_is_made_up_before_the_break_and_a_sunday_after_it():
    # Tết 2020 (published: off 23/01–29/01): 25/01 Saturday and 26/01 Sunday were Tết days.
    compensatory = [d.date for d in rules.holidays_for_year(2020) if d.kind == rules.COMPENSATORY and d.date.month == 1]
    assert compensatory == [D(2020, 1, 23), D(2020, 1, 29)]
    # Tết 2025 (published: off 25/01–02/02): 01/02 was a Saturday.
    assert D(2025, 1, 27) in days_off(2025)


def test_holidays_on_a_weekend_give_the_next_free_working_days():
    # 2023: Hùng Kings' day on Saturday 29/04, 30/04 on Sunday, 01/05 on Monday: off until 03/05.
    compensatory = sorted(d.date for d in rules.holidays_for_year(2023) if d.kind == rules.COMPENSATORY and d.date.month == 5)
    assert compensatory == [D(2023, 5, 2), D(2023, 5, 3)]


def test_published_swaps_are_days_off_and_their_saturdays_are_listed():
    swap = rules.published_swaps(2025)[0]
    assert swap.day_off == D(2025, 5, 2) and swap.work_on.weekday() == 5
    assert D(2025, 5, 2) in days_off(2025)
    assert D(2025, 5, 2) not in {d.date for d in rules.holidays_for_year(2025, with_swaps=False)}


def test_it_refuses_a_year_the_labour_code_rules_do_not_cover():
    with pytest.raises(ValueError, match="không tính được năm 2010"):
        rules.statutory_holidays(2010)


def test_counting_working_days_skips_weekends_days_off_and_counts_worked_saturdays():
    off = {D(2025, 4, 30), D(2025, 5, 1), D(2025, 5, 2)}
    friday = D(2025, 4, 25)
    assert rules.add_working_days(friday, 1, off) == D(2025, 4, 28)
    assert rules.add_working_days(friday, 1, off, {D(2025, 4, 26)}) == D(2025, 4, 26)
    assert rules.add_working_days(friday, 0, off) == friday
    assert rules.add_working_days(D(2025, 5, 5), -1, off) == D(2025, 4, 29)


def test_working_days_between_undoes_add_working_days():
    off = days_off(2025)
    start = D(2025, 1, 10)
    for n in range(0, 80, 7):
        end = rules.add_working_days(start, n, off)
        assert rules.working_days_between(start, end, off) == n
        assert rules.working_days_between(end, start, off) == -n
