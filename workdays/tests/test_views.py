"""Pages of the holiday calendar: everyone signed in reads it, only an administrator changes it."""

import datetime as dt

import pytest
from django.urls import reverse

from workdays import services
from workdays.models import Holiday, HolidayKind, WorkingDayOverride

D = dt.date


@pytest.fixture(autouse=True)
def fresh_cache():
    services.calendar_cache_clear()
    yield
    services.calendar_cache_clear()


def login(client, user):
    client.force_login(user)
    return client


def test_anyone_signed_in_reads_the_calendar_of_a_year(client, cast):
    response = login(client, cast.member).get(reverse("workdays:holiday_list"), {"nam": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mùng 1 Tết Nguyên đán" in html and "29/01/2025" in html and "26/04/2025" in html
    assert reverse("workdays:holiday_create") not in html


def test_an_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("workdays:holiday_list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_list_shows_edit_buttons_to_an_administrator(client, cast):
    html = login(client, cast.admin).get(reverse("workdays:holiday_list"), {"nam": 2025}).content.decode()
    holiday = Holiday.objects.get(date=D(2025, 1, 1))
    assert reverse("workdays:holiday_update", args=[holiday.pk]) in html


def test_the_deadline_calculator_shows_the_deadline_and_the_days_skipped(client, cast):
    response = login(client, cast.cell).get(reverse("workdays:holiday_list"), {"nam": 2025, "start": "20/01/2025", "days": 30})
    html = response.content.decode()
    assert "10/03/2025" in html and "Mùng 1 Tết Nguyên đán" in html


def test_an_administrator_adds_a_swapped_day_off(client, cast):
    data = {"date": "03/02/2025", "name": "Nghỉ hoán đổi", "kind": HolidayKind.SWAP_OFF, "source": "Thông báo 1/TB"}
    response = login(client, cast.admin).post(reverse("workdays:holiday_create"), data)
    assert response.status_code == 302 and response["Location"].endswith("?nam=2025")
    holiday = Holiday.objects.get(date=D(2025, 2, 3))
    assert holiday.kind == HolidayKind.SWAP_OFF
    assert holiday.history.first().history_user == cast.admin
    assert services.add_working_days(D(2025, 1, 20), 30) == D(2025, 3, 11)


def test_the_add_form_reports_a_date_already_in_the_calendar(client, cast):
    data = {"date": "01/01/2025", "name": "Trùng", "kind": HolidayKind.STATUTORY}
    response = login(client, cast.admin).post(reverse("workdays:holiday_create"), data)
    assert response.status_code == 200 and "đã có trong lịch nghỉ" in response.content.decode()


def test_it_refuses_the_add_page_to_anyone_but_an_administrator(client, cast):
    data = {"date": "03/02/2025", "name": "Nghỉ", "kind": HolidayKind.SWAP_OFF}
    for user in (cast.upper, cast.base, cast.cell, cast.member, cast.viewer, cast.outsider):
        client = login(client, user)
        assert client.get(reverse("workdays:holiday_create")).status_code == 403, user
        assert client.post(reverse("workdays:holiday_create"), data).status_code == 403, user
    assert not Holiday.objects.filter(date=D(2025, 2, 3)).exists()


def test_an_administrator_edits_a_holiday_and_history_is_written(client, cast):
    holiday = Holiday.objects.get(date=D(2026, 8, 31))
    url = reverse("workdays:holiday_update", args=[holiday.pk])
    client = login(client, cast.admin)
    assert client.get(url).status_code == 200
    data = {"date": "04/09/2026", "name": "Nghỉ hoán đổi", "kind": HolidayKind.SWAP_OFF, "source": "Sửa"}
    assert client.post(url, data).status_code == 302
    holiday.refresh_from_db()
    assert holiday.date == D(2026, 9, 4)
    latest = holiday.history.first()
    assert latest.history_type == "~" and latest.history_user == cast.admin
    assert latest.prev_record.date == D(2026, 8, 31)


def test_it_refuses_editing_to_a_read_only_user(client, cast):
    holiday = Holiday.objects.get(date=D(2025, 1, 1))
    url = reverse("workdays:holiday_update", args=[holiday.pk])
    client = login(client, cast.viewer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"date": "02/01/2025", "name": "x", "kind": HolidayKind.STATUTORY}).status_code == 403
    holiday.refresh_from_db()
    assert holiday.date == D(2025, 1, 1)


def test_an_administrator_deletes_a_holiday_with_a_post(client, cast):
    holiday = Holiday.objects.get(date=D(2025, 5, 2))
    url = reverse("workdays:holiday_delete", args=[holiday.pk])
    client = login(client, cast.admin)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    assert Holiday.history.filter(id=holiday.pk).first().history_type == "-"
    assert services.is_working_day(D(2025, 5, 2))


def test_it_refuses_deleting_to_anyone_but_an_administrator(client, cast):
    holiday = Holiday.objects.get(date=D(2025, 5, 2))
    url = reverse("workdays:holiday_delete", args=[holiday.pk])
    for user in (cast.upper, cast.member, cast.outsider):
        assert login(client, user).post(url).status_code == 403
    assert Holiday.objects.filter(pk=holiday.pk).exists()


def test_an_administrator_adds_and_deletes_a_worked_saturday(client, cast):
    client = login(client, cast.admin)
    response = client.post(reverse("workdays:workingday_create"), {"date": "08/03/2025", "reason": "Làm bù"})
    assert response.status_code == 302
    saturday = WorkingDayOverride.objects.get(date=D(2025, 3, 8))
    assert saturday.history.first().history_user == cast.admin
    assert services.is_working_day(D(2025, 3, 8))
    url = reverse("workdays:workingday_delete", args=[saturday.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not services.is_working_day(D(2025, 3, 8))


def test_the_worked_day_form_refuses_a_weekday(client, cast):
    response = login(client, cast.admin).post(reverse("workdays:workingday_create"), {"date": "05/03/2025", "reason": "x"})
    assert response.status_code == 200 and "không phải thứ Bảy hay Chủ nhật" in response.content.decode()


def test_it_refuses_worked_days_to_anyone_but_an_administrator(client, cast):
    client = login(client, cast.base)
    assert client.get(reverse("workdays:workingday_create")).status_code == 403
    saturday = WorkingDayOverride.objects.get(date=D(2025, 4, 26))
    assert client.post(reverse("workdays:workingday_delete", args=[saturday.pk])).status_code == 403
