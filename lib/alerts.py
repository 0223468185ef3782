"""The registry of alerts: what each app asks a committee's attention for in a subtree
(review rounds in progress and their late steps, probation overdue, transfers overdue).

No models and no import of the project's apps, like ``lib.indicators``: each app registers
its provider from its ``AppConfig.ready()``; the dashboard only reads the registry, so it
knows none of the apps that feed it by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise


class Level(StrEnum):
    """How urgent an alert is: it picks its colour and its label, never the colour alone."""

    INFO = "info"  # something in progress (a review round)
    LATE = "late"  # past a deadline


@dataclass(frozen=True)
class Progress:
    """How far something in progress has gone: ``done`` of ``total``, with its parts."""

    done: int
    total: int
    parts: tuple[tuple[str | Promise, int], ...] = ()

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0


@dataclass(frozen=True)
class Alert:
    """One line of the dashboard's alerts: its text, where to act on it, how many it counts."""

    key: str  # stable, for tests and the page's test ids: "reviews.round.12", "members.probation_overdue"
    text: str | Promise
    url: str = ""
    level: Level = Level.LATE
    count: int | None = None
    progress: Progress | None = None
    late_text: str | Promise = ""  # a late part of something in progress ("quá hạn quyết định")


AlertProvider = Callable[[Any, Any, dt.date], list[Alert]]
"""``(user, organization, today) -> alerts`` in ``organization``'s subtree as ``user`` reads it;
an empty list when nothing asks attention."""

_PROVIDERS: dict[str, AlertProvider] = {}


def register(name: str, provider: AlertProvider) -> AlertProvider:
    """Add ``provider`` under ``name`` (registering a name again replaces it: apps reload in tests)."""
    _PROVIDERS[name] = provider
    return provider


def providers() -> list[tuple[str, AlertProvider]]:
    return sorted(_PROVIDERS.items())


def collect(user: Any, organization: Any, today: dt.date) -> list[Alert]:
    """Every registered provider's alerts, in the providers' name order."""
    found: list[Alert] = []
    for _name, provider in providers():
        found.extend(provider(user, organization, today))
    return found
