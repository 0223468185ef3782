"""In a real browser: the member list's organization picker searches as one types (htmx),
and the organization picked filters the list."""

from __future__ import annotations

import re
import shutil

import pytest
from django.urls import reverse

from members.testing import add_member
from members.tests._people import add_people
from orgs.testing import found_same_named_cell
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
        expect(picker).to_have_value("Chi bộ Ngân sách — Đảng bộ Sở Tài chính")
        expect(page.get_by_test_id("org-code")).to_have_value("cb-ngan-sach")
        expect(page.get_by_test_id("org-options")).to_be_hidden()

        page.get_by_role("button", name="Lọc", exact=True).click()
        expect(page).to_have_url(re.compile(r"[?&]organization=cb-ngan-sach(&|$)"))
        expect(page.get_by_test_id("total")).to_contain_text("2")
        table = page.get_by_test_id("member-table")
        expect(table).to_contain_text("Lê Thị Hoa")
        expect(table).to_contain_text("Nguyễn Văn Bình")
        expect(table).not_to_contain_text("Trần Văn An")
        expect(page.get_by_test_id("org-text")).to_have_value("Chi bộ Ngân sách — Đảng bộ Sở Tài chính")
        page.screenshot(path=str(ARTIFACTS / "member_list_filtered.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_two_cells_of_the_same_name_are_told_apart_by_their_parents(live_server, cast, tmp_path):
    from playwright.sync_api import expect

    add_people(cast.tree)
    twin = found_same_named_cell(cast.tree)
    add_member(twin.cell, family_name="Vũ", middle_name="Thị", given_name="Hoa")
    with vietnamese_page() as page:
        log_in(page, live_server.url, cast.upper, cast.password)
        page.goto(live_server.url + reverse("members:member_list"))
        picker = page.get_by_test_id("org-text")
        picker.click()
        picker.press_sequentially("van phong", delay=30)
        finance = page.get_by_test_id("org-option-cb-van-phong")
        construction = page.get_by_test_id("org-option-xd-van-phong")
        # The options of the text typed, not those shown on focus: only the two cells.
        expect(page.get_by_test_id("org-options").get_by_role("option")).to_have_count(2)
        expect(finance).to_contain_text("Đảng bộ Sở Tài chính")
        expect(construction).to_contain_text("Đảng bộ Sở Xây dựng")
        shot = tmp_path / "picker_same_named_cells.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000  # a real image of the open picker, not an empty file
        shutil.copy(shot, ARTIFACTS / shot.name)  # kept for a person to look at

        construction.click()
        expect(picker).to_have_value("Chi bộ Văn phòng — Đảng bộ Sở Xây dựng")
        page.get_by_role("button", name="Lọc", exact=True).click()
        expect(page).to_have_url(re.compile(r"[?&]organization=xd-van-phong(&|$)"))
        expect(page.get_by_test_id("total")).to_contain_text("1")
        expect(page.get_by_test_id("member-table")).to_contain_text("Vũ Thị Hoa")
        expect(picker).to_have_value("Chi bộ Văn phòng — Đảng bộ Sở Xây dựng")
