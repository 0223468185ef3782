"""Pages of the resolution targets: the dashboard of the current term's targets for the
user's organization, a resolution with its targets year by year, and a value opened to
show what it counts (numerator, denominator, rows, the sub-organizations pulling it down).

Reads start from ``for_user`` (outside the scope: 404).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.rights import Action, can_write, write_roots
from lib import alerts as lib_alerts
from lib.dates import format_date
from lib.forms import add_service_errors
from lib.history import history_entries
from lib.numbers import format_number
from orgs.models import Organization
from orgs.scope import subtree_q
from targets import services
from targets.charts import year_chart
from targets.forms import ManualValueForm, ResolutionForm, TargetForm
from targets.models import ManualValue, Resolution, Target, TargetAllocation
from targets.tracking import Tracking, definition_for, drill_down, governing_q, measure, period_of, state, track

ROWS_SHOWN = 500


def current_resolution(organization: Organization, today: dt.date) -> Resolution | None:
    """The nearest resolution governing ``organization`` whose term holds ``today``, else the latest."""
    qs = Resolution.objects.filter(governing_q(organization)).select_related("organization")
    running = qs.filter(start_year__lte=today.year, end_year__gte=today.year).order_by("-organization__depth", "-start_year")
    return running.first() or qs.order_by("-start_year", "-organization__depth").first()


def status(tracking: Tracking) -> str:
    """The colour of a target's state (``tracking.state``)."""
    return state(tracking).colour


def _organization(request: HttpRequest) -> Organization:
    scoped = Organization.objects.for_user(request.user)
    if request.GET.get("org"):
        try:
            return get_object_or_404(scoped, pk=int(request.GET["org"]))
        except ValueError:
            raise Http404 from None
    organization = request.user.primary_organization()  # type: ignore[union-attr]
    if organization is None:
        raise Http404
    return organization


def dashboard_context(user: Any, organization: Organization, today: dt.date | None = None) -> dict[str, Any]:
    """What the dashboard shows for ``organization`` as ``user`` reads it: the current term's
    targets as cards (value, threshold, state, a chart over the years, the sub-targets), the
    review rounds in progress with their progress, and the other apps' alerts (``lib.alerts``)."""
    today = today or dt.date.today()
    resolution = current_resolution(organization, today)
    cards = []
    if resolution is not None:
        for target in resolution.targets.filter(parent__isnull=True).select_related("resolution").prefetch_related("children"):
            tracking = track(target, organization, user=user, today=today)
            children = [track(child, organization, user=user, today=today) for child in target.children.all()]
            cards.append(
                {
                    "tracking": tracking,
                    "state": state(tracking, today=today),
                    "status": state(tracking, today=today).colour,
                    "chart": year_chart(tracking),
                    "children": children,
                }
            )
    found = lib_alerts.collect(user, organization, today)
    return {
        "organization": organization,
        "resolution": resolution,
        "cards": cards,
        "can_create": can_write(user, organization, action=Action.RESTRUCTURE),
        "rounds": [a for a in found if a.progress is not None],
        "alerts": [a for a in found if a.progress is None],
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "targets/dashboard.html", dashboard_context(request.user, _organization(request)))


@login_required
@require_GET
def resolution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = get_object_or_404(Resolution.objects.for_user(request.user).select_related("organization"), pk=pk)
    today = dt.date.today()
    rows = [
        {"tracking": (t := track(target, resolution.organization, user=request.user, today=today)), "status": status(t)}
        for target in resolution.targets.all()
    ]
    years = list(range(resolution.start_year, min(today.year, resolution.end_year) + 1))
    targets = list(resolution.targets.all())
    history = history_entries(
        [
            *resolution.history.select_related("history_user"),
            *Target.history.filter(resolution_id=resolution.pk).select_related("history_user"),
            *ManualValue.history.filter(target__in=targets).select_related("history_user"),
        ],
        limit=50,
    )
    return render(
        request,
        "targets/resolution_detail.html",
        {
            "resolution": resolution,
            "rows": rows,
            "years": years,
            "history": history,
            "can_edit": can_write(request.user, resolution.organization, action=Action.RESTRUCTURE),
        },
    )


def _board_organizations(user: Any) -> Any:
    """Organizations whose board ``user`` belongs to (``Action.RESTRUCTURE``), in their scope."""
    roots = write_roots(user, action=Action.RESTRUCTURE)
    qs = Organization.objects.for_user(user)
    if roots is None:
        return qs
    q = subtree_q(roots[0]) if roots else subtree_q("~")
    for root in roots[1:]:
        q |= subtree_q(root)
    return qs.filter(q)


def _require_board(request: HttpRequest, organization: Organization) -> None:
    if not can_write(request.user, organization, action=Action.RESTRUCTURE):
        raise PermissionDenied(_("Chỉ Ban Tổ chức của cấp ủy được sửa chỉ tiêu Nghị quyết."))


@login_required
def resolution_create(request: HttpRequest) -> HttpResponse:
    organizations = _board_organizations(request.user)
    if not organizations.exists():
        raise PermissionDenied(_("Chỉ Ban Tổ chức của cấp ủy được sửa chỉ tiêu Nghị quyết."))
    form = ResolutionForm(request.POST or None, organizations=organizations, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            resolution = services.resolution_create(**form.cleaned_data, user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm Nghị quyết nhiệm kỳ %(term)s.") % {"term": resolution.term_name})
            return redirect("targets:resolution_detail", pk=resolution.pk)
    return render(request, "targets/form.html", {"form": form, "title": _("Thêm Nghị quyết Đại hội")})


@login_required
def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = get_object_or_404(Resolution.objects.for_user(request.user).select_related("organization"), pk=pk)
    _require_board(request, resolution.organization)
    form = TargetForm(request.POST or None, parents=resolution.targets.filter(parent__isnull=True))
    if request.method == "POST" and form.is_valid():
        try:
            services.target_create(resolution=resolution, **form.cleaned_data, user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm chỉ tiêu."))
            return redirect("targets:resolution_detail", pk=resolution.pk)
    return render(request, "targets/form.html", {"form": form, "title": _("Thêm chỉ tiêu"), "resolution": resolution})


@login_required
def target_update(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Target.objects.for_user(request.user).select_related("resolution__organization"), pk=pk)
    resolution = target.resolution
    _require_board(request, resolution.organization)
    initial = {name: getattr(target, name) for name in services.TARGET_FIELDS}
    form = TargetForm(
        request.POST or None, initial=initial, parents=resolution.targets.filter(parent__isnull=True).exclude(pk=target.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.target_update(target=target, **form.cleaned_data, user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã sửa chỉ tiêu; các năm đã tính vẫn theo định nghĩa cũ."))
            return redirect("targets:resolution_detail", pk=resolution.pk)
    return render(request, "targets/form.html", {"form": form, "title": _("Sửa chỉ tiêu"), "resolution": resolution})


@login_required
def manual_value_set(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Target.objects.for_user(request.user).select_related("resolution__organization"), pk=pk)
    resolution = target.resolution
    organizations = _board_organizations(request.user).filter(subtree_q(resolution.organization.path))
    if not organizations.exists():
        raise PermissionDenied(_("Chỉ Ban Tổ chức của cấp ủy được nhập kết quả."))
    form = ManualValueForm(
        request.POST or None, organizations=organizations, user=request.user, initial={"organization": resolution.organization}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.manual_value_set(target=target, **form.cleaned_data, user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi kết quả."))
            return redirect("targets:resolution_detail", pk=resolution.pk)
    return render(
        request,
        "targets/form.html",
        {"form": form, "title": _("Nhập kết quả: %(t)s") % {"t": target.wording}, "resolution": resolution},
    )


def _row_text(row: Any) -> tuple[str, str]:
    """A row behind a value as (who or what, where or detail)."""
    member = getattr(row, "member", None)
    if member is not None:
        return member.full_name, (getattr(row, "cell", None) and row.cell.name) or ""
    if hasattr(row, "entered_by"):
        return str(row.value), _("%(user)s nhập lúc %(at)s") % {
            "user": row.entered_by.full_name or row.entered_by.username,
            "at": row.entered_at.strftime("%H:%M %d/%m/%Y"),
        }
    organization = getattr(row, "organization", None)
    if hasattr(row, "admitted_on"):
        return row.full_name, _("%(org)s, vào Đảng %(date)s") % {
            "org": organization.name if organization else "",
            "date": format_date(row.admitted_on),
        }
    if organization is not None:
        return organization.name, ""
    return str(row), ""


@login_required
@require_GET
def target_values(request: HttpRequest, pk: int, org_id: int, year: int) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.for_user(request.user), pk=org_id)
    governing = Resolution.objects.filter(governing_q(organization))
    target = get_object_or_404(Target.objects.filter(resolution__in=governing).select_related("resolution__organization"), pk=pk)
    if not (target.resolution.start_year <= year <= target.resolution.end_year):
        raise Http404
    definition = definition_for(target, year)
    start, end = period_of(target, definition, year)
    found = measure(definition, organization, start, end, request.user)
    rows = [_row_text(r) for r in list(found.row_list())[:ROWS_SHOWN]] if found is not None else []
    effects = drill_down(target, organization, year, user=request.user)
    return render(
        request,
        "targets/target_values.html",
        {
            "target": target,
            "definition": definition,
            "organization": organization,
            "year": year,
            "measure": found,
            "rows": rows,
            "effects": effects,
            "years": range(target.resolution.start_year, target.resolution.end_year + 1),
        },
    )


def _threshold(text: str) -> Decimal | None:
    """A threshold typed in the grid: blank is none; "1.250" or "12,5" as Vietnamese writes them."""
    text = text.strip().replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") == 1 and len(text.split(".")[1]) == 3:
        text = text.replace(".", "")  # "1.250": a thousands dot
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


@login_required
def allocation_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """The level owning a target allocates it to each organization directly under it: one row
    each, summed against its own threshold; only its board may save (``services.allocations_save``)."""
    target = get_object_or_404(Target.objects.for_user(request.user).select_related("resolution__organization"), pk=pk)
    owner = target.resolution.organization
    can_edit = can_write(request.user, owner, action=Action.RESTRUCTURE)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Chỉ Ban Tổ chức của cấp ủy được phân bổ chỉ tiêu."))
    children = list(Organization.objects.children_of(owner).active().order_by("path"))
    current = {a.organization_id: a for a in TargetAllocation.objects.filter(target=target)}
    allocated_by = next((a.allocated_by for a in current.values() if a.allocated_by), "")
    typed: dict[int, str] = {}
    errors: list[str] = []
    if request.method == "POST":
        allocated_by = request.POST.get("allocated_by", "").strip()
        thresholds: dict[int, Decimal | None] = {}
        for number, child in enumerate(children, start=1):
            typed[child.pk] = request.POST.get(f"threshold-{child.pk}", "")
            try:
                thresholds[child.pk] = _threshold(typed[child.pk])
            except ValueError:
                errors.append(
                    _("Dòng %(n)s (%(org)s): “%(text)s” không phải là số.")
                    % {"n": number, "org": child.name, "text": typed[child.pk]}
                )
        if not errors:
            try:
                services.allocations_save(target=target, thresholds=thresholds, allocated_by=allocated_by, user=request.user)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                messages.success(request, _("Đã lưu phân bổ chỉ tiêu."))
                return redirect("targets:allocation_grid", pk=target.pk)
    rows = [
        {
            "organization": child,
            "text": typed.get(
                child.pk, format_number(current[child.pk].threshold, places=Decimal("0.01")) if child.pk in current else ""
            ),
        }
        for child in children
    ]
    total = sum((a.threshold for a in current.values()), Decimal(0))
    history = history_entries(
        TargetAllocation.history.filter(target_id=target.pk).select_related("history_user"),
        limit=50,
        subject=lambda record: str(record.organization),
    )
    return render(
        request,
        "targets/allocation_grid.html",
        {
            "target": target,
            "owner": owner,
            "rows": rows,
            "allocated_by": allocated_by,
            "total": total,
            "can_edit": can_edit,
            "errors": errors,
            "history": history,
        },
        status=400 if errors else 200,
    )
