"""The measures of issue 9 ("Scale") on the kept member counts (``members.counts``).

- ``member_statistics_national``: the statistics page's numbers at the national root (the
  whole register, as an administrator) on ``ON``, a day half a year from the nearer
  snapshot (the most deltas a read sums). ``app`` is ``members.selectors.member_statistics``
  (it reads ``members.counts.counts_on``); ``page_s`` is one request of the page (which also
  counts the period's changes); ``recount_s`` is the raw recount the page did before
  (``bench.measures_members.statistics_by_sql``), run once and checked to give the same
  answer. Limit: one hand-written query on the kept rows (snapshot + deltas, grouped).
- ``indicator_in_party``, ``indicator_admitted``, ``indicator_admitted_youth``,
  ``indicator_admitted_share``: each member indicator of ``members.indicators`` for the
  first province, through the indicator registry, beside one hand-written query on the kept
  rows, with the raw recount (``recount_s``) printed beside them. Goal: within 3× of the SQL.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import connection
from django.urls import reverse

from bench.measures import Context, _rows
from bench.measures_members import _statistics_answer, statistics_by_sql
from bench.registry import Sides, measure
from lib import indicators
from lib.dates import format_date
from members import counts, rules, selectors
from members.models import IN_PARTY_STATUSES, Member, MemberCountDelta, MemberCountSnapshot, Sex
from orgs.models import Organization

ON = dt.date(2025, 6, 30)  # half a year from both snapshots: the longest read
TERM_START = dt.date(2020, 10, 1)

_SNAP, _DELTA = MemberCountSnapshot._meta.db_table, MemberCountDelta._meta.db_table


def kept_sql(path: str, on: dt.date, dimensions: tuple[str, ...]) -> tuple[str, list[Any]]:
    """Kept counts of ``path`` on ``on`` by dimension and key: the nearer snapshot and the deltas between."""
    before, after = counts._period(on), counts._next_period(on)
    forward = (on - before) <= (after - on)
    day = connection.ops.adapt_datefield_value
    marks = ", ".join(["%s"] * len(dimensions))
    if forward:
        snap, delta_days, sign = before, "day >= %s AND day <= %s", ""
        days = [day(before), day(on)]
    else:
        snap, delta_days, sign = after, "day > %s AND day < %s", "-"
        days = [day(on), day(after)]
    sql = (
        "SELECT dimension, key, SUM(n) FROM ("
        f" SELECT dimension, key, count AS n FROM {_SNAP} WHERE path = %s AND month = %s AND dimension IN ({marks})"
        " UNION ALL"
        f" SELECT dimension, key, {sign}change AS n FROM {_DELTA} WHERE path = %s AND {delta_days} AND dimension IN ({marks})"
        ") t GROUP BY dimension, key"
    )
    return sql, [path, day(snap), *dimensions, path, *days, *dimensions]


def kept_by_sql(path: str, on: dt.date, dimensions: tuple[str, ...]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {d: {} for d in dimensions}
    for dim, key, n in _rows(*kept_sql(path, on, dimensions)):
        if n:
            out[dim][key] = int(n)
    return out


def _answer_from_kept(kept: dict[str, dict[str, int]]) -> dict[str, Any]:
    """The answer of ``_statistics_answer`` built by hand from the kept rows (labels looked up once)."""
    from bench.measures_members import _LISTS

    lists = {
        key: {str(pk): (code, name) for pk, code, name in m.objects.values_list("pk", "code", "name")}
        for key, m in _LISTS.items()
    }
    status_labels = {str(s.value): str(s.label) for s in IN_PARTY_STATUSES}
    sex_labels = {str(k): str(v) for k, v in Sex.choices}
    band_labels = {k: str(label) for k, label, _lo, _hi in selectors.AGE_BANDS}
    answer: dict[str, Any] = {"total": sum(kept["status"].values()), "youth": kept["youth"].get("1", 0)}
    answer["status"] = sorted((k, status_labels[k], n) for k, n in kept["status"].items())
    answer["sex"] = sorted((k, sex_labels[k], n) for k, n in kept["sex"].items())
    answer["age_band"] = sorted((k, band_labels[k], n) for k, n in kept["age_band"].items())
    for key in _LISTS:
        answer[key] = sorted((*(lists[key][k] if k else ("", str(selectors.MISSING))), n) for k, n in kept[key].items())
    return answer


def _recount_once(fn: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    answer = fn()
    return answer, time.perf_counter() - started


@measure("member_statistics_national")
def member_statistics_national(ctx: Context) -> Sides:
    """The statistics page's numbers for the whole register on ``ON``, from the kept counts."""

    def app() -> dict[str, Any]:
        return _statistics_answer(selectors.member_statistics(Member.objects.all(), on=ON))

    def limit() -> dict[str, Any]:
        return _answer_from_kept(kept_by_sql("", ON, counts.DIMENSIONS))

    def report(result: dict[str, Any]) -> dict[str, Any]:
        url = reverse("members:member_statistics")
        query = {"organization": "", "on": format_date(ON), "start": format_date(dt.date(ON.year, 1, 1)), "end": format_date(ON)}
        ctx.admin_client.get(url, query)  # warm
        started = time.perf_counter()
        response = ctx.admin_client.get(url, query)
        page_s = time.perf_counter() - started
        if response.status_code != 200:
            raise AssertionError(f"{url} answered {response.status_code}")
        recount, recount_s = _recount_once(lambda: statistics_by_sql(ON))
        if recount != app():
            raise AssertionError("the kept counts differ from the raw recount")
        answer = {"page_s": round(page_s, 6), "recount_s": round(recount_s, 6)}
        roots = list(Organization.objects.filter(depth=1)[:2])
        if len(roots) == 1:  # the page for the one root organization (the central root at the nation size)
            at_root = {**query, "organization": roots[0].code}
            ctx.admin_client.get(url, at_root)  # warm
            started = time.perf_counter()
            response = ctx.admin_client.get(url, at_root)
            answer["root_page_s"] = round(time.perf_counter() - started, 6)
            if response.status_code != 200:
                raise AssertionError(f"{url} answered {response.status_code} for the root")
        return answer

    return Sides(app=app, limit=limit, report=report)


def _indicator(code: str, start: dt.date, end: dt.date, by_sql: Any, recount: Any) -> Any:
    def build(ctx: Context) -> Sides:
        indicator = indicators.get(code)
        org = ctx.province

        def app() -> tuple[Any, Any]:
            value = indicator.call(org, start, end, None)
            return int(value.numerator), value.denominator

        def limit() -> tuple[Any, Any]:
            return by_sql(org.path, start, end)

        def report(result: dict[str, Any]) -> dict[str, Any]:
            answer, recount_s = _recount_once(lambda: recount(org, start, end))
            if answer != app():
                raise AssertionError(f"{code}: the kept counts say {app()}, the raw recount {answer}")
            return {"recount_s": round(recount_s, 6)}

        return Sides(app=app, limit=limit, report=report)

    return build


def _total(path: str, on: dt.date) -> int:
    return sum(kept_by_sql(path, on, ("status",))["status"].values())


def _admitted_sql(path: str, start: dt.date, end: dt.date) -> tuple[int, int]:
    dims = (counts.ADMITTED, counts.ADMITTED_YOUTH)
    upto, before = kept_by_sql(path, end, dims), kept_by_sql(path, start - dt.timedelta(days=1), dims)
    return tuple(upto[d].get("", 0) - before[d].get("", 0) for d in dims)  # type: ignore[return-value]


def _in_party_recount(org: Any, start: dt.date, end: dt.date) -> tuple[int, None]:
    return selectors.members_in_party_on(Member.objects.all(), on=end, organization=org).count(), None


def _admitted_recount(org: Any, start: dt.date, end: dt.date) -> tuple[int, int]:
    admitted = selectors.members_admitted_between(Member.objects.all(), start=start, end=end, organization=org)
    pairs = list(admitted.values_list("birth_date", "admitted_on"))
    return len(pairs), sum(rules.is_youth(b, a) for b, a in pairs)


measure("indicator_in_party")(
    _indicator("members.in_party", TERM_START, ON, lambda p, s, e: (_total(p, e), None), _in_party_recount)
)
measure("indicator_admitted")(
    _indicator(
        "members.admitted",
        TERM_START,
        ON,
        lambda p, s, e: (_admitted_sql(p, s, e)[0], None),
        lambda o, s, e: (_admitted_recount(o, s, e)[0], None),
    )
)
measure("indicator_admitted_youth")(
    _indicator(
        "members.admitted_youth",
        TERM_START,
        ON,
        lambda p, s, e: (_admitted_sql(p, s, e)[1], None),
        lambda o, s, e: (_admitted_recount(o, s, e)[1], None),
    )
)
measure("indicator_admitted_share")(
    _indicator(
        "members.admitted_share",
        TERM_START,
        ON,
        lambda p, s, e: (_admitted_sql(p, s, e)[0], _total(p, s)),
        lambda o, s, e: (_admitted_recount(o, s, e)[0], _in_party_recount(o, s, s)[0]),
    )
)
