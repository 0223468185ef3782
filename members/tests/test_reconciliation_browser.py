"""In a real browser: a base secretary uploads the quarter's 7-HSĐV list, sees the differences
with the register and applies one correction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from members.models import Member
from members.tests.test_reconciliation import build_register, line, list_file, rows_agreeing
from tests.browser.chromium import ARTIFACTS, log_in, vietnamese_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_base_secretary_reconciles_the_list_and_applies_one_correction(live_server, cast, settings, tmp_path):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    people = build_register(cast.tree)
    rows = rows_agreeing(people)
    rows[1]["Họ và tên"] = "Trần Thị Bính"  # the name differs
    del rows[4]  # Em is missing from the list
    rows.append(line("Hoàng Thị Hoa", dt.date(1992, 1, 1), "024192000006", "A1006", sex="Nữ"))
    data = list_file(rows)

    with vietnamese_page() as page:
        log_in(page, live_server.url, cast.base, cast.password)
        page.goto(live_server.url + reverse("members:member_list"))
        page.get_by_test_id("nav-reconcile").click()
        page.set_input_files(
            "#id_file", files=[{"name": "danh-sach-quy-1.xlsx", "mimeType": "application/octet-stream", "buffer": data}]
        )
        page.select_option("#id_organization", "so-tai-chinh")
        page.fill("#id_on", "31/03/2026")
        page.press("#id_on", "Tab")  # leaves the field: the calendar over the button closes
        expect(page.locator(".flatpickr-calendar.open")).to_have_count(0)
        page.get_by_test_id("reconcile-button").click()

        expect(page.get_by_test_id("counts")).to_contain_text("Danh sách có 5 dòng; hồ sơ có 5 đảng viên")
        expect(page.get_by_test_id("count-field")).to_have_text("1")
        expect(page.get_by_test_id("count-list_only")).to_have_text("1")
        expect(page.get_by_test_id("count-register_only")).to_have_text("1")
        expect(page.get_by_test_id("kind-register_only")).to_contain_text("Đỗ Thị Em")
        fix = page.get_by_test_id("kind-field").get_by_test_id("difference").filter(has_text="Trần Thị Bính")
        fix.get_by_role("checkbox").check()
        page.screenshot(path=str(ARTIFACTS / "member_reconcile.png"), full_page=True)
        page.get_by_test_id("apply-button").click()

        expect(page.get_by_role("alert").first).to_contain_text("Đã áp dụng 1 sửa đổi")
        expect(page.get_by_test_id("kind-field")).to_contain_text("Đã áp dụng")
        page.screenshot(path=str(ARTIFACTS / "member_reconcile_applied.png"), full_page=True)

    people.binh.refresh_from_db()
    assert people.binh.full_name == "Trần Thị Bính"
    assert not Member.objects.filter(national_id="024192000006").exists()  # not chosen, not added
