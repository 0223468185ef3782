"""Annual review: rounds, the ratings of a round in the user's scope, and the year-end report.

Reads start from ``for_user``: a round or organization outside the user's scope answers
404, like one that does not exist. Changes go through the pages for now.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Path, Query, Router, Schema

from api.common import PageParams, current_user, page
from api.errors import ERROR_RESPONSES, ApiNotFound, not_found_message
from lib.i18n import lazy_text
from orgs.models import Organization
from reviews.models import MemberReview, ReviewRound
from reviews.selectors import Counts, year_report

router = Router(tags=[lazy_text(gettext_lazy("Kiểm điểm, xếp loại"))])

MAX_ID = 2**63 - 1
ROUND_ID = Path(..., ge=1, le=MAX_ID, description=lazy_text(gettext_lazy("Mã số (id) của đợt đánh giá.")))
ORG_ID = Path(..., ge=1, le=MAX_ID, description=lazy_text(gettext_lazy("Mã số (id) của tổ chức đảng.")))
YEAR = Path(..., ge=2015, le=2100, description=lazy_text(gettext_lazy("Năm đánh giá.")))


class RoundOut(Schema):
    id: int
    organization_id: int
    organization: str
    year: int
    reference_date: dt.date
    regime: str = Field(description=lazy_text(gettext_lazy("Mã quy định áp dụng: a_124, b_366; rỗng khi nhập kết quả đã có.")))
    self_deadline: dt.date
    appraisal_deadline: dt.date
    decision_deadline: dt.date
    closed: bool
    quota_applies: bool
    quota_share: float
    quota_base: str
    quota_rounding: str


class RatingOut(Schema):
    id: int
    member_id: int
    member: str
    cell_id: int
    step: str
    excluded_rule: str
    score: float | None = Field(description=lazy_text(gettext_lazy("Tổng điểm (Quy định 366-QĐ/TW), nếu có.")))
    proposed_rating: str
    appraised_rating: str
    rating: str
    decision_number: str
    decided_on: dt.date | None
    tasks: list[dict] = Field(
        description=lazy_text(gettext_lazy("Các nhiệm vụ trong năm, mỗi nhiệm vụ có tên và kết quả (on_time, above, late)."))
    )
    reasons: list[dict]


class RatingPage(Schema):
    count: int
    results: list[RatingOut]


class CountsOut(Schema):
    excellent: int
    good: int
    complete: int
    not_complete: int
    not_complete_disciplined: int
    not_complete_targets: int
    not_complete_degradation: int
    not_rated: int
    held_review: int


class ReportRowOut(Schema):
    label: str
    members: CountsOut
    base_organizations: CountsOut


class ReportOut(Schema):
    organization_id: int
    year: int
    members: CountsOut
    base_organizations: CountsOut
    cells: CountsOut
    by_sub_organization: list[ReportRowOut]
    by_sector: list[ReportRowOut]
    narrative: str


def _round_out(r: ReviewRound) -> RoundOut:
    module = r.regime_module
    return RoundOut(
        id=r.pk,
        organization_id=r.organization_id,
        organization=r.organization.name,
        year=r.year,
        reference_date=r.reference_date,
        regime=module.code if module else "",
        self_deadline=r.self_deadline,
        appraisal_deadline=r.appraisal_deadline,
        decision_deadline=r.decision_deadline,
        closed=r.is_closed,
        quota_applies=r.quota_applies,
        quota_share=float(r.quota_share),
        quota_base=r.quota_base,
        quota_rounding=r.quota_rounding,
    )


def _counts(c: Counts) -> CountsOut:
    return CountsOut(**{name: getattr(c, name) for name in CountsOut.model_fields})


@router.get(
    "/review-rounds",
    response={200: list[RoundOut], **ERROR_RESPONSES},
    operation_id="review_round_list",
    summary=lazy_text(gettext_lazy("Các đợt đánh giá")),
)
def round_list(request: HttpRequest):
    """Rounds over the user's scope (and the rounds above it that cover it)."""
    rounds = ReviewRound.objects.for_user(current_user(request)).select_related("organization")
    return [_round_out(r) for r in rounds]


@router.get(
    "/review-rounds/{round_id}/ratings",
    response={200: RatingPage, **ERROR_RESPONSES},
    operation_id="review_round_ratings",
    summary=lazy_text(gettext_lazy("Kết quả xếp loại đảng viên của một đợt")),
)
def round_ratings(request: HttpRequest, paging: Query[PageParams], round_id: int = ROUND_ID):
    """The member reviews of the round that the user may read, with the rules' proposal and its reasons."""
    user = current_user(request)
    round = ReviewRound.objects.for_user(user).filter(pk=round_id).first()
    if round is None:
        raise ApiNotFound(not_found_message())
    reviews = MemberReview.objects.for_user(user).filter(round=round).select_related("member").order_by("id")
    count, rows = page(reviews, paging)
    return RatingPage(
        count=count,
        results=[
            RatingOut(
                id=r.pk,
                member_id=r.member_id,
                member=r.member.full_name,
                cell_id=r.cell_id,
                step=r.step,
                excluded_rule=r.excluded_rule,
                score=float(r.general_points + r.result_points)
                if r.general_points is not None and r.result_points is not None
                else None,
                proposed_rating=r.proposed_rating,
                appraised_rating=r.appraised_rating,
                rating=r.rating,
                decision_number=r.decision_number,
                decided_on=r.decided_on,
                tasks=r.tasks,
                reasons=r.proposal_reasons,
            )
            for r in rows
        ],
    )


@router.get(
    "/organizations/{org_id}/review-report/{year}",
    response={200: ReportOut, **ERROR_RESPONSES},
    operation_id="review_report",
    summary=lazy_text(gettext_lazy("Báo cáo kết quả xếp loại chất lượng")),
)
def review_report(request: HttpRequest, org_id: int = ORG_ID, year: int = YEAR):
    """The year-end report of the organization's subtree, from the tallies (``reviews.selectors.year_report``)."""
    organization = Organization.objects.for_user(current_user(request)).filter(pk=org_id).first()
    if organization is None:
        raise ApiNotFound(not_found_message())
    report = year_report(organization=organization, year=year)
    return ReportOut(
        organization_id=organization.pk,
        year=year,
        members=_counts(report.members),
        base_organizations=_counts(report.bases),
        cells=_counts(report.cells),
        by_sub_organization=[
            ReportRowOut(label=r.label, members=_counts(r.members), base_organizations=_counts(r.bases)) for r in report.by_child
        ],
        by_sector=[
            ReportRowOut(label=r.label, members=_counts(r.members), base_organizations=_counts(r.bases)) for r in report.by_sector
        ],
        narrative=report.narrative,
    )
