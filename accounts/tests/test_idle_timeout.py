"""The idle timeout without a database write per request (accounts.middleware.IdleTimeoutMiddleware)."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import ACTIVITY_COOKIE

HOME = reverse("home")
LOGIN = reverse("accounts:login")


def _session_writes(queries: list[dict]) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")]


def test_a_page_view_of_a_logged_in_user_writes_nothing_to_the_sessions(client, cast):
    client.force_login(cast.base)
    client.get(HOME)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("members:member_list"))
    assert response.status_code == 200
    assert _session_writes(ctx.captured_queries) == []
    assert ACTIVITY_COOKIE in response.cookies  # the activity moved into a signed cookie


def test_a_session_idle_since_the_login_ends(client, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(cast.base)  # no request yet: the login's own time counts
    with time_machine.travel(start + dt.timedelta(seconds=settings.SESSION_IDLE_SECONDS + 1), tick=False):
        response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_requests_keep_a_session_alive_past_the_idle_time_since_login(client, cast):
    start = timezone.now()
    step = dt.timedelta(seconds=settings.SESSION_IDLE_SECONDS - 60)
    with time_machine.travel(start, tick=False):
        client.force_login(cast.base)
    for n in (1, 2, 3):
        with time_machine.travel(start + n * step, tick=False):
            assert client.get(HOME).status_code == 200


def test_a_forged_activity_cookie_does_not_keep_a_session(client, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(cast.base)
    client.cookies[ACTIVITY_COOKIE] = "1:forged:signature"
    with time_machine.travel(start + dt.timedelta(seconds=settings.SESSION_IDLE_SECONDS + 1), tick=False):
        response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_an_idle_htmx_request_sends_the_page_to_the_login(client, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(cast.base)
    with time_machine.travel(start + dt.timedelta(seconds=settings.SESSION_IDLE_SECONDS + 1), tick=False):
        response = client.get(HOME, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == LOGIN  # not a login page swapped into a fragment


def test_any_session_ends_at_its_maximum_age_even_while_active(client, cast, settings):
    settings.SESSION_COOKIE_AGE = 2 * settings.SESSION_IDLE_SECONDS
    start = timezone.now()
    step = dt.timedelta(seconds=settings.SESSION_IDLE_SECONDS // 2)
    with time_machine.travel(start, tick=False):
        client.force_login(cast.base)
    for n in (1, 2, 3):
        with time_machine.travel(start + n * step, tick=False):
            assert client.get(HOME).status_code == 200
    with time_machine.travel(start + 5 * step, tick=False):
        response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_an_idle_request_while_the_database_is_locked_goes_to_the_login_without_an_error(client, cast, monkeypatch):
    from django.contrib.sessions.models import Session
    from django.db import OperationalError

    from accounts import middleware

    def locked(request):
        request.session.clear()  # as logout's flush does before it deletes the row
        raise OperationalError("database is locked")

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(cast.base)
    monkeypatch.setattr(middleware, "logout", locked)
    with time_machine.travel(start + dt.timedelta(seconds=settings.SESSION_IDLE_SECONDS + 1), tick=False):
        response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert Session.objects.exists()  # deleted by a later request
