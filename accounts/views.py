"""Login, the administrators' user pages, each user's API tokens and two-factor login.

Views stay thin: they read through ``for_user``, check the rules permission, and hand
every change to ``accounts.services``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken

from accounts import otp, services
from accounts.forms import (
    AssignmentForm,
    LoginForm,
    OTPCodeForm,
    PasswordResetForm,
    TokenCreateForm,
    UserCreateForm,
    UserFilterForm,
    UserUpdateForm,
)
from accounts.http import AuthedRequest
from accounts.models import ApiToken, Assignment, User
from lib.forms import add_service_errors
from lib.history import HistoryEntry, history_entries
from lib.text import fold
from orgs import labels as org_labels
from orgs.models import Organization
from orgs.scope import subtree_q

__all__ = ["LoginForm", "LoginView", "lockout_response", "logout_view"]

NEW_KEY_SESSION = "accounts.new_api_key"
USERS_PER_PAGE = 50

# ---------------------------------------------------------------------------------------
# Login


class LoginView(auth_views.LoginView):
    """Django's login view: AuthenticationForm passes ``request`` to authenticate(), as axes needs."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


def _last_failure(request: HttpRequest, credentials: dict | None) -> Any:
    """When the failure that counts last for this username and address happened, if known."""
    handler = AxesProxyHandler.get_implementation()
    filter_attempts = getattr(handler, "filter_user_attempts", None)
    if filter_attempts is None:
        return None
    querysets = filter_attempts(request, credentials)
    times = [qs.order_by("-attempt_time").values_list("attempt_time", flat=True).first() for qs in querysets]
    times = [t for t in times if t is not None]
    return max(times, default=None)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
    *args: Any,
    **kwargs: Any,
) -> HttpResponse:
    """Shown by django-axes after too many failed logins: says when to try again.

    Axes keeps the lock for its cool-off time after the last failure, so the retry time
    is that failure plus the cool-off (now plus the cool-off when the failure is unknown).
    """
    if credentials is None and isinstance(original_response, dict):  # called with (request, credentials)
        credentials, original_response = original_response, None
    credentials = credentials or getattr(request, "axes_credentials", None)
    cool_off = get_cool_off(request)
    context: dict[str, Any] = {"retry_at": None, "minutes": None}
    if cool_off:
        now = timezone.now()
        last = _last_failure(request, credentials) or now
        retry_at = max(last + cool_off, now)
        context["retry_at"] = timezone.localtime(retry_at)
        context["minutes"] = max(1, math.ceil((retry_at - now).total_seconds() / 60))
    return render(request, "accounts/locked.html", context, status=429)


# ---------------------------------------------------------------------------------------
# Users (administrators only)


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in, and holding accounts.manage_users; anyone else gets 403."""

    @functools.wraps(view)
    @login_required
    def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("accounts.manage_users"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _label_assignments(assignments: list[Assignment], reader: User) -> list[Assignment]:
    """Give each assignment ``organization_label``: its organization named with its parent
    (``orgs.labels``; many cells share a name), in one query for the whole list."""
    names = org_labels.labels({a.organization for a in assignments}, user=reader)
    for a in assignments:
        a.organization_label = names[a.organization_id]  # type: ignore[attr-defined]
    return assignments


def _user_or_404(request: AuthedRequest, pk: int) -> User:
    return get_object_or_404(User.objects.for_user(request.user), pk=pk)


@admin_required
def user_list(request: AuthedRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None, user=request.user)
    current = Assignment.objects.filter(active=True).select_related("organization").order_by("organization__path")
    users = User.objects.for_user(request.user).prefetch_related(
        Prefetch("assignments", queryset=current, to_attr="current_assignments")
    )
    if form.is_valid():
        data = form.cleaned_data
        for word in fold(data["q"]).split():
            users = users.filter(search_text__contains=word)
        if data["status"]:
            users = users.filter(is_active=data["status"] == "active")
        role, org = data["role"], data["organization"]
        if role or org:
            # One filter() call: the same assignment must match both the role and the subtree.
            conditions: dict[str, Any] = {"assignments__active": True}
            if role:
                conditions["assignments__role"] = role
            place = subtree_q(org.path, "assignments__organization__path") if org else Q()
            users = users.filter(place, **conditions).distinct()
    page = Paginator(users.order_by("username"), USERS_PER_PAGE).get_page(request.GET.get("page"))
    _label_assignments([a for u in page for a in u.current_assignments], request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/user_list.html", {"form": form, "page": page, "query": query.urlencode()})


@admin_required
def user_create(request: AuthedRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                username=data["username"],
                password=data["password1"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                is_active=data["is_active"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo người dùng «%(user)s».") % {"user": user})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": _("Thêm người dùng")})


# Django's own User fields carry no (or incomplete) Vietnamese labels.
FIELD_LABELS = {
    "username": gettext_lazy("Tên đăng nhập"),
    "email": gettext_lazy("Thư điện tử"),
    "is_active": gettext_lazy("Đang hoạt động"),
    "is_staff": gettext_lazy("Vào trang quản trị Django"),
    "is_superuser": gettext_lazy("Siêu quản trị"),
    "first_name": gettext_lazy("Tên"),
    "last_name": gettext_lazy("Họ"),
}


def _history_subject(record: Any) -> str:
    if isinstance(record, Assignment.history.model):
        return f"{record.get_role_display()} @ {record.organization}"
    return _("Tài khoản")


def _history(user: User, reader: User, limit: int = 100) -> list[HistoryEntry]:
    """The user's account and assignment changes, newest first, each with what changed
    (``lib.history``); an organization outside the reader's scope reads "(ẩn)"."""
    records = list(User.history.filter(id=user.pk).select_related("history_user"))
    records += list(Assignment.history.filter(user_id=user.pk).select_related("history_user", "organization"))
    return history_entries(
        records,
        limit=limit,
        labels=FIELD_LABELS,
        related={"organization": Organization.objects.for_user(reader)},
        subject=_history_subject,
    )


def _render_detail(request: AuthedRequest, user: User, form: AssignmentForm, status: int = 200) -> HttpResponse:
    assignments = _label_assignments(
        list(user.assignments.select_related("organization").order_by("-active", "organization__path")), request.user
    )
    context = {
        "subject": user,
        "assignments": assignments,
        "assignment_form": form,
        "history": _history(user, request.user),
        "has_second_factor": otp.has_second_factor(user),
    }
    return render(request, "accounts/user_detail.html", context, status=status)


@admin_required
def user_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = _user_or_404(request, pk)
    return _render_detail(request, user, AssignmentForm(admin=request.user))


@admin_required
def user_update(request: AuthedRequest, pk: int) -> HttpResponse:
    user = _user_or_404(request, pk)
    form = UserUpdateForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=user, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin người dùng."))
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "subject": user, "title": _("Sửa thông tin người dùng")})


@admin_required
def user_password_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    user = _user_or_404(request, pk)
    form = PasswordResetForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(user=user, password=form.cleaned_data["password1"], by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã đặt lại mật khẩu cho «%(user)s».") % {"user": user})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_password.html", {"form": form, "subject": user})


def _user_action(service: Callable[..., User], done: Any) -> Callable[..., HttpResponse]:
    @require_POST
    @admin_required
    def view(request: AuthedRequest, pk: int) -> HttpResponse:
        user = _user_or_404(request, pk)
        try:
            service(user=user, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done % {"user": user})
        return redirect("accounts:user_detail", pk=user.pk)

    return view


user_deactivate = _user_action(services.user_deactivate, gettext_lazy("Đã khóa tài khoản «%(user)s»."))
user_activate = _user_action(services.user_activate, gettext_lazy("Đã mở khóa tài khoản «%(user)s»."))


@require_POST
@admin_required
def assignment_create(request: AuthedRequest, pk: int) -> HttpResponse:
    user = _user_or_404(request, pk)
    form = AssignmentForm(request.POST, admin=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assignment_add(
                user=user, organization=data["organization"], role=data["role"], board=data["board"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm phân công."))
            return redirect("accounts:user_detail", pk=user.pk)
    return _render_detail(request, user, form, status=400)


@require_POST
@admin_required
def assignment_end(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment.objects.for_user(request.user).select_related("user", "organization"), pk=pk)
    try:
        services.assignment_end(assignment=assignment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã kết thúc phân công «%(a)s».") % {"a": assignment})
    return redirect("accounts:user_detail", pk=assignment.user_id)


# ---------------------------------------------------------------------------------------
# Personal API tokens (every logged-in user, their own tokens only)


@login_required
def token_list(request: AuthedRequest, form: TokenCreateForm | None = None, status: int | None = None) -> HttpResponse:
    tokens = ApiToken.objects.for_user(request.user)
    # The clear key is in the session only between the creation and this one page view.
    new_key = request.session.pop(NEW_KEY_SESSION, None)
    context = {
        "tokens": tokens,
        "form": form or TokenCreateForm(),
        "new_key": new_key,
        "now": timezone.now(),
        "may_create": otp.may_create_api_token(request),
        "tokens_usable": otp.api_tokens_usable(request.user),
    }
    if status is None:
        status = 400 if form is not None else 200
    response = render(request, "accounts/token_list.html", context, status=status)
    if new_key:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def token_create(request: AuthedRequest) -> HttpResponse:
    if not otp.may_create_api_token(request):
        # The page says why and what to do (accounts/token_list.html).
        return token_list(request, status=403)
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            _token, key = services.token_issue(
                user=request.user, name=form.cleaned_data["name"], expires_on=form.cleaned_data["expires_on"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            request.session[NEW_KEY_SESSION] = key
            messages.success(request, _("Đã tạo mã API. Hãy sao chép mã ngay: mã chỉ hiện một lần."))
            return redirect("accounts:token_list")
    return token_list(request, form=form)


@require_POST
@login_required
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.for_user(request.user), pk=pk)
    try:
        services.token_revoke(token=token, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã thu hồi mã «%(name)s».") % {"name": token.name})
    return redirect("accounts:token_list")


# ---------------------------------------------------------------------------------------
# Two-factor login (every logged-in user manages their own; see accounts.otp)


@login_required
def otp_setup(request: AuthedRequest, form: OTPCodeForm | None = None, status: int = 200) -> HttpResponse:
    """Enrolment (QR code, secret, confirm with a code), or the switch-off form once enrolled."""
    user = request.user
    device = otp.confirmed_totp(user)
    context: dict[str, Any] = {"enabled": device is not None, "required": otp.requires_enrolment(user)}
    if device is None:
        pending = otp.pending_totp(user)
        context.update(
            qr_svg=mark_safe(otp.qr_svg(pending)),  # noqa: S308 - segno's own SVG, no user text in it
            secret=otp.secret_text(pending),
            form=form or OTPCodeForm(),
        )
    else:
        # The backup codes are in the session only between the enrolment and this one view.
        context.update(
            backup_codes=request.session.pop(otp.BACKUP_CODES_KEY, None),
            backup_left=StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
            form=form or OTPCodeForm(backup=True),
        )
    response = render(request, "accounts/otp_setup.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def otp_enable(request: AuthedRequest) -> HttpResponse:
    form = OTPCodeForm(request.POST)
    if otp.confirmed_totp(request.user) is not None:
        return redirect("accounts:otp_setup")
    if form.is_valid():
        device = otp.pending_totp(request.user)
        try:
            codes = otp.otp_enrol_confirm(user=request.user, device=device, code=form.cleaned_data["code"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            otp.mark_verified(request, device)
            request.session[otp.BACKUP_CODES_KEY] = codes
            messages.success(request, _("Đã bật xác thực hai bước. Từ lần đăng nhập sau, bạn cần nhập mã từ ứng dụng."))
            return redirect("accounts:otp_setup")
    return otp_setup(request, form=form, status=400)


@require_POST
@login_required
def otp_disable(request: AuthedRequest) -> HttpResponse:
    form = OTPCodeForm(request.POST, backup=True)
    if form.is_valid():
        try:
            otp.otp_disable(user=request.user, code=form.cleaned_data["code"])
        except otp.SecondFactorLocked as exc:
            form.add_error(None, _locked_message(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            otp.after_disable(request, request.user)
            messages.success(request, _("Đã tắt xác thực hai bước."))
            return redirect("accounts:otp_setup")
    return otp_setup(request, form=form, status=400)


def _locked_message(exc: otp.SecondFactorLocked) -> str:
    return _("Bạn đã nhập sai mã %(limit)d lần liên tiếp. Hãy thử lại sau %(minutes)d phút, từ %(time)s.") % {
        "limit": otp.FAILURE_LIMIT,
        "minutes": exc.minutes,
        "time": f"{timezone.localtime(exc.retry_at):%H:%M %d/%m/%Y}",
    }


@login_required
def otp_verify(request: AuthedRequest) -> HttpResponse:
    """The second step of the login: a code from the app, or a backup code."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    if request.session.get(otp.STATE_KEY) != otp.VERIFY:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = OTPCodeForm(request.POST or None, backup=True)
    status, locked = 200, ""
    if request.method == "POST" and form.is_valid():
        try:
            device = otp.otp_check(user=request.user, code=form.cleaned_data["code"])
        except otp.SecondFactorLocked as exc:
            form.add_error(None, _locked_message(exc))
            status = 429
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            otp.mark_verified(request, device)
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    elif request.method == "GET" and (retry_at := otp.locked_until(request.user)) is not None:
        locked, status = _locked_message(otp.SecondFactorLocked(retry_at)), 429
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url, "locked": locked}, status=status)


user_otp_reset = _user_action(otp.otp_reset, gettext_lazy("Đã gỡ xác thực hai bước của «%(user)s»."))
