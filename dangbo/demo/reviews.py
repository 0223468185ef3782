"""The demonstration's annual reviews: past ratings as given, a decided year, an open year.

- 2020–2024: ratings stored as given (``reviews.given.ratings_record_given``), a round per
  year for the province, closed; a few base organizations excellent every year (streaks);
- 2025: a round under Quy định 366-QĐ/TW through the real steps (self-assessment,
  appraisal, decision) with scores and tasks, some discipline in the year, and a few base
  organizations where the excellent proposals exceed the 20% quota, resolved by the
  deciding committee before the round closes;
- 2026: a round open at self-assessment with its deadlines in December, where the member
  login has not filled in its form yet, so a newcomer can walk it through the three steps.

The years follow the builder's "today": the open round is this year's, the decided one
last year's. Every choice comes from the builder's ``random.Random``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from accounts.models import User
from discipline.models import Form
from discipline.services import discipline_record
from members.models import Status
from orgs.models import Organization
from reviews.given import GivenRating, ratings_record_given
from reviews.models import MemberReview, OrganizationReview, RegimeChoice, ReviewRound
from reviews.regimes.base import Rating, TaskOutcome
from reviews.regimes.common import excellent_quota
from reviews.services import (
    StepsEntry,
    propose,
    review_appraise,
    review_decide,
    review_self_assess,
    reviews_decide_in_bulk,
    round_close,
    round_open,
)

FIRST_GIVEN_YEAR = 2020
PROVINCE_CODE = "tinh-bac-giang"
ADMIN = "quantri"
MEMBER_LOGIN = "dangvien"

# Shares of the ratings drawn for members and organizations (the province's usual spread).
SPREAD = {Rating.EXCELLENT: 12, Rating.GOOD: 73, Rating.COMPLETE: 14, Rating.NOT_COMPLETE: 1}
PRESSURE_SPREAD = {Rating.EXCELLENT: 40, Rating.GOOD: 50, Rating.COMPLETE: 10, Rating.NOT_COMPLETE: 0}
# Within the base organizations excellent every year: everyone good or better, as an
# excellent organization needs (Hướng dẫn 21-HD/BTCTW (2019), Phần II.B, mục 1.3).
STAR_SPREAD = {Rating.EXCELLENT: 20, Rating.GOOD: 80}
PRESSURE_BASES = 3  # base organizations whose excellent proposals exceed the quota in the decided year
STAR_BASES = 2  # base organizations excellent every year (the five-year flag of seed 002)
QUOTA_NOTE = "Vượt tỷ lệ hoàn thành xuất sắc nhiệm vụ; tập thể lãnh đạo chọn người giữ mức xuất sắc theo điểm cao hơn."
CELLS_GROUP = "Chi bộ trực thuộc"


@dataclass
class ReviewsSummary:
    given_years: list[int] = field(default_factory=list)
    decided_year: int = 0
    open_year: int = 0
    decided_reviews: int = 0
    disciplines: int = 0
    quota_demoted: int = 0


def add_reviews(*, rng: random.Random, today: dt.date) -> ReviewsSummary:
    """Write the reviews of every year up to ``today``'s (see the module's docstring)."""
    builder = _Reviews(rng, today)
    return builder.run()


def _draw(rng: random.Random, spread: dict[Rating, int]) -> Rating:
    return rng.choices(list(spread), weights=list(spread.values()))[0]


class _Reviews:
    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.admin = User.objects.get(username=ADMIN)
        self.province = Organization.objects.get(code=PROVINCE_CODE)
        self.summary = ReviewsSummary(open_year=today.year, decided_year=today.year - 1)
        member_login = User.objects.get(username=MEMBER_LOGIN)
        self.login_cell_id = member_login.member.organization_id
        self.stars: list[int] = []

    def run(self) -> ReviewsSummary:
        decided = self.summary.decided_year
        self.stars = self._stars()
        for year in range(FIRST_GIVEN_YEAR, decided):
            self.given_year(year)
        self.decided_year(decided)
        self.open_year(self.summary.open_year)
        return self.summary

    def _stars(self) -> list[int]:
        """Base organizations that exist through every year reviewed: they keep excellent."""
        first = dt.date(FIRST_GIVEN_YEAR, 1, 1)
        bases = Organization.objects.filter(
            kind__level__in=["base_committee", "base_cell"], dissolved_on__isnull=True, founded_on__lt=first
        ).order_by("path")
        return [o.pk for o in bases[: STAR_BASES * 3 : 3]]

    def round(self, year: int, *, regime: str = "", opens_on: dt.date | None = None, deadlines: tuple[dt.date, ...] = ()):
        self_deadline, appraisal, decision = deadlines or (
            dt.date(year, 12, 15),
            dt.date(year, 12, 25),
            dt.date(year + 1, 1, 31),
        )
        return round_open(
            organization=self.province,
            year=year,
            opens_on=opens_on or dt.date(year, 12, 1),
            self_deadline=self_deadline,
            appraisal_deadline=appraisal,
            decision_deadline=decision,
            regime=regime,
            user=self.admin,
        )

    # -- past years: as given ------------------------------------------------------------

    def given_year(self, year: int) -> None:
        rng = self.rng
        round = self.round(year, regime=RegimeChoice.GIVEN)
        reviews = list(round.member_reviews.select_related("member").order_by("cell_path", "member__sort_key"))
        chosen = {r.pk: Rating.COMPLETE if r.status_on_reference == Status.EXEMPT else _draw(rng, SPREAD) for r in reviews}
        by_base: dict[int, list[MemberReview]] = defaultdict(list)
        for r in reviews:
            by_base[r.base_id].append(r)
        for group in by_base.values():
            _keep_quota(group, chosen, round)
        numbers = {base: f"{rng.randint(10, 99)}-QĐ/ĐU" for base in by_base}
        day = dt.date(year + 1, 1, rng.randint(10, 25))
        rows = [
            GivenRating(rating=chosen[r.pk], decided_on=day, decision_number=numbers[r.base_id], member=r.member) for r in reviews
        ]
        organizations = list(round.organization_reviews.select_related("organization").order_by("path"))
        picked = {o.pk: Rating.EXCELLENT if o.organization_id in self.stars else _draw(rng, SPREAD) for o in organizations}
        _keep_quota(organizations, picked, round, first=self.stars)
        upper_number = f"{rng.randint(100, 999)}-QĐ/ĐUK"
        rows += [
            GivenRating(rating=picked[o.pk], decided_on=day, decision_number=upper_number, organization=o.organization)
            for o in organizations
        ]
        ratings_record_given(round=round, rows=rows, user=self.admin)
        round_close(round=round, user=self.admin)
        self.summary.given_years.append(year)

    # -- last year: the three steps under Quy định 366-QĐ/TW -----------------------------

    def decided_year(self, year: int) -> None:
        """The three steps of every member at once (``reviews_decide_in_bulk``: the same checks,
        history rows and tallies as the steps one by one), then the organizations."""
        rng = self.rng
        round = self.round(year)
        reviews = list(
            round.member_reviews.filter(excluded_rule="")
            .select_related("member", "cell__kind", "round")
            .order_by("cell_path", "pk")
        )
        self.discipline(year, reviews)
        bases = sorted({r.base_id for r in reviews} - set(self.stars))
        pressure = set(rng.sample(bases, min(PRESSURE_BASES, len(bases))))
        ordinary = [r for r in reviews if r.base_id not in self.stars]
        special = {r.pk: kind for r, kind in zip(rng.sample(ordinary, 2), ("targets", "degradation"), strict=False)}
        entries: list[StepsEntry] = []
        for review in reviews:
            spread = STAR_SPREAD if review.base_id in self.stars else PRESSURE_SPREAD if review.base_id in pressure else SPREAD
            form = _member_form(rng, _draw(rng, spread))
            facts: dict[str, Any] = {}
            if special.get(review.pk) == "targets":
                facts["led_unit_target_share"] = Decimal("0.45")
            elif special.get(review.pk) == "degradation":
                facts["degradation_concluded"] = True  # a cap the cell knows of
            for name, value in {**form, **facts}.items():
                setattr(review, name, value)
            rating = propose(review).rating or Rating.NOT_COMPLETE
            entries.append(
                StepsEntry(
                    review=review,
                    self_values=form,
                    facts=facts,
                    appraised_rating=rating,
                    decided_on=self.today,
                    decision_number="",
                )
            )
        chosen = {e.review.pk: e.appraised_rating for e in entries}
        by_base: dict[int, list[MemberReview]] = defaultdict(list)
        for e in entries:
            by_base[e.review.base_id].append(e.review)
        scores = {r.pk: (r.general_points or 0) + (r.result_points or 0) for r in reviews}
        demoted = set()
        for group in by_base.values():
            demoted |= _keep_quota(sorted(group, key=lambda r: -scores[r.pk]), chosen, round)
        decided_on = min(dt.date(year + 1, 1, 15), self.today)
        numbers = {base: f"{rng.randint(10, 99)}-QĐ/ĐU" for base in by_base}
        for entry in entries:
            entry.decided_on = decided_on
            entry.decision_number = numbers[entry.review.base_id]
            entry.rating = chosen[entry.review.pk]
            entry.decision_note = QUOTA_NOTE if entry.review.pk in demoted else ""
        reviews_decide_in_bulk(round=round, entries=entries, user=self.admin)
        self.summary.quota_demoted = len(demoted)
        self.summary.decided_reviews = len(entries)
        self.decide_organizations(round, year)
        round_close(round=round, user=self.admin)

    def discipline(self, year: int, reviews: list[MemberReview]) -> None:
        """A few members disciplined in the year (one found and remedied it themself), and one cell."""
        rng = self.rng
        outside = [r for r in reviews if r.cell_id != self.login_cell_id and r.base_id not in self.stars]
        for i, review in enumerate(rng.sample(outside, min(5, len(outside)))):
            discipline_record(
                form=Form.WARNING if i == 1 else Form.REPRIMAND,
                decided_on=dt.date(year, rng.randint(3, 10), rng.randint(1, 28)),
                decision_number=f"{rng.randint(10, 99)}-QĐ/UBKTĐU",
                member=review.member,
                violation="Vi phạm quy định về những điều đảng viên không được làm."
                if i
                else "Chậm nộp đảng phí nhiều tháng; đã tự nhận và khắc phục.",
                self_detected_and_remedied=i == 0,
                user=self.admin,
            )
            self.summary.disciplines += 1
        cells = [
            r.cell
            for r in reviews
            if r.cell.kind.level == "cell" and r.cell_id != self.login_cell_id and r.base_id not in self.stars
        ]
        if cells:
            discipline_record(
                form=Form.REPRIMAND,
                decided_on=dt.date(year, 9, 12),
                decision_number=f"{rng.randint(10, 99)}-QĐ/ĐU",
                organization=rng.choice(cells),
                violation="Buông lỏng lãnh đạo, để đảng viên vi phạm kéo dài.",
                user=self.admin,
            )
            self.summary.disciplines += 1

    def decide_organizations(self, round: ReviewRound, year: int) -> None:
        rng = self.rng
        # The cells before the committee above them: a committee's proposal reads the ratings
        # of the organizations under it (Hướng dẫn 21-HD/BTCTW (2019), Phần II.B, mục 1.3).
        reviews = list(
            round.organization_reviews.select_related("organization", "organization__sector", "round").order_by("-path")
        )
        star_paths = [r.path for r in reviews if r.organization_id in self.stars]
        appraised = []
        for review in reviews:
            star = review.organization_id in self.stars
            under_star = any(review.path.startswith(path) for path in star_paths)
            target = Rating.EXCELLENT if star else _draw(rng, STAR_SPREAD if under_star else SPREAD)
            form = _organization_form(rng, target)
            group = review.organization.sector.name if review.is_base and review.organization.sector else CELLS_GROUP
            for name, value in form.items():
                setattr(review, name, value)
            rating = propose(review).rating or Rating.NOT_COMPLETE
            appraised.append(review_appraise(review=review, user=self.admin, rating=rating, quota_group=group, **form))
        chosen = {r.pk: r.appraised_rating for r in appraised}
        by_group: dict[str, list[OrganizationReview]] = defaultdict(list)
        for r in appraised:
            by_group[r.quota_group].append(r)
        demoted = set()
        for group in by_group.values():
            ordered = sorted(group, key=lambda r: (r.organization_id not in self.stars, -(r.points or 0)))
            demoted |= _keep_quota(ordered, chosen, round)
        decided_on = min(dt.date(year + 1, 1, 20), self.today)
        number = f"{rng.randint(100, 999)}-QĐ/ĐUK"
        for review in appraised:
            review_decide(
                review=review,
                user=self.admin,
                decided_on=decided_on,
                decision_number=number,
                rating=chosen[review.pk],
                note=QUOTA_NOTE if review.pk in demoted else "",
            )
        self.summary.quota_demoted += len(demoted)

    # -- this year: open at self-assessment ----------------------------------------------

    def open_year(self, year: int) -> None:
        rng = self.rng
        round = self.round(
            year,
            opens_on=min(self.today, dt.date(year, 12, 1)),
            deadlines=(dt.date(year, 12, 15), dt.date(year, 12, 22), dt.date(year, 12, 31)),
        )
        # A few members of the login's cell have already sent their form; the login has not.
        login = User.objects.get(username=MEMBER_LOGIN)
        started = round.member_reviews.filter(cell_id=self.login_cell_id, excluded_rule="").exclude(member__user=login)
        for review in list(started.select_related("member", "cell", "round").order_by("pk"))[::2]:
            review_self_assess(review=review, user=self.admin, **_member_form(rng, _draw(rng, SPREAD)))


def _keep_quota(reviews: list[Any], chosen: dict[int, Any], round: ReviewRound, first: list[int] | None = None) -> set[int]:
    """Lower the excellent ratings beyond the quota of one counting unit to good, keeping
    the first ones in ``reviews``' order; returns the reviews lowered."""
    excellent = [r for r in reviews if chosen[r.pk] == Rating.EXCELLENT]
    good = sum(chosen[r.pk] == Rating.GOOD for r in reviews)
    quota = excellent_quota(excellent=len(excellent), good=good, settings=round.quota_settings)
    if quota is None or len(excellent) <= quota:
        return set()
    if first:
        excellent.sort(key=lambda r: getattr(r, "organization_id", None) not in first)
    lowered = {r.pk for r in excellent[quota:]}
    for pk in lowered:
        chosen[pk] = Rating.GOOD
    return lowered


def _member_form(rng: random.Random, target: Rating) -> dict[str, Any]:
    """A self-assessment (Mẫu 2A–2C: 30 + 70 points, the year's tasks) reaching ``target``."""
    total = rng.randint(6, 12)
    if target == Rating.EXCELLENT:
        general, results, late, above = rng.randint(27, 30), rng.randint(63, 70), 0, rng.randint(-(-total * 3 // 10), total)
    elif target == Rating.GOOD:
        general, results, late, above = rng.randint(22, 28), rng.randint(50, 61), 0, rng.randint(0, 2)
    elif target == Rating.COMPLETE:
        general, results, late, above = rng.randint(18, 24), rng.randint(35, 44), rng.randint(1, 2), 0
    else:
        general, results, late, above = rng.randint(12, 18), rng.randint(20, 30), rng.randint(3, 5), 0
    late = min(late, total)
    outcomes = [TaskOutcome.LATE] * late + [TaskOutcome.ABOVE] * above + [TaskOutcome.ON_TIME] * (total - late - above)
    return {
        "general_points": Decimal(general),
        "result_points": Decimal(results),
        "tasks": [{"name": name, "outcome": str(o)} for name, o in zip(TASK_NAMES, outcomes, strict=False)],
        "tasks_total": total,
        "tasks_late": late,
        "tasks_above": above,
    }


# The tasks a member lists on Mẫu 2A/2B/2C (at most 12 drawn a year).
TASK_NAMES = [
    "Tham mưu xây dựng kế hoạch công tác năm của đơn vị",
    "Thực hiện chương trình chuyển đổi số của cơ quan",
    "Giải quyết hồ sơ, thủ tục hành chính được giao",
    "Tham gia học tập, quán triệt nghị quyết của Đảng",
    "Thực hiện nhiệm vụ chuyên môn theo vị trí việc làm",
    "Tham gia sinh hoạt chi bộ và đóng đảng phí đầy đủ",
    "Phụ trách công tác đoàn thể của đơn vị",
    "Xây dựng báo cáo sơ kết, tổng kết chuyên đề",
    "Tham gia đoàn kiểm tra, giám sát theo phân công",
    "Thực hiện nhiệm vụ tại nơi cư trú theo Quy định 213-QĐ/TW",
    "Hướng dẫn, kèm cặp đồng nghiệp mới",
    "Thực hiện nhiệm vụ đột xuất do lãnh đạo giao",
]


def _organization_form(rng: random.Random, target: Rating) -> dict[str, Any]:
    """Mẫu 01 of a collective: total points and the year's tasks, reaching ``target``."""
    form = _member_form(rng, target)
    late = form["tasks_late"] if target != Rating.COMPLETE else min(1, form["tasks_late"])
    return {
        "points": form["general_points"] + form["result_points"],
        "tasks_total": form["tasks_total"],
        "tasks_late": late,
        "tasks_above": form["tasks_above"],
    }
