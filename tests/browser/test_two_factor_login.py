"""In a real browser: the password, then the code page, then the application."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp

from accounts import otp
from tests.browser.chromium import ARTIFACTS, fill_login, vietnamese_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_user_with_an_authenticator_logs_in_with_a_code(live_server, cast):
    from playwright.sync_api import expect

    device = otp.pending_totp(cast.base)
    # Enrolled an hour ago, so the code used then is not the one typed now.
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1), tick=False):
        code = f"{totp(device.bin_key):06d}"
        otp.otp_enrol_confirm(user=cast.base, device=device, code=code)
    with vietnamese_page() as page:
        page.goto(live_server.url + reverse("members:member_list"))
        fill_login(page, cast.base.username, cast.password)

        expect(page.get_by_role("heading", name="Xác thực hai bước")).to_be_visible()
        assert reverse("accounts:otp_verify") in page.url
        page.fill("#id_code", "000000" if f"{totp(device.bin_key):06d}" != "000000" else "111111")
        page.get_by_role("button", name="Xác nhận").click()
        expect(page.get_by_test_id("form-errors")).to_contain_text("Mã xác thực không đúng hoặc đã hết hạn")
        page.screenshot(path=str(ARTIFACTS / "two_factor_wrong_code.png"))

        page.fill("#id_code", f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Xác nhận").click()
        expect(page.get_by_test_id("current-user")).to_have_text(str(cast.base))
        assert page.url.endswith(reverse("members:member_list"))

        page.goto(live_server.url + reverse("accounts:otp_setup"))
        expect(page.get_by_test_id("otp-status")).to_have_text("Đang bật")
