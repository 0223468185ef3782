"""Regime A: reviews of 2023 and 2024 (Quy định 124-QĐ/TW, 04/10/2023; Hướng dẫn 25-HD/BTCTW).

Criteria are rated qualitatively; the results criterion decides the top two levels: a
rating is never above the level reached on task results (Quy định 124-QĐ/TW, Điều 12).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reviews.regimes import common
from reviews.regimes.base import Effect, MemberFacts, OrganizationFacts, Proposal, Rating, Reason, lower, rank

code = "a_124"
name = _("Quy định 124-QĐ/TW (2023–2024)")
DOCUMENT = "Quy định 124-QĐ/TW, Điều 12"
documents = ("Quy định 124-QĐ/TW (04/10/2023)", "Hướng dẫn 25-HD/BTCTW")


def _level(results: Rating | None, criteria: Rating | None) -> tuple[Rating | None, list[Reason]]:
    if results is None:
        return None, [Reason("a.missing", DOCUMENT, _("Chưa có mức đánh giá tiêu chí kết quả thực hiện nhiệm vụ."), Effect.LEVEL)]
    level = lower(results, criteria) if criteria is not None else results
    reasons = [
        Reason(
            "a.results",
            DOCUMENT,
            _("Tiêu chí kết quả thực hiện nhiệm vụ đạt mức «%(level)s»: mức xếp loại không cao hơn mức này.")
            % {"level": results.label},
        )
    ]
    if criteria is not None and rank(criteria) < rank(results):
        reasons.append(
            Reason("a.criteria", DOCUMENT, _("Các tiêu chí còn lại chỉ đạt mức «%(level)s».") % {"level": criteria.label})
        )
    return level, reasons


def propose_member(facts: MemberFacts) -> Proposal:
    """Proposed rating of a member under Quy định 124-QĐ/TW, with its reasons."""
    exclusion = common.member_exclusion(facts)
    if exclusion is not None:
        return Proposal(None, (exclusion,))
    level, reasons = _level(facts.results_level, facts.criteria_level)
    if level is None:
        return Proposal(None, tuple(reasons))
    return common.capped(level, reasons, common.member_caps(facts, DOCUMENT))


def propose_organization(facts: OrganizationFacts) -> Proposal:
    """Proposed rating of a collective under Quy định 124-QĐ/TW, with its reasons."""
    level, reasons = _level(facts.results_level, facts.criteria_level)
    if level is None:
        return Proposal(None, tuple(reasons))
    return common.capped(level, reasons, common.organization_caps(facts, DOCUMENT))
