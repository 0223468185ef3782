"""Pages of the reconciliation of the 7-HSĐV list: upload, progress, differences, export, apply, column mapping.

A reconciliation belongs to the user who ran it: anyone else gets 404, an administrator
too (it holds a whole list's personal data). Only a register keeper of its organization
may run it and apply its corrections (else 403, ``members.permissions.keeps_register_at``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthedRequest
from lib.dates import format_date
from lib.forms import BootstrapForm, VNDateField
from lib.tabular import CSV_SUFFIXES, XLSX_SUFFIXES
from members import reconciliation
from members import services_reconcile as rc
from members.column_mapping import field_choices, mapping_from_post, show_mapping
from members.exporting import XLSX_TYPE
from members.models import DifferenceKind, Reconciliation, ReconciliationStatus
from members.permissions import keeps_any_register, keeps_register_at, register_roots
from members.views_import import MAX_UPLOAD_MB, POLL_TIMEOUT_MS
from orgs.labels import OrganizationChoiceField, set_org_choices
from orgs.models import Organization
from orgs.scope import subtree_q

SHOWN_PER_KIND = 200  # the page shows this many of each kind; the export has them all


def keeper_organizations(user: Any) -> QuerySet[Organization]:
    """The active organizations whose register ``user`` keeps."""
    orgs = Organization.objects.for_user(user).active().order_by("path")
    roots = register_roots(user)
    if roots is None:
        return orgs
    q = Q(pk__in=[])
    for root in roots:
        q |= subtree_q(root)
    return orgs.filter(q)


class ReconcileForm(BootstrapForm):
    file = forms.FileField(
        label=gettext_lazy("Danh sách đảng viên của cấp trên hoặc cấp dưới (.xlsx, .xls hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.csv"}),
    )
    organization = OrganizationChoiceField(
        indent=True, label=gettext_lazy("Tổ chức đảng"), queryset=Organization.objects.none(), to_field_name="code"
    )
    on = VNDateField(label=gettext_lazy("Tính đến ngày"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_org_choices(self, "organization", keeper_organizations(user), user=user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((*XLSX_SUFFIXES, ".xls", *CSV_SUFFIXES)):
            raise forms.ValidationError(_("Chỉ nhận tệp Excel (.xlsx, .xls) hoặc CSV (.csv)."))
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(_("Tệp lớn hơn %(mb)s MB.") % {"mb": MAX_UPLOAD_MB})
        return upload

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > dt.date.today():
            raise forms.ValidationError(_("Ngày đối chiếu (%(date)s) không được sau ngày hôm nay.") % {"date": format_date(on)})
        return on


def _reconciliation(request: AuthedRequest, pk: int) -> Reconciliation:
    rec = get_object_or_404(Reconciliation.objects.for_user(request.user).select_related("organization"), pk=pk)
    if not keeps_register_at(request.user, rec.organization.path):
        raise PermissionDenied(_("Bạn không giữ hồ sơ đảng viên của «%(name)s».") % {"name": rec.organization.name})
    return rec


@login_required
@require_http_methods(["GET", "POST"])
def member_reconcile(request: AuthedRequest) -> HttpResponse:
    if not keeps_any_register(request.user):
        raise PermissionDenied(_("Bạn không có quyền đối chiếu danh sách đảng viên."))
    form = ReconcileForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rec = rc.reconciliation_create(
                upload=data["file"], user=request.user, organization=data["organization"], on=data["on"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            rc.reconciliation_start(rec)
            return redirect("members:reconciliation_detail", pk=rec.pk)
    recent = list(Reconciliation.objects.for_user(request.user).select_related("organization")[:5])
    return render(request, "members/reconcile_upload.html", {"form": form, "recent": recent, "current": "reconcile"})


def _groups(rec: Reconciliation) -> list[dict[str, Any]]:
    groups = []
    for kind, label in DifferenceKind.choices:
        count = rec.counts.get(kind, 0)
        shown = list(rec.differences.filter(kind=kind).order_by("row", "id")[:SHOWN_PER_KIND]) if count else []
        for d in shown:
            d.field_label = reconciliation.FIELD_LABELS.get(d.field, "")  # type: ignore[attr-defined]
        groups.append({"kind": kind, "label": label, "count": count, "rows": shown, "more": max(count - len(shown), 0)})
    return groups


def _context(rec: Reconciliation) -> dict[str, Any]:
    can_map = rc.can_map_columns(rec)
    return {
        "rec": rec,
        "percent": rc.percent(rec),
        "S": ReconciliationStatus,
        "poll_timeout_ms": POLL_TIMEOUT_MS,
        "field_labels": reconciliation.FIELD_LABELS,
        "can_map": can_map,
        "field_choices": field_choices() if can_map else [],
        "mapping_open": rec.status == ReconciliationStatus.INVALID or show_mapping(rec.headers),
    }


@login_required
@require_GET
def reconciliation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    rec = rc.reconciliation_detect_interrupted(_reconciliation(request, pk))
    context = _context(rec)
    if rec.status == ReconciliationStatus.DONE:
        context["groups"] = _groups(rec)
        context["total_differences"] = sum(rec.counts.values())
    return render(request, "members/reconcile_result.html", context)


@login_required
@require_GET
def reconciliation_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """The polled fragment; once the comparison ends, htmx reloads the whole page."""
    rec = rc.reconciliation_detect_interrupted(_reconciliation(request, pk))
    response = render(request, "members/reconcile_progress.html", _context(rec))
    if not rec.is_running:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def reconciliation_export(request: AuthedRequest, pk: int) -> HttpResponse:
    rec = _reconciliation(request, pk)
    response = HttpResponse(rc.differences_xlsx(rec), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="doi-chieu-7-HSDV-{rec.on:%Y%m%d}-{rec.pk}.xlsx"'
    return response


@login_required
@require_POST
def reconciliation_apply(request: AuthedRequest, pk: int) -> HttpResponse:
    rec = _reconciliation(request, pk)
    if rec.status != ReconciliationStatus.DONE:
        messages.error(request, _("Lượt đối chiếu này chưa có kết quả để áp dụng."))
        return redirect("members:reconciliation_detail", pk=rec.pk)
    try:
        ids = [int(x) for x in request.POST.getlist("difference")]
    except ValueError:
        ids = []
    try:
        effects = rc.reconciliation_apply(reconciliation=rec, difference_ids=ids, user=request.user)
    except ValidationError as exc:
        messages.error(request, _("Không áp dụng sửa đổi nào: %(reason)s") % {"reason": " ".join(exc.messages)})
    else:
        messages.success(
            request,
            _("Đã áp dụng %(count)s sửa đổi (lý do ghi trong lịch sử: «%(reason)s»).")
            % {"count": len(ids), "reason": rc.reason_for(rec.on)},
        )
        for effect in effects[:20]:
            messages.info(request, effect)
    return redirect("members:reconciliation_detail", pk=rec.pk)


@login_required
@require_POST
def reconciliation_map_columns(request: AuthedRequest, pk: int) -> HttpResponse:
    """The user's column mapping (a select per column of the list, the import's card): stored,
    remembered for the next file with the same headers, and the list compared again with it."""
    rec = _reconciliation(request, pk)
    try:
        mapping = mapping_from_post(request.POST, rec.headers)
        rc.reconciliation_map_columns(reconciliation=rec, mapping=mapping, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Đã lưu cách ghép cột và đối chiếu lại; lần sau tệp có cùng dòng tiêu đề sẽ được ghép như vậy.")
        )
    return redirect("members:reconciliation_detail", pk=rec.pk)
