"""Login: Vietnamese errors, lockout after repeated failures, idle sessions, logged-out users."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

LOGIN = reverse("accounts:login")
HOME = reverse("home")


def attempt(client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def test_it_logs_a_user_in_and_sends_them_home(client, cast):
    response = attempt(client, cast.base.username, cast.password)
    assert response.status_code == 302
    assert response.url == HOME
    assert client.get(HOME).status_code == 200


def test_it_says_in_vietnamese_that_the_password_is_wrong(client, cast):
    response = attempt(client, cast.base.username, "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_deactivated_account(client, cast):
    cast.base.is_active = False
    cast.base.save()
    response = attempt(client, cast.base.username, cast.password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_stores_passwords_with_argon2(cast):
    from dangbo import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert cast.base.password.startswith("argon2")


def test_it_locks_the_login_after_the_failure_limit_and_says_when_to_retry(client, cast):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit - 1):
        assert attempt(client, cast.base.username, "sai-mat-khau").status_code == 200
    with time_machine.travel(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC), tick=False):
        response = attempt(client, cast.base.username, "sai-mat-khau")
    assert response.status_code == 429
    text = response.content.decode()
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    retry_at = timezone.localtime(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes))
    assert f"Hãy thử lại sau {minutes} phút, từ {retry_at:%H:%M %d/%m/%Y}" in text
    assert "15:15 02/03/2026" in text  # 08:00 UTC is 15:00 in Hà Nội, plus 15 minutes


def test_a_locked_login_refuses_even_the_right_password(client, cast):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, cast.base.username, "sai-mat-khau")
    response = attempt(client, cast.base.username, cast.password)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def retry_message(response) -> tuple[int, str]:
    found = re.search(r"Hãy thử lại sau (\d+) phút, từ (\d\d:\d\d \d\d/\d\d/\d{4})", response.content.decode())
    assert found is not None
    return int(found.group(1)), found.group(2)


def test_an_attempt_during_the_lock_starts_the_wait_again_and_the_page_says_so(client, cast):
    # django-axes counts the cool-off from the latest attempt, refused ones included.
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, cast.base.username, "sai-mat-khau")
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        response = attempt(client, cast.base.username, cast.password)
    assert response.status_code == 429
    assert retry_message(response) == (15, "15:25 02/03/2026")
    with time_machine.travel(start + dt.timedelta(minutes=26), tick=False):
        assert attempt(client, cast.base.username, cast.password).status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, cast.base.username, "sai-mat-khau")
    later = start + dt.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    with time_machine.travel(later, tick=False):
        response = attempt(client, cast.base.username, cast.password)
    assert response.status_code == 302


def test_a_successful_login_resets_the_failure_count(client, cast):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        attempt(client, cast.base.username, "sai-mat-khau")
    assert attempt(client, cast.base.username, cast.password).status_code == 302
    client.post(reverse("accounts:logout"))
    assert not AccessAttempt.objects.filter(username=cast.base.username, failures_since_start__gt=0).exists()
    for _ in range(limit - 1):
        assert attempt(client, cast.base.username, "sai-mat-khau").status_code == 200
    assert attempt(client, cast.base.username, cast.password).status_code == 302


def test_failures_for_one_username_do_not_lock_another(client, cast):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, cast.base.username, "sai-mat-khau")
    assert attempt(client, cast.cell.username, cast.password).status_code == 302


def test_an_idle_session_expires_and_the_next_request_goes_to_login(client, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert attempt(client, cast.base.username, cast.password).status_code == 302
    idle = dt.timedelta(seconds=settings.SESSION_IDLE_SECONDS + 60)
    with time_machine.travel(start + idle, tick=False):
        response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_activity_keeps_the_session_alive(client, cast):
    start = timezone.now()
    step = dt.timedelta(seconds=settings.SESSION_IDLE_SECONDS * 2 // 3)
    with time_machine.travel(start, tick=False):
        attempt(client, cast.base.username, cast.password)
    for n in (1, 2, 3):
        with time_machine.travel(start + n * step, tick=False):
            assert client.get(HOME).status_code == 200


def test_logout_is_post_only(client, cast):
    client.force_login(cast.base)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(HOME).status_code == 302


def test_a_logged_in_user_visiting_login_goes_home(client, cast):
    client.force_login(cast.base)
    response = client.get(LOGIN)
    assert response.status_code == 302


# Pages that anyone may reach (the favicon too), or that answer for themselves: the API sends 401 JSON,
# Django's admin has its own login page.
PUBLIC = {"accounts:login", "accounts:logout", "set_language", "favicon"}
PUBLIC_PREFIXES = ("api/", "django-admin/")
SAMPLE_ARGS = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def _pages(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(PUBLIC_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            yield from _pages(entry, route, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            if name in PUBLIC:
                continue
            yield name, route


def _sample_url(route: str) -> str:
    route = route.lstrip("^").rstrip("$")
    url = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGS.get(m.group(1) or "str", "x"), route)
    return "/" + url


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_page_sends_a_logged_out_user_to_login(client, db, method):
    pages = list(_pages())
    assert any(name == "accounts:user_list" for name, _ in pages)
    leaks = []
    for name, route in pages:
        url = _sample_url(route)
        response = getattr(client, method)(url)
        ok = response.status_code == 302 and response.url.startswith(LOGIN)
        # A POST-only action may refuse a GET first; it still shows nothing.
        if not ok and not (method == "get" and response.status_code == 405):
            leaks.append((name, url, response.status_code))
    assert leaks == []
