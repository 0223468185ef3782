"""In a real browser: a member list kept by hand (title block, column numbers, total and
signatures, a column header of its own, a cell named rather than coded) goes in through
the mapping step and a question, then is written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import Member
from members.tests.test_import_real_files import FOOTER, NUMBERS, TITLE, member_row, workbook
from orgs.testing import found_same_named_cell
from tests.browser.chromium import ARTIFACTS, log_in, vietnamese_page

HEADER = [
    "STT",
    "Họ và tên",
    "Ngày, tháng, năm sinh",
    "Giới tính",
    "Dân tộc",
    "Trình độ học vấn",
    "Chuyên môn nghiệp vụ",
    "Lý luận chính trị",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ đảng viên",
    "Đơn vị sinh hoạt",
    "Ghi chú",
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_messy_list_goes_in_through_the_mapping_and_a_question(live_server, lists_loaded, cast, settings, tmp_path):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    other = found_same_named_cell(cast.tree)
    rows = [
        member_row(1, **{"Chuyên môn nghiệp vụ": "Cử nhân Kinh tế", "Lý luận chính trị": "Trung cấp LLCT"}),
        member_row(2, **{"Chi bộ": "chi bo van phong"}),
        member_row(3, **{"Chi bộ": "Chi bộ Báo Bắc Giang"}),
    ]
    data = workbook(*TITLE, HEADER, NUMBERS, *rows, *FOOTER)

    with vietnamese_page() as page:
        log_in(page, live_server.url, cast.upper, cast.password)
        page.goto(live_server.url + reverse("members:member_import"))
        page.set_input_files(
            "#id_file", files=[{"name": "danh-sach-chi-bo.xlsx", "mimeType": "application/octet-stream", "buffer": data}]
        )
        page.get_by_test_id("upload-button").click()

        # The cell column has a header of its own: the check says so, and the mapping is open.
        expect(page.get_by_test_id("error-list")).to_contain_text("Thiếu cột bắt buộc: Mã chi bộ.")
        mapping = page.get_by_test_id("mapping")
        row = mapping.locator('tr[data-header="Đơn vị sinh hoạt"]')
        expect(row.locator("select")).to_have_value("")
        row.locator("select").select_option("organization")
        page.get_by_test_id("save-mapping").click()

        # Two cells of the scope are called «Chi bộ Văn phòng»: which one is asked, with their parents.
        questions = page.get_by_test_id("questions")
        expect(questions).to_contain_text("Có 2 chi bộ tên «Chi bộ Văn phòng» trong phạm vi bạn quản lý")
        expect(page.get_by_test_id("confirm-blocked")).to_be_visible()
        expect(page.get_by_test_id("skipped")).to_contain_text("dòng tổng cộng «Tổng số: 4 đảng viên»")
        page.screenshot(path=str(ARTIFACTS / "member_import_question.png"), full_page=True)
        questions.get_by_label("Chi bộ Văn phòng — Đảng bộ Sở Xây dựng").check()
        page.get_by_test_id("answer").click()

        expect(page.get_by_test_id("counts")).to_contain_text("Tệp có 3 dòng hợp lệ: 3 đảng viên mới")
        page.get_by_test_id("confirm").click()
        expect(page.get_by_test_id("result")).to_contain_text("3 đảng viên mới")
        page.screenshot(path=str(ARTIFACTS / "member_import_real_file.png"), full_page=True)

    cells = dict(Member.objects.values_list("card_number", "organization_id"))
    assert cells == {"79000001": other.cell.pk, "79000002": other.cell.pk, "79000003": cast.tree.newspaper.pk}
    first = Member.objects.get(card_number="79000001")
    assert (first.professional_education.name, first.professional_education_text) == ("Đại học", "Cử nhân Kinh tế")
    assert first.political_theory.name == "Trung cấp"
