"""Vietnam's public holidays and working-day arithmetic (pure: no database).

The rules give the days off that the law names for a year. The database (app ``workdays``)
is loaded from them and is what the application counts with: an administrator corrects it
each year with the Prime Minister's decisions (swapped days, a different compensatory day).

Sources:
- Bộ luật Lao động 2019 (in force 01/01/2021), Điều 112(1): Tết Dương lịch 1 day (1/1);
  Tết Âm lịch 5 days; Ngày Chiến thắng 30/4; Quốc tế Lao động 1/5; Quốc khánh 2 days (2/9 and
  the day before or after it); Giỗ Tổ Hùng Vương (10/3 lunar). Điều 112(3): the Prime Minister
  fixes the actual days of Tết and of the second National Day.
- Bộ luật Lao động 2012 (in force 01/05/2013), Điều 115: the same, but Quốc khánh is one day (2/9).
- Compensatory day: a holiday that falls on the weekly rest day gives a day off on the next
  working day (Bộ luật Lao động 2019, Điều 111(3); 2012, Điều 115(3)). For Tết the Prime
  Minister's yearly decision has, every year since 2014, put a Saturday's day before the
  Tết break and a Sunday's after it; we follow that practice.
- Ngày Văn hóa Việt Nam, 24/11, a paid day off from 2026 (Nghị quyết 80-NQ/TW, 2026).
- Swapped working days (hoán đổi ngày làm việc) are government decisions, not rules; the
  ones published for 2015–2026 are listed in ``PUBLISHED_SWAPS`` as initial data.

Public servants do not work on Saturday and Sunday (the 40-hour week of Quyết định
188/1999/QĐ-TTg), so both are weekly rest days here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext

from lib import lunar

STATUTORY = "statutory"
COMPENSATORY = "compensatory"
SWAP_OFF = "swap_off"

LABOUR_CODE_2019 = "Bộ luật Lao động 2019, Điều 112"
LABOUR_CODE_2012 = "Bộ luật Lao động 2012, Điều 115"
COMPENSATION_2019 = "Bộ luật Lao động 2019, Điều 111(3)"
COMPENSATION_2012 = "Bộ luật Lao động 2012, Điều 115(3)"
RESOLUTION_80 = "Nghị quyết 80-NQ/TW"

TWO_DAY_NATIONAL_DAY_FROM = 2021  # Bộ luật Lao động 2019 in force 01/01/2021
CULTURE_DAY_FROM = 2026  # Nghị quyết 80-NQ/TW
FIRST_YEAR, LAST_YEAR = 2013, 2099  # Labour Code 2012 onwards; the lunar tables are checked up to 2099

WEEKEND = frozenset({5, 6})  # Saturday, Sunday (date.weekday())


@dataclass(frozen=True, order=True)
class DayOff:
    """One day off in the calendar, with why."""

    date: dt.date
    name: str
    kind: str = STATUTORY
    source: str = ""


@dataclass(frozen=True)
class Swap:
    """A government swap: ``day_off`` (a weekday) is not worked, ``work_on`` (a Saturday) is."""

    day_off: dt.date
    work_on: dt.date
    source: str


def _d(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, d)


# Swaps announced for public servants (cán bộ, công chức, viên chức), by the year of the day off.
PUBLISHED_SWAPS: dict[int, tuple[Swap, ...]] = {
    2015: (
        Swap(_d(2015, 1, 2), _d(2014, 12, 27), "Lịch nghỉ Tết Dương lịch 2015 được Thủ tướng Chính phủ đồng ý"),
        Swap(_d(2015, 2, 16), _d(2015, 2, 14), "Lịch nghỉ Tết Âm lịch 2015 được Thủ tướng Chính phủ đồng ý"),
        Swap(_d(2015, 4, 29), _d(2015, 4, 25), "Lịch nghỉ lễ 30/4 năm 2015 được Thủ tướng Chính phủ đồng ý"),
    ),
    2018: (Swap(_d(2018, 12, 31), _d(2019, 1, 5), "Công văn 6519/VPCP-KGVX năm 2018"),),
    2019: (Swap(_d(2019, 4, 29), _d(2019, 5, 4), "Lịch nghỉ lễ 30/4 năm 2019 được Thủ tướng Chính phủ đồng ý"),),
    2024: (Swap(_d(2024, 4, 29), _d(2024, 5, 4), "Công văn 2450/VPCP-KGVX ngày 12/4/2024"),),
    2025: (Swap(_d(2025, 5, 2), _d(2025, 4, 26), "Lịch nghỉ lễ 30/4 năm 2025 được Thủ tướng Chính phủ đồng ý"),),
    2026: (Swap(_d(2026, 8, 31), _d(2026, 8, 22), "Lịch nghỉ Quốc khánh 2026 được Thủ tướng Chính phủ đồng ý"),),
}


def is_weekend(day: dt.date) -> bool:
    return day.weekday() in WEEKEND


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            gettext("Chỉ tính được ngày nghỉ lễ các năm %(first)s–%(last)s, không tính được năm %(year)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR, "year": year}
        )


def national_day_adjacent(year: int) -> dt.date:
    """The second National Day holiday (1/9 or 3/9) the Prime Minister chooses, as he has since 2021:
    a weekday rather than a weekend day, and, of two weekdays, the one joining the break to a weekend
    (Monday 1/9 or Friday 3/9), else 1/9."""
    before, after = _d(year, 9, 1), _d(year, 9, 3)
    if is_weekend(before):
        return after
    if is_weekend(after):
        return before
    if after.weekday() == 4:  # Friday 3/9 joins the weekend
        return after
    return before


def tet_days(year: int) -> list[dt.date]:
    """The five Tết days: the last day of the lunar year and the first four of the new one."""
    first = lunar.tet(year)
    return [first + dt.timedelta(days=i) for i in range(-1, 4)]


def statutory_holidays(year: int) -> list[DayOff]:
    """The days the Labour Code names for ``year`` (before any compensatory or swapped day)."""
    _check_year(year)
    code = LABOUR_CODE_2019 if year >= TWO_DAY_NATIONAL_DAY_FROM else LABOUR_CODE_2012
    names = ["Ngày cuối năm Âm lịch"] + [f"Mùng {i} Tết Nguyên đán" for i in range(1, 5)]
    days = [DayOff(_d(year, 1, 1), "Tết Dương lịch", STATUTORY, code)]
    days += [DayOff(day, name, STATUTORY, code) for day, name in zip(tet_days(year), names, strict=True)]
    days.append(DayOff(lunar.hung_kings_day(year), "Giỗ Tổ Hùng Vương (10/3 âm lịch)", STATUTORY, code))
    days.append(DayOff(_d(year, 4, 30), "Ngày Chiến thắng (30/4)", STATUTORY, code))
    days.append(DayOff(_d(year, 5, 1), "Ngày Quốc tế Lao động (1/5)", STATUTORY, code))
    days.append(DayOff(_d(year, 9, 2), "Quốc khánh (2/9)", STATUTORY, code))
    if year >= TWO_DAY_NATIONAL_DAY_FROM:
        days.append(DayOff(national_day_adjacent(year), "Quốc khánh (ngày liền kề 2/9)", STATUTORY, code))
    if year >= CULTURE_DAY_FROM:
        days.append(DayOff(_d(year, 11, 24), "Ngày Văn hóa Việt Nam (24/11)", STATUTORY, RESOLUTION_80))
    # Two rules can name one day (Hùng Kings' day on 30/4 in 2015): keep the first.
    seen: dict[dt.date, DayOff] = {}
    for day in days:
        seen.setdefault(day.date, day)
    return sorted(seen.values())


def _next_free(day: dt.date, taken: Collection[dt.date], step: int) -> dt.date:
    day += dt.timedelta(days=step)
    while is_weekend(day) or day in taken:
        day += dt.timedelta(days=step)
    return day


def compensatory_days(year: int, statutory: Iterable[DayOff]) -> list[DayOff]:
    """Days off given for statutory holidays that fall on a Saturday or Sunday."""
    statutory = sorted(statutory)
    taken = {d.date for d in statutory}
    source = COMPENSATION_2019 if year >= TWO_DAY_NATIONAL_DAY_FROM else COMPENSATION_2012
    tet = set(tet_days(year))
    result: list[DayOff] = []
    for holiday in statutory:
        if not is_weekend(holiday.date):
            continue
        if holiday.date in tet and holiday.date.weekday() == 5:
            # Tết practice: a Saturday's day goes before the break (Sunday's after it, as the law says).
            day, why = _next_free(min(tet), taken, -1), f"{source}; lịch nghỉ Tết do Thủ tướng quyết định"
        else:
            day, why = _next_free(holiday.date, taken, +1), source
        taken.add(day)
        result.append(DayOff(day, f"Nghỉ bù {holiday.name}", COMPENSATORY, why))
    return sorted(result)


def published_swaps(year: int) -> tuple[Swap, ...]:
    return PUBLISHED_SWAPS.get(year, ())


def holidays_for_year(year: int, *, with_swaps: bool = True) -> list[DayOff]:
    """Every day off in ``year`` by the rules: statutory, compensatory and (by default) the published swaps."""
    statutory = statutory_holidays(year)
    days = statutory + compensatory_days(year, statutory)
    if with_swaps:
        known = {d.date for d in days}
        for swap in published_swaps(year):
            if swap.day_off not in known:
                name = f"Nghỉ hoán đổi (làm bù thứ Bảy {swap.work_on:%d/%m/%Y})"
                days.append(DayOff(swap.day_off, name, SWAP_OFF, swap.source))
    return sorted(days)


# --- Arithmetic over a given calendar -------------------------------------------------------


def is_working_day(day: dt.date, days_off: Collection[dt.date], extra_working: Collection[dt.date] = ()) -> bool:
    """A weekday that is not a day off, or a weekend day declared a working day."""
    if day in extra_working:
        return True
    return not is_weekend(day) and day not in days_off


def add_working_days(start: dt.date, n: int, days_off: Collection[dt.date], extra_working: Collection[dt.date] = ()) -> dt.date:
    """The date on which ``n`` working days after ``start`` have elapsed: day 1 is the first working
    day after ``start``. ``n = 0`` gives ``start``; a negative ``n`` counts backwards."""
    day, step, left = start, (1 if n >= 0 else -1), abs(n)
    while left:
        day += dt.timedelta(days=step)
        if is_working_day(day, days_off, extra_working):
            left -= 1
    return day


def working_days_between(
    start: dt.date, end: dt.date, days_off: Collection[dt.date], extra_working: Collection[dt.date] = ()
) -> int:
    """Working days in (start, end]: how many have elapsed on ``end`` counting from ``start``.
    The inverse of ``add_working_days`` on working days; negative when ``end`` is before ``start``."""
    if end < start:
        return -working_days_between(end, start, days_off, extra_working)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, days_off, extra_working):
            count += 1
    return count
