"""The report "Báo cáo kết quả thực hiện các chỉ tiêu Nghị quyết Đại hội": a page to choose the
organization and the period, showing the report, and its .docx and PDF.

The organization (``?to_chuc=``) is read through ``Organization.objects.for_user`` and must lie
under the resolution's organization (the resolution governs it); without one, the
resolution's own organization, read through ``Resolution.objects.for_user``. Outside the
scope: 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from lib.forms import BootstrapForm
from orgs.models import Organization
from targets import documents
from targets.models import Resolution
from targets.tracking import governing_q

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"docx": (DOCX, "docx"), "pdf": ("application/pdf", "pdf")}


class ReportForm(BootstrapForm):
    to_chuc = forms.TypedChoiceField(label=gettext_lazy("Tổ chức đảng"), coerce=int)
    nam = forms.TypedChoiceField(label=gettext_lazy("Kỳ báo cáo"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, organizations: list[Organization], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_chuc"].choices = [(o.pk, o.name) for o in organizations]  # type: ignore[attr-defined]
        self.fields["nam"].choices = [  # type: ignore[attr-defined]
            ("", gettext_lazy("Từ đầu nhiệm kỳ đến nay")),
            *((y, _("Năm %(year)s") % {"year": y}) for y in years),
        ]


def _organization(request: HttpRequest, pk: int) -> tuple[Resolution, Organization]:
    raw = request.GET.get("to_chuc")
    if raw:
        try:
            org_id = int(raw)
        except ValueError:
            raise Http404 from None
        organization = get_object_or_404(Organization.objects.for_user(request.user), pk=org_id)
        resolution = get_object_or_404(Resolution.objects.filter(governing_q(organization)).select_related("organization"), pk=pk)
        return resolution, organization
    resolution = get_object_or_404(Resolution.objects.for_user(request.user).select_related("organization"), pk=pk)
    return resolution, resolution.organization


def _choices(request: HttpRequest, resolution: Resolution, organization: Organization) -> list[Organization]:
    """The resolution's organization and its direct sub-organizations in the reader's scope,
    and the organization asked for."""
    scoped = Organization.objects.for_user(request.user)
    found = list(scoped.filter(pk=resolution.organization_id))
    found += list(scoped.children_of(resolution.organization).order_by("path"))
    if organization.pk not in {o.pk for o in found}:
        found.append(organization)
    return found


@login_required
@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    resolution, organization = _organization(request, pk)
    today = dt.date.today()
    years = list(range(resolution.start_year, min(resolution.end_year, today.year) + 1))
    data = request.GET.copy()
    data.setdefault("to_chuc", str(organization.pk))
    form = ReportForm(data, organizations=_choices(request, resolution, organization), years=years)
    if not form.is_valid():
        return render(
            request, "targets/report.html", {"form": form, "resolution": resolution, "organization": organization}, status=400
        )
    year = form.cleaned_data["nam"]
    built = documents.build_report(resolution, organization, year=year, user=request.user, today=today)
    wanted = request.GET.get("format", "")
    if wanted in FORMATS:
        content_type, extension = FORMATS[wanted]
        content = documents.report_docx(built) if wanted == "docx" else documents.report_pdf(built)
        name = f"bao-cao-chi-tieu-nghi-quyet-{organization.code}-{year or 'nhiem-ky'}.{extension}"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "targets/report.html",
        {"form": form, "resolution": resolution, "organization": organization, "report": built},
    )
