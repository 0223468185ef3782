"""How far each target is met: the value per year and for the term to date, met or not by
the target's comparison, a projection for term targets, the sentences the reports use, and
the sub-organizations that pull a rate down.

Periods: a year runs from 1/1 to 31/12; the term from the resolution's adoption (else 1/1 of
its first year) to 31/12 of its last year. A target over the term (or "by" a year) is
measured from the term's start to the end of each year; a yearly target over the year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from lib import indicators
from lib.indicators import Measure
from lib.numbers import ONE_PLACE, format_number
from orgs.models import Organization
from targets.models import Comparison, ManualValue, Period, Target, TargetAllocation, Unit

HUNDRED = Decimal(100)


# ---------------------------------------------------------------------------------------
# Numbers as Vietnamese writes them


def decimal_vi(value: Decimal, places: Decimal = ONE_PLACE) -> str:
    """``value`` rounded half up to one decimal, with a decimal comma and no ",0":
    9.294 → "9,3"; 25.0 → "25"; 1001 → "1.001"."""
    return format_number(value, places=places)


def is_met(value: Decimal | None, comparison: str, threshold: Decimal) -> bool | None:
    """Whether ``value`` meets "``comparison`` ``threshold``" (None: nothing measured).

    Exact: 95 against "> 95" is not met, against "≥ 95" it is."""
    if value is None:
        return None
    value, threshold = Decimal(value), Decimal(threshold)
    return {
        Comparison.GT: value > threshold,
        Comparison.GE: value >= threshold,
        Comparison.EQ: value == threshold,
        Comparison.LE: value <= threshold,
        Comparison.LT: value < threshold,
    }[Comparison(comparison)]


# ---------------------------------------------------------------------------------------
# Sentences


def count_comparison(value: Decimal, threshold: Decimal, basis: str = "") -> str:
    """A count beside its threshold, as the seeds word it.

    Above: "vượt x% so với chỉ tiêu <basis>" with x = (value / threshold − 1) × 100, rounded
    half up to one decimal (929 against 850: 9,29% → "vượt 9,3%").
    Equal: "đạt chỉ tiêu <basis>".
    Below: "đạt y% chỉ tiêu <basis>" with y = value / threshold × 100 (780 against 850 → "91,8%").
    """
    basis = f" {basis}" if basis else ""
    value, threshold = Decimal(value), Decimal(threshold)
    if not threshold:
        return _("đạt chỉ tiêu%(basis)s") % {"basis": basis}
    if value > threshold:
        return _("vượt %(percent)s%% so với chỉ tiêu%(basis)s") % {
            "percent": decimal_vi((value / threshold - 1) * HUNDRED),
            "basis": basis,
        }
    if value == threshold:
        return _("đạt chỉ tiêu%(basis)s") % {"basis": basis}
    return _("đạt %(percent)s%% chỉ tiêu%(basis)s") % {"percent": decimal_vi(value / threshold * HUNDRED), "basis": basis}


def count_sentence(phrase: str, value: Decimal, comparisons: list[tuple[Decimal, str]]) -> str:
    """ "kết nạp 929 đảng viên, vượt 9,3% so với chỉ tiêu Nghị quyết, vượt 1,3% so với chỉ tiêu
    Ban Thường vụ Tỉnh ủy phân bổ": the indicator's phrase with the count, then one
    ``count_comparison`` per (threshold, basis)."""
    parts = [str(phrase) % {"n": decimal_vi(value)}]
    parts += [count_comparison(value, threshold, basis) for threshold, basis in comparisons]
    return ", ".join(parts)


def rate_sentence(value: Decimal, threshold: Decimal) -> str:
    """A rate beside its threshold in percentage points: the value rounded half up to one
    decimal, and the difference d = rounded value − threshold, so the two numbers read
    consistently: 96,2 against 95 → "đạt 96,2%, vượt chỉ tiêu 1,2 điểm phần trăm";
    90,1 → "đạt 90,1%, thấp hơn chỉ tiêu 4,9 điểm phần trăm"; 95 → "đạt 95%, bằng chỉ tiêu"."""
    shown = Decimal(value).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
    difference = shown - Decimal(threshold)
    if difference > 0:
        return _("đạt %(value)s%%, vượt chỉ tiêu %(points)s điểm phần trăm") % {
            "value": decimal_vi(shown),
            "points": decimal_vi(difference),
        }
    if difference < 0:
        return _("đạt %(value)s%%, thấp hơn chỉ tiêu %(points)s điểm phần trăm") % {
            "value": decimal_vi(shown),
            "points": decimal_vi(-difference),
        }
    return _("đạt %(value)s%%, bằng chỉ tiêu") % {"value": decimal_vi(shown)}


# ---------------------------------------------------------------------------------------
# Definitions and measures


def definition_for(target: Target, year: int, records: list[Any] | None = None) -> Any:
    """The target's definition as it stood at the end of ``year`` (its history record), so a
    change made after a year was measured leaves that year explained by the earlier one. A
    year before the target was entered takes its first definition. ``records``: the target's
    history already read (``history_records``), to read it once for every year."""
    end = dt.datetime(year, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
    if records is None:
        record = target.history.filter(history_date__lte=end).order_by("-history_date", "-history_id").first()
        if record is None:
            record = target.history.order_by("history_date", "history_id").first()
        return record.instance if record is not None else target
    standing = [r for r in records if r.history_date <= end]
    record = standing[-1] if standing else (records[0] if records else None)
    return record.instance if record is not None else target


def history_records(target: Target) -> list[Any]:
    """The target's history, oldest first (what ``definition_for`` picks from)."""
    return list(target.history.order_by("history_date", "history_id"))


def governing_q(organization: Organization) -> Q:
    """Resolutions of ``organization`` and of the organizations above it: the targets that govern it."""
    steplen = Organization.steplen
    paths = [organization.path[: steplen * d] for d in range(1, organization.depth + 1)]
    return Q(organization__path__in=paths)


def term_bounds(target: Target) -> tuple[dt.date, dt.date]:
    resolution = target.resolution
    start = resolution.adopted_on or dt.date(resolution.start_year, 1, 1)
    return start, dt.date(resolution.end_year, 12, 31)


def measure(definition: Target, organization: Organization, start: dt.date, end: dt.date, user: Any) -> Measure | None:
    """The definition's indicator over ``organization`` from ``start`` to ``end``; a target
    measured by hand reads the value entered for ``end``'s year (None if none)."""
    if definition.indicator_code:
        indicator = indicators.get(definition.indicator_code)
        group, scope = getattr(definition, "group", ""), getattr(definition, "scope", "")
        return indicator.call(organization, start, end, user, group=group, scope=scope)
    entry = ManualValue.objects.filter(target_id=definition.pk, organization=organization, year=end.year).first()
    return Measure(entry.value, None, lambda: [entry]) if entry is not None else None


@dataclass
class YearValue:
    year: int
    definition: Any
    measure: Measure | None
    value: Decimal | None
    met: bool | None
    sentence: str = ""


@dataclass
class Tracking:
    target: Target
    organization: Organization
    years: list[YearValue] = field(default_factory=list)
    to_date: YearValue | None = None
    met: bool | None = None
    projection: Decimal | None = None
    on_track: bool | None = None
    allocations: list[TargetAllocation] = field(default_factory=list)


def _sentence(definition: Any, value: Decimal | None, allocations: list[TargetAllocation]) -> str:
    if value is None:
        return _("chưa có số liệu")
    if definition.unit == Unit.PERCENT:
        return rate_sentence(value, definition.threshold)
    comparisons = [(definition.threshold, _("Nghị quyết"))]
    comparisons += [(a.threshold, _("%(body)s phân bổ") % {"body": a.allocated_by}) for a in allocations]
    sentence = count_sentence(str(phrase_of(definition)), value, comparisons)
    # A sub-target counts a part of its parent's figure: "trong đó 432 đảng viên trong độ
    # tuổi thanh niên, vượt 12,8% …" (seed 000).
    return _("trong đó %(part)s") % {"part": sentence} if definition.parent_id else sentence


def phrase_of(definition: Any) -> str:
    """How the definition's count is said: its group's phrase, else its indicator's."""
    if not definition.indicator_code:
        return "%(n)s"
    indicator = indicators.get(definition.indicator_code)
    group = indicator.group(getattr(definition, "group", "")) if getattr(definition, "group", "") else None
    return str(group.phrase if group is not None else indicator.phrase)


def is_cumulative(definition: Any) -> bool:
    """A target over the term (or "by" a year) is measured from the term's start: admissions add
    up, and admissions as a share divide by the members at the term's start. (Indicators of a
    state, such as the year's ratings or the members at a date, read only the period's end.)"""
    return definition.period in (Period.TERM, Period.BY_YEAR)


def period_of(target: Target, definition: Any, year: int) -> tuple[dt.date, dt.date]:
    """What ``year``'s value covers: from the term's start for a cumulative count, else the year."""
    start, _end = term_bounds(target)
    return (start if is_cumulative(definition) else max(start, dt.date(year, 1, 1))), dt.date(year, 12, 31)


def _year_value(
    target: Target, organization: Organization, year: int, user: Any, allocations: list, records: list[Any] | None = None
) -> YearValue:
    definition = definition_for(target, year, records)
    cumulative = is_cumulative(definition)
    found = measure(definition, organization, *period_of(target, definition, year), user)
    value = found.value if found is not None else None
    return YearValue(
        year,
        definition,
        found,
        value,
        is_met(value, definition.comparison, definition.threshold),
        _sentence(definition, value, allocations if cumulative else []),
    )


def allocations_to(target: Target, organization: Organization) -> list[TargetAllocation]:
    """Targets of the same indicator and term allocated to ``organization`` by the levels above."""
    if not target.indicator_code:
        return []
    return list(
        TargetAllocation.objects.filter(
            organization=organization,
            target__indicator_code=target.indicator_code,
            target__period=target.period,
            target__resolution__start_year=target.resolution.start_year,
        ).select_related("target")
    )


def track(target: Target, organization: Organization, *, user: Any, today: dt.date | None = None) -> Tracking:
    """The target over ``organization``'s subtree: each year of the term up to ``today``, the
    term to date, met or not, and for a term count the projection
    p = value to date × term length ÷ time elapsed (on track when p meets the threshold)."""
    today = today or dt.date.today()
    start, end = term_bounds(target)
    allocations = allocations_to(target, organization)
    result = Tracking(target, organization, allocations=allocations)
    last = min(today.year, target.resolution.end_year)
    if target.period == Period.BY_YEAR and target.period_year:
        last = min(last, target.period_year)
    records = history_records(target)
    for year in range(target.resolution.start_year, last + 1):
        result.years.append(_year_value(target, organization, year, user, allocations, records))
    if not result.years:
        return result
    result.to_date = result.years[-1]
    measured = [y for y in result.years if y.met is not None]
    if target.period == Period.EACH_YEAR:
        result.met = all(y.met for y in measured) if measured else None
    else:
        result.met = result.to_date.met
    if target.period != Period.EACH_YEAR and target.unit == Unit.COUNT and result.to_date.value is not None:
        elapsed = (min(today, end) - start).days + 1
        total = (end - start).days + 1
        result.projection = result.to_date.value * Decimal(total) / Decimal(max(elapsed, 1))
        result.on_track = bool(is_met(result.projection, target.comparison, target.threshold))
    elif target.period != Period.EACH_YEAR:
        result.projection = result.to_date.value
        result.on_track = result.to_date.met
    return result


@dataclass(frozen=True)
class State:
    """Where a target stands, as the dashboard shows it: a colour and, beside it, its words."""

    key: str
    colour: str  # a Tabler colour name
    label: str


def state(tracking: Tracking, *, today: dt.date | None = None) -> State:
    """Met, or a term target on track: green. A term target not met yet whose projection
    falls short, while its term runs: amber ("at risk"). Missed (a year missed, or a term
    target not met when its term or year is over): red. Nothing measured: grey."""
    today = today or dt.date.today()
    if tracking.met is None and tracking.on_track is None:
        return State("not_measured", "secondary", _("Chưa có số liệu"))
    if tracking.met:
        return State("met", "green", _("Đạt"))
    target = tracking.target
    if target.period != Period.EACH_YEAR:
        last = target.period_year if target.period == Period.BY_YEAR and target.period_year else target.resolution.end_year
        if today <= dt.date(last, 12, 31):
            if tracking.on_track:
                return State("on_track", "green", _("Đúng tiến độ"))
            return State("at_risk", "yellow", _("Có nguy cơ không đạt"))
    return State("missed", "red", _("Không đạt"))


def allocations_summed(target: Target) -> tuple[Decimal, Decimal]:
    """The thresholds a level allocated to its subordinates, summed, beside its own threshold."""
    total = sum((a.threshold for a in target.allocations.all()), Decimal(0))
    return total, target.threshold


# ---------------------------------------------------------------------------------------
# Drill-down


@dataclass
class Effect:
    organization: Organization
    measure: Measure
    value: Decimal | None
    effect: Decimal


def drill_down(target: Target, organization: Organization, year: int, *, user: Any) -> list[Effect]:
    """The direct sub-organizations (in ``user``'s scope) ranked by how much each pulls the
    rate down: effect = (rate of the child − rate of the whole) × the child's share of the
    denominator. The effects of all children add up to the rate of the whole minus their
    weighted mean, so the most negative comes first. Counts rank by the child's count."""
    definition = definition_for(target, year)
    if not definition.indicator_code:
        return []
    start, end = period_of(target, definition, year)
    whole = measure(definition, organization, start, end, user)
    children = Organization.objects.children_of(organization).for_user(user).order_by("path")
    effects = []
    for child in children:
        found = measure(definition, child, start, end, user)
        if found is None:
            continue
        if found.denominator is None:
            effects.append(Effect(child, found, found.value, Decimal(found.numerator)))
            continue
        if not found.denominator or whole is None or not whole.denominator or whole.value is None or found.value is None:
            continue
        weight = Decimal(found.denominator) / Decimal(whole.denominator)
        effects.append(Effect(child, found, found.value, (found.value - whole.value) * weight))
    effects.sort(key=lambda e: (e.effect, e.organization.path))
    return effects
