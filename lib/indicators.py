"""The registry of indicators: named measures over the system's data for a scope and a
period, returning a numerator, a denominator where the indicator is a rate, and the rows
behind them.

No models and no import of the project's apps: each app registers its indicators from
its ``AppConfig.ready()``; the targets app only reads the registry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise


class Kind(StrEnum):
    RATE = "rate"  # numerator / denominator, as a percentage
    COUNT = "count"  # a number of members, organizations, …


@dataclass
class Measure:
    """What an indicator found: ``numerator``, ``denominator`` (None for a count), and the
    rows behind the numerator (a queryset, a list, or a callable returning either)."""

    numerator: int | Decimal
    denominator: int | None = None
    rows: Any = None

    @property
    def value(self) -> Decimal | None:
        """The count itself, or the rate in percent (None when nothing was there to count)."""
        if self.denominator is None:
            return Decimal(self.numerator)
        if not self.denominator:
            return None
        return Decimal(self.numerator) * 100 / Decimal(self.denominator)

    def row_list(self) -> Iterable[Any]:
        rows = self.rows() if callable(self.rows) else self.rows
        return rows if rows is not None else []


MeasureFunction = Callable[[Any, dt.date, dt.date, Any], Measure]
"""``(scope organization, period start, period end, user) -> Measure``."""


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str | Promise
    kind: Kind
    measure: MeasureFunction
    phrase: str | Promise = "%(n)s"
    """How a count is said in a sentence, e.g. "kết nạp %(n)s đảng viên"."""


_REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    """Add ``indicator`` (registering the same code again replaces it: apps reload in tests)."""
    _REGISTRY[indicator.code] = indicator
    return indicator


def get(code: str) -> Indicator:
    """The indicator registered as ``code`` (KeyError if none)."""
    return _REGISTRY[code]


def all_indicators() -> list[Indicator]:
    return sorted(_REGISTRY.values(), key=lambda i: i.code)


def choices() -> list[tuple[str, Any]]:
    return [(i.code, i.name) for i in all_indicators()]
