"""The measures of issue 8 on the annual review: the year-end report and the proposals.

- ``review_year_report``: ``reviews.selectors.year_report`` for the province (the largest
  at the nation size: the data set has no national root) and the year 2025 — totals for
  members, base organizations and cells, by sub-organization, by sector, against the
  earlier years. Limit: hand-written SQL on the tallies (a GROUP BY per part). The report
  also says ``recount_s``: the same report counted from the raw review rows, checked to
  give the same answer (the tallies equal a recount).
- ``review_proposals``: the regime's proposal for every review of the province's 2025
  round through ``reviews.services.proposals_for_round`` (the year's facts read once).
  Limit: every fact read by hand in a handful of queries, the regime module called
  directly. ``proposals_by_service`` (one ``propose`` per review) is kept for the tests
  as the reference answer. Goal: under 30 s for a province.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from bench.generator_reviews import REPORT_YEAR
from bench.measures import Context, _rows
from bench.registry import Sides, measure, time_it
from discipline.models import Discipline
from members.models import Status
from orgs.models import Organization, OrgVersion
from orgs.scope import PATH_END
from reviews.models import MemberReview, OrganizationReview, ReviewRound
from reviews.regimes.base import Discipline as DisciplineFact
from reviews.regimes.base import MemberFacts, OrganizationFacts, Rating, RatingCounts, Tasks
from reviews.selectors import COLUMNS, YEARS_COMPARED, Counts, YearReport, year_report
from reviews.services import NOT_COMPLETE_BREAKDOWN, RECENTLY_ADMITTED, proposals_for_round, propose

SUBJECTS = ("member", "base", "cell")


def _counts(counts: Counts) -> tuple[int, ...]:
    return tuple(getattr(counts, c) for c in COLUMNS)


def report_answer(report: YearReport) -> dict[str, Any]:
    """The numbers of a report (what the page, the .xlsx and the paragraph are written from)."""
    return {
        "members": _counts(report.members),
        "bases": _counts(report.bases),
        "cells": _counts(report.cells),
        "by_child": [(row.label, _counts(row.members), _counts(row.bases)) for row in report.by_child],
        "by_sector": [(row.label, _counts(row.members), _counts(row.bases)) for row in report.by_sector],
        "earlier": [(year, _counts(members), _counts(bases)) for year, members, bases in report.earlier],
    }


def _version_where(alias: str) -> str:
    return f"{alias}.valid_from <= %s AND ({alias}.valid_to IS NULL OR {alias}.valid_to > %s)"


def _path_on(organization_id: int, on: dt.date, fallback: str) -> str:
    day = connection.ops.adapt_datefield_value(on)
    rows = _rows(
        f"SELECT v.path FROM orgs_orgversion v WHERE v.organization_id = %s AND {_version_where('v')}",
        [organization_id, day, day],
    )
    return rows[0][0] if rows else fallback


def _assemble(organization: Organization, year: int, source: str, params: Any) -> dict[str, Any]:
    """The report's numbers from ``source``: SQL giving one row per (organization, subject)
    with its path on the year's reference date and the counts in ``COLUMNS`` order, for
    the year given as its first parameter. ``params(year)`` gives the source's parameters."""
    on = dt.date(year, 12, 31)
    path = _path_on(organization.pk, on, organization.path)
    sums = ", ".join(f"SUM(t.{c})" for c in COLUMNS)

    def totals(at: str, y: int) -> dict[str, tuple[int, ...]]:
        rows = _rows(
            f"SELECT t.subject, {sums} FROM ({source}) t WHERE t.path >= %s AND t.path < %s GROUP BY t.subject",
            [*params(y), at, at + PATH_END],
        )
        found = {subject: tuple(int(v or 0) for v in values) for subject, *values in rows}
        return {s: found.get(s, (0,) * len(COLUMNS)) for s in SUBJECTS}

    zero = (0,) * len(COLUMNS)
    now = totals(path, year)
    answer: dict[str, Any] = {"members": now["member"], "bases": now["base"], "cells": now["cell"]}
    day = connection.ops.adapt_datefield_value(on)
    depth = len(path) // Organization.steplen + 1
    children = _rows(
        "SELECT v.path, v.name FROM orgs_orgversion v WHERE v.path >= %s AND v.path < %s AND v.depth = %s "
        f"AND {_version_where('v')} ORDER BY v.path",
        [path, path + PATH_END, depth, day, day],
    )
    answer["by_child"] = []
    if children:
        length = len(children[0][0])
        grouped = {
            (key, subject): tuple(int(v or 0) for v in values)
            for key, subject, *values in _rows(
                f"SELECT substr(t.path, 1, {length}), t.subject, {sums} FROM ({source}) t "
                "WHERE t.path >= %s AND t.path < %s GROUP BY 1, 2",
                [*params(year), path, path + PATH_END],
            )
        }
        answer["by_child"] = [(name, grouped.get((p, "member"), zero), grouped.get((p, "base"), zero)) for p, name in children]
    sectors: dict[tuple[Any, str], tuple[int, ...]] = {}
    for sector, subject, *values in _rows(
        f"SELECT s.name, t.subject, {sums} FROM ({source}) t JOIN orgs_organization o ON o.id = t.organization_id "
        "LEFT JOIN orgs_sector s ON s.id = o.sector_id WHERE t.path >= %s AND t.path < %s GROUP BY 1, 2",
        [*params(year), path, path + PATH_END],
    ):
        sectors[(sector, subject)] = tuple(int(v or 0) for v in values)
    names = sorted({key for key, _subject in sectors}, key=lambda s: (s is None, s or ""))
    answer["by_sector"] = [
        (name or _("Chưa phân loại hình"), sectors.get((name, "member"), zero), sectors.get((name, "base"), zero))
        for name in names
    ]
    earlier = []
    for y in range(year - YEARS_COMPARED, year):
        then = totals(_path_on(organization.pk, dt.date(y, 12, 31), organization.path), y)
        members, bases = then["member"], then["base"]
        if sum(members[:4]) or sum(bases[:4]):
            earlier.append((y, members, bases))
    answer["earlier"] = earlier
    return answer


TALLY_SOURCE = f"SELECT organization_id, subject, path, {', '.join(COLUMNS)} FROM reviews_ratingtally WHERE year = %s"


def _raw_source() -> str:
    """One row per (organization, subject) counted from the reviews themselves, as the
    tallies count them (``reviews.selectors.recount`` in SQL)."""

    def has(rule: str) -> str:
        return f"CAST(r.proposal_reasons AS TEXT) LIKE '%%\"{rule}\"%%'"

    def breakdown(column: str) -> str:
        rules = [rule for rule, c in NOT_COMPLETE_BREAKDOWN.items() if c == column]
        matches = " OR ".join(has(rule) for rule in rules)
        return f"SUM(CASE WHEN r.step = 'decided' AND r.rating = 'not_complete' AND ({matches}) THEN 1 ELSE 0 END)"

    def ratings() -> str:
        return ", ".join(
            f"SUM(CASE WHEN r.step = 'decided' AND r.rating = '{rating}' THEN 1 ELSE 0 END) AS {rating}"
            for rating in Rating.values
        )

    breakdowns = ", ".join(
        f"{breakdown(c)} AS {c}" for c in ("not_complete_disciplined", "not_complete_targets", "not_complete_degradation")
    )
    members = (
        f"SELECT r.cell_id AS organization_id, 'member' AS subject, r.cell_path AS path, {ratings()}, {breakdowns}, "
        "SUM(CASE WHEN r.excluded_rule <> '' THEN 1 ELSE 0 END) AS not_rated, "
        f"SUM(CASE WHEN r.excluded_rule = '{RECENTLY_ADMITTED}' THEN 1 ELSE 0 END) AS not_rated_reviewed "
        "FROM reviews_memberreview r JOIN reviews_reviewround rr ON rr.id = r.round_id WHERE rr.year = %s "
        "GROUP BY r.cell_id, r.cell_path"
    )
    organizations = (
        "SELECT r.organization_id, CASE WHEN r.is_base THEN 'base' ELSE 'cell' END AS subject, r.path, "
        f"{ratings()}, {breakdowns}, 0 AS not_rated, 0 AS not_rated_reviewed "
        "FROM reviews_organizationreview r JOIN reviews_reviewround rr ON rr.id = r.round_id "
        "WHERE rr.year = %s AND r.step = 'decided' GROUP BY r.organization_id, r.is_base, r.path"
    )
    return f"{members} UNION ALL {organizations}"


def database_time(fn: Any) -> tuple[float, int]:
    """The time ``fn`` spends waiting on the database (the sum over its queries), and how many."""
    spent = [0.0, 0]

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - started
            spent[1] += 1

    with connection.execute_wrapper(timed):
        fn()
    return spent[0], int(spent[1])


def _raw_params(year: int) -> list[Any]:
    return [year, year]


@measure("review_year_report")
def review_year_report(ctx: Context) -> Sides:
    """The year-end report of the province for 2025, from the tallies."""
    organization, year = ctx.province, REPORT_YEAR
    raw = _raw_source()

    def app() -> dict[str, Any]:
        return report_answer(year_report(organization=organization, year=year))

    def limit() -> dict[str, Any]:
        return _assemble(organization, year, TALLY_SOURCE, lambda y: [y])

    def recount() -> dict[str, Any]:
        return _assemble(organization, year, raw, _raw_params)

    def report(result: dict[str, Any]) -> dict[str, Any]:
        if recount() != app():
            raise AssertionError("the report from the tallies differs from a recount of the reviews")
        recount_s = time_it(recount, min_runs=1, max_runs=3).best
        app_db = min(database_time(app) for _ in range(5))
        return {
            "app_db_s": round(app_db[0], 6),
            "app_queries": app_db[1],
            "db_goal_s": 0.1,
            "within_db_goal": app_db[0] < 0.1,
            "recount_s": round(recount_s, 6),
            "recount_ratio": round(recount_s / result["app_s"], 2),
        }

    return Sides(app=app, limit=limit, report=report)


# ---------------------------------------------------------------------------------------


def _round(ctx: Context) -> ReviewRound:
    return ReviewRound.objects.get(organization=ctx.province, year=REPORT_YEAR)


def proposals_by_service(round: ReviewRound) -> list[tuple[int, int, str]]:
    """Every review's proposal through ``reviews.services.propose`` (ordered by kind and id)."""
    out = []
    for review in MemberReview.objects.filter(round=round).select_related("round", "member").order_by("pk").iterator(2000):
        out.append((0, review.pk, propose(review).rating or ""))
    for org_review in OrganizationReview.objects.filter(round=round).select_related("round").order_by("pk"):
        out.append((1, org_review.pk, propose(org_review).rating or ""))
    return out


def proposals_in_bulk(round: ReviewRound) -> list[tuple[int, int, str]]:
    """The same proposals, every fact read in a handful of queries, the regime called directly."""
    regime = round.regime_module
    on = round.reference_date
    in_year = Discipline.objects.in_force_in(round.year)
    by_member: dict[int, list[DisciplineFact]] = defaultdict(list)
    for member_id, remedied, corruption in in_year.filter(member__isnull=False).values_list(
        "member_id", "self_detected_and_remedied", "for_corruption_or_waste"
    ):
        by_member[member_id].append(DisciplineFact(remedied, corruption))
    out = []
    fields = (
        "pk", "member__admitted_on", "status_on_reference", "member_id", "sick_leave_months", "led_unit_target_share",
        "degradation_concluded", "general_points", "result_points", "tasks_total", "tasks_late", "tasks_above",
        "shortcomings_unremedied", "results_level", "criteria_level", "cell_id", "post", "excluded_rule", "rating",
        "appraised_rating",
    )  # fmt: skip
    members_chosen: dict[int, list[str]] = defaultdict(list)
    for (pk, admitted, status, member_id, sick, led, degraded, general, results, total, late, above, short, rl, cl,
         cell_id, post, excluded, rating, appraised) in (
        MemberReview.objects.filter(round=round).order_by("pk").values_list(*fields).iterator(5000)
    ):  # fmt: skip
        if not post and not excluded:
            members_chosen[cell_id].append(rating or appraised)
        facts = MemberFacts(
            reference_date=on,
            admitted_on=admitted,
            suspended=status == Status.SUSPENDED,
            exempt=status == Status.EXEMPT,
            sick_leave_months=sick,
            disciplines=tuple(by_member.get(member_id, ())),
            led_unit_target_share=led,
            degradation_concluded=degraded,
            general_points=general,
            result_points=results,
            tasks=Tasks(total, late, above),
            shortcomings_unremedied=short,
            results_level=Rating(rl) if rl else None,
            criteria_level=Rating(cl) if cl else None,
        )
        out.append((0, pk, regime.propose_member(facts).rating or ""))
    versions = list(OrgVersion.objects.as_of(on).values_list("organization_id", "path", "depth"))
    org_rows = in_year.filter(organization__isnull=False).values_list("organization_id", "for_corruption_or_waste")
    disciplined = {org_id for org_id, _c in org_rows}
    corrupt_orgs = {org_id for org_id, corrupt in org_rows if corrupt}
    corrupt_member_orgs = set(
        in_year.filter(for_corruption_or_waste=True, member__isnull=False).values_list("member__organization_id", flat=True)
    )
    path_of = {org_id: path for org_id, path, _d in versions}
    children: dict[str, list[int]] = defaultdict(list)
    for org_id, path, _depth in versions:
        children[path[: -Organization.steplen]].append(org_id)
    org_reviews = list(OrganizationReview.objects.filter(round=round).order_by("pk"))
    orgs_chosen: dict[str, list[str]] = defaultdict(list)
    for review in org_reviews:
        orgs_chosen[review.path[: -Organization.steplen]].append(review.rating or review.appraised_rating)
    for review in org_reviews:
        kids = children.get(review.path, [])
        chosen = [r for r in orgs_chosen.get(review.path) or members_chosen.get(review.organization_id, []) if r]
        below = [o for o, p in path_of.items() if p.startswith(review.path)] if (corrupt_orgs or corrupt_member_orgs) else []
        corruption = any(o in corrupt_orgs and o != review.organization_id for o in below) or any(
            o in corrupt_member_orgs for o in below
        )
        org_facts = OrganizationFacts(
            reference_date=on,
            leadership_disciplined=review.organization_id in disciplined,
            leadership_member_disciplined=review.leadership_member_disciplined,
            subordinates=len(kids),
            subordinates_disciplined=sum(k in disciplined for k in kids),
            subordinate_corruption_disciplined=corruption,
            disunity_concluded=review.disunity_concluded,
            target_share=review.target_share,
            points=review.points,
            tasks=Tasks(review.tasks_total, review.tasks_late, review.tasks_above),
            shortcomings_unremedied=review.shortcomings_unremedied,
            results_level=Rating(review.results_level) if review.results_level else None,
            criteria_level=Rating(review.criteria_level) if review.criteria_level else None,
            below_ratings=RatingCounts.of(chosen) if chosen else None,
        )
        out.append((1, review.pk, regime.propose_organization(org_facts).rating or ""))
    return out


@measure("review_proposals", runs=1)
def review_proposals(ctx: Context) -> Sides:
    """The proposals of every review of the province's 2025 round, recomputed."""
    round = _round(ctx)
    decided: dict[tuple[int, int], str] = {}

    def app() -> list[tuple[int, int, str]]:
        # The application's path for a whole round: reviews.services.proposals_for_round
        # (the same facts and rules as ``propose``, the year's facts read once).
        kinds = {MemberReview: 0, OrganizationReview: 1}
        return sorted((kinds[type(review)], review.pk, proposal.rating or "") for review, proposal in proposals_for_round(round))

    def limit() -> list[tuple[int, int, str]]:
        return proposals_in_bulk(round)

    def report(result: dict[str, Any]) -> dict[str, Any]:
        # How many proposals agree with the decided rating (the generator decided as proposed).
        for kind, model in ((0, MemberReview), (1, OrganizationReview)):
            for pk, rating in model.objects.filter(round=round).values_list("pk", "rating"):
                decided[(kind, pk)] = rating
        proposals = proposals_in_bulk(round)
        agree = sum(decided[(kind, pk)] == rating for kind, pk, rating in proposals)
        return {"reviews": len(proposals), "agree_with_decision": agree, "goal_s": 30, "within_goal": result["app_s"] < 30}

    return Sides(app=app, limit=limit, report=report)


# ---------------------------------------------------------------------------------------
# The annual review's indicators (issue 9): each beside hand-written SQL on the tallies, with
# the raw recount from the reviews printed beside it (``recount_s``).

_SUMS = "COALESCE(SUM(t.excellent), 0), COALESCE(SUM(t.good), 0), COALESCE(SUM(t.complete), 0), COALESCE(SUM(t.not_complete), 0)"


def _figures(source: str, params: list[Any], organization: Organization, year: int, subjects: tuple[str, ...]) -> tuple[int, ...]:
    path = _path_on(organization.pk, dt.date(year, 12, 31), organization.path)
    marks = ", ".join(["%s"] * len(subjects))
    sql = f"SELECT {_SUMS} FROM ({source}) t WHERE t.path >= %s AND t.path < %s AND t.subject IN ({marks})"
    return tuple(int(v) for v in _rows(sql, [*params, path, path + PATH_END, *subjects])[0])


def tally_figures(organization: Organization, year: int, subjects: tuple[str, ...]) -> tuple[int, ...]:
    """(excellent, good, complete, not complete) of ``subjects`` from the tallies, by hand."""
    return _figures(TALLY_SOURCE, [year], organization, year, subjects)


def _review_indicator(code: str, subjects: tuple[str, ...], excellent_only: bool) -> Any:
    from lib import indicators

    def build(ctx: Context) -> Sides:
        indicator, organization, year = indicators.get(code), ctx.province, REPORT_YEAR
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)

        def answer(figures: tuple[int, ...]) -> tuple[int, int]:
            excellent, good, complete, not_complete = figures
            return (excellent if excellent_only else excellent + good), excellent + good + complete + not_complete

        def app() -> tuple[int, int]:
            value = indicator.call(organization, start, end, None)
            return int(value.numerator), int(value.denominator or 0)

        def limit() -> tuple[int, int]:
            return answer(tally_figures(organization, year, subjects))

        def recount() -> tuple[int, int]:
            return answer(_figures(_raw_source(), _raw_params(year), organization, year, subjects))

        def report(result: dict[str, Any]) -> dict[str, Any]:
            if recount() != app():
                raise AssertionError(f"{code}: the tallies say {app()}, a recount of the reviews {recount()}")
            return {"recount_s": round(time_it(recount, min_runs=1, max_runs=3).best, 6)}

        return Sides(app=app, limit=limit, report=report)

    return build


measure("indicator_members_good")(_review_indicator("reviews.members_good", ("member",), excellent_only=False))
measure("indicator_bases_excellent")(_review_indicator("reviews.bases_excellent", ("base",), excellent_only=True))
measure("indicator_cells_good")(_review_indicator("reviews.cells_good", ("cell",), excellent_only=False))
measure("indicator_organizations_good")(_review_indicator("reviews.organizations_good", ("base", "cell"), excellent_only=False))
