"""Congress-resolution targets: the resolutions, their targets, and each target's values per
year for an organization of the user's scope.

Reads start from ``for_user``: a resolution or organization outside the user's scope
answers 404, like one that does not exist. Changes go through ``targets.services``.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Path, Router, Schema

from api.common import current_user
from api.errors import ERROR_RESPONSES, ApiNotFound, not_found_message
from lib.i18n import lazy_text
from orgs.models import Organization
from targets.models import Resolution, Target
from targets.tracking import governing_q, track

router = Router(tags=[lazy_text(gettext_lazy("Chỉ tiêu Nghị quyết Đại hội"))])

MAX_ID = 2**63 - 1
RESOLUTION_ID = Path(..., ge=1, le=MAX_ID, description=lazy_text(gettext_lazy("Mã số (id) của Nghị quyết.")))
TARGET_ID = Path(..., ge=1, le=MAX_ID, description=lazy_text(gettext_lazy("Mã số (id) của chỉ tiêu.")))
ORG_ID = Path(..., ge=1, le=MAX_ID, description=lazy_text(gettext_lazy("Mã số (id) của tổ chức đảng.")))


class ResolutionOut(Schema):
    id: int
    organization_id: int
    organization: str
    term_name: str
    start_year: int
    end_year: int
    congress_name: str
    congress_number: str
    adopted_on: dt.date | None


class TargetOut(Schema):
    id: int
    parent_id: int | None
    wording: str
    indicator_code: str = Field(description=lazy_text(gettext_lazy("Mã chỉ số đo; rỗng khi nhập kết quả bằng tay.")))
    comparison: str
    threshold: float
    unit: str
    period: str
    period_year: int | None
    scope: str


class YearValueOut(Schema):
    year: int
    numerator: float | None
    denominator: int | None
    value: float | None
    met: bool | None
    threshold: float = Field(description=lazy_text(gettext_lazy("Mức chỉ tiêu theo định nghĩa còn hiệu lực cuối năm đó.")))
    sentence: str


class TrackingOut(Schema):
    target_id: int
    organization_id: int
    years: list[YearValueOut]
    met: bool | None
    projection: float | None
    on_track: bool | None


def _target_out(t: Target) -> TargetOut:
    return TargetOut(
        id=t.pk,
        parent_id=t.parent_id,
        wording=t.wording,
        indicator_code=t.indicator_code,
        comparison=t.comparison,
        threshold=float(t.threshold),
        unit=t.unit,
        period=t.period,
        period_year=t.period_year,
        scope=t.scope,
    )


@router.get(
    "/resolutions",
    response={200: list[ResolutionOut], **ERROR_RESPONSES},
    operation_id="resolution_list",
    summary=lazy_text(gettext_lazy("Các Nghị quyết Đại hội")),
)
def resolution_list(request: HttpRequest):
    """Resolutions of the organizations in the user's scope."""
    rows = (
        Resolution.objects.for_user(current_user(request))
        .select_related("organization")
        .order_by("organization__path", "start_year")
    )
    return [
        ResolutionOut(
            id=r.pk,
            organization_id=r.organization_id,
            organization=r.organization.name,
            term_name=r.term_name,
            start_year=r.start_year,
            end_year=r.end_year,
            congress_name=r.congress_name,
            congress_number=r.congress_number,
            adopted_on=r.adopted_on,
        )
        for r in rows
    ]


@router.get(
    "/resolutions/{resolution_id}/targets",
    response={200: list[TargetOut], **ERROR_RESPONSES},
    operation_id="resolution_targets",
    summary=lazy_text(gettext_lazy("Các chỉ tiêu của một Nghị quyết")),
)
def resolution_targets(request: HttpRequest, resolution_id: int = RESOLUTION_ID):
    resolution = Resolution.objects.for_user(current_user(request)).filter(pk=resolution_id).first()
    if resolution is None:
        raise ApiNotFound(not_found_message())
    return [_target_out(t) for t in resolution.targets.all()]


@router.get(
    "/organizations/{org_id}/targets/{target_id}/values",
    response={200: TrackingOut, **ERROR_RESPONSES},
    operation_id="target_values",
    summary=lazy_text(gettext_lazy("Kết quả thực hiện một chỉ tiêu theo từng năm")),
)
def target_values(request: HttpRequest, org_id: int = ORG_ID, target_id: int = TARGET_ID):
    """The target measured over the organization's subtree, year by year (a target of the
    organization's resolution or of a level above it)."""
    user = current_user(request)
    organization = Organization.objects.for_user(user).filter(pk=org_id).first()
    target = (
        Target.objects.filter(pk=target_id, resolution__in=Resolution.objects.filter(governing_q(organization))).first()
        if organization is not None
        else None
    )
    if organization is None or target is None:
        raise ApiNotFound(not_found_message())
    result = track(target, organization, user=user)
    return TrackingOut(
        target_id=target.pk,
        organization_id=organization.pk,
        years=[
            YearValueOut(
                year=y.year,
                numerator=float(y.measure.numerator) if y.measure is not None else None,
                denominator=y.measure.denominator if y.measure is not None else None,
                value=float(y.value) if y.value is not None else None,
                met=y.met,
                threshold=float(y.definition.threshold),
                sentence=y.sentence,
            )
            for y in result.years
        ],
        met=result.met,
        projection=float(result.projection) if result.projection is not None else None,
        on_track=result.on_track,
    )
