"""The Vietnamese lunisolar calendar (âm lịch), computed for Vietnam's time zone (UTC+7).

The Vietnamese calendar follows the same rules as the Chinese one, but every event is
dated in UTC+7, so a new moon shortly before midnight in Hà Nội starts a month one day
earlier than in Beijing (Tết 1985, 2007 and 2030 differ from China's).

Rules, as astronomers state them:

1. A month starts on the local day of a new moon (conjunction).
2. Month 11 is the month containing the winter solstice (sun at 270°).
3. When 13 months start between one month 11 and the next, the first of them that holds
   no principal solar term (a multiple of 30° of solar longitude) is a leap month and
   repeats the number of the month before it.

New moons use the series of J. Meeus, *Astronomical Algorithms* (2nd ed., ch. 49);
the sun's apparent longitude uses his low-precision theory (ch. 25, about 0.01°), and
ΔT (TT − UT) the polynomial fits of Espenak & Meeus. The results are checked in the tests
against the published dates of Tết and of the Hùng Kings' day.

Everything is pure and cached per solar year; dates are ``datetime.date``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache

TIME_ZONE_HOURS = 7.0

SYNODIC_MONTH = 29.530588861
_JDN_OFFSET = 1721425  # Julian Day Number of a date = date.toordinal() + this
_J2000 = 2451545.0


@dataclass(frozen=True, order=True)
class LunarDate:
    """A day of the Vietnamese lunar calendar. ``year`` is the solar year in which its month 1 starts."""

    year: int
    month: int
    day: int
    leap: bool = False

    def __str__(self) -> str:
        leap = " nhuận" if self.leap else ""
        return f"{self.day:02d}/{self.month:02d}{leap}/{self.year} âm lịch"


# --- Astronomy --------------------------------------------------------------------------


def _sin(deg: float) -> float:
    return math.sin(math.radians(deg))


def delta_t_days(year: float) -> float:
    """TT − UT in days (Espenak & Meeus polynomial fits; seconds of error over 1900–2150)."""
    if 1986 <= year < 2005:
        t = year - 2000
        sec = 63.86 + 0.3345 * t - 0.060374 * t**2 + 0.0017275 * t**3 + 0.000651814 * t**4 + 0.00002373599 * t**5
    elif 2005 <= year < 2050:
        t = year - 2000
        sec = 62.92 + 0.32217 * t + 0.005589 * t**2
    elif 2050 <= year < 2150:
        sec = -20 + 32 * ((year - 1820) / 100) ** 2 - 0.5628 * (2150 - year)
    elif 1961 <= year < 1986:
        t = year - 1975
        sec = 45.45 + 1.067 * t - t**2 / 260 - t**3 / 718
    elif 1941 <= year < 1961:
        t = year - 1950
        sec = 29.07 + 0.407 * t - t**2 / 233 + t**3 / 2547
    elif 1920 <= year < 1941:
        t = year - 1920
        sec = 21.20 + 0.84493 * t - 0.076100 * t**2 + 0.0020936 * t**3
    elif 1900 <= year < 1920:
        t = year - 1900
        sec = -2.79 + 1.494119 * t - 0.0598939 * t**2 + 0.0061966 * t**3 - 0.000197 * t**4
    else:  # long-term parabola: good enough for calendar days far from today
        u = (year - 1820) / 100
        sec = -20 + 32 * u**2
    return sec / 86400.0


# Periodic terms of the true new moon (Meeus table 49.A): (coefficient, power of E, multiples of M, M', F, Ω).
_NEW_MOON_TERMS: tuple[tuple[float, int, int, int, int, int], ...] = (
    (-0.40720, 0, 0, 1, 0, 0),
    (0.17241, 1, 1, 0, 0, 0),
    (0.01608, 0, 0, 2, 0, 0),
    (0.01039, 0, 0, 0, 2, 0),
    (0.00739, 1, -1, 1, 0, 0),
    (-0.00514, 1, 1, 1, 0, 0),
    (0.00208, 2, 2, 0, 0, 0),
    (-0.00111, 0, 0, 1, -2, 0),
    (-0.00057, 0, 0, 1, 2, 0),
    (0.00056, 1, 1, 2, 0, 0),
    (-0.00042, 0, 0, 3, 0, 0),
    (0.00042, 1, 1, 0, 2, 0),
    (0.00038, 1, 1, 0, -2, 0),
    (-0.00024, 1, -1, 2, 0, 0),
    (-0.00017, 0, 0, 0, 0, 1),
    (-0.00007, 0, 2, 1, 0, 0),
    (0.00004, 0, 0, 2, -2, 0),
    (0.00004, 0, 3, 0, 0, 0),
    (0.00003, 0, 1, 1, -2, 0),
    (0.00003, 0, 0, 2, 2, 0),
    (-0.00003, 0, 1, 1, 2, 0),
    (0.00003, 0, -1, 1, 2, 0),
    (-0.00002, 0, -1, 1, -2, 0),
    (-0.00002, 0, 1, 3, 0, 0),
    (0.00002, 0, 0, 4, 0, 0),
)

# Planetary arguments (Meeus, after table 49.A): (coefficient, constant, rate per lunation).
_PLANETARY_TERMS: tuple[tuple[float, float, float], ...] = (
    (0.000165, 251.88, 0.016321),
    (0.000164, 251.83, 26.651886),
    (0.000126, 349.42, 36.412478),
    (0.000110, 84.66, 18.206239),
    (0.000062, 141.74, 53.303771),
    (0.000060, 207.14, 2.453732),
    (0.000056, 154.84, 7.306860),
    (0.000047, 34.52, 27.261239),
    (0.000042, 207.19, 0.121824),
    (0.000040, 291.34, 1.844379),
    (0.000037, 161.72, 24.198154),
    (0.000035, 239.56, 25.513099),
    (0.000023, 331.55, 3.592518),
)


def new_moon_jd(k: int) -> float:
    """Julian Date (UT) of new moon number ``k``; k = 0 is the new moon of 6 January 2000."""
    t = k / 1236.85
    jde = 2451550.09766 + SYNODIC_MONTH * k + 0.00015437 * t**2 - 0.000000150 * t**3 + 0.00000000073 * t**4
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    m = 2.5534 + 29.10535670 * k - 0.0000014 * t**2 - 0.00000011 * t**3
    mp = 201.5643 + 385.81693528 * k + 0.0107582 * t**2 + 0.00001238 * t**3 - 0.000000058 * t**4
    f = 160.7108 + 390.67050284 * k - 0.0016118 * t**2 - 0.00000227 * t**3 + 0.000000011 * t**4
    omega = 124.7746 - 1.56375588 * k + 0.0020672 * t**2 + 0.00000215 * t**3
    correction = 0.0
    for coef, e_power, cm, cmp, cf, co in _NEW_MOON_TERMS:
        correction += coef * e**e_power * _sin(cm * m + cmp * mp + cf * f + co * omega)
    correction += 0.000325 * _sin(299.77 + 0.107408 * k - 0.009173 * t**2)
    for coef, base, rate in _PLANETARY_TERMS:
        correction += coef * _sin(base + rate * k)
    jde += correction
    year = 2000 + k / 12.3685
    return jde - delta_t_days(year)


def sun_longitude(jd_ut: float) -> float:
    """Apparent geocentric longitude of the sun in degrees [0, 360) at a Julian Date (UT)."""
    jde = jd_ut + delta_t_days(2000 + (jd_ut - _J2000) / 365.25)
    t = (jde - _J2000) / 36525
    l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t**2
    m = 357.52911 + 35999.05029 * t - 0.0001537 * t**2
    center = (
        (1.914602 - 0.004817 * t - 0.000014 * t**2) * _sin(m) + (0.019993 - 0.000101 * t) * _sin(2 * m) + 0.000289 * _sin(3 * m)
    )
    omega = 125.04 - 1934.136 * t
    apparent = l0 + center - 0.00569 - 0.00478 * _sin(omega)
    return apparent % 360.0


# --- Local days ---------------------------------------------------------------------------


def _jdn(day: dt.date) -> int:
    return day.toordinal() + _JDN_OFFSET


def _date(jdn: int) -> dt.date:
    return dt.date.fromordinal(jdn - _JDN_OFFSET)


def _local_day(jd_ut: float) -> int:
    """Julian Day Number of the local (UTC+7) calendar day holding the instant ``jd_ut``."""
    return math.floor(jd_ut + 0.5 + TIME_ZONE_HOURS / 24)


def _local_midnight(jdn: int) -> float:
    """Julian Date (UT) of 00:00 local time at the start of day ``jdn``."""
    return jdn - 0.5 - TIME_ZONE_HOURS / 24


def _new_moon_day(k: int) -> int:
    return _local_day(new_moon_jd(k))


def _lunation_before(jdn: int) -> int:
    """Number k of the last new moon whose local day is on or before ``jdn``."""
    k = math.floor((jdn - 2451550.1) / SYNODIC_MONTH)
    while _new_moon_day(k + 1) <= jdn:
        k += 1
    while _new_moon_day(k) > jdn:
        k -= 1
    return k


def _principal_term(jdn: int) -> int:
    """Index 0–11 of the 30° sector the sun is in at local midnight starting day ``jdn``."""
    return int(sun_longitude(_local_midnight(jdn)) // 30)


@lru_cache(maxsize=512)
def _month_eleven(year: int) -> int:
    """Lunation number of month 11 of the lunar year ending in ``year + 1``: it holds the December solstice of ``year``."""
    k = _lunation_before(_jdn(dt.date(year, 12, 31)))
    # The month holds the solstice when the sun is still before 270° at its first midnight
    # and past it at the first midnight of the next month.
    while sun_longitude(_local_midnight(_new_moon_day(k))) > 270.0:
        k -= 1
    return k


@dataclass(frozen=True)
class _Month:
    start: int  # Julian Day Number of day 1
    length: int
    year: int
    number: int
    leap: bool


@lru_cache(maxsize=256)
def _months_of_sui(year: int) -> tuple[_Month, ...]:
    """The months from month 11 of the previous lunar year (December of ``year - 1``) up to, not
    including, the next month 11 (December of ``year``)."""
    first, last = _month_eleven(year - 1), _month_eleven(year)
    ks = list(range(first, last + 1))
    starts = [_new_moon_day(k) for k in ks]
    leap_index = None
    if last - first == 13:
        for i in range(1, len(ks) - 1):
            if _principal_term(starts[i]) == _principal_term(starts[i + 1]):
                leap_index = i
                break
    months: list[_Month] = []
    number, lunar_year = 11, year - 1
    for i in range(len(ks) - 1):
        leap = i == leap_index
        if i > 0 and not leap:
            number += 1
            if number == 13:
                number, lunar_year = 1, year
        months.append(_Month(starts[i], starts[i + 1] - starts[i], lunar_year, number, leap))
    return tuple(months)


# --- Conversions --------------------------------------------------------------------------


def solar_to_lunar(day: dt.date) -> LunarDate:
    """The Vietnamese lunar date of a solar (Gregorian) date."""
    jdn = _jdn(day)
    year = day.year if jdn < _new_moon_day(_month_eleven(day.year)) else day.year + 1
    for month in reversed(_months_of_sui(year)):
        if month.start <= jdn:
            return LunarDate(month.year, month.number, jdn - month.start + 1, month.leap)
    raise AssertionError(f"no lunar month holds {day}")  # pragma: no cover - months cover the sui


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> dt.date:
    """The solar date of a Vietnamese lunar date. Raises ValueError when that date does not exist
    (a 30th in a 29-day month, a leap month in a year without it)."""
    sui = year + 1 if month >= 11 else year
    for m in _months_of_sui(sui):
        if m.year == year and m.number == month and m.leap == leap:
            if not 1 <= day <= m.length:
                raise ValueError(f"Tháng {month} năm {year} âm lịch chỉ có {m.length} ngày.")
            return _date(m.start + day - 1)
    raise ValueError(f"Năm {year} âm lịch không có tháng {month}{' nhuận' if leap else ''}.")


def leap_month(year: int) -> int | None:
    """The number of the leap month of lunar year ``year`` (its month 1 starts in solar ``year``), or None."""
    for sui in (year, year + 1):
        for m in _months_of_sui(sui):
            if m.year == year and m.leap:
                return m.number
    return None


def tet(year: int) -> dt.date:
    """Mùng 1 Tết: the solar date of day 1 of month 1 of the lunar year starting in ``year``."""
    return lunar_to_solar(year, 1, 1)


def hung_kings_day(year: int) -> dt.date:
    """Giỗ Tổ Hùng Vương: day 10 of month 3."""
    return lunar_to_solar(year, 3, 10)
