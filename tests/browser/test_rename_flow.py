"""In a real browser: the tree expands with htmx, and a rename goes form → preview → save."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.chromium import ARTIFACTS, log_in, vietnamese_page

NEW_NAME = "Đảng bộ Sở Tài chính – Kế hoạch"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_upper_official_renames_an_organization_in_the_browser(live_server, cast):
    from playwright.sync_api import expect

    with vietnamese_page() as page:
        log_in(page, live_server.url, cast.upper, cast.password)

        page.goto(live_server.url + reverse("orgs:organization_tree"))
        finance_link = page.get_by_role("link", name="Đảng bộ Sở Tài chính", exact=True)
        expect(finance_link).to_have_count(0)
        page.get_by_test_id("expand-khoi-cq").click()  # htmx loads the children
        expect(finance_link).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "tree_expanded.png"))

        finance_link.click()
        expect(page.get_by_test_id("org-name")).to_have_text("Đảng bộ Sở Tài chính")
        page.get_by_role("link", name="Đổi tên", exact=True).click()
        page.fill("#id_name", NEW_NAME)
        page.fill("#id_effective_on", "01/03/2020")
        page.fill("#id_decision_no", "QĐ-120")
        page.get_by_test_id("preview-button").click()

        effect = f"Đổi tên «Đảng bộ Sở Tài chính — Đảng bộ Khối các cơ quan tỉnh» thành «{NEW_NAME}»."
        expect(page.get_by_test_id("effects")).to_contain_text(effect)
        page.screenshot(path=str(ARTIFACTS / "rename_preview.png"), full_page=True)
        page.get_by_test_id("confirm").click()

        expect(page.get_by_test_id("org-name")).to_have_text(NEW_NAME)
        timeline = page.get_by_test_id("timeline")
        expect(timeline).to_contain_text(effect)
        expect(timeline).to_contain_text("01/03/2020")
        expect(page.get_by_role("alert")).to_contain_text(effect)
        page.screenshot(path=str(ARTIFACTS / "rename_flow.png"), full_page=True)
