"""Changes to users, their assignments and their API tokens.

Every function validates first (Vietnamese messages in ``ValidationError``), then saves
through the model so that django-simple-history writes a row naming who made the change
(``by``) and why. Pages and the API both call these; none of them saves these models
directly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import ApiToken, Assignment, Board, Role, User
from orgs.models import Level, Organization

# Which organization levels each role may be assigned on. A role not listed may sit on
# any level. Members belong to cells, never directly to a committee (domain.md section 3).
ROLE_LEVELS: dict[str, set[str]] = {
    Role.UPPER_STAFF: {Level.CENTRAL, Level.PROVINCE, Level.UPPER},
    Role.BASE_COMMITTEE: {Level.BASE_COMMITTEE, Level.BASE_CELL, Level.PARTIAL_COMMITTEE},
    Role.CELL_SECRETARY: {Level.BASE_CELL, Level.CELL},
    Role.MEMBER: {Level.BASE_CELL, Level.CELL},
}

USER_FIELDS = ("username", "full_name", "email", "phone")


def _stamp(instance: Any, by: User | None, reason: str) -> None:
    """Tell simple-history who made the next save and why."""
    if by is not None and getattr(by, "pk", None):
        instance._history_user = by
    instance._change_reason = reason


def _check_username(username: str, *, exclude_pk: int | None = None) -> str:
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("Hãy nhập tên đăng nhập.")})
    clash = User.objects.filter(username__iexact=username)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"username": _("Tên đăng nhập «%(username)s» đã có người dùng.") % {"username": username}})
    return username


# Django's Vietnamese catalog lags behind some validator messages (the "too short" one
# stays in English), so the messages are given here by the validators' error codes.
PASSWORD_MESSAGES = {
    "password_too_short": gettext_lazy("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự."),
    "password_too_similar": gettext_lazy("Mật khẩu quá giống %(verbose_name)s."),
    "password_too_common": gettext_lazy("Mật khẩu này quá phổ biến, dễ bị đoán."),
    "password_entirely_numeric": gettext_lazy("Mật khẩu không được chỉ gồm chữ số."),
}


def password_errors(password: str, user: User) -> list[ValidationError]:
    """What the configured validators find wrong with ``password``, in Vietnamese."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors = []
        for error in exc.error_list:
            message = PASSWORD_MESSAGES.get(error.code or "")
            errors.append(ValidationError(message, code=error.code, params=error.params) if message else error)
        return errors
    return []


def password_help_text() -> str:
    from django.conf import settings

    length = next(
        (v.get("OPTIONS", {}).get("min_length", 8) for v in settings.AUTH_PASSWORD_VALIDATORS if "MinimumLength" in v["NAME"]),
        8,
    )
    return _(
        "Ít nhất %(n)d ký tự; không quá giống tên đăng nhập hay họ tên; không phải mật khẩu phổ biến; không chỉ gồm chữ số."
    ) % {"n": length}


def _check_password(password: str, user: User) -> None:
    errors = password_errors(password, user)
    if errors:
        raise ValidationError({"password": errors})


def _admin_q() -> Q:
    return Q(is_superuser=True) | Q(assignments__role=Role.ADMIN, assignments__active=True)


def _is_last_admin(user: User) -> bool:
    others = User.objects.filter(is_active=True).filter(_admin_q()).exclude(pk=user.pk)
    return user.is_admin and not others.exists()


# ---------------------------------------------------------------------------------------
# Users


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    is_active: bool = True,
    by: User | None = None,
) -> User:
    """Create an account. The password must pass the configured validators."""
    username = _check_username(username)
    user = User(username=username, full_name=full_name.strip(), email=email.strip(), phone=phone.strip(), is_active=is_active)
    _check_password(password, user)
    user.set_password(password)
    _stamp(user, by, "Tạo người dùng")
    user.save()
    return user


@transaction.atomic
def user_update(*, user: User, by: User | None = None, **fields: Any) -> User:
    """Change the descriptive fields of an account (not its password, not its status)."""
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValidationError(_("Không thể sửa trực tiếp: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    fields = {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}
    if "username" in fields:
        fields["username"] = _check_username(fields["username"], exclude_pk=user.pk)
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    if not changed:
        return user
    for name in changed:
        setattr(user, name, fields[name])
    _stamp(user, by, "Sửa thông tin người dùng")
    user.save()
    return user


@transaction.atomic
def user_deactivate(*, user: User, by: User | None = None) -> User:
    """Lock an account: it can no longer log in nor use its API tokens. Never deleted."""
    if not user.is_active:
        raise ValidationError(_("Tài khoản này đã bị khóa."))
    if by is not None and by.pk == user.pk:
        raise ValidationError(_("Bạn không thể tự khóa tài khoản của mình."))
    if _is_last_admin(user):
        raise ValidationError(_("Đây là quản trị viên cuối cùng đang hoạt động; không thể khóa."))
    user.is_active = False
    _stamp(user, by, "Khóa tài khoản")
    user.save()
    return user


@transaction.atomic
def user_activate(*, user: User, by: User | None = None) -> User:
    if user.is_active:
        raise ValidationError(_("Tài khoản này đang hoạt động."))
    user.is_active = True
    _stamp(user, by, "Mở khóa tài khoản")
    user.save()
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str, by: User | None = None) -> User:
    """Set a new password (an administrator's reset). History records the reset, not the hash."""
    _check_password(password, user)
    user.set_password(password)
    _stamp(user, by, "Đặt lại mật khẩu")
    user.save()
    return user


# ---------------------------------------------------------------------------------------
# Assignments


def _check_assignment(*, organization: Organization, role: str, board: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    if board and board not in Board.values:
        raise ValidationError({"board": _("Cơ quan tham mưu không hợp lệ.")})
    if board and role != Role.UPPER_STAFF:
        # Mirrors the CheckConstraint accounts_assignment_board_only_for_staff.
        raise ValidationError({"board": _("Chỉ cán bộ cơ quan cấp trên mới thuộc một cơ quan tham mưu (ban).")})
    if organization.dissolved_on is not None:
        raise ValidationError(
            {"organization": _("«%(name)s» đã giải thể; không thể phân công vào tổ chức này.") % {"name": organization.name}}
        )
    levels = ROLE_LEVELS.get(role)
    if levels is not None and organization.kind.level not in levels:
        names = ", ".join(str(Level(level).label) for level in sorted(levels))
        raise ValidationError(
            {
                "organization": _("Vai trò «%(role)s» chỉ gán cho tổ chức thuộc các cấp: %(levels)s.")
                % {"role": Role(role).label, "levels": names}
            }
        )


@transaction.atomic
def assignment_add(*, user: User, organization: Organization, role: str, board: str = "", by: User | None = None) -> Assignment:
    """Give ``user`` a role on ``organization`` (and so on its subtree).

    An ended assignment with the same role on the same organization is taken up again
    (its history continues) rather than duplicated.
    """
    board = board or ""
    _check_assignment(organization=organization, role=role, board=board)
    existing = Assignment.objects.select_for_update().filter(user=user, organization=organization, role=role).first()
    if existing is not None and existing.active:
        raise ValidationError(
            _("%(user)s đã có vai trò «%(role)s» tại «%(organization)s».")
            % {"user": user, "role": Role(role).label, "organization": organization.name}
        )
    if existing is not None:
        existing.active = True
        existing.board = board
        _stamp(existing, by, "Phân công lại")
        existing.save()
        assignment = existing
    else:
        assignment = Assignment(user=user, organization=organization, role=role, board=board)
        _stamp(assignment, by, "Phân công")
        assignment.save()
    _forget_scope(user)
    return assignment


@transaction.atomic
def assignment_end(*, assignment: Assignment, by: User | None = None) -> Assignment:
    """End an assignment: it stays on record, inactive."""
    if not assignment.active:
        raise ValidationError(_("Phân công này đã kết thúc."))
    user = assignment.user
    if assignment.role == Role.ADMIN and not user.is_superuser:
        others = User.objects.filter(is_active=True).filter(_admin_q()).exclude(pk=user.pk)
        still_admin = user.assignments.filter(role=Role.ADMIN, active=True).exclude(pk=assignment.pk).exists()
        if not still_admin and not others.exists():
            raise ValidationError(_("Đây là phân công quản trị cuối cùng đang hiệu lực; không thể kết thúc."))
    assignment.active = False
    _stamp(assignment, by, "Kết thúc phân công")
    assignment.save()
    _forget_scope(user)
    return assignment


def _forget_scope(user: User) -> None:
    """Drop the per-request caches so the new assignments count at once."""
    for name in ("active_assignments", "scope"):
        user.__dict__.pop(name, None)


# ---------------------------------------------------------------------------------------
# API tokens


def token_expiry(expires_on: dt.date | None) -> dt.datetime | None:
    """A token entered as "valid until dd/mm/yyyy" works to the end of that day, local time."""
    if expires_on is None:
        return None
    end_of_day = dt.datetime.combine(expires_on, dt.time(23, 59, 59))
    return timezone.make_aware(end_of_day)


@transaction.atomic
def token_issue(*, user: User, name: str, expires_on: dt.date | None = None) -> tuple[ApiToken, str]:
    """Create a personal token; return it with its clear key, which is never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Hãy đặt tên gợi nhớ cho mã.")})
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError({"expires_on": _("Ngày hết hạn không được trước ngày hôm nay.")})
    if not user.is_active:
        raise ValidationError(_("Tài khoản đã bị khóa; không thể tạo mã API."))
    token, key = ApiToken.issue(user=user, name=name, expires_at=token_expiry(expires_on))
    # issue() saved once already; record the owner as the author of that creation.
    token.history.filter(history_user__isnull=True).update(history_user=user, history_change_reason="Tạo mã API")
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User | None = None) -> ApiToken:
    if token.revoked_at is not None:
        raise ValidationError(_("Mã này đã bị thu hồi."))
    token.revoked_at = timezone.now()
    _stamp(token, by, "Thu hồi mã API")
    token.save()
    return token
