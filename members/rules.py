"""Rules about members that do not change with the regime: ages, badges, deadlines.

Pure functions of dates (no database, except the working-day calendar that the deadline
functions read through ``workdays.services``). Each rule names the party document that
sets it. Ages and party ages are counted in completed years, a year being complete on
the same day and month (someone born on 29/02 completes a year on 01/03 in other years).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lib.dates import format_date

# ---------------------------------------------------------------------------------------
# Calendar arithmetic


def add_months(date: dt.date, months: int) -> dt.date:
    """``date`` moved by whole months; the day is clamped to the month's end (31/01 + 1 → 28/02)."""
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    day = min(date.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Completed years from ``birth_date`` to ``on``."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def months_between(start: dt.date, on: dt.date) -> int:
    """Completed months from ``start`` to ``on``: the largest n with ``add_months(start, n) <= on``."""
    months = (on.year - start.year) * 12 + on.month - start.month
    if add_months(start, months) > on:
        months -= 1
    return months


def latest_birth_date_for_age(years: int, on: dt.date) -> dt.date:
    """The latest date from which ``years`` are complete on ``on``.

    ``age_on(d, on) >= years`` exactly when ``d <= latest_birth_date_for_age(years, on)``:
    the database filters on a date range computed here, never on date arithmetic in SQL.
    """
    year = on.year - years
    if on.month == 2 and on.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return on.replace(year=year)


def is_future(date: dt.date | None, today: dt.date | None = None) -> bool:
    return date is not None and date > (today or dt.date.today())


# ---------------------------------------------------------------------------------------
# Youth, admission age, probation (Điều lệ Đảng, Điều 4 and 5; Quy định 24-QĐ/TW 2021,
# replaced by Quy định 294-QĐ/TW 2025, which keep these numbers)

YOUTH_MAX_AGE = 30
"""Youth: 30 years old or younger at the reference date, the usual reporting cut."""

ADMISSION_MIN_AGE = 18
"""Điều lệ Đảng, Điều 4: a person admitted is at least 18 years old."""

PROBATION_MONTHS = 12
"""Điều lệ Đảng, Điều 5: twelve months of probation, counted from the admission ceremony."""

CEREMONY_WORKING_DAYS = 30
"""Quy định 24-QĐ/TW (2021) / 294-QĐ/TW (2025): the ceremony within 30 working days of the decision."""

FULL_CONSIDERATION_WORKING_DAYS = 30
"""Điều lệ Đảng, Điều 5: the cell considers full membership within 30 working days after the 12 months."""


def is_youth(birth_date: dt.date, on: dt.date) -> bool:
    return age_on(birth_date, on) <= YOUTH_MAX_AGE


def admission_age_error(birth_date: dt.date, admitted_on: dt.date) -> str | None:
    """Why an admission on ``admitted_on`` is too young (Điều lệ Đảng, Điều 4: 18 years), or None."""
    if age_on(birth_date, admitted_on) >= ADMISSION_MIN_AGE:
        return None
    months = months_between(birth_date, admitted_on)
    return _(
        "Người được kết nạp phải đủ %(min_age)s tuổi (Điều lệ Đảng, Điều 4); ngày %(date)s mới %(years)s tuổi %(months)s tháng."
    ) % {"min_age": ADMISSION_MIN_AGE, "date": format_date(admitted_on), "years": months // 12, "months": months % 12}


def probation_start(*, admitted_on: dt.date, ceremony_on: dt.date | None) -> dt.date:
    """Probation counts from the ceremony (Điều lệ Đảng, Điều 5); from the decision when no ceremony date is recorded."""
    return ceremony_on or admitted_on


def probation_end(*, admitted_on: dt.date, ceremony_on: dt.date | None = None) -> dt.date:
    """The day the 12 months of probation are complete: a member who qualifies is full from then."""
    return add_months(probation_start(admitted_on=admitted_on, ceremony_on=ceremony_on), PROBATION_MONTHS)


def full_membership_error(*, admitted_on: dt.date, ceremony_on: dt.date | None, full_on: dt.date) -> str | None:
    """Why ``full_on`` is too early for full membership (12 months of probation), or None."""
    end = probation_end(admitted_on=admitted_on, ceremony_on=ceremony_on)
    if full_on >= end:
        return None
    start = probation_start(admitted_on=admitted_on, ceremony_on=ceremony_on)
    months = months_between(start, full_on)
    values = {"probation": PROBATION_MONTHS, "end": format_date(end), "date": format_date(full_on), "months": months}
    if ceremony_on:
        return (
            _(
                "Đảng viên dự bị chỉ được công nhận chính thức khi đủ %(probation)s tháng dự bị (Điều lệ Đảng, Điều 5), "
                "tức từ ngày %(end)s; ngày %(date)s mới được %(months)s tháng kể từ lễ kết nạp."
            )
            % values
        )
    return (
        _(
            "Đảng viên dự bị chỉ được công nhận chính thức khi đủ %(probation)s tháng dự bị (Điều lệ Đảng, Điều 5), "
            "tức từ ngày %(end)s; ngày %(date)s mới được %(months)s tháng kể từ ngày vào Đảng."
        )
        % values
    )


def ceremony_deadline(admitted_on: dt.date) -> dt.date:
    from workdays.services import add_working_days

    return add_working_days(admitted_on, CEREMONY_WORKING_DAYS)


def full_consideration_deadline(*, admitted_on: dt.date, ceremony_on: dt.date | None = None) -> dt.date:
    """The last day for the cell to consider full membership: 30 working days after the 12 months."""
    from workdays.services import add_working_days

    return add_working_days(probation_end(admitted_on=admitted_on, ceremony_on=ceremony_on), FULL_CONSIDERATION_WORKING_DAYS)


# ---------------------------------------------------------------------------------------
# Party age and badges (Điều lệ Đảng, Điều 5: party age counts from the date in the
# admission decision once the member is full; Quy định 24-QĐ/TW 2021 on re-admitted
# members: the time outside the Party is not counted. Badges: Quy định về xét tặng
# Huy hiệu Đảng — 30, 40, 45 … 90 years; up to 12 months early (30–65 years) or 24 months
# early (70–90 years) for a member seriously ill.)

BADGE_YEARS: tuple[int, ...] = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
"""Quy định về xét tặng Huy hiệu Đảng: the milestones of party age, in years."""

BADGE_EARLY_MONTHS = 12
"""Quy định về xét tặng Huy hiệu Đảng: a seriously ill member may receive a badge of 30 to 65 years up to 12 months early."""

BADGE_EARLY_MONTHS_LONG = 24
"""…and a badge of 70 years or more (``BADGE_LONG_EARLY_FROM_YEARS``) up to 24 months early."""

BADGE_LONG_EARLY_FROM_YEARS = 70


def badge_early_months(years: int) -> int:
    """How many months early a seriously ill member may receive the ``years`` badge."""
    return BADGE_EARLY_MONTHS_LONG if years >= BADGE_LONG_EARLY_FROM_YEARS else BADGE_EARLY_MONTHS


def party_age_origin(admitted_on: dt.date, gap_months: int = 0) -> dt.date:
    """The date party age counts from: the admission decision, moved by the months not counted."""
    return add_months(admitted_on, gap_months or 0)


def party_age(*, admitted_on: dt.date, full_member_on: dt.date | None, on: dt.date, gap_months: int = 0) -> int | None:
    """Completed years of party age on ``on``; None while the member is not full on that date."""
    if full_member_on is None or full_member_on > on:
        return None
    return max(age_on(party_age_origin(admitted_on, gap_months), on), 0)


@dataclass(frozen=True)
class BadgeMilestone:
    years: int
    due_on: dt.date
    earliest_for_illness: dt.date

    @property
    def label(self) -> str:
        return _("Huy hiệu %(years)s năm tuổi Đảng") % {"years": self.years}


def badge_milestone(*, admitted_on: dt.date, years: int, gap_months: int = 0) -> BadgeMilestone:
    if years not in BADGE_YEARS:
        raise ValueError(_("Không có huy hiệu %(years)s năm tuổi Đảng.") % {"years": years})
    due = add_months(party_age_origin(admitted_on, gap_months), 12 * years)
    return BadgeMilestone(years=years, due_on=due, earliest_for_illness=add_months(due, -badge_early_months(years)))


def next_badge(*, admitted_on: dt.date, awarded: Iterable[int], full: bool = True, gap_months: int = 0) -> BadgeMilestone | None:
    """The first milestone above the highest badge awarded; None for a probationary member or after 90."""
    if not full:
        return None
    highest = max(awarded, default=0)
    for years in BADGE_YEARS:
        if years > highest:
            return badge_milestone(admitted_on=admitted_on, years=years, gap_months=gap_months)
    return None


def badge_award_error(
    *, admitted_on: dt.date, years: int, awarded_on: dt.date, early_for_illness: bool, gap_months: int = 0
) -> str | None:
    """Why the ``years`` badge cannot be awarded on ``awarded_on``, or None when it can."""
    if years not in BADGE_YEARS:
        return _("Không có huy hiệu %(years)s năm tuổi Đảng; các mốc là %(milestones)s năm.") % {
            "years": years,
            "milestones": ", ".join(map(str, BADGE_YEARS)),
        }
    milestone = badge_milestone(admitted_on=admitted_on, years=years, gap_months=gap_months)
    if awarded_on >= milestone.due_on:
        return None
    early = badge_early_months(years)
    if early_for_illness and awarded_on >= milestone.earliest_for_illness:
        return None
    values = {
        "years": years,
        "early": early,
        "earliest": format_date(milestone.earliest_for_illness),
        "due": format_date(milestone.due_on),
    }
    if early_for_illness:
        return (
            _(
                "Đảng viên ốm nặng chỉ được xét tặng sớm huy hiệu %(years)s năm tuổi Đảng tối đa %(early)s tháng, "
                "tức từ ngày %(earliest)s (đủ tuổi đảng ngày %(due)s)."
            )
            % values
        )
    return (
        _(
            "Đảng viên chưa đủ %(years)s năm tuổi Đảng: đủ vào ngày %(due)s. "
            "Chỉ đảng viên ốm nặng mới được xét tặng sớm, tối đa %(early)s tháng."
        )
        % values
    )


# ---------------------------------------------------------------------------------------
# Transfers (Quy định 294-QĐ/TW 2025, §6.3; the same numbers in Quy định 24-QĐ/TW 2021)

TRANSFER_START_WORKING_DAYS = 60
"""A member transferred permanently starts the procedure within 60 working days of the cause."""

TRANSFER_PRESENT_WORKING_DAYS = 30
"""…and presents the introduction letter to the new cell within 30 working days of its issue."""

TEMPORARY_MIN_MONTHS = 3
"""Temporary activity elsewhere is for an absence of 3 months or more…"""

TEMPORARY_WORK_MAX_MONTHS = 12
"""…under 12 months (1 year) of work or residence elsewhere…"""

TEMPORARY_STUDY_MAX_MONTHS = 24
"""…or up to 24 months (2 years) of study."""


def transfer_start_deadline(cause_on: dt.date) -> dt.date:
    from workdays.services import add_working_days

    return add_working_days(cause_on, TRANSFER_START_WORKING_DAYS)


def transfer_present_deadline(letter_on: dt.date) -> dt.date:
    from workdays.services import add_working_days

    return add_working_days(letter_on, TRANSFER_PRESENT_WORKING_DAYS)


def temporary_period_error(*, started_on: dt.date, ends_on: dt.date, reason: str) -> str | None:
    """Why a temporary attachment from ``started_on`` to ``ends_on`` is outside the allowed length.

    Quy định 294-QĐ/TW §6.3: temporary activity is for 3 months to under 1 year of work
    or residence elsewhere, or 3 months to 2 years of study.
    """
    if ends_on < started_on:
        return _("Ngày kết thúc (%(end)s) trước ngày bắt đầu (%(start)s).") % {
            "end": format_date(ends_on),
            "start": format_date(started_on),
        }
    if ends_on < add_months(started_on, TEMPORARY_MIN_MONTHS):
        return _("Sinh hoạt tạm thời chỉ áp dụng khi vắng từ %(months)s tháng trở lên (Quy định 294-QĐ/TW, mục 6.3).") % {
            "months": TEMPORARY_MIN_MONTHS
        }
    if reason == "study":
        if ends_on > add_months(started_on, TEMPORARY_STUDY_MAX_MONTHS):
            return _("Đi học: sinh hoạt tạm thời tối đa %(months)s tháng (Quy định 294-QĐ/TW, mục 6.3).") % {
                "months": TEMPORARY_STUDY_MAX_MONTHS
            }
    elif ends_on >= add_months(started_on, TEMPORARY_WORK_MAX_MONTHS):
        return _(
            "Đi công tác, làm việc hoặc cư trú: sinh hoạt tạm thời dưới %(months)s tháng; dài hơn thì chuyển sinh hoạt "
            "chính thức (Quy định 294-QĐ/TW, mục 6.3)."
        ) % {"months": TEMPORARY_WORK_MAX_MONTHS}
    return None


# ---------------------------------------------------------------------------------------
# National ID (Căn cước: 12 digits; Thông tư 59/2021/TT-BCA, Điều 7: 3 digits of the
# province of birth, 1 digit of sex and century, 2 digits of the year of birth, 6 random)

NATIONAL_ID_DIGITS = 12
"""Thông tư 59/2021/TT-BCA, Điều 7: a citizen identity number (CCCD) has 12 digits."""


def national_id_format_error(value: str) -> str | None:
    # Say what is wrong: a CCCD with a letter may well have 12 characters.
    if not value.isdigit():
        return _("Số CCCD phải gồm đúng %(digits)s chữ số và chỉ gồm chữ số; «%(value)s» có ký tự không phải chữ số.") % {
            "digits": NATIONAL_ID_DIGITS,
            "value": value,
        }
    if len(value) != NATIONAL_ID_DIGITS:
        return _("Số CCCD phải gồm đúng %(digits)s chữ số; «%(value)s» có %(length)s chữ số.") % {
            "digits": NATIONAL_ID_DIGITS,
            "value": value,
            "length": len(value),
        }
    return None


def national_id_warnings(value: str, *, sex: str, birth_date: dt.date) -> list[str]:
    """Mismatches between the CCCD digits and sex / year of birth: shown, not blocking."""
    if national_id_format_error(value):
        return []
    code = int(value[3])
    century = 1900 + 100 * (code // 2)
    female = code % 2 == 1
    warnings = []
    if (sex == "F") != female:
        warnings.append(_("Chữ số thứ 4 của số CCCD không khớp với giới tính."))
    if century + int(value[4:6]) != birth_date.year:
        warnings.append(_("Chữ số thứ 4–6 của số CCCD không khớp với năm sinh."))
    return warnings
