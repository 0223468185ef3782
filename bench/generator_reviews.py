"""Review rounds, reviews and tallies for the benchmark data sets, written in bulk.

A round per province and year (closed), a review for every member of a cell on the round's
reference date (through the tree as it stood then: the old bloc paths before the 2025
restructuring, the new ones after), a review for every base organization and cell, a few
disciplines, and the yearly tallies counted here from the very rows written, so that they
equal a recount (the harness compares the report from the tallies with one from the raw
rows). Years before 2023 are stored as given; 2023–2024 follow Quy định 124-QĐ/TW (the
criteria levels), 2025 Quy định 366-QĐ/TW (points and tasks, which ``propose`` reads).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from bench.generator import RESTRUCTURED_ON, _Node, _Table, _without_indexes
from discipline.models import Discipline, Form
from members.models import Member, Status
from members.rules import add_months
from reviews.models import MemberReview, OrganizationReview, RatingTally, RegimeChoice, ReviewRound, Step, Subject
from reviews.regimes import regime_for
from reviews.regimes.base import Rating
from reviews.regimes.common import NOT_RATED_ADMITTED_MONTHS
from reviews.services import NOT_COMPLETE_BREAKDOWN, RECENTLY_ADMITTED

# The years reviewed at each size: the report compares a year with up to four before it.
YEARS = {"bloc": range(2021, 2026), "province": range(2021, 2026), "nation": range(2024, 2026)}
REPORT_YEAR = 2025
SPREAD = [(Rating.EXCELLENT, 12.0), (Rating.GOOD, 73.0), (Rating.COMPLETE, 14.0), (Rating.NOT_COMPLETE, 1.0)]
# Why a not-complete member is not complete (the cap's rule), and how often.
NOT_COMPLETE_CAUSES = [("cap.disciplined", 3), ("cap.led_unit_targets", 2), ("cap.degradation", 1), ("", 4)]
BASE_LEVEL_KINDS = ("dang-bo-co-so", "chi-bo-co-so")
CELL_KINDS = ("chi-bo", "chi-bo-co-so")
EXCLUDED_EXEMPT = "excluded.exempt"
BATCH = 100_000
LEFT_OR_EXEMPT = (Status.TRANSFERRED_OUT, Status.DECEASED, Status.EXEMPT, Status.REMOVED, Status.EXPELLED)


@dataclass
class ReviewStats:
    rounds: int = 0
    member_reviews: int = 0
    organization_reviews: int = 0
    tallies: int = 0
    disciplines: int = 0


def _reasons(rating: Rating, cause: str) -> str:
    reasons = [{"rule": "b.points", "document": "", "text": "", "effect": "level"}]
    if cause:
        reasons.append({"rule": cause, "document": "", "text": "", "effect": "cap"})
    return json.dumps(reasons)


class _Draw:
    """Ratings and the forms that reach them, drawn from tables made once (a lookup per row)."""

    def __init__(self, rng: random.Random) -> None:
        ratings, weights = zip(*SPREAD, strict=True)
        self.ratings = rng.choices(ratings, weights, k=4096)
        causes, cause_weights = zip(*NOT_COMPLETE_CAUSES, strict=True)
        self.causes = rng.choices(causes, cause_weights, k=256)
        self.rng = rng

    def rating(self) -> Rating:
        return self.ratings[int(self.rng.random() * 4096)]

    def cause(self) -> str:
        return self.causes[int(self.rng.random() * 256)]

    def form(self, rating: Rating) -> dict[str, Any]:
        """Mẫu 2A–2C points and tasks giving ``rating`` under Quy định 366-QĐ/TW."""
        r = self.rng.randint
        total = r(6, 12)
        if rating == Rating.EXCELLENT:
            general, results, late, above = r(27, 30), r(63, 70), 0, r(-(-total * 3 // 10), total)
        elif rating == Rating.GOOD:
            general, results, late, above = r(22, 28), r(50, 61), 0, r(0, 2)
        elif rating == Rating.COMPLETE:
            general, results, late, above = r(18, 24), r(35, 44), 1, 0
        else:
            general, results, late, above = r(12, 18), r(20, 30), 3, 0
        return {
            "general_points": general,
            "result_points": results,
            "tasks_total": total,
            "tasks_late": late,
            "tasks_above": above,
        }


class _Tallies:
    """Counts of the rows written, keyed like ``RatingTally`` (organization, subject)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[int, int, str], dict[str, Any]] = {}

    def count(self, org_id: int, year: int, subject: str, path: str, rating: str, cause: str, excluded: str = "") -> None:
        row = self.rows.get((org_id, year, subject))
        if row is None:
            row = self.rows[(org_id, year, subject)] = defaultdict(
                int, organization_id=org_id, year=year, subject=subject, path=path
            )
        if excluded:
            row["not_rated"] += 1
            row["not_rated_reviewed"] += excluded == RECENTLY_ADMITTED
            return
        row[rating] += 1
        if rating == Rating.NOT_COMPLETE and cause in NOT_COMPLETE_BREAKDOWN:
            row[NOT_COMPLETE_BREAKDOWN[cause]] += 1


MEMBER_FIELDS = [
    "round_id",
    "member_id",
    "post",
    "cell_id",
    "base_id",
    "cell_path",
    "status_on_reference",
    "excluded_rule",
    "step",
    "rating",
    "decided_on",
    "decision_number",
    "proposed_rating",
    "proposal_reasons",
    "appraised_rating",
    "general_points",
    "result_points",
    "tasks_total",
    "tasks_late",
    "tasks_above",
    "results_level",
    "criteria_level",
    "self_rating",
    "led_unit_target_share",
    "degradation_concluded",
    "sick_leave_months",
    "shortcomings_unremedied",
]
ORGANIZATION_FIELDS = [
    "round_id",
    "organization_id",
    "path",
    "is_base",
    "quota_group",
    "step",
    "rating",
    "decided_on",
    "decision_number",
    "proposed_rating",
    "proposal_reasons",
    "appraised_rating",
    "points",
    "tasks_total",
    "tasks_late",
    "tasks_above",
    "results_level",
    "criteria_level",
    "disunity_concluded",
    "leadership_member_disciplined",
    "shortcomings_unremedied",
]


# What a row holds unless it says otherwise (every row carries every listed field).
MEMBER_DEFAULTS: dict[str, Any] = {
    "post": "",
    "excluded_rule": "",
    "step": Step.SELF,
    "rating": "",
    "decided_on": None,
    "decision_number": "",
    "proposed_rating": "",
    "proposal_reasons": "[]",
    "appraised_rating": "",
    "general_points": None,
    "result_points": None,
    "tasks_total": 0,
    "tasks_late": 0,
    "tasks_above": 0,
    "results_level": "",
    "criteria_level": "",
    "self_rating": "",
    "led_unit_target_share": None,
    "degradation_concluded": False,
    "sick_leave_months": 0,
    "shortcomings_unremedied": False,
}
ORGANIZATION_DEFAULTS: dict[str, Any] = {
    "quota_group": "",
    "proposed_rating": "",
    "proposal_reasons": "[]",
    "appraised_rating": "",
    "points": None,
    "tasks_total": 0,
    "tasks_late": 0,
    "tasks_above": 0,
    "results_level": "",
    "criteria_level": "",
    "disunity_concluded": False,
    "leadership_member_disciplined": False,
    "shortcomings_unremedied": False,
}


def generate_reviews(nodes: list[_Node], size: str, *, seed: int, log: Any = None) -> ReviewStats:
    """Rounds, reviews, disciplines and tallies for every province of ``nodes`` (see the module)."""
    started = time.monotonic()
    rng = random.Random(seed + 8)
    draw = _Draw(rng)
    stats = ReviewStats()
    years = list(YEARS[size])
    by_id = {n.id: n for n in nodes}
    provinces = [n for n in nodes if n.kind == "tinh"]
    base_of: dict[int, int] = {n.id: n.id if n.kind in BASE_LEVEL_KINDS or n.parent_id is None else n.parent_id for n in nodes}
    rounds: dict[tuple[int, int], int] = {}
    closed = timezone.now()
    for province in provinces:
        for year in years:
            regime = regime_for(year)
            end = dt.date(year, 12, 31)
            round = ReviewRound.objects.create(
                organization_id=province.id,
                year=year,
                reference_date=end,
                regime=RegimeChoice.GIVEN if regime is None else "",
                opens_on=dt.date(year, 12, 1),
                self_deadline=dt.date(year, 12, 15),
                appraisal_deadline=dt.date(year, 12, 25),
                decision_deadline=dt.date(year + 1, 1, 31),
                closed_at=closed,
            )
            rounds[(province.id, year)] = round.pk
            stats.rounds += 1
    province_of: dict[int, int] = {}
    for n in nodes:  # parents come before their children (the central root has no province)
        province_of[n.id] = n.id if n.kind == "tinh" else province_of.get(n.parent_id or 0, 0)

    def path_in(node: _Node, year: int) -> str:
        return node.old_path if dt.date(year, 12, 31) < RESTRUCTURED_ON and node.old_path else node.path

    tallies = _Tallies()
    disciplines: list[dict[str, Any]] = []
    stamp = connection.ops.adapt_datetimefield_value(closed)
    tables = [MemberReview._meta.db_table, OrganizationReview._meta.db_table]
    with _without_indexes(tables, log):
        member_table = _Table(MemberReview, MEMBER_FIELDS, with_pk=False)

        def member_rows(batch: list[tuple]) -> Iterator[dict[str, Any]]:
            for pk, cell_id, admitted_on, full_on, status, status_since in batch:
                cell = by_id[cell_id]
                for year in years:
                    end = dt.date(year, 12, 31)
                    if admitted_on > end or cell.founded > end:
                        continue
                    if status in LEFT_OR_EXEMPT and status_since and status_since <= end:
                        if status != Status.EXEMPT:
                            continue  # left the party's register before the reference date
                        status_then = Status.EXEMPT
                    else:
                        status_then = Status.FULL if full_on and full_on <= end else Status.PROBATIONARY
                    yield _member_review(
                        draw, tallies, disciplines, rounds[(province_of[cell_id], year)], year, pk, cell,
                        by_id[base_of[cell_id]], path_in(cell, year), status_then, admitted_on,
                    )  # fmt: skip

        # One load per batch of members: the members are read between two loads, never while
        # a COPY holds the connection (psycopg refuses a query then, and the load would hang).
        last = 0
        facts = ("pk", "organization_id", "admitted_on", "full_member_on", "status", "status_since")
        while batch := list(Member.objects.filter(pk__gt=last).order_by("pk").values_list(*facts)[:BATCH]):
            last = batch[-1][0]
            stats.member_reviews += member_table.insert(member_rows(batch))
        organization_table = _Table(OrganizationReview, ORGANIZATION_FIELDS, with_pk=False)

        def organization_rows() -> Iterator[dict[str, Any]]:
            for n in nodes:
                if n.kind not in BASE_LEVEL_KINDS and n.kind != "chi-bo":
                    continue
                for year in years:
                    if n.founded > dt.date(year, 12, 31):
                        continue
                    yield _organization_review(draw, tallies, rounds[(province_of[n.id], year)], year, n, path_in(n, year))

        stats.organization_reviews = organization_table.insert(organization_rows())
    for row in disciplines:
        row["recorded_at"] = stamp
    stats.disciplines = _Table(
        Discipline, ["member_id", "form", "decided_on", "decision_number", "recorded_at"], with_pk=False
    ).insert(disciplines)
    tally_fields = ["organization_id", "year", "subject", "path", *NOT_COMPLETE_COLUMNS]
    stats.tallies = _Table(RatingTally, tally_fields, with_pk=False).insert(
        {name: row[name] for name in tally_fields} for row in tallies.rows.values()
    )
    if log:
        log(
            f"{stats.rounds} review rounds, {stats.member_reviews} member reviews, {stats.organization_reviews} "
            f"organization reviews, {stats.tallies} tallies in {time.monotonic() - started:.1f} s"
        )
    return stats


NOT_COMPLETE_COLUMNS = [
    "excellent",
    "good",
    "complete",
    "not_complete",
    "not_complete_disciplined",
    "not_complete_targets",
    "not_complete_degradation",
    "not_rated",
    "not_rated_reviewed",
]


def _member_review(
    draw: _Draw,
    tallies: _Tallies,
    disciplines: list[dict[str, Any]],
    round_id: int,
    year: int,
    member_id: int,
    cell: _Node,
    base: _Node,
    path: str,
    status: str,
    admitted_on: dt.date,
) -> dict[str, Any]:
    end = dt.date(year, 12, 31)
    row: dict[str, Any] = {
        **MEMBER_DEFAULTS,
        "round_id": round_id,
        "member_id": member_id,
        "cell_id": cell.id,
        "base_id": base.id,
        "cell_path": path,
        "status_on_reference": str(status),
    }
    excluded = ""
    if status == Status.EXEMPT:
        excluded = EXCLUDED_EXEMPT
    elif add_months(admitted_on, NOT_RATED_ADMITTED_MONTHS) > end:
        excluded = RECENTLY_ADMITTED
    if excluded:
        row.update(excluded_rule=excluded, step=Step.SELF)
        tallies.count(cell.id, year, Subject.MEMBER, path, "", "", excluded)
        return row
    rating = draw.rating()
    regime = regime_for(year)
    # Ratings stored as given keep no reasons: their not-complete is not broken down.
    cause = draw.cause() if rating == Rating.NOT_COMPLETE and regime is not None else ""
    decided = dt.date(year + 1, 1, 15)
    row.update(step=Step.DECIDED, rating=str(rating), decided_on=decided, decision_number=f"{base.id % 97 + 1}-QĐ/ĐU")
    if regime is not None:
        row.update(proposed_rating=str(rating), appraised_rating=str(rating), proposal_reasons=_reasons(rating, cause))
        if regime.code == "b_366":
            row.update(draw.form(rating if not cause else Rating.GOOD))
        else:
            row.update(
                results_level=str(rating if not cause else Rating.GOOD), criteria_level=str(rating if not cause else Rating.GOOD)
            )
        if cause == "cap.disciplined":
            disciplines.append(
                {
                    "member_id": member_id,
                    "form": Form.REPRIMAND,
                    "decided_on": dt.date(year, 6, 15),
                    "decision_number": "1-QĐ/UBKT",
                }
            )
        elif cause == "cap.led_unit_targets":
            row["led_unit_target_share"] = "0.400"
        elif cause == "cap.degradation":
            row["degradation_concluded"] = True
        elif rating == Rating.NOT_COMPLETE and regime.code == "a_124":
            row.update(results_level=str(Rating.NOT_COMPLETE), criteria_level=str(Rating.NOT_COMPLETE))
    tallies.count(cell.id, year, Subject.MEMBER, path, rating, cause)
    return row


def _organization_review(draw: _Draw, tallies: _Tallies, round_id: int, year: int, node: _Node, path: str) -> dict[str, Any]:
    rating = draw.rating()
    is_base = node.kind in BASE_LEVEL_KINDS
    row: dict[str, Any] = {
        **ORGANIZATION_DEFAULTS,
        "round_id": round_id,
        "organization_id": node.id,
        "path": path,
        "is_base": is_base,
        "step": Step.DECIDED,
        "rating": str(rating),
        "decided_on": dt.date(year + 1, 1, 20),
        "decision_number": "9-QĐ/ĐUK",
    }
    regime = regime_for(year)
    if regime is not None:
        row.update(proposed_rating=str(rating), appraised_rating=str(rating), proposal_reasons=_reasons(rating, ""))
        if regime.code == "b_366":
            form = draw.form(rating)
            row.update(
                points=form["general_points"] + form["result_points"],
                tasks_total=form["tasks_total"],
                tasks_late=min(form["tasks_late"], 1) if rating == Rating.COMPLETE else form["tasks_late"],
                tasks_above=form["tasks_above"],
            )
        else:
            row.update(results_level=str(rating), criteria_level=str(rating))
    tallies.count(node.id, year, Subject.BASE if is_base else Subject.CELL, path, rating, "")
    return row
