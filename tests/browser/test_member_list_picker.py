"""In a real browser: the member list's organization picker searches as one types (htmx),
and the organization picked filters the list."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from members.tests._people import add_people
from tests.browser.chromium import ARTIFACTS, log_in, vietnamese_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_upper_official_picks_a_cell_by_typing_part_of_its_name(live_server, cast):
    from playwright.sync_api import expect

    add_people(cast.tree)
    with vietnamese_page() as page:
        log_in(page, live_server.url, cast.upper, cast.password)

        page.goto(live_server.url + reverse("members:member_list"))
        expect(page.get_by_test_id("total")).to_contain_text("5")
        picker = page.get_by_test_id("org-text")
        picker.click()
        picker.press_sequentially("ngan sach", delay=30)  # no diacritics typed
        option = page.get_by_test_id("org-option-cb-ngan-sach")
        expect(option).to_be_visible()
        expect(page.get_by_test_id("org-option-cb-van-phong")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "member_list_picker.png"))
        option.click()
        expect(picker).to_have_value("Chi bộ Ngân sách")
        expect(page.get_by_test_id("org-code")).to_have_value("cb-ngan-sach")
        expect(page.get_by_test_id("org-options")).to_be_hidden()

        page.get_by_role("button", name="Lọc", exact=True).click()
        expect(page).to_have_url(re.compile(r"[?&]organization=cb-ngan-sach(&|$)"))
        expect(page.get_by_test_id("total")).to_contain_text("2")
        table = page.get_by_test_id("member-table")
        expect(table).to_contain_text("Lê Thị Hoa")
        expect(table).to_contain_text("Nguyễn Văn Bình")
        expect(table).not_to_contain_text("Trần Văn An")
        expect(page.get_by_test_id("org-text")).to_have_value("Chi bộ Ngân sách")
        page.screenshot(path=str(ARTIFACTS / "member_list_filtered.png"), full_page=True)
