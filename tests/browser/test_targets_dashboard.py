"""In a real browser: the targets dashboard shows the current term's targets as cards with
their status colour, and a card opens the rows its value counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from members.testing import add_member
from targets.models import Comparison, Period, Unit
from targets.services import resolution_create, target_create
from tests.browser.chromium import ARTIFACTS, log_in, vietnamese_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_shows_a_met_and_a_missed_target_and_opens_what_a_value_counts(live_server, cast):
    from playwright.sync_api import expect

    year = dt.date.today().year
    resolution = resolution_create(
        organization=cast.tree.bloc, term_name=f"{year - 1}–{year + 3}", start_year=year - 1, end_year=year + 3, user=cast.upper
    )
    add_member(cast.tree.office_cell, given_name="Mới", admitted_on=dt.date(year - 1, 3, 1), birth_date=dt.date(1995, 1, 1))
    target_create(
        resolution=resolution,
        wording="Cả nhiệm kỳ kết nạp từ 1 đảng viên trở lên",
        indicator_code="members.admitted",
        threshold=Decimal(1),
        unit=Unit.COUNT,
        period=Period.TERM,
        user=cast.upper,
    )
    target_create(
        resolution=resolution,
        wording="Hằng năm 90% trở lên số cơ quan, đơn vị đạt chuẩn văn hóa",
        indicator_code="",
        comparison=Comparison.GE,
        threshold=Decimal(90),
        unit=Unit.PERCENT,
        user=cast.upper,
    )
    with vietnamese_page() as page:
        log_in(page, live_server.url, cast.upper, cast.password)
        page.goto(live_server.url + reverse("targets:dashboard"))
        cards = page.get_by_test_id("target-card")
        expect(cards).to_have_count(2)
        expect(cards.first).to_have_attribute("data-status", "green")
        expect(cards.first.get_by_test_id("sentence")).to_have_text("kết nạp 1 đảng viên, đạt chỉ tiêu Nghị quyết")
        page.screenshot(path=str(ARTIFACTS / "targets_dashboard.png"), full_page=True)
        cards.first.get_by_role("link", name="Xem số liệu").click()
        expect(page.get_by_test_id("rows")).to_contain_text("Mới")
