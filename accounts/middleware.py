"""After the password, the second factor: every page waits for it.

A session whose state (``accounts.otp``) is "verify" may reach only the code page; one
whose state is "enrol" only the enrolment page; both may log out, switch the language and
load static files. Everything else redirects there (htmx gets ``HX-Redirect``).

The API answers in JSON, so it is not redirected: a session still waiting for its code
counts as not logged in there (401), while ``Authorization: Bearer`` tokens work as before.

A session in state "ok" costs no query: the state lives in the session, set at login.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from accounts import otp

API_PREFIX = "/api/"  # dangbo/urls.py mounts the API under /api/v1/


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = self._state(request)
        if state in (otp.VERIFY, otp.ENROL):
            path = request.path_info
            if path.startswith(API_PREFIX):
                request.user = AnonymousUser()
            elif not self._allowed(path, state):
                return self._redirect(request, state)
        return self.get_response(request)

    @staticmethod
    def _state(request: HttpRequest) -> str:
        if SESSION_KEY not in request.session:
            return otp.OK
        state = request.session.get(otp.STATE_KEY)
        if state is None:
            # A session from before two-factor login existed: decide once, then remember.
            user = request.user
            if not user.is_authenticated:
                return otp.OK
            state = otp.state_for(user)  # type: ignore[arg-type]
            request.session[otp.STATE_KEY] = state
        return state

    @staticmethod
    def _allowed(path: str, state: str) -> bool:
        if path.startswith(settings.STATIC_URL):
            return True
        allowed = {reverse("accounts:logout"), reverse("set_language")}
        if state == otp.VERIFY:
            allowed.add(reverse("accounts:otp_verify"))
        else:
            allowed |= {reverse("accounts:otp_setup"), reverse("accounts:otp_enable")}
        return path in allowed

    @staticmethod
    def _redirect(request: HttpRequest, state: str) -> HttpResponse:
        # HtmxMiddleware runs after this one: read the header itself.
        htmx = request.headers.get("HX-Request") == "true"
        if state == otp.VERIFY:
            url = reverse("accounts:otp_verify")
            if request.method == "GET" and not htmx:
                url += "?" + urlencode({"next": request.get_full_path()})
        else:
            url = reverse("accounts:otp_setup")
        if htmx:
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)
