"""What the browser tests share: Debian's chromium, a page in Vietnamese, the login form.

Debian's chromium package, never a browser downloaded by ``playwright install``. There is
no skip when it is missing: launching fails, and so does the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # screenshots, for a person to look at


@contextmanager
def vietnamese_page() -> Iterator[Any]:
    """A page of a headless chromium, in Vietnamese, 1280×900; the browser closes after."""
    from playwright.sync_api import sync_playwright

    assert os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE") == "true"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser.new_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
        finally:
            browser.close()


def fill_login(page: Any, username: str, password: str) -> None:
    """Fill in and send the login form the page shows."""
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Đăng nhập").click()


def log_in(page: Any, base_url: str, user: Any, password: str) -> None:
    """Log ``user`` in through the login page and wait until the page names them."""
    from django.urls import reverse
    from playwright.sync_api import expect

    page.goto(base_url + reverse("accounts:login"))
    fill_login(page, user.username, password)
    expect(page.get_by_test_id("current-user")).to_have_text(str(user))
