"""Translated messages with named values, for texts defined before a language is active.

``gettext_lazy("… %(days)s …") % {...}`` translates at once (Django's lazy strings do not
defer ``%``), so a help text or a label written at module level with a number from a party
document would be frozen in the language active at import. ``lazy_format`` defers both.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise, lazy


def _format(message: str | Promise, values: dict[str, Any]) -> str:
    return str(message) % values


_lazy_format = lazy(_format, str)


def lazy_format(message: str | Promise, **values: Any) -> Any:
    """``message % values``, translated and formatted each time it is shown.

    Pass ``message`` through ``gettext_lazy`` so that makemessages finds it; name every
    placeholder (``%(days)s``).
    """
    return _lazy_format(message, values)


def lazy_text(message: str | Promise) -> str:
    """A ``gettext_lazy`` text passed where a library's signature asks for ``str``.

    Pydantic's ``Field(description=…)`` and django-ninja's ``summary`` and ``tags`` keep the
    lazy string and turn it into text when the OpenAPI schema is built, so the API docs
    follow the active language. This only tells the type checker so.
    """
    return message  # type: ignore[return-value]
