"""Two-factor login: enrolment, the code after the password, its lockout, the staff policy."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import otp
from accounts.models import ApiToken, User

LOGIN = reverse("accounts:login")
HOME = reverse("home")
SETUP = reverse("accounts:otp_setup")
ENABLE = reverse("accounts:otp_enable")
DISABLE = reverse("accounts:otp_disable")
VERIFY = reverse("accounts:otp_verify")
MEMBERS = reverse("members:member_list")
# Near the real time: sessions saved while time is frozen expire by the real clock.
T0 = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator app shows now for ``device``'s secret."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = int(code_for(device))
    return f"{(right + 500_000) % 1_000_000:06d}"


def enrol(user: User) -> tuple[TOTPDevice, list[str]]:
    """Enrol through the service, as the enrolment page does."""
    device = otp.pending_totp(user)
    with time_machine.travel(T0 - dt.timedelta(hours=1), tick=False):
        codes = otp.otp_enrol_confirm(user=user, device=device, code=code_for(device))
    device.refresh_from_db()
    return device, codes


def password_login(client: Client, user: User, password: str, next_url: str = ""):
    data = {"username": user.username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def history_reasons(user: User) -> list[str]:
    return list(User.history.filter(id=user.pk).values_list("history_change_reason", flat=True))


# ---------------------------------------------------------------------------------------
# Enrolment


def test_the_enrolment_page_shows_a_qr_code_and_the_secret(client, cast):
    client.force_login(cast.base)
    response = client.get(SETUP)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    device = TOTPDevice.objects.get(user=cast.base)
    assert not device.confirmed
    assert "<svg" in text and "Quét mã QR" in text
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', text)
    assert secret is not None
    assert secret.group(1) == otp.secret_text(device)
    # Reloading keeps the same secret: an app that already scanned it still works.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=cast.base).count() == 1


def test_a_wrong_code_refuses_the_enrolment_and_leaves_the_device_unconfirmed(client, cast):
    client.force_login(cast.base)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=cast.base)
    with time_machine.travel(T0, tick=False):
        response = client.post(ENABLE, {"code": wrong_code(device)})
    assert response.status_code == 400
    assert "Mã xác thực không đúng" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=cast.base).exists()


def test_a_right_code_confirms_the_device_and_shows_the_backup_codes_once(client, cast):
    client.force_login(cast.base)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=cast.base)
    with time_machine.travel(T0, tick=False):
        response = client.post(ENABLE, {"code": code_for(device)})
    assert response.status_code == 302
    assert response.url == SETUP
    device.refresh_from_db()
    assert device.confirmed
    tokens = set(StaticToken.objects.filter(device__user=cast.base).values_list("token", flat=True))
    assert len(tokens) == otp.BACKUP_CODE_COUNT
    first = client.get(SETUP).content.decode()
    assert 'data-testid="backup-codes"' in first
    assert all(token in first for token in tokens)
    second = client.get(SETUP).content.decode()
    assert 'data-testid="backup-codes"' not in second
    assert not any(token in second for token in tokens)
    assert "Đang bật" in second
    assert "Bật xác thực hai bước" in history_reasons(cast.base)
    # The session that enrolled goes on without a second code.
    assert client.get(HOME).status_code == 200


def test_turning_it_off_needs_a_current_code_and_is_recorded(client, cast):
    device, _codes = enrol(cast.base)
    client.force_login(cast.base)
    with time_machine.travel(T0, tick=False):
        client.post(VERIFY, {"code": code_for(device)})
    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        refused = client.post(DISABLE, {"code": wrong_code(device)})
        assert refused.status_code == 400
        assert TOTPDevice.objects.filter(user=cast.base, confirmed=True).exists()
        response = client.post(DISABLE, {"code": code_for(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.base).exists()
    assert not StaticDevice.objects.filter(user=cast.base).exists()
    assert "Tắt xác thực hai bước" in history_reasons(cast.base)


def test_an_administrator_removes_a_lost_authenticator(client, cast):
    enrol(cast.base)
    client.force_login(cast.admin)
    page = client.get(reverse("accounts:user_detail", args=[cast.base.pk])).content.decode()
    assert 'data-testid="second-factor"' in page
    response = client.post(reverse("accounts:user_otp_reset", args=[cast.base.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.base).exists()
    record = User.history.filter(id=cast.base.pk).latest("history_date")
    assert record.history_change_reason == "Quản trị gỡ xác thực hai bước"
    assert record.history_user_id == cast.admin.pk


def test_only_an_administrator_may_remove_someones_authenticator(client, cast):
    enrol(cast.base)
    client.force_login(cast.upper)
    assert client.post(reverse("accounts:user_otp_reset", args=[cast.base.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=cast.base, confirmed=True).exists()


# ---------------------------------------------------------------------------------------
# Login with a confirmed device


def test_a_user_with_a_device_must_give_a_code_before_any_page(client, cast):
    device, _ = enrol(cast.base)
    with time_machine.travel(T0, tick=False):
        response = password_login(client, cast.base, cast.password)
        assert response.status_code == 302
        for url in (HOME, MEMBERS, reverse("accounts:token_list"), reverse("orgs:organization_tree")):
            page = client.get(url)
            assert page.status_code == 302, url
            assert page.url == f"{VERIFY}?next={url.replace('/', '%2F')}"
        form = client.get(VERIFY)
        assert form.status_code == 200
        assert "nhập mã 6 chữ số" in form.content.decode()
        # Static files and the language switch stay reachable.
        # (the test client serves no static files: 404 here, not a redirect)
        assert client.get("/static/css/dangbo.css").status_code == 404
        switched = client.post(reverse("set_language"), {"language": "vi", "next": HOME})
        assert switched.status_code == 302 and switched.url == HOME
        response = client.post(VERIFY, {"code": code_for(device), "next": MEMBERS})
    assert response.status_code == 302
    assert response.url == MEMBERS
    assert client.get(MEMBERS).status_code == 200
    assert client.get(HOME).status_code == 200


def test_a_wrong_code_is_refused_in_vietnamese(client, cast):
    device, _ = enrol(cast.base)
    with time_machine.travel(T0, tick=False):
        password_login(client, cast.base, cast.password)
        response = client.post(VERIFY, {"code": wrong_code(device)})
        assert response.status_code == 200
        text = response.content.decode()
        assert "Mã xác thực không đúng hoặc đã hết hạn. Còn 4 lần thử trước khi bị tạm khóa." in text
        assert client.get(HOME).status_code == 302
        assert client.post(VERIFY, {"code": "abc"}).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # "abc" counted on the backup codes


def test_a_backup_code_works_once(client, cast):
    _device, codes = enrol(cast.base)
    password_login(client, cast.base, cast.password)
    response = client.post(VERIFY, {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200
    other = Client()
    password_login(other, cast.base, cast.password)
    again = other.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200
    assert "Mã xác thực không đúng" in again.content.decode()
    assert StaticToken.objects.filter(device__user=cast.base).count() == otp.BACKUP_CODE_COUNT - 1


def test_it_locks_the_code_after_five_wrong_ones_for_five_minutes(client, cast):
    device, _ = enrol(cast.base)
    with time_machine.travel(T0, tick=False):
        password_login(client, cast.base, cast.password)
        for _ in range(otp.FAILURE_LIMIT - 1):
            assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 200
        locked = client.post(VERIFY, {"code": wrong_code(device)})
        assert locked.status_code == 429
        retry_at = timezone.localtime(T0 + dt.timedelta(minutes=5))
        message = f"Bạn đã nhập sai mã 5 lần liên tiếp. Hãy thử lại sau 5 phút, từ {retry_at:%H:%M %d/%m/%Y}."
        assert message in locked.content.decode()
    with time_machine.travel(T0 + dt.timedelta(minutes=4), tick=False):
        # Even the right code is refused while locked, and a new password login does not unlock.
        refused = client.post(VERIFY, {"code": code_for(device)})
        assert refused.status_code == 429
        other = Client()
        password_login(other, cast.base, cast.password)
        assert other.get(VERIFY).status_code == 429
        assert other.get(HOME).status_code == 302
    with time_machine.travel(T0 + dt.timedelta(minutes=5, seconds=1), tick=False):
        response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_logout_works_while_the_code_is_pending(client, cast):
    enrol(cast.base)
    password_login(client, cast.base, cast.password)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_htmx_requests_are_sent_to_the_code_page_with_hx_redirect(client, cast):
    enrol(cast.base)
    password_login(client, cast.base, cast.password)
    response = client.get(MEMBERS, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == VERIFY


def test_a_user_without_a_device_logs_in_as_before(client, cast, settings):
    settings.REQUIRE_2FA_FOR_STAFF = False
    password_login(client, cast.upper, cast.password)
    assert client.get(HOME).status_code == 200
    assert client.get(MEMBERS).status_code == 200


# ---------------------------------------------------------------------------------------
# API


def test_api_tokens_are_not_asked_for_a_code(cast):
    enrol(cast.base)
    _, key = ApiToken.issue(user=cast.base, name="báo cáo tự động")
    response = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == cast.base.username


def test_a_session_waiting_for_its_code_is_not_logged_in_on_the_api(client, cast):
    device, _ = enrol(cast.base)
    with time_machine.travel(T0, tick=False):
        password_login(client, cast.base, cast.password)
        assert client.get("/api/v1/me").status_code == 401
        client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/api/v1/me").status_code == 200


# ---------------------------------------------------------------------------------------
# Policy: staff roles must enrol


@pytest.fixture
def policy_on(settings):
    settings.REQUIRE_2FA_FOR_STAFF = True


@pytest.mark.usefixtures("policy_on")
@pytest.mark.parametrize("who", ["admin", "upper"])
def test_with_the_policy_on_staff_without_a_device_are_sent_to_enrol(client, cast, who):
    user = getattr(cast, who)
    password_login(client, user, cast.password)
    for url in (HOME, MEMBERS, VERIFY):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == SETUP
    page = client.get(SETUP)
    assert page.status_code == 200
    assert 'data-testid="otp-required"' in page.content.decode()
    device = TOTPDevice.objects.get(user=user)
    with time_machine.travel(T0, tick=False):
        assert client.post(ENABLE, {"code": code_for(device)}).status_code == 302
    assert client.get(HOME).status_code == 200


@pytest.mark.usefixtures("policy_on")
@pytest.mark.parametrize("who", ["member", "viewer", "cell", "base"])
def test_with_the_policy_on_non_staff_are_not_made_to_enrol(client, cast, who):
    password_login(client, getattr(cast, who), cast.password)
    assert client.get(HOME).status_code == 200


@pytest.mark.usefixtures("policy_on")
def test_with_the_policy_on_turning_it_off_means_enrolling_again(client, cast):
    device, _ = enrol(cast.upper)
    with time_machine.travel(T0, tick=False):
        password_login(client, cast.upper, cast.password)
        client.post(VERIFY, {"code": code_for(device)})
    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        assert client.post(DISABLE, {"code": code_for(device)}).status_code == 302
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == SETUP


@pytest.mark.usefixtures("policy_on")
def test_with_the_policy_on_staff_with_a_device_give_a_code_not_enrol(client, cast):
    enrol(cast.upper)
    password_login(client, cast.upper, cast.password)
    assert client.get(HOME).url.startswith(VERIFY)


BASE_DIR = Path(__file__).resolve().parents[2]


def _setting(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DANGBO_", "DJANGO_", "DATABASE_URL"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="dangbo.settings")
    code = "import django; django.setup(); from django.conf import settings; print(settings.REQUIRE_2FA_FOR_STAFF)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=120, check=True
    )
    return result.stdout.strip()


def test_the_policy_is_off_in_development_and_on_in_production():
    assert _setting() == "False"
    production = {
        "DANGBO_PRODUCTION": "true",
        "DANGBO_SECRET_KEY": "x" * 64,
        "DANGBO_ALLOWED_HOSTS": "dangbo.example.vn",
    }
    assert _setting(**production) == "True"
    assert _setting(**production, DANGBO_REQUIRE_2FA_FOR_STAFF="false") == "False"
    assert _setting(DANGBO_REQUIRE_2FA_FOR_STAFF="true") == "True"
