"""Helpers for the services of every app. Imports nothing of ours."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction

T = TypeVar("T")


class _Rollback(Exception):
    pass


def preview(service: Callable[..., T], /, **kwargs: Any) -> T:
    """Run ``service(**kwargs)`` inside a transaction, keep its result, and undo everything it
    wrote. A ``ValidationError`` (or any other exception) of the service propagates."""
    results: list[T] = []
    try:
        with transaction.atomic():
            results.append(service(**kwargs))
            raise _Rollback
    except _Rollback:
        pass
    return results[0]
