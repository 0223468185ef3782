"""Pages of the organization tree: the browser, the tree as of a date, an organization's
page, the forms of each change (form → preview → save) and of terms and committee seats.

Every read starts from ``Organization.objects.for_user``: outside the user's scope a page
answers 404; inside it, a change the rules refuse answers 403. The changes themselves are
``orgs.services`` functions; these views only parse, preview, save and redirect.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lib.dates import format_date, parse_date
from lib.forms import add_service_errors
from lib.services import preview
from lib.text import fold
from orgs import forms as org_forms
from orgs import labels as org_labels
from orgs import services
from orgs.history import organization_history
from orgs.models import CommitteeSeat, Organization, OrgChange, OrgVersion, SeatRole, Term
from orgs.panels import organization_panels

HISTORY_LIMIT = 30
SEARCH_LIMIT = 100


def _visible(request: HttpRequest):
    return Organization.objects.for_user(request.user)


def _get_org(request: HttpRequest, code: str, perm: str | None = None) -> Organization:
    """The organization ``code`` if the user may read it (else 404) and holds ``perm`` (else 403)."""
    org = get_object_or_404(_visible(request).select_related("kind", "sector", "successor"), code=code)
    if perm and not request.user.has_perm(perm, org):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với «%(name)s».") % {"name": org.name})
    return org


def _show_dissolved(request: HttpRequest) -> bool:
    return request.GET.get("giai_the") == "1"


def _detail_redirect(org: Organization) -> HttpResponse:
    return redirect("orgs:organization_detail", code=org.code)


# ---------------------------------------------------------------------------------------
# Tree browser


def _parent_names(request: HttpRequest, orgs: list[Organization]) -> dict[str, str]:
    """Names of the parents of ``orgs`` that the user may read: a parent outside the scope
    is not named."""
    paths = {o.path[: -Organization.steplen] for o in orgs if o.depth > 1}
    return dict(_visible(request).filter(path__in=paths).values_list("path", "name"))


@login_required
@require_GET
def organization_tree(request: HttpRequest) -> HttpResponse:
    show_dissolved = _show_dissolved(request)
    query = request.GET.get("q", "").strip()
    orgs = _visible(request).select_related("kind")
    if not show_dissolved:
        orgs = orgs.active()
    context: dict[str, Any] = {"show_dissolved": show_dissolved, "query": query}
    if query:
        results = list(orgs.filter(search_text__contains=fold(query)).order_by("path")[: SEARCH_LIMIT + 1])
        parents = _parent_names(request, results)
        context["results"] = [(o, parents.get(o.path[: -Organization.steplen], "")) for o in results[:SEARCH_LIMIT]]
        context["more_results"] = len(results) > SEARCH_LIMIT
    else:
        context["nodes"] = orgs.tops_for(request.user)
    return render(request, "orgs/tree.html", context)


@login_required
@require_GET
def organization_children(request: HttpRequest, code: str) -> HttpResponse:
    """The children of one node, as list items for the tree browser (an htmx partial)."""
    parent = _get_org(request, code)
    show_dissolved = _show_dissolved(request)
    children = _visible(request).children_of(parent).select_related("kind")
    if not show_dissolved:
        children = children.active()
    return render(request, "orgs/_nodes.html", {"nodes": children, "show_dissolved": show_dissolved, "empty_text": True})


def with_former_parents(versions: list[OrgVersion], date: dt.date) -> list[OrgVersion]:
    """``versions`` (the tree on ``date`` as a user may read it) with the parent each row had
    that day when that parent is missing but the row sits today under another of the rows:
    the cells a committee received later (by a merge or a move) then nest under the
    committee they belonged to, instead of standing as orphans above it. Such a parent is
    marked ``former_parent`` (shown, not linked); the changes that brought its cells over
    already name it on the reader's pages. Tree order (by path on ``date``); two queries."""
    if not versions:
        return versions
    present = {v.organization_id for v in versions}
    paths_now = dict(Organization.objects.filter(pk__in=present).values_list("pk", "path"))
    # Only parents one level up are ever fetched: a row whose parent then is also missing,
    # and which is not inside another row today, is a top of the reader's scope.
    tops_now = sorted(paths_now.values())

    def inside_another(org_id: int) -> bool:
        path = paths_now[org_id]
        return any(path != p and path.startswith(p) for p in tops_now)

    wanted = {v.parent_id for v in versions if v.parent_id and v.parent_id not in present and inside_another(v.organization_id)}
    if not wanted:
        return versions
    parents = list(
        OrgVersion.objects.as_of(date)
        .filter(organization_id__in=wanted)
        .select_related("organization", "organization__successor", "kind")
    )
    for parent in parents:
        parent.former_parent = True  # type: ignore[attr-defined]
    return sorted([*versions, *parents], key=lambda v: v.path)


@login_required
@require_GET
def organization_tree_as_of(request: HttpRequest) -> HttpResponse:
    """The tree as it was on a past date, with the names and places it had then."""
    raw = request.GET.get("ngay", "").strip()
    context: dict[str, Any] = {"raw_date": raw, "rows": []}
    date: dt.date | None = None
    if not raw:
        context["error"] = _("Hãy nhập ngày cần xem theo dạng dd/mm/yyyy.")
    else:
        try:
            date = parse_date(raw)
        except ValueError:
            context["error"] = _("Ngày «%(raw)s» không hợp lệ. Hãy nhập theo dạng dd/mm/yyyy, ví dụ 31/12/2020.") % {"raw": raw}
    if date is not None:
        versions = with_former_parents(services.tree_as_of(date, user=request.user), date)
        top = min((v.depth for v in versions), default=1)
        visible = set(_visible(request).filter(pk__in=[v.organization_id for v in versions]).values_list("pk", flat=True))
        context.update(
            date=date,
            raw_date=format_date(date),
            rows=[(v, v.depth - top, v.organization_id in visible) for v in versions],
        )
    return render(request, "orgs/tree_as_of.html", context, status=400 if "error" in context else 200)


# ---------------------------------------------------------------------------------------
# Organization page


SEAT_ORDER = {role: i for i, role in enumerate(SeatRole.values)}


def _terms_with_seats(request: HttpRequest, org: Organization) -> list[Term]:
    """Terms newest first, each with ``seat_rows``: secretary first, then deputies, then members."""
    terms = list(Term.objects.for_user(request.user).filter(organization=org).order_by("-starts_on").prefetch_related("seats"))
    for term in terms:
        term.seat_rows = sorted(term.seats.all(), key=lambda s: (SEAT_ORDER.get(s.role, 99), s.started_on))
    return terms


@login_required
@require_GET
def organization_detail(request: HttpRequest, code: str) -> HttpResponse:
    org = _get_org(request, code)
    user: Any = request.user
    visible = _visible(request)
    active = org.dissolved_on is None
    context = {
        "org": org,
        "ancestors": list(visible.ancestors_of(org)),
        "children": list(visible.children_of(org).select_related("kind")),
        "predecessors": list(visible.filter(successor=org)),
        "terms": _terms_with_seats(request, org),
        "changes": list(
            OrgChange.objects.for_user(user).filter(links__organization=org).distinct().order_by("-effective_on", "-id")
        ),
        "history": organization_history(org, user=user),
        "panels": organization_panels(user, org),
        "can_restructure": active and user.has_perm("orgs.restructure", org),
        "can_found": active and not org.is_cell and user.has_perm("orgs.found_under", org),
        "can_edit_terms": user.has_perm("orgs.restructure", org),
    }
    return render(request, "orgs/detail.html", context)


# ---------------------------------------------------------------------------------------
# Changes: a form, its preview (nothing saved), and the save


@dataclass(frozen=True)
class ChangeFlow:
    slug: str
    url_part: str
    form_class: type[org_forms.ChangeForm]
    permission: str
    title: Any
    hint: Any = ""


FLOWS: dict[str, ChangeFlow] = {
    flow.slug: flow
    for flow in (
        ChangeFlow(
            "found",
            "thanh-lap",
            org_forms.FoundForm,
            "orgs.found_under",
            gettext_lazy("Thành lập tổ chức trực thuộc"),
            gettext_lazy("Tổ chức mới được thành lập trực thuộc tổ chức này."),
        ),
        ChangeFlow("rename", "doi-ten", org_forms.RenameForm, "orgs.restructure", gettext_lazy("Đổi tên")),
        ChangeFlow(
            "move",
            "chuyen",
            org_forms.MoveForm,
            "orgs.restructure",
            gettext_lazy("Chuyển trực thuộc"),
            gettext_lazy("Các tổ chức cấp dưới chuyển theo."),
        ),
        ChangeFlow(
            "merge",
            "hop-nhat",
            org_forms.MergeForm,
            "orgs.restructure",
            gettext_lazy("Hợp nhất / sáp nhập"),
            gettext_lazy("Tổ chức trực thuộc và đảng viên của các tổ chức bị hợp nhất chuyển sang tổ chức nhận."),
        ),
        ChangeFlow(
            "split",
            "chia-tach",
            org_forms.SplitForm,
            "orgs.restructure",
            gettext_lazy("Chia tách"),
            gettext_lazy("Mỗi tổ chức trực thuộc đang hoạt động phải được giao cho một tổ chức mới."),
        ),
        ChangeFlow(
            "dissolve",
            "giai-the",
            org_forms.DissolveForm,
            "orgs.restructure",
            gettext_lazy("Giải thể / kết thúc hoạt động"),
            gettext_lazy("Chỉ giải thể được khi không còn tổ chức trực thuộc đang hoạt động."),
        ),
    )
}


def _change_form_page(
    request: HttpRequest, flow: ChangeFlow, org: Organization, form: org_forms.ChangeForm, result: Any = None
) -> HttpResponse:
    context = {
        "flow": flow,
        "org": org,
        "form": form,
        "org_label": org_labels.label(org, user=request.user),
        "result": result,
        "preview_url": reverse(f"orgs:organization_{flow.slug}_preview", args=[org.code]),
        "save_url": reverse(f"orgs:organization_{flow.slug}_save", args=[org.code]),
        "cancel_url": reverse("orgs:organization_detail", args=[org.code]),
    }
    if result is not None:
        context["hidden"] = [(k, v) for k in request.POST if k != "csrfmiddlewaretoken" for v in request.POST.getlist(k)]
    return render(request, "orgs/change_form.html", context)


def _load_for_change(request: HttpRequest, code: str, flow: ChangeFlow) -> Organization:
    org = _get_org(request, code, flow.permission)
    if org.dissolved_on is not None:
        raise PermissionDenied(_("«%(name)s» đã giải thể: không thể thay đổi.") % {"name": org.name})
    return org


@login_required
@require_GET
def change_form(request: HttpRequest, code: str, flow: str) -> HttpResponse:
    change = FLOWS[flow]
    org = _load_for_change(request, code, change)
    return _change_form_page(request, change, org, change.form_class(organization=org, user=request.user))


@login_required
@require_POST
def change_preview(request: HttpRequest, code: str, flow: str) -> HttpResponse:
    """Run the change and roll it back: the page lists its effects, nothing is saved."""
    change = FLOWS[flow]
    org = _load_for_change(request, code, change)
    form = change.form_class(request.POST, organization=org, user=request.user)
    result = None
    if form.is_valid():
        try:
            result = preview(form.service, **form.service_kwargs(user=request.user))
        except ValidationError as exc:
            add_service_errors(form, exc)
        # The service changed these objects in memory before the rollback: read them again.
        org.refresh_from_db()
    return _change_form_page(request, change, org, form, result)


@login_required
@require_POST
def change_save(request: HttpRequest, code: str, flow: str) -> HttpResponse:
    change = FLOWS[flow]
    org = _load_for_change(request, code, change)
    form = change.form_class(request.POST, organization=org, user=request.user)
    if form.is_valid():
        try:
            result = form.service(**form.service_kwargs(user=request.user))
        except ValidationError as exc:
            add_service_errors(form, exc)
            org.refresh_from_db()
        else:
            messages.success(request, " ".join(result.effects))
            return _detail_redirect(result.organization or org)
    return _change_form_page(request, change, org, form)


# ---------------------------------------------------------------------------------------
# Terms and committee seats


def _simple_form_page(request: HttpRequest, org: Organization, form: Any, title: str, **extra: Any) -> HttpResponse:
    return render(request, "orgs/simple_form.html", {"org": org, "form": form, "title": title, **extra})


@login_required
@require_http_methods(["GET", "POST"])
def term_create(request: HttpRequest, code: str) -> HttpResponse:
    org = _get_org(request, code, "orgs.restructure")
    form = org_forms.TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_create(organization=org, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm nhiệm kỳ %(name)s.") % {"name": term.name})
            return _detail_redirect(org)
    return _simple_form_page(request, org, form, _("Thêm nhiệm kỳ"))


@login_required
@require_http_methods(["GET", "POST"])
def seat_assign(request: HttpRequest, code: str, term_id: int) -> HttpResponse:
    org = _get_org(request, code, "orgs.restructure")
    term = get_object_or_404(Term.objects.for_user(request.user), pk=term_id, organization=org)
    form = org_forms.SeatForm(request.POST or None, term=term)
    if request.method == "POST" and form.is_valid():
        try:
            seat = services.seat_assign(term=term, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận %(seat)s, nhiệm kỳ %(term)s.") % {"seat": seat, "term": term.name})
            return _detail_redirect(org)
    return _simple_form_page(request, org, form, _("Thêm chức danh cấp ủy – nhiệm kỳ %(term)s") % {"term": term.name})


@login_required
@require_http_methods(["GET", "POST"])
def seat_end(request: HttpRequest, code: str, seat_id: int) -> HttpResponse:
    org = _get_org(request, code, "orgs.restructure")
    seat = get_object_or_404(
        CommitteeSeat.objects.for_user(request.user).select_related("term"), pk=seat_id, term__organization=org
    )
    form = org_forms.SeatEndForm(request.POST or None, initial={"ended_on": seat.ended_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_end(seat=seat, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            text = _("%(seat)s thôi giữ chức danh từ ngày %(date)s.") % {"seat": seat, "date": format_date(seat.ended_on)}
            messages.success(request, text)
            return _detail_redirect(org)
    title = _("Kết thúc chức danh: %(seat)s") % {"seat": seat}
    return _simple_form_page(request, org, form, title, seat=seat)
