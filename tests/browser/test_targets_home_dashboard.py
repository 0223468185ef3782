"""In a real browser: the upper official's home page is the bloc's dashboard (a card with its
state in words and its chart, the review round in progress, an alert), and the allocation
grid is filled in from the keyboard, its sum following what is typed."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from members.testing import add_member
from targets.models import Comparison, Period, TargetAllocation, Unit
from targets.services import resolution_create, target_create
from tests.browser.chromium import ARTIFACTS, log_in, vietnamese_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_home_page_is_the_blocs_dashboard_and_its_allocation_grid_sums_what_is_typed(live_server, cast):
    from playwright.sync_api import expect

    from reviews.testing import open_round

    year = dt.date.today().year
    resolution = resolution_create(
        organization=cast.tree.bloc, term_name=f"{year - 1}–{year + 3}", start_year=year - 1, end_year=year + 3, user=cast.upper
    )
    add_member(cast.tree.office_cell, given_name="Mới", admitted_on=dt.date(year - 1, 3, 1), birth_date=dt.date(1995, 1, 1))
    add_member(
        cast.tree.newspaper,
        given_name="Tân",
        admitted_on=dt.date(year, 1, 2),
        birth_date=dt.date(1990, 1, 1),
        full_member_on=None,
    )
    admitted = target_create(
        resolution=resolution,
        wording="Cả nhiệm kỳ kết nạp từ 10 đảng viên trở lên",
        indicator_code="members.admitted",
        comparison=Comparison.GE,
        threshold=Decimal(10),
        unit=Unit.COUNT,
        period=Period.TERM,
        user=cast.upper,
    )
    target_create(
        resolution=resolution,
        wording="Hằng năm 90% trở lên số cơ quan, đơn vị đạt chuẩn văn hóa",
        indicator_code="",
        threshold=Decimal(90),
        unit=Unit.PERCENT,
        user=cast.upper,
    )
    open_round(cast.tree.bloc, year - 1)
    with vietnamese_page() as page:
        log_in(page, live_server.url, cast.upper, cast.password)
        page.goto(live_server.url + reverse("home"))
        cards = page.get_by_test_id("target-card")
        expect(cards).to_have_count(2)
        first = cards.first
        # 2 admitted in the first 2 years of 5: far below the pace for 10.
        expect(first).to_have_attribute("data-state", "at_risk")
        expect(first.get_by_test_id("state")).to_have_text("Có nguy cơ không đạt")
        expect(first.get_by_test_id("chart-bar")).to_have_count(2)
        # Coordinates are written with a decimal point whatever the page's language.
        expect(first.locator("[data-testid=chart-bar] rect").last).to_have_attribute("height", re.compile(r"^[1-9]\d*(\.\d+)?$"))
        expect(cards.nth(1).get_by_test_id("state")).to_have_text("Chưa có số liệu")
        expect(page.get_by_test_id("round")).to_have_count(1)
        expect(page.get_by_test_id("round-progress")).to_contain_text("đảng viên đã có quyết định")
        page.screenshot(path=str(ARTIFACTS / "targets_home_dashboard.png"), full_page=True)

        first.get_by_test_id("allocation-link").click()
        total = page.get_by_test_id("allocation-sum")
        expect(total).to_contain_text("Tổng phân bổ: 0 / chỉ tiêu 10")
        # Enter moves to the next row once the grid's script is in place (before, it sends the form).
        expect(page.locator("[data-allocation-grid]")).to_have_attribute("data-ready", "1")
        page.get_by_label("Cấp phân bổ").fill("Ban Thường vụ Đảng ủy Khối")
        finance = page.get_by_label(cast.tree.finance.name)
        finance.focus()
        page.keyboard.type("6")
        page.keyboard.press("Enter")  # to the next row, not sending the form
        expect(page.get_by_label(cast.tree.newspaper.name)).to_be_focused()
        page.keyboard.type("5")
        expect(total).to_contain_text("Tổng phân bổ: 11 / chỉ tiêu 10")
        page.screenshot(path=str(ARTIFACTS / "targets_allocation_grid.png"), full_page=True)
        page.get_by_role("button", name="Lưu phân bổ").click()
        expect(page.get_by_test_id("history")).to_contain_text("Tạo mới")
    assert sorted(TargetAllocation.objects.filter(target=admitted).values_list("threshold", flat=True)) == [5, 6]
