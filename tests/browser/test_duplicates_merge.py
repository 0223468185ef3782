"""In a real browser: a cell secretary finds two records of one person on the page of
possible duplicates, compares them side by side and merges them into one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from members.models import Member, MemberMerge
from members.testing import add_member
from tests.browser.chromium import ARTIFACTS, log_in, vietnamese_page

BORN = dt.date(1980, 2, 1)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_cell_secretary_merges_two_records_of_one_person_in_the_browser(live_server, cast):
    from playwright.sync_api import expect

    office = cast.tree.office_cell
    keep = add_member(
        office, family_name="Nguyễn", middle_name="Văn", given_name="Đức", birth_date=BORN, hometown="Yên Phong, Bắc Ninh"
    )
    drop = add_member(
        office, family_name="NGUYEN", middle_name="VAN", given_name="DUC", birth_date=BORN, job="Kế toán", card_number="TH-0042"
    )

    with vietnamese_page() as page:
        log_in(page, live_server.url, cast.cell, cast.password)
        page.goto(live_server.url + reverse("members:member_list"))
        page.get_by_test_id("nav-duplicates").click()
        pair = page.get_by_test_id("pair")
        expect(pair).to_have_count(1)
        expect(pair).to_contain_text("Nguyễn Văn Đức")
        expect(pair).to_contain_text("NGUYEN VAN DUC")
        expect(pair).to_contain_text("rất có thể")
        page.screenshot(path=str(ARTIFACTS / "duplicates_list.png"), full_page=True)

        pair.get_by_test_id("compare").click()
        compare = page.get_by_test_id("compare")
        expect(compare).to_contain_text("Kế toán")
        expect(compare).to_contain_text("01/02/1980")
        page.get_by_label("Lý do gộp").fill("Một người được nhập hai lần từ hai tệp danh sách")
        page.screenshot(path=str(ARTIFACTS / "duplicates_compare.png"), full_page=True)
        page.get_by_test_id("merge").click()

        expect(page).to_have_url(live_server.url + reverse("members:member_detail", args=[keep.pk]))
        expect(page.get_by_role("alert").first).to_contain_text("Gộp hồ sơ NGUYEN VAN DUC vào hồ sơ Nguyễn Văn Đức.")
        history = page.get_by_test_id("history")
        expect(history).to_contain_text("Lý do: Một người được nhập hai lần từ hai tệp danh sách")
        expect(history).to_contain_text(f"Hồ sơ đã gộp vào hồ sơ này: NGUYEN VAN DUC (mã {drop.pk})")
        expect(history).to_contain_text(str(cast.cell))
        page.screenshot(path=str(ARTIFACTS / "duplicates_merged.png"), full_page=True)

    assert not Member.objects.filter(pk=drop.pk).exists()
    kept = Member.objects.get(pk=keep.pk)
    assert (kept.job, kept.card_number) == ("Kế toán", "TH-0042")
    assert MemberMerge.objects.get().merged_by == cast.cell
