"""Vietnamese first: the language comes from the user's choice (cookie), never from the
browser's Accept-Language, so an English browser still sees Vietnamese until asked. And the
site's own error pages, with ``DEBUG`` on too."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import is_valid_path
from django.utils import translation
from django.views.defaults import page_not_found

SUPPORTED = {code for code, _ in settings.LANGUAGES}


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in SUPPORTED else settings.LANGUAGE_CODE
        previous = translation.get_language()
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        # The thread serves the next request (or test) in the language it had before; a
        # streamed response still writes its rows after this returns, in the reader's language.
        if not response.streaming:
            translation.activate(previous)
        return response


class ErrorPageMiddleware:
    """The site's own 404 page while ``DEBUG`` is on too.

    With ``DEBUG`` off Django renders ``404.html`` through ``handler404``; with it on it shows
    its technical page instead, which lists every URL pattern and which the demonstration
    (run with ``DEBUG`` on) would show to its users for an unknown or out-of-scope address.
    403 needs nothing here: ``handler403`` serves in every mode. A 500 keeps Django's
    traceback page while ``DEBUG`` is on: it is a bug, and whoever runs with ``DEBUG`` needs
    the traceback (production refuses ``DEBUG``).

    A view that raises ``Http404`` is caught in ``process_exception``; an address that
    matches no URL pattern is raised before any view, so it is recognized on the way out.
    The API answers its own 404s in JSON and is left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not is_valid_path(request.path_info, getattr(request, "urlconf", None))
        ):
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
