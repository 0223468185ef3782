"""The one small interface every rule regime offers, and the facts it reads.

A regime is a module that, given the facts of a member or of an organization for a
year, proposes one of the four ratings and says why: each reason names its rule and
the party document that sets it. Nothing outside a regime module repeats a rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    """The four levels, the same under 132-QĐ/TW, 124-QĐ/TW and 366-QĐ/TW."""

    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    COMPLETE = "complete", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETE = "not_complete", _("Không hoàn thành nhiệm vụ")


# From the lowest to the highest level: a cap is the minimum of two ratings.
ORDER = (Rating.NOT_COMPLETE, Rating.COMPLETE, Rating.GOOD, Rating.EXCELLENT)


def rank(rating: Rating) -> int:
    return ORDER.index(rating)


def lower(a: Rating, b: Rating) -> Rating:
    return a if rank(a) <= rank(b) else b


class Effect(models.TextChoices):
    """What a reason did to the proposal."""

    LEVEL = "level", _("xác định mức")
    CAP = "cap", _("giới hạn mức")
    EXCLUDE = "exclude", _("không xếp loại")
    QUOTA = "quota", _("hạ do tỷ lệ")


@dataclass(frozen=True)
class Reason:
    """One rule that shaped a proposal: its code, the document that sets it, and what it said."""

    rule: str
    document: str
    text: str
    effect: Effect = Effect.LEVEL


@dataclass(frozen=True)
class Proposal:
    """A regime's answer: the proposed rating (None when the person is not rated) and why."""

    rating: Rating | None
    reasons: tuple[Reason, ...]
    score: Decimal | None = None

    @property
    def is_rated(self) -> bool:
        return self.rating is not None

    @property
    def capped_by(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.effect == Effect.CAP)


class TaskOutcome(models.TextChoices):
    """How one task of the year ended, as Mẫu 2A/2B/2C list them (Hướng dẫn 43-HD/BTCTW, 2025):
    a task above requirement was also done on time and to quality."""

    ON_TIME = "on_time", _("Đúng tiến độ, bảo đảm chất lượng")
    ABOVE = "above", _("Vượt yêu cầu")
    LATE = "late", _("Chậm tiến độ")


@dataclass(frozen=True)
class Tasks:
    """The tasks of a year as the self-assessment lists them (regime B, Mẫu 01 and 2A–2C):
    counted from the list of tasks (``from_outcomes``), or given as counts (older forms)."""

    total: int = 0
    late: int = 0
    above_requirement: int = 0

    def __post_init__(self) -> None:
        if self.total < 0 or not (0 <= self.late <= self.total) or not (0 <= self.above_requirement <= self.total):
            raise ValueError("task counts out of range")

    @classmethod
    def from_outcomes(cls, outcomes: Sequence[str]) -> Tasks:
        """The counts of a list of task outcomes (``TaskOutcome`` values)."""
        unknown = set(outcomes) - set(TaskOutcome.values)
        if unknown:
            raise ValueError("unknown task outcome")
        return cls(len(outcomes), outcomes.count(TaskOutcome.LATE), outcomes.count(TaskOutcome.ABOVE))

    @property
    def all_on_time(self) -> bool:
        return self.late == 0

    @property
    def on_time(self) -> int:
        return self.total - self.late

    def on_time_share(self) -> Decimal:
        return Decimal(self.on_time) / self.total if self.total else Decimal(1)

    def late_share(self) -> Decimal:
        return Decimal(self.late) / self.total if self.total else Decimal(0)

    def above_share(self) -> Decimal:
        return Decimal(self.above_requirement) / self.total if self.total else Decimal(0)


@dataclass(frozen=True)
class Discipline:
    """A discipline decided in the year, as the caps read it."""

    self_detected_and_remedied: bool = False
    for_corruption_or_waste: bool = False


@dataclass(frozen=True)
class MemberFacts:
    """What the rules read about one member for one year, at the round's reference date."""

    reference_date: dt.date
    admitted_on: dt.date | None = None
    suspended: bool = False
    exempt: bool = False
    sick_leave_months: int = 0
    disciplines: tuple[Discipline, ...] = ()
    # Share (0–1) of its targets that the unit the member leads completed; None: leads none.
    led_unit_target_share: Decimal | None = None
    degradation_concluded: bool = False
    # Regime B: points of the general criteria (0–30) and of task results (0–70).
    general_points: Decimal | None = None
    result_points: Decimal | None = None
    tasks: Tasks = field(default_factory=Tasks)
    shortcomings_unremedied: bool = False
    # Regime A: the level reached on the results criterion, and on the other criteria.
    results_level: Rating | None = None
    criteria_level: Rating | None = None


@dataclass(frozen=True)
class RatingCounts:
    """How many of those below an organization are at each level: the members of a cell, or
    the organizations directly under a committee (decided, else proposed by the level in charge)."""

    excellent: int = 0
    good: int = 0
    complete: int = 0
    not_complete: int = 0

    @classmethod
    def of(cls, ratings: list[str]) -> RatingCounts:
        return cls(*(ratings.count(level) for level in (Rating.EXCELLENT, Rating.GOOD, Rating.COMPLETE, Rating.NOT_COMPLETE)))

    @property
    def total(self) -> int:
        return self.excellent + self.good + self.complete + self.not_complete

    @property
    def good_or_better(self) -> int:
        return self.excellent + self.good

    @property
    def complete_or_better(self) -> int:
        return self.excellent + self.good + self.complete


@dataclass(frozen=True)
class OrganizationFacts:
    """What the rules read about one organization (a collective) for one year."""

    reference_date: dt.date
    # The leadership as a body was disciplined; or one of its members was.
    leadership_disciplined: bool = False
    leadership_member_disciplined: bool = False
    subordinates: int = 0
    subordinates_disciplined: int = 0
    subordinate_corruption_disciplined: bool = False
    disunity_concluded: bool = False
    # Share (0–1) of the targets of the year the organization completed.
    target_share: Decimal | None = None
    points: Decimal | None = None
    tasks: Tasks = field(default_factory=Tasks)
    shortcomings_unremedied: bool = False
    results_level: Rating | None = None
    criteria_level: Rating | None = None
    # The ratings of its members (a cell) or of the organizations under it (a committee);
    # None or all zero: none chosen yet.
    below_ratings: RatingCounts | None = None


class Regime(Protocol):
    """The interface of a regime module (``a_124``, ``b_366``)."""

    code: str
    name: str
    documents: tuple[str, ...]

    def propose_member(self, facts: MemberFacts) -> Proposal: ...

    def propose_organization(self, facts: OrganizationFacts) -> Proposal: ...
