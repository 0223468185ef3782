from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Người dùng và phân quyền")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts import otp

        # Each login decides what the session must show before anything else (a code, or
        # the enrolment): session state, not a business rule.
        user_logged_in.connect(otp.on_login, dispatch_uid="accounts.otp.on_login")
        # The login is the first activity that the idle timeout counts from.
        from accounts.middleware import mark_login_time

        user_logged_in.connect(mark_login_time, dispatch_uid="accounts.middleware.mark_login_time")
