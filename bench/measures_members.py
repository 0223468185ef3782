"""The measures of issue 3 on the member register: the list page and the statistics.

- ``member_list_page``: the member list as an administrator, filtered to one upper
  committee's subtree, searched for a common given name and sorted by date of birth; the
  answer is the first page's member ids and the total. ``app`` is everything the page
  computes (``members.views.member_list_context``: the FilterSet with its form, the page
  and its count, the formatted rows, the sort and page links); ``page_s`` is the whole
  request (middleware, session, template), checked to show the same answer. Limit: the
  faster of the page plus a count, or the page with a window count, as chosen in the run.
- ``member_statistics_page``: members in the party on a date for the whole scope, by
  status, sex, age band, the five reference lists and youth, as the statistics page
  computes them (``members.selectors.member_statistics``); ``page_s`` is one request of
  the page itself (which also counts the year's changes). Limit: the status each member
  had on the date (the latest status row by then), then one GROUP BY over every
  dimension, rolled up in Python.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import RequestFactory
from django.urls import reverse

from bench.generator import TODAY
from bench.measures import Context, _rows
from bench.registry import Sides, measure, time_it
from lib.dates import format_date
from lib.text import fold
from members import rules, selectors
from members.models import (
    IN_PARTY_STATUSES,
    Ethnicity,
    GeneralEducation,
    Member,
    PoliticalTheory,
    ProfessionalEducation,
    Religion,
    Sex,
)
from members.views import PER_PAGE, member_list_context
from orgs.scope import PATH_END

LIST_SORT = "birth_date"  # members.filters.SORTS: birth date, then the name's sort key, then the id
_TOTAL = re.compile(r'data-testid="total">\s*([\d.,\s]+)')


def common_given_name() -> str:
    """The most frequent given name of four letters or more, folded (as a user types it)."""
    rows = Member.objects.values_list("given_name").annotate(n=Count("pk")).order_by("-n", "given_name")[:50]
    for given, _n in rows:
        if len(fold(given)) >= 4:
            return fold(given)
    return fold(rows[0][0]) if rows else "nguyen"


@measure("member_list_page")
def member_list_page(ctx: Context) -> Sides:
    """One upper committee's members named like a common given name, sorted by date of birth."""
    node, word = ctx.upper, common_given_name()
    url = reverse("members:member_list")
    params = {"organization": node.code, "q": word, "sort": LIST_SORT}
    detail = re.compile(re.escape(reverse("members:member_detail", args=[0])).replace("/0/", r"/(\d+)/"))
    user = get_user_model().objects.get(pk=ctx.admin_client.session["_auth_user_id"])

    def app() -> tuple[list[int], int]:
        request = RequestFactory().get(url, params)
        request.user = user
        context = member_list_context(request)
        return [row["pk"] for row in context["page"].object_list], context["total"]

    def page() -> tuple[list[int], int]:
        response = ctx.admin_client.get(url, params)
        if response.status_code != 200:
            raise AssertionError(f"{url} answered {response.status_code}")
        html = response.content.decode()
        total = _TOTAL.search(html)
        if total is None:
            raise AssertionError("the list page shows no total")
        ids = [int(pk) for pk in detail.findall(html)]
        return list(dict.fromkeys(ids)), int(re.sub(r"\D", "", total.group(1)))

    where = "o.path >= %s AND o.path < %s AND m.search_text LIKE %s"
    args = [node.path, node.path + PATH_END, f"%{word}%"]
    joined = f"FROM members_member m JOIN orgs_organization o ON o.id = m.organization_id WHERE {where}"
    order = f"ORDER BY m.birth_date, m.sort_key, m.id LIMIT {PER_PAGE}"
    page_sql, count_sql = f"SELECT m.id {joined} {order}", f"SELECT count(*) {joined}"
    window_sql = f"SELECT m.id, count(*) OVER () {joined} {order}"

    def two_queries() -> tuple[list[int], int]:
        return [r[0] for r in _rows(page_sql, args)], _rows(count_sql, args)[0][0]

    def one_query() -> tuple[list[int], int]:
        rows = _rows(window_sql, args)
        return [r[0] for r in rows], rows[0][1] if rows else 0

    # The limit is the faster of the two ways to write it on this database: the page and a
    # count, or the page with the count as a window over the same matches.
    limit = min((two_queries, one_query), key=lambda fn: time_it(fn, min_runs=5, max_runs=5).best)

    def report(result: dict[str, Any]) -> dict[str, Any]:
        if page() != app():
            raise AssertionError("the page shows another answer than its context")
        page_s = time_it(page).best
        return {"limit_sql": limit.__name__, "page_s": round(page_s, 6), "page_ratio": round(page_s / result["limit_s"], 2)}

    return Sides(app=app, limit=limit, report=report)


# ---------------------------------------------------------------------------------------


def _statistics_answer(stats: selectors.MemberStatistics) -> dict[str, Any]:
    answer: dict[str, Any] = {"total": stats.total, "youth": stats.youth}
    for key, rows in stats.dimensions().items():
        answer[key] = sorted((r.key, r.label, r.count) for r in rows if r.count)
    return answer


_LISTS = {
    "ethnicity": Ethnicity,
    "religion": Religion,
    "general_education": GeneralEducation,
    "professional_education": ProfessionalEducation,
    "political_theory": PoliticalTheory,
}


def statistics_sql(on: dt.date) -> tuple[str, list[Any]]:
    """Members in the party on ``on``, grouped by every dimension at once."""
    day = connection.ops.adapt_datefield_value(on)
    bands, band_args = [], []
    for key, _label, _low, high in selectors.AGE_BANDS:
        if high is not None:
            bands.append("WHEN m.birth_date > %s THEN %s")
            band_args += [connection.ops.adapt_datefield_value(rules.latest_birth_date_for_age(high + 1, on)), key]
    youth_cut = connection.ops.adapt_datefield_value(rules.latest_birth_date_for_age(rules.YOUTH_MAX_AGE + 1, on))
    marks = ", ".join(["%s"] * len(IN_PARTY_STATUSES))
    # The status on the day: the latest row by then, looked up once per member through the
    # (member, effective_on) index; then one GROUP BY over every dimension.
    sql = (
        "SELECT s.status, s.sex, s.band, s.youth, s.ethnicity_id, s.religion_id, s.general_education_id, "
        "s.professional_education_id, s.political_theory_id, count(*) FROM ("
        "  SELECT (SELECT sc.status FROM members_statuschange sc WHERE sc.member_id = m.id AND sc.effective_on <= %s"
        "          ORDER BY sc.effective_on DESC, sc.id DESC LIMIT 1) AS status,"
        f"   m.sex, CASE {' '.join(bands)} ELSE %s END AS band, CASE WHEN m.birth_date > %s THEN 1 ELSE 0 END AS youth,"
        "    m.ethnicity_id, m.religion_id, m.general_education_id, m.professional_education_id, m.political_theory_id"
        "  FROM members_member m"
        f") s WHERE s.status IN ({marks}) "
        "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
    )
    args = [day, *band_args, selectors.AGE_BANDS[-1][0], youth_cut, *[str(s) for s in IN_PARTY_STATUSES]]
    return sql, args


def statistics_by_sql(on: dt.date) -> dict[str, Any]:
    sql, args = statistics_sql(on)
    lists = {
        key: {pk: (code, name) for pk, code, name in model.objects.values_list("pk", "code", "name")}
        for key, model in _LISTS.items()
    }
    sums: dict[str, dict[tuple[str, str], int]] = {key: {} for key in ["status", "sex", "age_band", *_LISTS]}
    total = youth = 0
    status_labels = {str(s.value): str(s.label) for s in IN_PARTY_STATUSES}
    sex_labels = {str(k): str(v) for k, v in Sex.choices}
    band_labels = {k: str(label) for k, label, _lo, _hi in selectors.AGE_BANDS}
    for status, sex, band, young, *fks, n in _rows(sql, args):
        total += n
        youth += n * young
        for key, label in (
            ("status", (status, status_labels[status])),
            ("sex", (sex, sex_labels[sex])),
            ("age_band", (band, band_labels[band])),
        ):
            sums[key][label] = sums[key].get(label, 0) + n
        for key, fk in zip(_LISTS, fks, strict=True):
            label = lists[key][fk] if fk is not None else ("", str(selectors.MISSING))
            sums[key][label] = sums[key].get(label, 0) + n
    answer: dict[str, Any] = {"total": total, "youth": youth}
    for key, counts in sums.items():
        answer[key] = sorted((k, label, n) for (k, label), n in counts.items() if n)
    return answer


@measure("member_statistics_page")
def member_statistics_page(ctx: Context) -> Sides:
    """The statistics of the whole scope on a date, by every dimension of the page."""
    on = TODAY

    def app() -> dict[str, Any]:
        return _statistics_answer(selectors.member_statistics(Member.objects.all(), on=on))

    def limit() -> dict[str, Any]:
        return statistics_by_sql(on)

    def report(result: dict[str, Any]) -> dict[str, Any]:
        # The page itself, once: the same statistics plus the year's changes, rendered.
        url = reverse("members:member_statistics")
        query = {"organization": "", "on": format_date(on), "start": format_date(dt.date(on.year, 1, 1)), "end": format_date(on)}
        started = time.perf_counter()
        response = ctx.admin_client.get(url, query)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise AssertionError(f"{url} answered {response.status_code}")
        return {"page_s": round(elapsed, 6)}

    return Sides(app=app, limit=limit, report=report)
