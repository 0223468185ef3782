"""In a real browser: a date field of a member form opens a Vietnamese calendar; the day
picked is written dd/mm/yyyy, and typing a date by hand still works."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from members.tests._people import add_people
from tests.browser.chromium import ARTIFACTS, log_in, vietnamese_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_day_picked_in_the_calendar_reads_dd_mm_yyyy(live_server, cast):
    from playwright.sync_api import expect

    people = add_people(cast.tree)
    with vietnamese_page() as page:
        log_in(page, live_server.url, cast.cell, cast.password)
        page.goto(live_server.url + reverse("members:member_status_change", args=[people.duc.pk]))
        field = page.locator("#id_effective_on")
        field.click()
        calendar = page.locator(".flatpickr-calendar.open")
        expect(calendar).to_be_visible()
        expect(calendar.locator(".flatpickr-weekday").first).to_have_text(
            "T2"
        )  # the Vietnamese locale: weeks start on Monday (Thứ hai)
        calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)", has_text="15").first.click()
        today = dt.date.today()
        expect(field).to_have_value(f"15/{today.month:02d}/{today.year}")
        page.screenshot(path=str(ARTIFACTS / "date_picker.png"))

        field.fill("03/02/2025")  # typing still works
        field.press("Tab")
        expect(field).to_have_value("03/02/2025")
