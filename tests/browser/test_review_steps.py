"""In a real browser: one member through the three steps of the 2025 review, on a phone for
the self-assessment, then the cell's grid, then the base committee's decision with its
live quota."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.tests._people import add_people
from reviews.models import MemberReview, Step
from reviews.regimes.base import Rating
from reviews.testing import open_round
from tests.browser.chromium import ARTIFACTS, log_in, vietnamese_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_goes_through_self_assessment_appraisal_and_decision(live_server, cast):
    from playwright.sync_api import expect

    people = add_people(cast.tree)
    people.duc.user = cast.member
    people.duc.save()
    round = open_round(cast.tree.bloc, 2025, user=cast.upper)
    review = MemberReview.objects.get(round=round, member=people.duc)

    with vietnamese_page() as page:
        # Step 1: the member, on a phone.
        page.set_viewport_size({"width": 390, "height": 844})
        log_in(page, live_server.url, cast.member, cast.password)
        page.goto(live_server.url + reverse("reviews:my_ratings"))
        page.get_by_role("link", name="Tự đánh giá").click()
        page.fill("#id_general_points", "28")
        page.fill("#id_result_points", "63")
        # Mẫu 2B's tasks, one row each: three rows are offered, a button adds more.
        for i in range(10):
            rows = page.locator("[data-task-row]")
            if rows.count() <= i:
                page.get_by_role("button", name="Thêm nhiệm vụ").click()
            row = page.locator("[data-task-row]").nth(i)
            row.locator("input[name='task_name']").fill(f"Nhiệm vụ số {i + 1}")
            row.locator("select[name='task_outcome']").select_option("above" if i < 4 else "on_time")
        page.get_by_role("button", name="Lưu bản tự đánh giá").click()
        expect(page.get_by_test_id("proposal")).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")
        expect(page.get_by_test_id("proposal")).to_contain_text("Tổng điểm 91/100")
        expect(page.get_by_test_id("proposal")).to_contain_text("trong đó 4 vượt yêu cầu (40%)")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
        page.screenshot(path=str(ARTIFACTS / "review_self_phone.png"), full_page=True)

        # Step 2: the cell secretary proposes in the grid.
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1280, "height": 900})
        log_in(page, live_server.url, cast.cell, cast.password)
        page.goto(live_server.url + reverse("reviews:cell_grid", args=[round.pk, cast.tree.office_cell.pk]))
        page.select_option(f"select[name='appraised_rating-{review.pk}']", "excellent")
        page.get_by_role("button", name="Lưu cả bảng").click()
        expect(page.get_by_role("alert")).to_contain_text("Đã lưu kết quả của chi bộ")

        # Step 3: the base committee decides; the what-if counts the quota as choices change.
        page.context.clear_cookies()
        log_in(page, live_server.url, cast.base, cast.password)
        page.goto(live_server.url + reverse("reviews:decide", args=[round.pk, cast.tree.finance.pk]))
        # The what-if: before and after side by side, from the server's rules, nothing saved.
        after = page.get_by_test_id("quota-after")
        expect(after).to_contain_text("1 xuất sắc, 0 tốt")
        expect(after).to_contain_text("Vượt 1")  # 1 excellent of 1 good or better: the quota is 0
        page.select_option(f"select[name='rating-{review.pk}']", "good")
        expect(after).to_contain_text("0 xuất sắc, 1 tốt")
        expect(after.get_by_text("Vượt")).to_be_hidden()
        expect(page.get_by_test_id("quota-before")).to_contain_text("Vượt 1")
        expect(page.get_by_test_id("members-good-after")).to_have_text("1")
        page.fill(f"input[name='note-{review.pk}']", "Giữ tỷ lệ hoàn thành xuất sắc")
        page.fill("#id_decided_on", "20/01/2026")
        page.fill("#id_decision_number", "15-QĐ/ĐU")
        page.screenshot(path=str(ARTIFACTS / "review_decide.png"), full_page=True)
        page.get_by_role("button", name="Quyết định").click()
        expect(page.get_by_role("alert")).to_contain_text("Đã quyết định xếp loại")

    review.refresh_from_db()
    assert (review.step, review.rating, review.decision_number) == (Step.DECIDED, Rating.GOOD, "15-QĐ/ĐU")
