"""After the password, the second factor: every page waits for it.

A session whose state (``accounts.otp``) is "verify" may reach only the code page; one
whose state is "enrol" only the enrolment page; both may log out, switch the language and
load static files. Everything else redirects there (htmx gets ``HX-Redirect``).

The API answers in JSON, so it is not redirected: a session still waiting for its code
counts as not logged in there (401), while ``Authorization: Bearer`` tokens work as before.

A session in state "ok" costs no query: the state lives in the session, set at login.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.models import AnonymousUser
from django.core.signing import BadSignature
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from accounts import otp

API_PREFIX = "/api/"  # dangbo/urls.py mounts the API under /api/v1/
ACTIVITY_COOKIE = "dangbo_activity"
ACTIVITY_SALT = "accounts.middleware.activity"
ACTIVITY_KEY = "_dangbo_login_at"


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


class IdleTimeoutMiddleware:
    """An idle session ends after ``SESSION_IDLE_SECONDS``, with no database write per request.

    The time of the last request lives in a signed cookie (``ACTIVITY_COOKIE``), set again
    on every response to a logged-in browser; the time of the login lives in the session
    (``ACTIVITY_KEY``, written by the login itself). A request whose newest of the two is
    older than the idle time is logged out before the view runs. So a page view or a
    progress poll reads the session and writes nothing: it still answers while a long
    import holds SQLite's write lock (with ``SESSION_SAVE_EVERY_REQUEST`` each request
    wrote its session and failed with 400 after the lock's timeout).

    The cookie is signed with the secret key and carries its own time, so a browser cannot
    make an old session look fresh; ``SESSION_COOKIE_AGE`` caps any session, active or not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if SESSION_KEY in request.session and not self._recently_active(request):
            try:
                logout(request)
            except DatabaseError:
                # The database is busy (a long import's write holds SQLite's lock): this
                # request goes on logged out, and a later one deletes the session.
                request.session.modified = False
                request.user = AnonymousUser()
            if request.headers.get("HX-Request") == "true":
                # A polled fragment would otherwise be swapped for the login page.
                return HttpResponseClientRedirect(reverse(settings.LOGIN_URL))
        response = self.get_response(request)
        if SESSION_KEY in request.session:
            response.set_signed_cookie(
                ACTIVITY_COOKIE,
                "1",
                salt=ACTIVITY_SALT,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
        return response

    @staticmethod
    def _recently_active(request: HttpRequest) -> bool:
        idle = settings.SESSION_IDLE_SECONDS
        try:
            request.get_signed_cookie(ACTIVITY_COOKIE, salt=ACTIVITY_SALT, max_age=idle)
            return True
        except (KeyError, BadSignature):  # missing, forged or older than the idle time
            pass
        logged_in_at = request.session.get(ACTIVITY_KEY)
        return isinstance(logged_in_at, int | float) and time.time() - logged_in_at <= idle


def mark_login_time(sender: object, request: HttpRequest | None, user: object, **kwargs: object) -> None:
    """The ``user_logged_in`` receiver: the login counts as activity (the login writes the session anyway)."""
    if request is not None and hasattr(request, "session"):
        request.session[ACTIVITY_KEY] = int(time.time())
