"""Regime B: reviews of 2025 on (Quy định 366-QĐ/TW, 30/08/2025; Hướng dẫn 43-HD/BTCTW, 31/10/2025).

A 100-point score, general criteria 30 points and task results 70 points, and the level
conditions of Quy định 366-QĐ/TW, Điều 11:
- excellent: ≥ 90 points, 100% of tasks on time and to quality, ≥ 30% of them above
  requirement, every shortcoming noted before remedied (a collective also: no subordinate
  unit and no leadership member disciplined, which ``common.organization_caps`` holds);
- good: 70 to under 90 points and 100% of tasks on time;
- complete: 50 to under 70 points (a collective: at most 20% of its tasks late);
- not complete: under 50 points, or any case of ``common``.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from lib.numbers import format_number
from reviews.regimes import common
from reviews.regimes.base import Effect, MemberFacts, OrganizationFacts, Proposal, Rating, Reason, Tasks

code = "b_366"
name = _("Quy định 366-QĐ/TW (từ 2025)")
DOCUMENT = "Quy định 366-QĐ/TW, Điều 11"
documents = ("Quy định 366-QĐ/TW (30/08/2025)", "Hướng dẫn 43-HD/BTCTW (31/10/2025)")

GENERAL_POINTS = Decimal(30)
RESULT_POINTS = Decimal(70)
EXCELLENT_POINTS = Decimal(90)
GOOD_POINTS = Decimal(70)
COMPLETE_POINTS = Decimal(50)
ABOVE_REQUIREMENT_SHARE = Decimal("0.3")
COLLECTIVE_LATE_SHARE = Decimal("0.2")


def _reason(rule: str, text: str) -> Reason:
    return Reason(rule, DOCUMENT, text, Effect.LEVEL)


def _level(points: Decimal, tasks: Tasks, shortcomings_unremedied: bool, *, collective: bool) -> tuple[Rating, list[Reason]]:
    """The highest level whose conditions hold, each failed condition given as a reason."""
    p = common.percent
    reasons = [_reason("b.points", _("Tổng điểm %(points)s/100.") % {"points": _points(points)})]
    if tasks.total:
        reasons.append(_reason("b.tasks", task_summary(tasks)))
    if points >= EXCELLENT_POINTS:
        missing = []
        if not tasks.all_on_time:
            missing.append(_("có %(late)s/%(total)s nhiệm vụ chậm tiến độ") % {"late": tasks.late, "total": tasks.total})
        if tasks.above_share() < ABOVE_REQUIREMENT_SHARE:
            missing.append(
                _("%(share)s nhiệm vụ vượt yêu cầu, dưới %(floor)s")
                % {"share": p(tasks.above_share()), "floor": p(ABOVE_REQUIREMENT_SHARE)}
            )
        if shortcomings_unremedied:
            missing.append(_("còn hạn chế, khuyết điểm đã được chỉ ra nhưng chưa khắc phục"))
        if not missing:
            reasons.append(
                _reason(
                    "b.excellent",
                    _("Đạt từ %(points)s điểm, 100%% nhiệm vụ đúng tiến độ, từ %(above)s nhiệm vụ vượt yêu cầu.")
                    % {"points": EXCELLENT_POINTS, "above": p(ABOVE_REQUIREMENT_SHARE)},
                )
            )
            return Rating.EXCELLENT, reasons
        reasons.append(_reason("b.not_excellent", _("Chưa đạt mức xuất sắc: %(missing)s.") % {"missing": "; ".join(missing)}))
    if points >= GOOD_POINTS:
        if tasks.all_on_time:
            reasons.append(
                _reason("b.good", _("Đạt từ %(points)s điểm và 100%% nhiệm vụ đúng tiến độ.") % {"points": GOOD_POINTS})
            )
            return Rating.GOOD, reasons
        reasons.append(
            _reason(
                "b.not_good",
                _("Chưa đạt mức tốt: có %(late)s/%(total)s nhiệm vụ chậm tiến độ.") % {"late": tasks.late, "total": tasks.total},
            )
        )
    if points >= COMPLETE_POINTS:
        if not collective or tasks.late_share() <= COLLECTIVE_LATE_SHARE:
            reasons.append(_reason("b.complete", _("Đạt từ %(points)s điểm.") % {"points": COMPLETE_POINTS}))
            return Rating.COMPLETE, reasons
        reasons.append(
            _reason(
                "b.collective_late",
                _("%(share)s nhiệm vụ chậm tiến độ, quá %(limit)s đối với tập thể.")
                % {"share": p(tasks.late_share()), "limit": p(COLLECTIVE_LATE_SHARE)},
            )
        )
        return Rating.NOT_COMPLETE, reasons
    reasons.append(_reason("b.under_50", _("Dưới %(points)s điểm.") % {"points": COMPLETE_POINTS}))
    return Rating.NOT_COMPLETE, reasons


def task_summary(tasks: Tasks) -> str:
    """The year's tasks as the conditions of Điều 11 read them: how many, the share on time
    (100% needed for good and excellent) and the share above requirement (30% for excellent)."""
    p = common.percent
    return _(
        "%(total)s nhiệm vụ: %(on_time)s đúng tiến độ (%(on_time_share)s), trong đó %(above)s vượt yêu cầu "
        "(%(above_share)s); %(late)s chậm tiến độ."
    ) % {
        "total": tasks.total,
        "on_time": tasks.on_time,
        "on_time_share": p(tasks.on_time_share()),
        "above": tasks.above_requirement,
        "above_share": p(tasks.above_share()),
        "late": tasks.late,
    }


def _points(value: Decimal) -> str:
    return format_number(value)


def _missing_score() -> Proposal:
    return Proposal(None, (_reason("b.missing", _("Chưa có điểm tự đánh giá.")),))


def check_member_points(general: Decimal, results: Decimal) -> None:
    """Refuse points outside the form's ranges (30 general + 70 results)."""
    if not (0 <= general <= GENERAL_POINTS) or not (0 <= results <= RESULT_POINTS):
        raise ValueError(
            _("Điểm tiêu chí chung từ 0 đến %(general)s, điểm kết quả nhiệm vụ từ 0 đến %(results)s.")
            % {"general": GENERAL_POINTS, "results": RESULT_POINTS}
        )


def propose_member(facts: MemberFacts) -> Proposal:
    """Proposed rating of a member under Quy định 366-QĐ/TW, with its reasons."""
    exclusion = common.member_exclusion(facts)
    if exclusion is not None:
        return Proposal(None, (exclusion,))
    if facts.general_points is None or facts.result_points is None:
        return _missing_score()
    check_member_points(facts.general_points, facts.result_points)
    points = facts.general_points + facts.result_points
    level, reasons = _level(points, facts.tasks, facts.shortcomings_unremedied, collective=False)
    return common.capped(level, reasons, common.member_caps(facts, DOCUMENT), points)


def propose_organization(facts: OrganizationFacts) -> Proposal:
    """Proposed rating of a collective under Quy định 366-QĐ/TW, with its reasons."""
    if facts.points is None:
        return _missing_score()
    if not (0 <= facts.points <= 100):
        raise ValueError(_("Tổng điểm từ 0 đến 100."))
    level, reasons = _level(facts.points, facts.tasks, facts.shortcomings_unremedied, collective=True)
    return common.capped(level, reasons, common.organization_caps(facts, DOCUMENT), facts.points)
