"""Resolutions, targets, allocations and hand-entered values, changed by the organization
board (``Action.RESTRUCTURE`` on the resolution's organization)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rights import Action, can_write
from lib import indicators
from orgs.models import Organization
from targets.models import Comparison, ManualValue, Period, Resolution, Target, TargetAllocation, TargetScope, Unit

TARGET_FIELDS = (
    "wording",
    "indicator_code",
    "comparison",
    "threshold",
    "unit",
    "period",
    "period_year",
    "scope",
    "group",
    "parent",
)


def _require_board(user: Any, organization: Organization) -> None:
    if not can_write(user, organization, action=Action.RESTRUCTURE):
        raise PermissionDenied(_("Chỉ Ban Tổ chức của cấp ủy được sửa chỉ tiêu Nghị quyết."))


@transaction.atomic
def resolution_create(
    *,
    organization: Organization,
    term_name: str,
    start_year: int,
    end_year: int,
    congress_name: str = "",
    congress_number: str = "",
    adopted_on: dt.date | None = None,
    user: Any,
) -> Resolution:
    _require_board(user, organization)
    if start_year > end_year:
        raise ValidationError(_("Năm đầu nhiệm kỳ phải trước năm cuối nhiệm kỳ."))
    if Resolution.objects.filter(organization=organization, start_year=start_year).exists():
        raise ValidationError(_("Đã có Nghị quyết nhiệm kỳ bắt đầu năm %(year)s của tổ chức này.") % {"year": start_year})
    return Resolution.objects.create(
        organization=organization,
        term_name=term_name,
        start_year=start_year,
        end_year=end_year,
        congress_name=congress_name,
        congress_number=congress_number,
        adopted_on=adopted_on,
    )


def _check_target(resolution: Resolution, values: dict[str, Any]) -> None:
    code = values["indicator_code"]
    if code:
        try:
            indicator = indicators.get(code)
        except KeyError:
            raise ValidationError(_("Không có chỉ số đo “%(code)s”.") % {"code": code}) from None
        expected = Unit.PERCENT if indicator.kind == indicators.Kind.RATE else Unit.COUNT
        if values["unit"] != expected:
            raise ValidationError(_("Chỉ số “%(name)s” đo bằng %(unit)s.") % {"name": indicator.name, "unit": expected.label})
        if values.get("group") and indicator.group(values["group"]) is None:
            raise ValidationError(_("Chỉ số “%(name)s” không đếm riêng nhóm này.") % {"name": indicator.name})
        scopes = indicator.scopes or (indicators.Scope.SUBTREE,)
        if values.get("scope", TargetScope.SUBTREE) not in scopes:
            raise ValidationError(
                _("Chỉ số “%(name)s” chỉ tính được trên: %(scopes)s.")
                % {"name": indicator.name, "scopes": ", ".join(str(TargetScope(s).label) for s in scopes)}
            )
    elif values.get("group"):
        raise ValidationError(_("Chỉ tiêu nhập kết quả bằng tay không chọn nhóm."))
    if values["comparison"] not in Comparison.values:
        raise ValidationError(_("Phép so sánh không hợp lệ."))
    if values["unit"] == Unit.PERCENT and not (0 <= values["threshold"] <= 100):
        raise ValidationError(_("Tỷ lệ chỉ tiêu phải từ 0 đến 100%."))
    if values["threshold"] < 0:
        raise ValidationError(_("Mức chỉ tiêu không được âm."))
    if values["period"] == Period.BY_YEAR:
        year = values.get("period_year")
        if year is None or not (resolution.start_year <= year <= resolution.end_year):
            raise ValidationError(_("Năm đạt chỉ tiêu phải trong nhiệm kỳ %(term)s.") % {"term": resolution.term_name})
    parent = values.get("parent")
    if parent is not None and parent.resolution_id != resolution.pk:
        raise ValidationError(_("Chỉ tiêu cha phải thuộc cùng Nghị quyết."))


@transaction.atomic
def target_create(
    *,
    resolution: Resolution,
    wording: str,
    indicator_code: str,
    threshold: Decimal,
    unit: str,
    comparison: str = Comparison.GE,
    period: str = Period.EACH_YEAR,
    period_year: int | None = None,
    scope: str = TargetScope.SUBTREE,
    group: str = "",
    parent: Target | None = None,
    user: Any,
) -> Target:
    _require_board(user, resolution.organization)
    values = {
        "wording": wording.strip(),
        "indicator_code": indicator_code,
        "comparison": comparison,
        "threshold": Decimal(threshold),
        "unit": unit,
        "period": period,
        "period_year": period_year if period == Period.BY_YEAR else None,
        "scope": scope,
        "group": group,
        "parent": parent,
    }
    if not values["wording"]:
        raise ValidationError(_("Cần ghi nội dung chỉ tiêu như trong Nghị quyết."))
    _check_target(resolution, values)
    position = resolution.targets.count() + 1
    return Target.objects.create(resolution=resolution, position=position, **values)


@transaction.atomic
def target_update(*, target: Target, user: Any, **changes: Any) -> Target:
    """Change a target's definition; the history keeps the earlier one, which still explains
    the years measured before the change (``tracking.definition_for``)."""
    target = Target.objects.select_for_update().select_related("resolution__organization").get(pk=target.pk)
    _require_board(user, target.resolution.organization)
    unknown = set(changes) - set(TARGET_FIELDS)
    if unknown:
        raise TypeError(f"unknown target fields: {sorted(unknown)}")
    values = {name: getattr(target, name) for name in TARGET_FIELDS} | changes
    values["threshold"] = Decimal(values["threshold"])
    _check_target(target.resolution, values)
    for name, value in values.items():
        setattr(target, name, value)
    target.save()
    return target


@transaction.atomic
def allocation_set(
    *, target: Target, organization: Organization, threshold: Decimal, allocated_by: str, user: Any
) -> TargetAllocation:
    """The level owning ``target`` allocates it to ``organization`` in its subtree."""
    owner = target.resolution.organization
    _require_board(user, owner)
    if organization.pk == owner.pk or not organization.path.startswith(owner.path):
        raise ValidationError(_("Chỉ phân bổ chỉ tiêu cho tổ chức đảng cấp dưới."))
    if Decimal(threshold) < 0:
        raise ValidationError(_("Mức chỉ tiêu không được âm."))
    allocation, _created = TargetAllocation.objects.update_or_create(
        target=target,
        organization=organization,
        defaults={"threshold": Decimal(threshold), "allocated_by": allocated_by.strip()},
    )
    return allocation


@transaction.atomic
def allocations_save(
    *, target: Target, thresholds: dict[int, Decimal | None], allocated_by: str, user: Any
) -> list[TargetAllocation]:
    """The level owning ``target`` sets, in one go, what it allocates to each organization
    directly under it: ``thresholds[organization id]`` (None: no allocation, an earlier one
    is removed and stays in the history). All rows are checked first; one bad row saves none.
    Only the owning organization's board may do it (``Action.RESTRUCTURE`` on it)."""
    owner = target.resolution.organization
    _require_board(user, owner)
    allocated_by = allocated_by.strip()
    children = {o.pk: o for o in Organization.objects.children_of(owner)}
    errors = []
    for org_id, threshold in thresholds.items():
        child = children.get(org_id)
        if child is None:
            errors.append(_("Chỉ phân bổ chỉ tiêu cho tổ chức đảng trực thuộc."))
        elif threshold is not None and Decimal(threshold) < 0:
            errors.append(_("%(org)s: mức chỉ tiêu không được âm.") % {"org": child.name})
        elif threshold is not None and target.unit == Unit.PERCENT and Decimal(threshold) > 100:
            errors.append(_("%(org)s: tỷ lệ phải từ 0 đến 100%%.") % {"org": child.name})
    if any(t is not None for t in thresholds.values()) and not allocated_by:
        errors.append(_("Cần ghi cấp phân bổ (ví dụ: Ban Thường vụ Tỉnh ủy)."))
    if errors:
        raise ValidationError(errors)
    saved = []
    for org_id, threshold in thresholds.items():
        if threshold is None:
            for allocation in TargetAllocation.objects.filter(target=target, organization_id=org_id):
                allocation.delete()
            continue
        existing = TargetAllocation.objects.filter(target=target, organization_id=org_id).first()
        allocation = existing or TargetAllocation(target=target, organization=children[org_id])
        if existing is not None and allocation.threshold == Decimal(threshold) and allocation.allocated_by == allocated_by:
            saved.append(allocation)
            continue  # unchanged: no history row
        allocation.threshold, allocation.allocated_by = Decimal(threshold), allocated_by
        allocation.save()
        saved.append(allocation)
    return saved


@transaction.atomic
def manual_value_set(
    *,
    organization: Organization,
    year: int,
    value: Decimal,
    target: Target | None = None,
    indicator_code: str = "",
    note: str = "",
    user: Any,
) -> ManualValue:
    """Enter (or correct) a value measured outside the system; the history keeps each entry."""
    _require_board(user, organization)
    if (target is None) == (not indicator_code):
        raise ValidationError(_("Cần chọn hoặc chỉ tiêu, hoặc chỉ số đo."))
    if target is not None:
        if target.indicator_code:
            raise ValidationError(_("Chỉ tiêu này được tính từ dữ liệu, không nhập tay."))
        if not (target.resolution.start_year <= year <= target.resolution.end_year):
            raise ValidationError(
                _("Năm %(year)s ngoài nhiệm kỳ %(term)s.") % {"year": year, "term": target.resolution.term_name}
            )
        if target.unit == Unit.PERCENT and not (0 <= Decimal(value) <= 100):
            raise ValidationError(_("Tỷ lệ phải từ 0 đến 100%."))
    if Decimal(value) < 0:
        raise ValidationError(_("Giá trị không được âm."))
    entry, _created = ManualValue.objects.update_or_create(
        target=target,
        indicator_code="" if target is not None else indicator_code,
        organization=organization,
        year=year,
        defaults={"value": Decimal(value), "note": note, "entered_by": user, "entered_at": timezone.now()},
    )
    return entry
