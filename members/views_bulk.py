"""The bulk transfer of the member list: the members checked on the list → one cell, on one
date, for one reason; form (GET) → preview (POST, nothing saved) → save (POST).

The rules are those of a transfer of one member (``members.services_bulk``); the form offers
only the members whose register the user keeps and the cells whose register they keep.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lib.forms import add_service_errors
from lib.services import preview
from members.forms import BulkTransferForm
from members.services_bulk import members_transfer_bulk


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


def _form(request: HttpRequest) -> BulkTransferForm:
    if not request.user.has_perm("members.add"):
        raise PermissionDenied(_("Bạn không có quyền chuyển sinh hoạt đảng viên."))
    if request.method == "POST":
        return BulkTransferForm(request.POST, user=request.user, ids=_ids(request.POST.getlist("members")))
    return BulkTransferForm(user=request.user, ids=_ids(request.GET.getlist("member")))


def _page(request: HttpRequest, form: BulkTransferForm, result: Any = None, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "result": result,
        "preview_url": reverse("members:member_bulk_transfer_preview"),
        "save_url": reverse("members:member_bulk_transfer_save"),
        "cancel_url": reverse("members:member_list"),
    }
    if result is not None:
        context["hidden"] = [(k, v) for k in request.POST if k != "csrfmiddlewaretoken" for v in request.POST.getlist(k)]
    return render(request, "members/bulk_transfer.html", context, status=status)


@login_required
@require_GET
def member_bulk_transfer(request: HttpRequest) -> HttpResponse:
    return _page(request, _form(request))


@login_required
@require_POST
def member_bulk_transfer_preview(request: HttpRequest) -> HttpResponse:
    """Run the transfer of every checked member and roll it back: the page lists what saving would do."""
    form = _form(request)
    result = None
    if form.is_valid():
        try:
            result = preview(members_transfer_bulk, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
    return _page(request, form, result, status=200 if result is not None else 400)


@login_required
@require_POST
def member_bulk_transfer_save(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if form.is_valid():
        try:
            result = members_transfer_bulk(**form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, " ".join(result.effects))
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("members:member_list")
    return _page(request, form, status=400)
