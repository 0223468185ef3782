"""Forms of the login, user-administration and token pages.

Forms only read and check input; the changes themselves go through ``accounts.services``.
Every label and message a user reads is Vietnamese.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Board, Role, User
from accounts.services import password_errors, password_help_text
from lib.forms import BootstrapForm, VNDateField
from orgs.labels import OrganizationChoiceField, set_org_choices
from orgs.models import Organization


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa. Hãy liên hệ quản trị hệ thống."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")


def organizations_for(user: User) -> Any:
    """The organizations ``user`` may pick: active ones in their scope, in tree order."""
    return Organization.objects.for_user(user).active().select_related("kind").order_by("path")


class UserFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Tìm theo tên"), required=False)
    role = forms.ChoiceField(label=_("Vai trò"), required=False, choices=[("", _("Mọi vai trò")), *Role.choices])
    organization = OrganizationChoiceField(
        label=_("Tổ chức (kể cả cấp dưới)"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("Mọi tổ chức"),
        indent=True,
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), ("active", _("Đang hoạt động")), ("inactive", _("Đã khóa"))],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_org_choices(self, "organization", organizations_for(user), user=user)


class PasswordPairMixin(forms.Form):
    """Two password fields that must match and pass Django's validators (Vietnamese messages)."""

    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_help_text()

    def _user_for_validation(self) -> User:
        raise NotImplementedError

    def clean_password2(self) -> str:
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data.get("password2")
        if first and second and first != second:
            raise ValidationError(_("Hai mật khẩu không khớp nhau."), code="password_mismatch")
        return second or ""

    def _post_clean_password(self) -> None:
        password = self.cleaned_data.get("password2")
        if not password:
            return
        for error in password_errors(password, self._user_for_validation()):
            self.add_error("password1", error)


class UserCreateForm(BootstrapForm, PasswordPairMixin):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)

    field_order = ["username", "full_name", "email", "phone", "password1", "password2", "is_active"]

    def _user_for_validation(self) -> User:
        data = self.cleaned_data
        return User(username=data.get("username", ""), full_name=data.get("full_name", ""), email=data.get("email", ""))

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("Tên đăng nhập «%(name)s» đã có người dùng."), params={"name": username})
        return username

    def clean(self) -> dict[str, Any]:
        super().clean()
        self._post_clean_password()
        return self.cleaned_data


class UserUpdateForm(BootstrapForm):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)

    def __init__(self, *args: Any, instance: User, **kwargs: Any) -> None:
        self.instance = instance
        kwargs.setdefault("initial", {name: getattr(instance, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Tên đăng nhập «%(name)s» đã có người dùng."), params={"name": username})
        return username


class PasswordResetForm(BootstrapForm, PasswordPairMixin):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def _user_for_validation(self) -> User:
        return self.user

    def clean(self) -> dict[str, Any]:
        super().clean()
        self._post_clean_password()
        return self.cleaned_data


class AssignmentForm(BootstrapForm):
    organization = OrganizationChoiceField(label=_("Tổ chức"), queryset=Organization.objects.none(), indent=True)
    role = forms.ChoiceField(label=_("Vai trò"), choices=[("", "—"), *Role.choices])
    board = forms.ChoiceField(
        label=_("Cơ quan tham mưu"),
        required=False,
        choices=[("", "—"), *Board.choices],
        help_text=_("Chỉ dành cho cán bộ cơ quan cấp trên."),
    )

    def __init__(self, *args: Any, admin: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_org_choices(self, "organization", organizations_for(admin), user=admin)
        # The page shows the board only while "upper staff" is chosen (Alpine.js).
        self.fields["role"].widget.attrs["x-model"] = "role"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("board") and data.get("role") != Role.UPPER_STAFF:
            self.add_error("board", _("Chỉ cán bộ cơ quan cấp trên mới thuộc một cơ quan tham mưu (ban)."))
        return data


class TokenCreateForm(BootstrapForm):
    name = forms.CharField(label=_("Tên gợi nhớ"), max_length=80, help_text=_("Ví dụ: «Báo cáo tự động của Văn phòng»."))
    expires_on = VNDateField(label=_("Dùng được đến hết ngày"), required=False, help_text=_("Để trống nếu mã không hết hạn."))


class OTPCodeForm(BootstrapForm):
    """A code from the authenticator app (six digits) or, where allowed, a backup code."""

    code = forms.CharField(label=_("Mã xác thực"), max_length=20, strip=True)

    def __init__(self, *args: Any, backup: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.widget.attrs.update({"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"})
        if backup:
            field.help_text = _("Mã 6 chữ số trong ứng dụng xác thực, hoặc một mã dự phòng (mỗi mã dùng một lần).")
        else:
            field.widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*", "maxlength": "7"})
            field.help_text = _("Mã 6 chữ số đang hiện trong ứng dụng xác thực.")
