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


MeasureFunction = Callable[..., Measure]
"""``(scope organization, period start, period end, user, **parameters) -> Measure``; the
parameters are those the indicator declares (``group=`` when it has groups, ``scope=`` when
it applies a target's scope)."""


class Scope(StrEnum):
    """Which organizations of a subtree a target counts (the values of ``targets.TargetScope``)."""

    SUBTREE = "subtree"  # the whole subtree
    BASE_ONLY = "base_only"  # only its base organizations
    CELLS_ONLY = "cells_only"  # only its attached cells


@dataclass(frozen=True)
class Group:
    """A part of what an indicator counts ("of them youth", "of them women"), a parameter of
    the indicator stored on the target: ``phrase`` says the count in a sentence."""

    code: str
    name: str | Promise
    phrase: str | Promise


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str | Promise
    kind: Kind
    measure: MeasureFunction
    phrase: str | Promise = "%(n)s"
    """How a count is said in a sentence, e.g. "kết nạp %(n)s đảng viên"."""
    groups: tuple[Group, ...] = ()
    """The parts it can count instead of the whole (passed as ``group=<code>``, "" the whole)."""
    scopes: tuple[Scope, ...] = ()
    """The target scopes it applies (passed as ``scope=``); empty: it counts the whole subtree only."""

    def group(self, code: str) -> Group | None:
        return next((g for g in self.groups if g.code == code), None)

    def call(self, organization: Any, start: dt.date, end: dt.date, user: Any, *, group: str = "", scope: str = "") -> Measure:
        """Measure with the parameters this indicator takes (a group or scope it does not take is
        refused by the targets' validation before it gets here)."""
        parameters: dict[str, str] = {}
        if self.groups:
            parameters["group"] = group
        if self.scopes:
            parameters["scope"] = scope or Scope.SUBTREE
        return self.measure(organization, start, end, user, **parameters)


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
