"""Working-day arithmetic on the stored calendar, and an administrator's corrections."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from lib import workdays as rules
from workdays import services
from workdays.models import Holiday, HolidayKind, WorkingDayOverride

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    services.calendar_cache_clear()
    yield
    services.calendar_cache_clear()


def test_every_database_starts_with_the_days_off_of_2015_to_2035():
    for year in (2015, 2025, 2035):
        stored = set(Holiday.objects.filter(date__year=year).values_list("date", flat=True))
        assert stored == {d.date for d in rules.holidays_for_year(year)}
    assert WorkingDayOverride.objects.filter(date=D(2025, 4, 26)).exists()
    assert WorkingDayOverride.objects.filter(date=D(2014, 12, 27)).exists()  # made up for 02/01/2015


def test_thirty_working_days_from_20_january_2025_skip_tet():
    # Off: 27/01 (compensatory for Saturday 01/02), 28/01–01/02 (Tết), and weekends.
    assert services.add_working_days(D(2025, 1, 20), 30) == D(2025, 3, 10)
    explanation = services.deadline_explain(D(2025, 1, 20), 30)
    assert [h.date for h in explanation.holidays_skipped] == [
        D(2025, 1, 27),
        *(D(2025, 1, d) for d in range(28, 32)),
        D(2025, 2, 1),
    ]
    assert explanation.deadline == D(2025, 3, 10)
    assert "10/03/2025" in str(explanation) and "Mùng 1 Tết Nguyên đán" in str(explanation)


def test_the_30_april_break_is_skipped_and_the_worked_saturday_counted():
    # 2025: 30/04 and 01/05 off, 02/05 swapped for Saturday 26/04.
    assert services.add_working_days(D(2025, 4, 25), 5) == D(2025, 5, 6)
    explanation = services.deadline_explain(D(2025, 4, 25), 5)
    assert explanation.weekend_days_worked == [D(2025, 4, 26)]
    assert [h.kind for h in explanation.holidays_skipped] == [HolidayKind.STATUTORY, HolidayKind.STATUTORY, HolidayKind.SWAP_OFF]


def test_national_day_and_its_adjacent_day_are_skipped():
    # 2025: Monday 01/09 and Tuesday 02/09 off.
    assert not services.is_working_day(D(2025, 9, 1))
    assert services.add_working_days(D(2025, 8, 29), 3) == D(2025, 9, 5)
    # 2020: only 02/09 (Labour Code 2012).
    assert services.is_working_day(D(2020, 9, 1)) and services.is_working_day(D(2020, 9, 3))


def test_an_administrators_swapped_day_off_moves_the_deadline():
    before = services.add_working_days(D(2025, 1, 20), 30)
    services.holiday_create(date=D(2025, 2, 3), name="Nghỉ hoán đổi", kind=HolidayKind.SWAP_OFF)
    after = services.add_working_days(D(2025, 1, 20), 30)
    assert after == services.add_working_days(before, 1) and after > before


def test_a_worked_saturday_brings_the_deadline_forward_and_deleting_it_restores_it():
    before = services.add_working_days(D(2025, 3, 6), 10)
    saturday = services.working_day_create(date=D(2025, 3, 8), reason="Làm bù")
    assert services.add_working_days(D(2025, 3, 6), 10) == services.add_working_days(before, -1)
    services.working_day_delete(working_day=saturday)
    assert services.add_working_days(D(2025, 3, 6), 10) == before


def test_deleting_a_holiday_makes_the_day_a_working_day():
    holiday = Holiday.objects.get(date=D(2025, 4, 30))
    services.holiday_delete(holiday=holiday)
    assert services.is_working_day(D(2025, 4, 30))


def test_it_refuses_a_second_day_off_on_the_same_date():
    with pytest.raises(ValidationError, match="đã có trong lịch nghỉ"):
        services.holiday_create(date=D(2025, 1, 1), name="Trùng")


def test_it_refuses_to_make_a_weekday_a_worked_weekend_day():
    with pytest.raises(ValidationError, match="không phải thứ Bảy hay Chủ nhật"):
        services.working_day_create(date=D(2025, 3, 5), reason="Sai")


def test_it_refuses_a_day_off_on_a_worked_saturday():
    with pytest.raises(ValidationError, match="đang là ngày làm bù"):
        services.holiday_create(date=D(2025, 4, 26), name="Nghỉ", kind=HolidayKind.SWAP_OFF)


def test_editing_a_holiday_writes_history():
    holiday = Holiday.objects.get(date=D(2026, 8, 31))
    services.holiday_update(holiday=holiday, date=D(2026, 9, 4), name="Nghỉ hoán đổi (sửa)", kind=HolidayKind.SWAP_OFF)
    latest = holiday.history.first()
    assert latest.history_type == "~" and latest.date == D(2026, 9, 4)
    assert latest.history_user is None and latest.prev_record.date == D(2026, 8, 31)
    assert not services.is_working_day(D(2026, 9, 4)) and services.is_working_day(D(2026, 8, 31))


def test_working_days_between_counts_the_days_elapsed():
    end = services.add_working_days(D(2025, 1, 20), 30)
    assert services.working_days_between(D(2025, 1, 20), end) == 30


def test_load_holidays_restores_missing_days_and_keeps_corrections():
    Holiday.objects.filter(date=D(2036, 1, 1)).delete()
    corrected = Holiday.objects.get(date=D(2025, 1, 1))
    services.holiday_update(holiday=corrected, date=corrected.date, name="Tết Dương lịch (đã sửa)", kind=corrected.kind)
    Holiday.objects.filter(date=D(2025, 4, 30)).delete()
    out = io.StringIO()
    call_command("load_holidays", "--from", "2025", "--to", "2036", stdout=out)
    assert "2025–2036" in out.getvalue()
    assert Holiday.objects.get(date=D(2025, 1, 1)).name == "Tết Dương lịch (đã sửa)"
    restored = Holiday.objects.get(date=D(2025, 4, 30))
    assert restored.history.first().history_type == "+"
    assert Holiday.objects.filter(date__year=2036).count() == len(rules.holidays_for_year(2036))
