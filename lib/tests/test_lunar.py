"""The Vietnamese lunar calendar against published dates and a second source (the ``holidays`` package)."""

import datetime as dt

import holidays
import pytest

from lib import lunar

# Mùng 1 Tết as published by Vietnam's calendars. 2030 is 2 February in Vietnam (the new moon
# falls at 23:07 in Hà Nội, 00:07 the next day in Beijing), 3 February in China.
PUBLISHED_TET = {
    2015: dt.date(2015, 2, 19),
    2016: dt.date(2016, 2, 8),
    2017: dt.date(2017, 1, 28),
    2018: dt.date(2018, 2, 16),
    2019: dt.date(2019, 2, 5),
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 2),
    2031: dt.date(2031, 1, 23),
    2032: dt.date(2032, 2, 11),
    2033: dt.date(2033, 1, 31),
    2034: dt.date(2034, 2, 19),
    2035: dt.date(2035, 2, 8),
}

PUBLISHED_HUNG_KINGS = {2024: dt.date(2024, 4, 18), 2025: dt.date(2025, 4, 7), 2026: dt.date(2026, 4, 26)}

# Leap months of the Vietnamese calendar (tháng nhuận) as published.
PUBLISHED_LEAP_MONTHS = {2017: 6, 2020: 4, 2023: 2, 2025: 6, 2028: 5, 2031: 3, 2033: 11}

YEARS = range(2015, 2036)


def named(year: int, name: str) -> dt.date:
    """The date the ``holidays`` package gives a Vietnamese holiday, by its Vietnamese name."""
    calendar = holidays.Vietnam(years=year, observed=False, language="vi")
    matches = [day for day, names in calendar.items() if name in names.split("; ")]
    assert len(matches) == 1, (year, name, matches)
    return matches[0]


@pytest.mark.parametrize("year", YEARS)
def test_tet_falls_on_its_published_date(year):
    assert lunar.tet(year) == PUBLISHED_TET[year]


@pytest.mark.parametrize("year", YEARS)
def test_tet_agrees_with_the_holidays_package(year):
    assert lunar.tet(year) == named(year, "Tết Nguyên Đán")


@pytest.mark.parametrize("year", YEARS)
def test_hung_kings_day_agrees_with_the_holidays_package(year):
    assert lunar.hung_kings_day(year) == named(year, "Ngày Giỗ Tổ Hùng Vương")


@pytest.mark.parametrize(("year", "expected"), PUBLISHED_HUNG_KINGS.items())
def test_hung_kings_day_falls_on_its_published_date(year, expected):
    assert lunar.hung_kings_day(year) == expected
    assert lunar.solar_to_lunar(expected) == lunar.LunarDate(year, 3, 10)


@pytest.mark.parametrize("year", YEARS)
def test_it_finds_the_published_leap_month_or_none(year):
    assert lunar.leap_month(year) == PUBLISHED_LEAP_MONTHS.get(year)


def test_vietnam_counts_the_2030_new_moon_in_its_own_time_zone():
    new_moon = lunar.new_moon_jd(372)  # the conjunction of February 2030 (k counts from January 2000)
    hanoi_day = dt.date.fromordinal(int(new_moon + 0.5 + 7 / 24) - 1721425)
    beijing_day = dt.date.fromordinal(int(new_moon + 0.5 + 8 / 24) - 1721425)
    assert (hanoi_day, beijing_day) == (dt.date(2030, 2, 2), dt.date(2030, 2, 3))
    assert lunar.tet(2030) == hanoi_day


def test_the_eve_of_tet_2025_is_the_29th_of_the_twelfth_month():
    # The twelfth month of Giáp Thìn had 29 days: the last day of the year was 28/01/2025.
    assert lunar.solar_to_lunar(dt.date(2025, 1, 28)) == lunar.LunarDate(2024, 12, 29)
    assert lunar.solar_to_lunar(dt.date(2025, 1, 29)) == lunar.LunarDate(2025, 1, 1)


def test_the_leap_eleventh_month_of_2033_follows_the_eleventh():
    eleventh = lunar.lunar_to_solar(2033, 11, 1)
    leap = lunar.lunar_to_solar(2033, 11, 1, leap=True)
    assert eleventh < leap < lunar.lunar_to_solar(2033, 12, 1)
    assert lunar.solar_to_lunar(leap) == lunar.LunarDate(2033, 11, 1, leap=True)


def test_every_day_from_2015_to_2035_converts_there_and_back():
    day, last = dt.date(2014, 12, 1), dt.date(2036, 3, 1)
    previous = lunar.solar_to_lunar(day - dt.timedelta(days=1))
    while day <= last:
        current = lunar.solar_to_lunar(day)
        assert lunar.lunar_to_solar(current.year, current.month, current.day, current.leap) == day
        if current.day == 1:
            assert previous.day in (29, 30)
        else:
            assert current.day == previous.day + 1 and current.month == previous.month
        previous, day = current, day + dt.timedelta(days=1)


def test_months_last_29_or_30_days_and_start_on_a_new_moon_day():
    for year in YEARS:
        start = lunar.tet(year)
        next_start = lunar.lunar_to_solar(year, 2, 1)
        assert (next_start - start).days in (29, 30)


def test_it_refuses_a_day_a_month_does_not_have():
    # The twelfth month of 2024 had 29 days.
    with pytest.raises(ValueError, match="chỉ có 29 ngày"):
        lunar.lunar_to_solar(2024, 12, 30)
    with pytest.raises(ValueError, match="không có tháng 3 nhuận"):
        lunar.lunar_to_solar(2025, 3, 1, leap=True)


def test_sun_longitude_reaches_the_solstice_on_21_december_2025_in_vietnam():
    # The December solstice of 2025 was at 15:03 UTC (22:03 in Hà Nội) on 21 December.
    jd = 2461031.0 + 3 / 24 + 3 / 1440  # 2025-12-21 15:03 UTC
    assert abs(lunar.sun_longitude(jd) - 270.0) < 0.02
