"""In a real browser at 1366 px wide (a common office laptop): the member list's table fits
its card, with every column a register keeper sees, and a long cell name is cut to one line
with the whole name in its title."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import Member
from members.tests._people import add_people
from orgs.models import Organization
from tests.browser.chromium import ARTIFACTS, log_in, vietnamese_page

LONG_NAME = "Chi bộ Phòng Quản lý ngân sách, tin học và thống kê tài chính doanh nghiệp nhà nước"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_member_list_fits_a_1366_pixel_screen(live_server, cast):
    from playwright.sync_api import expect

    people = add_people(cast.tree)
    Organization.objects.filter(pk=cast.tree.budget_cell.pk).update(name=LONG_NAME)
    Member.objects.filter(pk=people.binh.pk).update(national_id="024080000123", phone="0912345678")
    with vietnamese_page() as page:
        page.set_viewport_size({"width": 1366, "height": 900})
        log_in(page, live_server.url, cast.admin, cast.password)
        page.goto(live_server.url + reverse("members:member_list"))
        table = page.get_by_test_id("member-table")
        expect(table).to_contain_text("Nguyễn Văn Bình")
        page.screenshot(path=str(ARTIFACTS / "member_list_1366.png"), full_page=True)

        box = page.evaluate(
            """() => {
                const table = document.querySelector('[data-testid=member-table]');
                const box = table.parentElement;
                return {scroll: box.scrollWidth, client: box.clientWidth, table: table.scrollWidth};
            }"""
        )
        assert box["scroll"] <= box["client"], box
        cell = page.get_by_title(LONG_NAME).first
        expect(cell).to_be_visible()
        line = page.evaluate("(el) => parseFloat(getComputedStyle(el).lineHeight)", cell.element_handle())
        assert cell.bounding_box()["height"] < 2 * line  # one line, not five
