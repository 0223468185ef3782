"""In a real browser: the import's progress card keeps polling through failed polls.

A poll answered 400 (as when a request waited on SQLite's write lock), one that never
reaches the server (a network error) and one that never answers: the page says it is
trying again, keeps polling, and shows the result once the job is done. With DEBUG on,
as in the demo, django-htmx's debug script used to replace the whole page with the
error page on the first failed poll, which ended the polling for good.
"""

from __future__ import annotations

import contextlib
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from members import views_import
from members.models import ImportJob, ImportJobStatus
from tests.browser.chromium import log_in, vietnamese_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_progress_card_polls_on_after_failed_polls_until_the_job_is_done(live_server, cast, settings, tmp_path, monkeypatch):
    from playwright.sync_api import expect

    settings.DEBUG = True  # django-htmx adds its debug error handler to every page
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(views_import, "POLL_TIMEOUT_MS", 1500)
    job = ImportJob.objects.create(
        created_by=cast.base,
        filename="ds.xlsx",
        file="imports/ds.xlsx",
        status=ImportJobStatus.WRITING,
        background=True,
        total=10,
        processed=5,
        heartbeat_at=timezone.now(),
    )
    poll_url = reverse("members:importjob_progress", args=[job.pk])
    answered: list[str] = []
    hung: list = []

    def failing_polls(route):
        n = len(answered) + len(hung) + 1
        if n == 1:
            answered.append("400")
            route.fulfill(status=400, content_type="text/html", body="<html><body>Bad Request (400)</body></html>")
        elif n == 2:
            answered.append("network error")
            route.abort("connectionreset")
        elif n == 3:
            hung.append(route)  # never answered: the poll's timeout ends it
        else:
            answered.append("server")
            route.continue_()

    with vietnamese_page() as page:
        log_in(page, live_server.url, cast.base, cast.password)
        page.route(f"**{poll_url}", failing_polls)
        page.goto(live_server.url + reverse("members:importjob_detail", args=[job.pk]))
        expect(page.get_by_test_id("poll-retrying")).to_be_visible()  # the page says it tries again

        deadline = time.monotonic() + 60
        while "server" not in answered:  # a poll after the three failures reaches the server
            assert time.monotonic() < deadline, f"the polling stopped after: {answered}, {len(hung)} hung"
            page.wait_for_timeout(200)  # (route handlers run while Playwright waits)
        expect(page.get_by_test_id("import-progress")).to_be_visible()
        expect(page.get_by_test_id("poll-retrying")).to_be_hidden()

        ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.DONE, new_count=10, finished_at=timezone.now())
        expect(page.get_by_test_id("result")).to_be_visible(timeout=15_000)
        for route in hung:
            with contextlib.suppress(Exception):  # the browser gave up on it already
                route.abort()
    assert answered[:2] == ["400", "network error"] and len(hung) == 1
