"""Rules that regime A (124-QĐ/TW) and regime B (366-QĐ/TW) share, each written once.

Quy định 366-QĐ/TW keeps the "whatever the rest" cases of Quy định 124-QĐ/TW: a regime
module calls these functions and adds its own level rules; no other module repeats them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _

from lib.dates import format_date
from lib.numbers import format_percent
from members.rules import add_months
from reviews.regimes.base import Effect, MemberFacts, OrganizationFacts, Proposal, Rating, Reason, lower

GUIDE_2019 = "Hướng dẫn 21-HD/BTCTW (2019)"
GUIDE_2019_BELOW = "Hướng dẫn 21-HD/BTCTW (2019), Phần II.B, mục 1.3"

NOT_RATED_ADMITTED_MONTHS = 6
"""Hướng dẫn 21-HD/BTCTW (2019), kept by 25-HD/BTCTW and 43-HD/BTCTW: a member admitted less
than 6 months before the review holds the self-criticism review but is not rated."""

LONG_SICK_LEAVE_MONTHS = 3
"""Hướng dẫn 21-HD/BTCTW (2019): sick leave of 3 months or more in the year caps the rating
below good."""

TARGETS_FLOOR = Decimal("0.5")
"""Quy định 124-QĐ/TW and 366-QĐ/TW: a unit completing under 50% of its targets, or the person
leading it, is not complete."""

BELOW_GOOD_SHARE = Decimal("0.8")
"""Hướng dẫn 21-HD/BTCTW (2019), Phần II.B, mục 1.3: a party committee is excellent only with
100% of the organizations under it rated complete or better, of them at least 80% good or
better; a cell likewise with its members. Applied under 124-QĐ/TW and 366-QĐ/TW as the
reading their guides (25-HD/BTCTW, 43-HD/BTCTW) keep: an organization's rating rests on
the ratings of those below it."""

DISCIPLINED_SUBORDINATES_SHARE = Decimal("0.2")
"""Quy định 124-QĐ/TW and 366-QĐ/TW: an organization with more than 20% of its subordinate
organizations disciplined in the year is not complete."""


def member_exclusion(facts: MemberFacts) -> Reason | None:
    """Why a member is left out of the rating, or None when they are rated.

    Hướng dẫn 21-HD/BTCTW (2019), kept by 25-HD/BTCTW (2023) and 43-HD/BTCTW (2025):
    members whose activities are suspended and members exempt from party work and
    activities are not reviewed; members admitted less than 6 months before the
    reference date hold their self-criticism review but are not rated.
    """
    if facts.suspended:
        return Reason(
            "excluded.suspended", GUIDE_2019, _("Đảng viên đang bị đình chỉ sinh hoạt: không xếp loại."), Effect.EXCLUDE
        )
    if facts.exempt:
        return Reason(
            "excluded.exempt",
            GUIDE_2019,
            _("Đảng viên được miễn công tác và sinh hoạt đảng: không kiểm điểm, không xếp loại."),
            Effect.EXCLUDE,
        )
    if facts.admitted_on is not None and add_months(facts.admitted_on, NOT_RATED_ADMITTED_MONTHS) > facts.reference_date:
        return Reason(
            "excluded.recently_admitted",
            GUIDE_2019,
            _("Kết nạp ngày %(date)s, chưa đủ %(months)s tháng tính đến ngày đánh giá: kiểm điểm nhưng không xếp loại.")
            % {"date": format_date(facts.admitted_on), "months": NOT_RATED_ADMITTED_MONTHS},
            Effect.EXCLUDE,
        )
    return None


def member_caps(facts: MemberFacts, document: str) -> list[tuple[Rating, Reason]]:
    """The caps that hold whatever the rest of a member's assessment says."""
    caps: list[tuple[Rating, Reason]] = []
    unremedied = [d for d in facts.disciplines if not d.self_detected_and_remedied]
    if unremedied:
        caps.append(
            (
                Rating.NOT_COMPLETE,
                Reason("cap.disciplined", document, _("Bị kỷ luật trong năm (không tự phát hiện, khắc phục)."), Effect.CAP),
            )
        )
    if facts.led_unit_target_share is not None and facts.led_unit_target_share < TARGETS_FLOOR:
        caps.append(
            (
                Rating.NOT_COMPLETE,
                Reason(
                    "cap.led_unit_targets",
                    document,
                    _("Đơn vị do đảng viên trực tiếp phụ trách hoàn thành %(share)s chỉ tiêu, dưới %(floor)s.")
                    % {"share": percent(facts.led_unit_target_share), "floor": percent(TARGETS_FLOOR)},
                    Effect.CAP,
                ),
            )
        )
    if facts.degradation_concluded:
        caps.append(
            (
                Rating.NOT_COMPLETE,
                Reason(
                    "cap.degradation",
                    document,
                    _("Có kết luận suy thoái hoặc vi phạm trách nhiệm nêu gương."),
                    Effect.CAP,
                ),
            )
        )
    if facts.sick_leave_months >= LONG_SICK_LEAVE_MONTHS:
        caps.append(
            (
                Rating.COMPLETE,
                Reason(
                    "cap.sick_leave",
                    GUIDE_2019,
                    _(
                        "Nghỉ ốm %(months)s tháng trong năm (từ %(floor)s tháng trở lên): "
                        "không xếp loại từ hoàn thành tốt trở lên."
                    )
                    % {"months": facts.sick_leave_months, "floor": LONG_SICK_LEAVE_MONTHS},
                    Effect.CAP,
                ),
            )
        )
    return caps


def organization_caps(facts: OrganizationFacts, document: str) -> list[tuple[Rating, Reason]]:
    """The caps that hold whatever the rest of a collective's assessment says."""
    caps: list[tuple[Rating, Reason]] = []

    def cap(rating: Rating, rule: str, text: str, source: str = document) -> None:
        caps.append((rating, Reason(rule, source, text, Effect.CAP)))

    if facts.leadership_disciplined:
        cap(Rating.NOT_COMPLETE, "cap.leadership_disciplined", _("Tập thể lãnh đạo bị kỷ luật trong năm."))
    if facts.subordinates and facts.subordinates_disciplined / Decimal(facts.subordinates) > DISCIPLINED_SUBORDINATES_SHARE:
        cap(
            Rating.NOT_COMPLETE,
            "cap.subordinates_disciplined",
            _("%(count)s/%(total)s tổ chức trực thuộc bị kỷ luật trong năm, trên %(share)s.")
            % {
                "count": facts.subordinates_disciplined,
                "total": facts.subordinates,
                "share": percent(DISCIPLINED_SUBORDINATES_SHARE),
            },
        )
    if facts.target_share is not None and facts.target_share < TARGETS_FLOOR:
        cap(
            Rating.NOT_COMPLETE,
            "cap.targets",
            _("Hoàn thành %(share)s chỉ tiêu, nhiệm vụ trong năm, dưới %(floor)s.")
            % {"share": percent(facts.target_share), "floor": percent(TARGETS_FLOOR)},
        )
    if facts.subordinate_corruption_disciplined:
        cap(Rating.NOT_COMPLETE, "cap.corruption", _("Đơn vị trực thuộc có tham nhũng, lãng phí bị xử lý kỷ luật."))
    if facts.disunity_concluded:
        cap(Rating.NOT_COMPLETE, "cap.disunity", _("Có kết luận mất đoàn kết nội bộ."))
    below = facts.below_ratings
    if below is not None and below.total:
        if below.complete_or_better < below.total:
            cap(
                Rating.GOOD,
                "cap.below_not_complete",
                _(
                    "%(count)s/%(total)s đảng viên hoặc tổ chức trực thuộc không hoàn thành nhiệm vụ: "
                    "không xếp loại hoàn thành xuất sắc."
                )
                % {"count": below.not_complete, "total": below.total},
                GUIDE_2019_BELOW,
            )
        elif Decimal(below.good_or_better) / below.total < BELOW_GOOD_SHARE:
            cap(
                Rating.GOOD,
                "cap.below_good_share",
                _(
                    "%(share)s đảng viên hoặc tổ chức trực thuộc hoàn thành tốt nhiệm vụ trở lên, dưới %(floor)s: "
                    "không xếp loại hoàn thành xuất sắc."
                )
                % {"share": percent(Decimal(below.good_or_better) / below.total), "floor": percent(BELOW_GOOD_SHARE)},
                GUIDE_2019_BELOW,
            )
    if facts.subordinates_disciplined or facts.leadership_member_disciplined:
        cap(
            Rating.COMPLETE,
            "cap.discipline_below",
            _("Có tổ chức trực thuộc hoặc thành viên lãnh đạo bị kỷ luật: không xếp loại từ hoàn thành tốt trở lên."),
        )
    return caps


def percent(share: Decimal) -> str:
    """A share 0–1 as Vietnamese percent text: 0.125 → "12,5%"."""
    return format_percent(share)


# ---------------------------------------------------------------------------------------
# The quota of excellent ratings


class QuotaBase(models.TextChoices):
    GOOD_OR_BETTER = "good_or_better", _("số được xếp loại hoàn thành tốt nhiệm vụ trở lên")
    GOOD = "good", _("số được xếp loại hoàn thành tốt nhiệm vụ")


class Rounding(models.TextChoices):
    DOWN = "down", _("làm tròn xuống")
    NEAREST = "nearest", _("làm tròn đến số gần nhất")
    UP = "up", _("làm tròn lên")


@dataclass(frozen=True)
class QuotaSettings:
    """How the quota is counted. The defaults are the reading of Quy định 124-QĐ/TW used
    unless a round says otherwise: at most 20% of those rated good or better, rounded down."""

    applies: bool = True
    share: Decimal = Decimal("0.2")
    base: QuotaBase = QuotaBase.GOOD_OR_BETTER
    rounding: Rounding = Rounding.DOWN


def excellent_quota(*, excellent: int, good: int, settings: QuotaSettings) -> int | None:
    """How many may be rated excellent among ``excellent`` + ``good`` proposals.

    Quy định 124-QĐ/TW (2023): the number rated excellent may not exceed 20% of those
    rated good, counted per base organization for members and per group of similar
    organizations for collectives. Default base: those rated good or better before the
    quota, rounded down (10 → 2, 14 → 2, 4 → 0). None: no quota applies.
    """
    if not settings.applies:
        return None
    base = excellent + good if settings.base == QuotaBase.GOOD_OR_BETTER else good
    raw = Decimal(base) * settings.share
    if settings.rounding == Rounding.DOWN:
        return math.floor(raw)
    if settings.rounding == Rounding.UP:
        return math.ceil(raw)
    return int(raw.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def quota_reason(*, quota: int, proposed: int, document: str) -> Reason:
    return Reason(
        "quota.excellent",
        document,
        _("Vượt tỷ lệ hoàn thành xuất sắc: đề xuất %(proposed)s, tối đa %(quota)s; hạ xuống hoàn thành tốt nhiệm vụ.")
        % {"proposed": proposed, "quota": quota},
        Effect.QUOTA,
    )


def capped(level: Rating, reasons: list[Reason], caps: list[tuple[Rating, Reason]], score: Decimal | None = None) -> Proposal:
    """The level the regime's own rules gave, lowered by every cap that holds."""
    rating = level
    for cap_rating, _reason in caps:
        rating = lower(rating, cap_rating)
    return Proposal(rating, (*reasons, *(reason for _rating, reason in caps)), score)


def quota_overflow(*, excellent: int, good: int, settings: QuotaSettings) -> int:
    """How many excellent proposals exceed the quota (0 when within it or when none applies).
    A round cannot close while this is above 0 for any counting unit."""
    quota = excellent_quota(excellent=excellent, good=good, settings=settings)
    return 0 if quota is None else max(0, excellent - quota)
