"""The measures of issue 9 on the targets dashboard: the whole page, for the top of the data
set's tree and for a province.

The measure gives the node a 2025–2030 resolution with the targets of seeds 000 and 003 (made
once, kept in the data set): members good or better, organizations good or better over the
whole subtree, base organizations excellent, attached cells good or better, admissions over
the term with the youth among them, and a value entered by hand.

- ``app``: one request of the dashboard page (``targets:dashboard?org=…``) as the
  administrator, the server's whole time (middleware, session, every indicator, the alerts
  of the other apps, the template); its answer is each card's numerator and denominator per
  year, read from the page. ``context_s`` is ``targets.views.dashboard_context`` alone.
- ``limit``: the same figures from hand-written SQL: the rating tallies summed over the
  node's path on 31/12 of the year, and the admissions from the kept counts (members.counts). The
  alerts and the template have no hand-written side.
- ``targets_dashboard_root`` is the top of the tree: the province at the bloc and province
  sizes, the central root over the 34 provinces at the nation size (``bench.generator``).

Goal: under 300 ms of server time for the whole page.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import RequestFactory

from bench.measures import Context, _rows
from bench.measures_counts import _admitted_sql
from bench.measures_reviews import tally_figures
from bench.registry import Sides, measure, time_it
from orgs.models import Organization
from targets.models import Comparison, ManualValue, Period, Resolution, Target, TargetScope, Unit

GOAL_S = 0.3
TERM = (2025, 2030)
CONGRESS = "Đại hội đo hiệu năng (bench)"
_YEAR = re.compile(
    r'data-testid="year-value" data-target="(\d+)" data-year="(\d+)" data-numerator="([\d.]*)" data-denominator="(\d*)"'
)

# (wording, indicator, comparison, threshold, unit, period, scope, group, parent index)
TARGETS: list[tuple[str, str, str, int, str, str, str, str, int | None]] = [
    (
        "95% trở lên đảng viên hoàn thành tốt nhiệm vụ",
        "reviews.members_good",
        "ge",
        95,
        "percent",
        "each_year",
        "subtree",
        "",
        None,
    ),
    (
        "90% trở lên các chi bộ, đảng bộ hoàn thành tốt nhiệm vụ",
        "reviews.organizations_good",
        "ge",
        90,
        "percent",
        "each_year",
        "subtree",
        "",
        None,
    ),
    (
        "20% tổ chức cơ sở đảng hoàn thành xuất sắc",
        "reviews.bases_excellent",
        "ge",
        20,
        "percent",
        "each_year",
        "base_only",
        "",
        None,
    ),
    (
        "90% chi bộ trực thuộc hoàn thành tốt nhiệm vụ",
        "reviews.cells_good",
        "ge",
        90,
        "percent",
        "each_year",
        "cells_only",
        "",
        None,
    ),
    ("Kết nạp hơn 800 đảng viên", "members.admitted", "gt", 800, "count", "term", "subtree", "", None),
    ("Trong đó 380 đảng viên trong độ tuổi thanh niên", "members.admitted", "ge", 380, "count", "term", "subtree", "youth", 4),
    ("90% trở lên cơ quan, đơn vị đạt chuẩn văn hóa", "", "ge", 90, "percent", "each_year", "subtree", "", None),
]


def ensure_resolution(node: Organization, user: Any) -> Resolution:
    """The node's 2025–2030 resolution with ``TARGETS`` (written straight, as the data set is)."""
    resolution, created = Resolution.objects.get_or_create(
        organization=node,
        start_year=TERM[0],
        defaults={"end_year": TERM[1], "term_name": f"{TERM[0]}–{TERM[1]}", "congress_name": CONGRESS},
    )
    if created or not resolution.targets.exists():
        made: list[Target] = []
        for i, (wording, code, comparison, threshold, unit, period, scope, group, parent) in enumerate(TARGETS, start=1):
            made.append(
                Target.objects.create(
                    resolution=resolution,
                    wording=wording,
                    indicator_code=code,
                    comparison=Comparison(comparison),
                    threshold=Decimal(threshold),
                    unit=Unit(unit),
                    period=Period(period),
                    scope=TargetScope(scope),
                    group=group,
                    parent=made[parent] if parent is not None else None,
                    position=i,
                )
            )
        ManualValue.objects.create(
            target=made[-1],
            organization=node,
            year=TERM[0],
            value=Decimal(92),
            entered_by=user,
            entered_at=dt.datetime.now(dt.UTC),
        )
    return resolution


def _day(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def figures_by_sql(node: Organization, resolution: Resolution, today: dt.date) -> list[tuple[int, int, str, str]]:
    """Each top-level target's (id, year, numerator, denominator) for ``node``, by hand."""
    answer = []
    start = resolution.adopted_on or dt.date(resolution.start_year, 1, 1)
    last = min(today.year, resolution.end_year)
    subjects = {
        "reviews.members_good": ("member",),
        "reviews.organizations_good": ("base", "cell"),
        "reviews.bases_excellent": ("base",),
        "reviews.cells_good": ("cell",),
    }
    for target in resolution.targets.filter(parent__isnull=True).order_by("position", "pk"):
        for year in range(resolution.start_year, last + 1):
            code = target.indicator_code
            if code in subjects:
                # The tallies summed over the node's path on 31/12 of the year (bench.measures_reviews).
                excellent, good, complete, not_complete = tally_figures(node, year, subjects[code])
                numerator = excellent if code == "reviews.bases_excellent" else excellent + good
                answer.append((target.pk, year, str(numerator), str(excellent + good + complete + not_complete)))
            elif code == "members.admitted":
                # The kept admissions (members.counts) under the node's path: a root or a province.
                n = _admitted_sql(node.path, start, dt.date(year, 12, 31))[0]
                answer.append((target.pk, year, str(n), ""))
            else:  # entered by hand
                rows = _rows(
                    "SELECT value FROM targets_manualvalue WHERE target_id = %s AND organization_id = %s AND year = %s",
                    [target.pk, node.pk, year],
                )
                answer.append((target.pk, year, str(Decimal(rows[0][0]).normalize()) if rows else "", ""))
    return answer


def _number(text: str) -> str:
    """ "120700", "92.00" and "92" as one text: a whole number without decimals."""
    if not text:
        return ""
    value = Decimal(text)
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def _normal(figures: list[tuple[Any, Any, str, str]]) -> list[tuple[int, int, str, str]]:
    return [(int(t), int(y), _number(str(n)), _number(str(d))) for t, y, n, d in figures]


def _dashboard_sides(ctx: Context, node: Organization) -> Sides:
    from django.urls import reverse

    from targets.views import dashboard_context

    resolution = ensure_resolution(node, ctx.admin)
    url = reverse("targets:dashboard")
    params = {"org": str(node.pk)}
    today = dt.date.today()

    def app() -> list[tuple[int, int, str, str]]:
        response = ctx.admin_client.get(url, params)
        if response.status_code != 200:
            raise AssertionError(f"{url} answered {response.status_code}")
        return _normal(_YEAR.findall(response.content.decode()))

    def limit() -> list[tuple[int, int, str, str]]:
        return _normal(figures_by_sql(node, resolution, today))

    def report(result: dict[str, Any]) -> dict[str, Any]:
        request = RequestFactory().get(url, params)
        request.user = ctx.admin

        def context() -> None:
            dashboard_context(request.user, node, today)

        context_s = time_it(context).best
        queries = [0]

        def count(execute: Any, sql: str, p: Any, many: bool, c: Any) -> Any:
            queries[0] += 1
            return execute(sql, p, many, c)

        with connection.execute_wrapper(count):
            started = time.perf_counter()
            app()
            once = time.perf_counter() - started
        return {
            "node": node.name,
            "context_s": round(context_s, 6),
            "page_queries": queries[0],
            "page_once_s": round(once, 6),
            "goal_s": GOAL_S,
            "within_goal": result["app_s"] < GOAL_S,
        }

    return Sides(app=app, limit=limit, report=report)


def _root() -> Organization | None:
    """The one organization at the top of the data set's tree (None when there are several)."""
    roots = list(Organization.objects.filter(depth=1)[:2])
    return roots[0] if len(roots) == 1 else None


@measure("targets_dashboard_root")
def targets_dashboard_root(ctx: Context) -> Sides:
    """The dashboard of the top of the tree (at the nation size, the central root)."""
    node = _root()
    if node is None:
        raise RuntimeError("the data set has no single root organization")
    return _dashboard_sides(ctx, node)


@measure("targets_dashboard_province")
def targets_dashboard_province(ctx: Context) -> Sides:
    """The dashboard of a province (the first: each has the same shape)."""
    return _dashboard_sides(ctx, ctx.province)
