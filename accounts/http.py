"""The request type of views behind a login."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


class AuthedRequest(HttpRequest):
    """A request that ``login_required`` (or ``admin_required``) let through.

    Its user is a signed-in ``User``, never ``AnonymousUser``. This class only informs the
    type checker: Django still hands views a plain ``HttpRequest``.
    """

    user: User
