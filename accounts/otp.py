"""Two-factor login: enrolment of an authenticator app (TOTP), backup codes, the code check
after the password, its lockout, and the per-session state the middleware reads.

The devices are django-otp's models: one ``TOTPDevice`` (named ``DEVICE_NAME``) and one
``StaticDevice`` holding the one-time backup codes. Enrolling and turning off are written
to the user's history (simple-history on ``User``), like the other account changes.

Session state (``STATE_KEY``), set at each login and changed only here:

- ``"ok"``: nothing more to ask;
- ``"verify"``: the user has a confirmed authenticator and has not yet given a code;
- ``"enrol"``: the policy makes this user enrol before anything else.
"""

from __future__ import annotations

import datetime as dt
import re
from base64 import b32encode
from dataclasses import dataclass

import django_otp
import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

DEVICE_NAME = "default"
STATE_KEY = "accounts.otp_state"
BACKUP_CODES_KEY = "accounts.otp_backup_codes"
OK, VERIFY, ENROL = "ok", "verify", "enrol"

# Wrong codes in a row (authenticator or backup codes together) before the lock, and how
# long the lock lasts after the last of them.
FAILURE_LIMIT = 5
COOLOFF = dt.timedelta(minutes=5)
BACKUP_CODE_COUNT = 10

TOTP_PATTERN = re.compile(r"^\d{6}$")


class SecondFactorLocked(Exception):
    """Too many wrong codes: no code is checked until ``retry_at``."""

    def __init__(self, retry_at: dt.datetime) -> None:
        super().__init__(retry_at)
        self.retry_at = retry_at

    @property
    def minutes(self) -> int:
        seconds = (self.retry_at - timezone.now()).total_seconds()
        return max(1, -(-int(seconds) // 60))


# ---------------------------------------------------------------------------------------
# Devices


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_second_factor(user: User) -> bool:
    return confirmed_totp(user) is not None


def requires_enrolment(user: User) -> bool:
    """Whether the policy makes ``user`` enrol (it does not look at their devices)."""
    return bool(settings.REQUIRE_2FA_FOR_STAFF) and user.holds_staff_role


def api_tokens_usable(user: User) -> bool:
    """Whether ``user``'s API tokens may be used now.

    When the policy requires a second factor of this user, their tokens work only while they
    have a confirmed authenticator: a token made before the policy reached them (or a
    policy switched on later) must not be a way around it. Tokens of users the policy does
    not require keep working.
    """
    return not requires_enrolment(user) or has_second_factor(user)


def may_create_api_token(request: HttpRequest) -> bool:
    """Whether this session may create an API token: a user who is required to use a second
    factor, or who has one, must have given it in this session (django-otp's
    ``is_verified``). The middleware already asks for the code after the password; this also
    covers a session opened before the policy or the device existed."""
    user = request.user
    if not (requires_enrolment(user) or has_second_factor(user)):  # type: ignore[arg-type]
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def pending_totp(user: User) -> TOTPDevice:
    """The unconfirmed authenticator shown on the enrolment page, created on first view.

    The same secret is shown until it is confirmed, so reloading the page does not
    invalidate an app that has already scanned it.
    """
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as an inline SVG QR code (no image file, no script)."""
    return segno.make(device.config_url, error="m", micro=False).svg_inline(scale=5, border=2, omitsize=False)


def _clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


@transaction.atomic
def otp_enrol_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the pending authenticator with a current code; return the new backup codes.

    A wrong code leaves the device unconfirmed. The backup codes are returned once and
    stored only in django-otp's table, each usable once.
    """
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError(_("Thiết bị xác thực không hợp lệ. Hãy tải lại trang."))
    if not TOTP_PATTERN.match(_clean(code)) or not device.verify_token(_clean(code)):
        raise ValidationError(_("Mã xác thực không đúng. Hãy nhập mã 6 chữ số đang hiện trong ứng dụng."))
    # Any other device (an older unconfirmed secret, old backup codes) is dropped.
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.throttle_reset(commit=False)
    device.save()
    static = StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    _record(user, "Bật xác thực hai bước")
    return codes


def otp_disable(*, user: User, code: str) -> None:
    """Turn two-factor login off; the user proves it is them with a current code."""
    # Not in one transaction with the check: a wrong code must still count.
    otp_check(user=user, code=code)
    with transaction.atomic():
        _remove_devices(user)
        _record(user, "Tắt xác thực hai bước")


@transaction.atomic
def otp_reset(*, user: User, by: User) -> User:
    """An administrator removes a user's authenticator (a lost phone). Recorded in history."""
    if not has_second_factor(user):
        raise ValidationError(_("Tài khoản này chưa bật xác thực hai bước."))
    _remove_devices(user)
    _record(user, "Quản trị gỡ xác thực hai bước", by=by)
    return user


def _remove_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def _record(user: User, reason: str, by: User | None = None) -> None:
    """A history row on the user (no field changes; the reason says what happened)."""
    user._history_user = by or user  # type: ignore[attr-defined]
    user._change_reason = reason  # type: ignore[attr-defined]
    user.save()


# ---------------------------------------------------------------------------------------
# The code check and its lockout


@dataclass(frozen=True)
class _Devices:
    totp: TOTPDevice | None
    static: StaticDevice | None

    def all(self) -> list[TOTPDevice | StaticDevice]:
        return [d for d in (self.totp, self.static) if d is not None]


def _devices_for_update(user: User) -> _Devices:
    return _Devices(
        totp=TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first(),
        static=StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first(),
    )


def _retry_at(devices: _Devices) -> dt.datetime | None:
    """When the lock ends, if the user's wrong codes in a row reached the limit."""
    failures = sum(d.throttling_failure_count for d in devices.all())
    stamps = [d.throttling_failure_timestamp for d in devices.all() if d.throttling_failure_timestamp]
    if failures < FAILURE_LIMIT or not stamps:
        return None
    return max(stamps) + COOLOFF


def locked_until(user: User) -> dt.datetime | None:
    """When ``user`` may try a code again, or None when they may now."""
    devices = _Devices(
        totp=TOTPDevice.objects.filter(user=user, confirmed=True).first(),
        static=StaticDevice.objects.filter(user=user, confirmed=True).first(),
    )
    retry_at = _retry_at(devices)
    return retry_at if retry_at is not None and retry_at > timezone.now() else None


def otp_check(*, user: User, code: str) -> TOTPDevice | StaticDevice:
    """The device that accepts ``code`` (6 digits from the app, or a backup code).

    Raises ``SecondFactorLocked`` while locked, ``ValidationError`` for a wrong code. Wrong
    codes count on the devices (django-otp's failure counters, whose own delays are off in
    settings); after ``FAILURE_LIMIT`` in a row no code is checked for ``COOLOFF``. A right
    code, or the end of the lock, starts the count again.
    """
    with transaction.atomic():
        devices = _devices_for_update(user)
        if devices.totp is None:
            raise ValidationError(_("Tài khoản này chưa bật xác thực hai bước."))
        retry_at = _retry_at(devices)
        if retry_at is not None:
            if retry_at > timezone.now():
                raise SecondFactorLocked(retry_at)
            for expired in devices.all():
                expired.throttle_reset()
        code = _clean(code)
        device: TOTPDevice | StaticDevice | None = devices.totp if TOTP_PATTERN.match(code) else devices.static
        if device is not None and code and device.verify_token(code):
            for other in devices.all():
                if other is not device:
                    other.throttle_reset()
            return device
        if device is None or not code:
            devices.totp.throttle_increment()
        retry_at = _retry_at(devices)
    if retry_at is not None:
        raise SecondFactorLocked(retry_at)
    left = FAILURE_LIMIT - sum(d.throttling_failure_count for d in devices.all())
    raise ValidationError(
        _("Mã xác thực không đúng hoặc đã hết hạn. Còn %(left)d lần thử trước khi bị tạm khóa."),
        params={"left": left},
        code="wrong_code",
    )


# ---------------------------------------------------------------------------------------
# Session state


def state_for(user: User) -> str:
    if has_second_factor(user):
        return VERIFY
    if requires_enrolment(user):
        return ENROL
    return OK


def start_session(request: HttpRequest, user: User) -> None:
    """At each login: what this session still has to show before the user may go on."""
    request.session[STATE_KEY] = state_for(user)


def on_login(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    """The ``user_logged_in`` receiver."""
    if request is not None and hasattr(request, "session"):
        start_session(request, user)


def mark_verified(request: HttpRequest, device: TOTPDevice | StaticDevice) -> None:
    """The user gave a right code (or just enrolled): the session may go anywhere."""
    # A new session key for the higher privilege, as at a password login.
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[STATE_KEY] = OK


def after_disable(request: HttpRequest, user: User) -> None:
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    request.session[STATE_KEY] = ENROL if requires_enrolment(user) else OK
