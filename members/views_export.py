"""Exports of the member list: the page's filters (same query string), the 7-HSĐV columns.

Everything starts from ``Member.objects.for_user``: an export holds only what the list
page would show to the same user with the same filters, in the same order.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from members.exporting import CSV_TYPE, XLSX_TYPE, export_filename, members_export_csv, members_export_xlsx
from members.filters import MemberFilter
from members.models import Member


def filtered_members(request: HttpRequest) -> QuerySet[Member]:
    """The list page's members for this request: the user's scope, then the page's filters."""
    return MemberFilter(request.GET, queryset=Member.objects.for_user(request.user), request=request).qs


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'


@login_required
@require_GET
def member_export_xlsx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(members_export_xlsx(filtered_members(request), user=request.user), content_type=XLSX_TYPE)
    _attachment(response, export_filename("xlsx"))
    return response


@login_required
@require_GET
def member_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(members_export_csv(filtered_members(request), user=request.user), content_type=CSV_TYPE)
    _attachment(response, export_filename("csv"))
    return response
