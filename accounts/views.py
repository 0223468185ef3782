from __future__ import annotations

from axes.helpers import get_cool_off
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường.",
        "inactive": "Tài khoản này đã bị khóa. Hãy liên hệ quản trị hệ thống.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


def lockout_response(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """Shown by django-axes after too many failed logins: says when to try again."""
    cool_off = get_cool_off(request)
    retry_at = timezone.localtime(timezone.now() + cool_off) if cool_off else None
    context = {"retry_at": retry_at, "minutes": int(cool_off.total_seconds() // 60) if cool_off else None}
    return render(request, "accounts/locked.html", context, status=429)


def placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Đang xây dựng.")
