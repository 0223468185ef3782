"""Pages of the resolution targets: the dashboard of the current term's targets for the
user's organization, a resolution with its targets year by year, and a value opened to
show what it counts (numerator, denominator, rows, the sub-organizations pulling it down).

Reads start from ``for_user`` (outside the scope: 404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.rights import Action, can_write, write_roots
from lib.dates import format_date
from lib.forms import add_service_errors
from lib.history import history_entries
from orgs.models import Organization
from orgs.scope import subtree_q
from targets import services
from targets.forms import ManualValueForm, ResolutionForm, TargetForm
from targets.models import ManualValue, Resolution, Target
from targets.tracking import Tracking, definition_for, drill_down, governing_q, measure, period_of, track

ROWS_SHOWN = 500


def current_resolution(organization: Organization, today: dt.date) -> Resolution | None:
    """The nearest resolution governing ``organization`` whose term holds ``today``, else the latest."""
    qs = Resolution.objects.filter(governing_q(organization)).select_related("organization")
    running = qs.filter(start_year__lte=today.year, end_year__gte=today.year).order_by("-organization__depth", "-start_year")
    return running.first() or qs.order_by("-start_year", "-organization__depth").first()


def status(tracking: Tracking) -> str:
    """The card's colour: met green; missed red, unless a term target is still on track (yellow)."""
    if tracking.met is None:
        return "secondary"
    if tracking.met:
        return "green"
    return "yellow" if tracking.on_track else "red"


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


def alerts(user: Any, organization: Organization, today: dt.date) -> dict[str, Any]:
    """What other apps ask attention for in ``organization``'s subtree: the review rounds in
    progress (late past their decision deadline), probationary members overdue for full
    membership, transfers past a deadline."""
    from members.models import Member
    from members.selectors import overdue_transfers, probationary_due_for_full
    from reviews.models import ReviewRound

    members = Member.objects.for_user(user).in_organization(organization)
    rounds = (
        ReviewRound.objects.for_user(user)
        .filter(closed_at__isnull=True)
        .filter(Q(organization__path__startswith=organization.path) | Q(pk__in=_covering_rounds(organization)))
        .select_related("organization")
        .order_by("-year")
    )
    return {
        "rounds": [(r, today > r.decision_deadline) for r in rounds],
        "probation_overdue": sum(1 for row in probationary_due_for_full(members, on=today) if row.overdue),
        "transfers_overdue": len(overdue_transfers(members, on=today)),
    }


def _covering_rounds(organization: Organization) -> Any:
    """Rounds opened above ``organization`` that cover it."""
    from reviews.models import ReviewRound

    steplen = Organization.steplen
    paths = [organization.path[: steplen * d] for d in range(1, organization.depth)]
    return ReviewRound.objects.filter(organization__path__in=paths).values("pk")


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    organization = _organization(request)
    today = dt.date.today()
    resolution = current_resolution(organization, today)
    cards = []
    if resolution is not None:
        for target in resolution.targets.filter(parent__isnull=True).prefetch_related("children"):
            tracking = track(target, organization, user=request.user, today=today)
            children = [track(child, organization, user=request.user, today=today) for child in target.children.all()]
            cards.append({"tracking": tracking, "status": status(tracking), "children": children})
    return render(
        request,
        "targets/dashboard.html",
        {
            "organization": organization,
            "resolution": resolution,
            "cards": cards,
            "can_create": can_write(request.user, organization, action=Action.RESTRUCTURE),
            "alerts": alerts(request.user, organization, today),
        },
    )


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
