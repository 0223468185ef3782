"""The working-day calendar: questions (is a day worked, when is a deadline) and the
administrator's corrections. Deadlines count working days (domain.md section 12)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from lib import workdays as rules
from workdays.models import Holiday, HolidayKind, WorkingDayOverride

# --- The per-process cache -------------------------------------------------------------------
#
# Every deadline on a page asks the calendar, so the whole table (a few hundred rows) is kept
# in memory. A change made in this process clears it at once (signals); other processes
# (other web workers, the task worker) reload it after CACHE_SECONDS at the latest.

CACHE_SECONDS = 60.0


@dataclass(frozen=True)
class Calendar:
    days_off: dict[dt.date, Holiday]
    working_weekend_days: frozenset[dt.date]
    loaded_at: float = field(default_factory=time.monotonic)


_lock = threading.Lock()
_cached: Calendar | None = None


def calendar_cache_clear() -> None:
    global _cached
    with _lock:
        _cached = None


def calendar() -> Calendar:
    """The calendar as stored, from this process's cache when fresh."""
    global _cached
    current = _cached
    if current is not None and time.monotonic() - current.loaded_at < CACHE_SECONDS:
        return current
    loaded = Calendar(
        days_off={h.date: h for h in Holiday.objects.all()},
        working_weekend_days=frozenset(WorkingDayOverride.objects.values_list("date", flat=True)),
    )
    with _lock:
        _cached = loaded
    return loaded


# --- Questions -------------------------------------------------------------------------------


def is_working_day(day: dt.date) -> bool:
    cal = calendar()
    return rules.is_working_day(day, cal.days_off, cal.working_weekend_days)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date on which ``n`` working days after ``start`` have elapsed; day 1 is the first
    working day after ``start`` (a deadline "within n working days" of ``start``)."""
    cal = calendar()
    return rules.add_working_days(start, n, cal.days_off, cal.working_weekend_days)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many of a deadline's days have elapsed on ``end``."""
    cal = calendar()
    return rules.working_days_between(start, end, cal.days_off, cal.working_weekend_days)


@dataclass(frozen=True)
class DeadlineExplanation:
    start: dt.date
    working_days: int
    deadline: dt.date
    holidays_skipped: list[Holiday]
    weekend_days_skipped: int
    weekend_days_worked: list[dt.date]

    def __str__(self) -> str:
        values = {"days": self.working_days, "start": f"{self.start:%d/%m/%Y}", "deadline": f"{self.deadline:%d/%m/%Y}"}
        if not self.holidays_skipped:
            return _("%(days)s ngày làm việc kể từ %(start)s: hạn là %(deadline)s.") % values
        skipped = ", ".join(f"{h.date:%d/%m/%Y} ({h.name})" for h in self.holidays_skipped)
        return _("%(days)s ngày làm việc kể từ %(start)s: hạn là %(deadline)s; không tính %(skipped)s.") % {
            **values,
            "skipped": skipped,
        }


def deadline_explain(start: dt.date, n: int) -> DeadlineExplanation:
    """The deadline ``n`` working days after ``start`` with the days it skipped, for the UI."""
    if n < 0:
        raise ValueError(_("Số ngày làm việc phải không âm."))
    cal = calendar()
    deadline = rules.add_working_days(start, n, cal.days_off, cal.working_weekend_days)
    skipped: list[Holiday] = []
    weekend = 0
    worked: list[dt.date] = []
    day = start
    while day < deadline:
        day += dt.timedelta(days=1)
        if day in cal.working_weekend_days:
            worked.append(day)
        elif day in cal.days_off:
            skipped.append(cal.days_off[day])
        elif rules.is_weekend(day):
            weekend += 1
    return DeadlineExplanation(start, n, deadline, skipped, weekend, worked)


# --- Corrections by an administrator ----------------------------------------------------------


def _check_holiday(*, date: dt.date, kind: str, exclude_pk: int | None = None) -> None:
    if kind not in HolidayKind.values:
        raise ValidationError({"kind": _("Loại ngày nghỉ không hợp lệ.")})
    clashes = Holiday.objects.filter(date=date)
    if exclude_pk is not None:
        clashes = clashes.exclude(pk=exclude_pk)
    clash = clashes.first()
    if clash is not None:
        raise ValidationError(
            {"date": _("Ngày %(date)s đã có trong lịch nghỉ: %(name)s.") % {"date": f"{date:%d/%m/%Y}", "name": clash.name}}
        )
    if WorkingDayOverride.objects.filter(date=date).exists():
        raise ValidationError(
            {"date": _("Ngày %(date)s đang là ngày làm bù; hãy xóa ngày làm bù trước.") % {"date": f"{date:%d/%m/%Y}"}}
        )


@transaction.atomic
def holiday_create(*, date: dt.date, name: str, kind: str = HolidayKind.STATUTORY, source: str = "") -> Holiday:
    _check_holiday(date=date, kind=kind)
    return Holiday.objects.create(date=date, name=name.strip(), kind=kind, source=source.strip())


@transaction.atomic
def holiday_update(*, holiday: Holiday, date: dt.date, name: str, kind: str, source: str = "") -> Holiday:
    _check_holiday(date=date, kind=kind, exclude_pk=holiday.pk)
    holiday.date, holiday.name, holiday.kind, holiday.source = date, name.strip(), kind, source.strip()
    holiday.save()
    return holiday


@transaction.atomic
def holiday_delete(*, holiday: Holiday) -> None:
    holiday.delete()


@transaction.atomic
def working_day_create(*, date: dt.date, reason: str, source: str = "") -> WorkingDayOverride:
    """Declare a Saturday or Sunday worked (làm bù)."""
    if not rules.is_weekend(date):
        raise ValidationError(
            {"date": _("Ngày %(date)s không phải thứ Bảy hay Chủ nhật: vốn đã là ngày làm việc.") % {"date": f"{date:%d/%m/%Y}"}}
        )
    if Holiday.objects.filter(date=date).exists():
        raise ValidationError(
            {"date": _("Ngày %(date)s là ngày nghỉ lễ, không thể là ngày làm bù.") % {"date": f"{date:%d/%m/%Y}"}}
        )
    if WorkingDayOverride.objects.filter(date=date).exists():
        raise ValidationError({"date": _("Ngày %(date)s đã là ngày làm bù.") % {"date": f"{date:%d/%m/%Y}"}})
    return WorkingDayOverride.objects.create(date=date, reason=reason.strip(), source=source.strip())


@transaction.atomic
def working_day_delete(*, working_day: WorkingDayOverride) -> None:
    working_day.delete()


# --- Loading from the rules -------------------------------------------------------------------


def rule_rows(first_year: int, last_year: int) -> tuple[list[rules.DayOff], list[rules.Swap]]:
    """Days off and worked weekend days that ``lib.workdays`` gives for the years."""
    days: list[rules.DayOff] = []
    worked: list[rules.Swap] = []
    for year in range(first_year, last_year + 1):
        days += rules.holidays_for_year(year)
        worked += rules.published_swaps(year)
    return days, worked


def new_rule_objects(holiday_model, override_model, *, first_year: int, last_year: int) -> tuple[list, list]:
    """Unsaved rows for the rules' days of the years that the table lacks; every date already
    there is kept (an administrator's correction wins). Takes the model classes so that a data
    migration can pass its historical models."""
    days, worked = rule_rows(first_year, last_year)
    have = set(holiday_model.objects.values_list("date", flat=True))
    have_worked = set(override_model.objects.values_list("date", flat=True))
    new_days = [
        holiday_model(date=d.date, name=d.name, kind=d.kind, source=d.source)
        for d in days
        if d.date not in have and d.date not in have_worked
    ]
    new_worked = [
        override_model(date=s.work_on, reason=f"Làm bù cho ngày nghỉ {s.day_off:%d/%m/%Y}", source=s.source)
        for s in worked
        if s.work_on not in have_worked and s.work_on not in have
    ]
    return new_days, new_worked


@transaction.atomic
def holidays_load(*, first_year: int, last_year: int) -> tuple[int, int]:
    """Fill the calendar from the rules for the years (see ``new_rule_objects``).
    Returns (days off added, worked days added)."""
    if first_year > last_year:
        raise ValueError(_("Năm bắt đầu phải không sau năm kết thúc."))
    new_days, new_worked = new_rule_objects(Holiday, WorkingDayOverride, first_year=first_year, last_year=last_year)
    bulk_create_with_history(new_days, Holiday, default_change_reason="Nạp theo quy định")
    bulk_create_with_history(new_worked, WorkingDayOverride, default_change_reason="Nạp theo quy định")
    calendar_cache_clear()
    return len(new_days), len(new_worked)
