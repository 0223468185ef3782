"""Pages of the member register: the list, a member's page and printable profile, the
statistics, the working lists (probation, badges, overdue transfers) and the action forms
(form → preview, nothing saved → save).

Every read starts from ``Member.objects.for_user``: outside the user's scope a page answers
404; inside it, an action the rules refuse answers 403 (``members.permissions``). Changes
are ``members.services`` functions; these views parse, preview, save and redirect.
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
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from lib.dates import format_date
from lib.forms import add_service_errors
from lib.i18n import lazy_format
from lib.services import preview
from lib.text import fold
from members import forms as member_forms
from members import pages_support, rules, selectors
from members import tables as member_tables
from members.columns import PAGE_COLUMNS
from members.filters import MAX_SEARCH_WORDS, MemberFilter, OrganizationPickerInput
from members.models import Member, MemberQuerySet, MembershipKind, Status, Transfer, TransferKind, TransferStatus
from members.permissions import can_see_personal_data
from orgs import labels as org_labels
from orgs.models import Organization

PER_PAGE = 50
MAX_PER_PAGE = 500


def _visible(request: HttpRequest) -> MemberQuerySet:
    return Member.objects.for_user(request.user)


def _get_member(request: HttpRequest, pk: int, perm: str | None = None) -> Member:
    """The member ``pk`` if the user may read it (else 404) and holds ``perm`` (else 403)."""
    member = get_object_or_404(
        _visible(request).select_related(
            "organization",
            "temporary_organization",
            "ethnicity",
            "religion",
            "general_education",
            "professional_education",
            "political_theory",
        ),
        pk=pk,
    )
    if perm and not request.user.has_perm(perm, member):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với hồ sơ của %(name)s.") % {"name": member})
    return member


def _export_urls(request: HttpRequest) -> dict[str, str]:
    """The export links of the list with the page's query string, when the export pages exist."""
    query = request.GET.copy()
    query.pop("page", None)
    suffix = f"?{query.urlencode()}" if query else ""
    urls = {}
    for key, name in (("xlsx", "members:member_export_xlsx"), ("csv", "members:member_export_csv")):
        try:
            urls[key] = reverse(name) + suffix
        except NoReverseMatch:
            continue
    return urls


# ---------------------------------------------------------------------------------------
# The list


def _per_page(request: HttpRequest) -> int:
    """``?per_page=``, between 1 and ``MAX_PER_PAGE``; ``PER_PAGE`` when absent or not a number."""
    try:
        return min(max(int(request.GET.get("per_page", PER_PAGE)), 1), MAX_PER_PAGE)
    except ValueError:
        return PER_PAGE


@login_required
@require_GET
def member_list(request: HttpRequest) -> HttpResponse:
    """The list: the FilterSet's rows, a page of them and their count, as a plain table."""
    return render(request, "members/list.html", member_list_context(request))


def member_list_context(request: HttpRequest) -> dict[str, Any]:
    """Everything the list page shows, for ``request.user`` and ``request.GET`` (the benchmark times it)."""
    user = request.user
    filterset = MemberFilter(request.GET, queryset=_visible(request), request=request)
    searched = bool(filterset.form.is_valid() and filterset.form.cleaned_data.get("q"))
    paginator = member_tables.ListPaginator(filterset.qs, _per_page(request), count_in_page=searched)
    page = paginator.get_page(request.GET.get("page"))
    personal = member_tables.shows_personal_data(user)
    columns = [c for c in PAGE_COLUMNS if personal or not c.personal]
    sort = request.GET.get("sort", "")
    selectable = user.has_perm("members.add")  # keeps a register somewhere: may move members in bulk
    context = {
        "filter": filterset,
        "organization_picker": _picker_state(filterset),
        "headers": member_tables.headers(columns, request.path, request.GET, sort),
        "body": member_tables.body_html(page.object_list, user, columns, selectable=selectable),
        "selectable": selectable,
        "personal": personal,
        "page": page,
        "pager": member_tables.pager(page, paginator, request.path, request.GET),
        "total": paginator.count,
        "export_urls": _export_urls(request),
        "can_add": user.has_perm("members.add"),
        "sort": sort,
    }
    return context


@dataclass(frozen=True)
class PickerState:
    code: str  # the hidden input's value
    text: str  # the text box's: the chosen organization's label (name — parent), or what was typed


def _picker_state(filterset: MemberFilter) -> PickerState:
    form = filterset.form
    form.is_valid()  # cleans every field; another field's error leaves the organization's value
    org = form.cleaned_data.get("organization")
    if org is not None:
        return PickerState(org.code, org_labels.label(org, user=filterset.request.user))
    field = form["organization"]
    text = form.data.get(f"{field.html_name}{OrganizationPickerInput.text_suffix}")
    code = form.data.get(field.html_name) or ""
    return PickerState(code, text if text is not None else code)


PICKER_LIMIT = 20


@login_required
@require_GET
def organization_picker(request: HttpRequest) -> HttpResponse:
    """Options for the organization picker of the list's filter (an htmx partial): at most
    ``PICKER_LIMIT`` active organizations of the user's scope whose code, name or short name
    holds every word of ``q`` (folded: no diacritics, đ → d), upper levels first, an exact
    code first of all. Nothing outside the scope is ever listed."""
    query = request.GET.get("q", "").strip()
    orgs = Organization.objects.for_user(request.user).active()
    words = fold(query).split()[:MAX_SEARCH_WORDS]
    for word in words:
        orgs = orgs.filter(search_text__contains=word)
    found = list(orgs.order_by("depth", "path").values("code", "name", "short_name", "path", "depth")[: PICKER_LIMIT + 1])
    more = len(found) > PICKER_LIMIT
    found = found[:PICKER_LIMIT]
    exact = [o for o in found if o["code"] == query]
    if query and not exact:
        exact = list(orgs.filter(code=query).values("code", "name", "short_name", "path", "depth"))
    options = exact + [o for o in found if o["code"] != query][: PICKER_LIMIT - len(exact)]
    # Same-named cells are told apart by their parent, named only when the user may read it.
    parents = org_labels.parent_names((o["path"] for o in options), user=request.user)
    for o in options:
        o["parent"] = parents.get(org_labels.parent_path(o["path"]), "")
        o["label"] = org_labels.org_label(o["name"], o["parent"])
    return render(request, "members/_org_options.html", {"options": options, "more": more, "query": query})


# ---------------------------------------------------------------------------------------
# A member


@dataclass(frozen=True)
class Button:
    url: str
    label: str
    style: str = "btn-outline-primary"


def _action_buttons(request: HttpRequest, member: Member) -> list[Button]:
    if not request.user.has_perm("members.change", member):
        return []
    return [
        Button(reverse(f"members:{action.name}", args=[member.pk]), str(action.title))
        for action in ACTIONS.values()
        if action.scope == "member" and action.available(member) and not action.unavailable_reason(request.user, member)
    ]


def _handed_up(request: HttpRequest, member: Member) -> str:
    """What the member page says about the moves the user cannot record (see ``Action.unavailable_reason``)."""
    if not request.user.has_perm("members.change", member):
        return ""
    for action in ACTIONS.values():
        if action.scope == "member" and action.available(member):
            reason = action.unavailable_reason(request.user, member)
            if reason:
                return str(reason)
    return ""


@login_required
@require_GET
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = _get_member(request, pk)
    today = dt.date.today()
    can_change = request.user.has_perm("members.change", member)
    transfers = pages_support.transfer_rows(member, today)
    for row in transfers:
        row.buttons = []
        if can_change and row.transfer.status == TransferStatus.OPEN and row.transfer.kind == TransferKind.WITHIN:
            for name in ("transfer_issue_letter", "transfer_complete", "transfer_cancel"):
                row.buttons.append(
                    Button(reverse(f"members:{name}", args=[member.pk, row.transfer.pk]), str(ACTIONS[name].title))
                )
    context = {
        "member": member,
        "today": today,
        "age": member.age(today),
        "party_age": member.party_age(today),
        "youth": member.is_youth(today),
        "next_badge": member.next_badge() if member.is_in_party else None,
        "probation_ends_on": member.probation_ends_on() if member.status == Status.PROBATIONARY else None,
        "timeline": selectors.member_timeline(member),
        "memberships": list(member.memberships.select_related("organization").order_by("-started_on", "-id")),
        "transfers": transfers,
        "badges": list(member.badge_awards.all()),
        "history": pages_support.history_entries(member, request.user),
        "buttons": _action_buttons(request, member),
        "handed_up": _handed_up(request, member),
        "temporary_kind": MembershipKind.TEMPORARY,
        "show_personal_data": can_see_personal_data(request.user, member),
    }
    return render(request, "members/detail.html", context)


@login_required
@require_GET
def my_record(request: HttpRequest) -> HttpResponse:
    """«Hồ sơ của tôi»: the member record linked to the account, or a page saying there is none."""
    member = Member.objects.filter(user_id=request.user.pk or 0).only("pk").first()
    if member is not None:
        return redirect("members:member_detail", pk=member.pk)
    return render(request, "members/my_record_missing.html", status=404)


def _attachment(response: HttpResponse, member: Member, ext: str) -> HttpResponse:
    name = f"phieu-dang-vien-{member.pk}.{ext}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def member_profile_docx(request: HttpRequest, pk: int) -> HttpResponse:
    member = _get_member(request, pk)
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    document = pages_support.profile_docx(member, personal=can_see_personal_data(request.user, member))
    return _attachment(HttpResponse(document, content_type=content_type), member, "docx")


@login_required
@require_GET
def member_profile_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    member = _get_member(request, pk)
    document = pages_support.profile_pdf(member, personal=can_see_personal_data(request.user, member))
    return _attachment(HttpResponse(document, content_type="application/pdf"), member, "pdf")


# ---------------------------------------------------------------------------------------
# Statistics and working lists


def _default_org(user: Any, form: member_forms.ScopeForm) -> Organization | None:
    primary = user.primary_organization()
    if primary is not None and form.organizations.filter(pk=primary.pk).exists():
        return primary
    return None


def _scope_form(request: HttpRequest, form_class: type[member_forms.ScopeForm]) -> tuple[Any, Organization | None, dt.date]:
    """The bound filter form, the organization to count (default: the user's primary one) and the date."""
    data = request.GET.copy()
    form = form_class(data or None, user=request.user)
    today = dt.date.today()
    if not data:
        org = _default_org(request.user, form)
        defaults = {"organization": org.code if org else "", "on": format_date(today)}
        if "start" in form.fields:
            defaults.update(start=format_date(dt.date(today.year, 1, 1)), end=format_date(today))
        form = form_class(defaults, user=request.user)
    if not form.is_valid():
        return form, None, today
    return form, form.cleaned_data.get("organization"), form.cleaned_data.get("on") or today


@dataclass
class DimensionTable:
    key: str
    title: str
    rows: list[tuple[str, int, float]]
    total: int


DIMENSION_TITLES = {
    "status": gettext_lazy("Theo trạng thái"),
    "sex": gettext_lazy("Theo giới tính"),
    "age_band": gettext_lazy("Theo độ tuổi"),
    "ethnicity": gettext_lazy("Theo dân tộc"),
    "religion": gettext_lazy("Theo tôn giáo"),
    "general_education": gettext_lazy("Theo trình độ giáo dục phổ thông"),
    "professional_education": gettext_lazy("Theo trình độ chuyên môn"),
    "political_theory": gettext_lazy("Theo trình độ lý luận chính trị"),
    "youth": lazy_format(gettext_lazy("Đảng viên trẻ (từ %(age)s tuổi trở xuống)"), age=rules.YOUTH_MAX_AGE),
}


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def statistics_tables(stats: selectors.MemberStatistics) -> list[DimensionTable]:
    tables = []
    for key, rows in stats.dimensions().items():
        tables.append(
            DimensionTable(
                key, str(DIMENSION_TITLES[key]), [(r.label, r.count, _percent(r.count, stats.total)) for r in rows], stats.total
            )
        )
    youth_rows = [
        (_("Từ %(age)s tuổi trở xuống") % {"age": rules.YOUTH_MAX_AGE}, stats.youth, _percent(stats.youth, stats.total)),
        (
            _("Trên %(age)s tuổi") % {"age": rules.YOUTH_MAX_AGE},
            stats.total - stats.youth,
            _percent(stats.total - stats.youth, stats.total),
        ),
    ]
    tables.append(DimensionTable("youth", str(DIMENSION_TITLES["youth"]), youth_rows, stats.total))
    return tables


@login_required
@require_GET
def member_statistics(request: HttpRequest) -> HttpResponse:
    form, org, on = _scope_form(request, member_forms.StatisticsForm)
    context: dict[str, Any] = {"form": form, "organization": org, "on": on}
    if form.is_valid():
        members = _visible(request)
        # Whoever may read the organization reads its counts as the tree stood on the date.
        user: Any = request.user  # login_required: a User
        whole = org is not None and user.scope.can_read_path(org.path)
        stats = selectors.member_statistics(members, on=on, organization=org, whole=whole)
        start = form.cleaned_data.get("start") or dt.date(on.year, 1, 1)
        end = form.cleaned_data.get("end") or on
        changes = selectors.changes_in_period(members, start=start, end=end, organization=org, whole=whole)
        tables = statistics_tables(stats)
        context.update(
            stats=stats,
            tables=tables,
            changes=changes,
            start=start,
            end=end,
            chart_data={
                "dimensions": [
                    {"key": t.key, "title": t.title, "labels": [r[0] for r in t.rows], "counts": [r[1] for r in t.rows]}
                    for t in tables
                ],
                "changes": {
                    "title": _("Biến động từ %(start)s đến %(end)s") % {"start": format_date(start), "end": format_date(end)},
                    "labels": [r.label for r in changes.rows()],
                    "counts": [r.count for r in changes.rows()],
                },
            },
        )
    return render(request, "members/statistics.html", context, status=200 if form.is_valid() else 400)


def _scoped_members(request: HttpRequest, org: Organization | None) -> MemberQuerySet:
    members = _visible(request)
    return members.in_organization(org) if org is not None else members


@login_required
@require_GET
def member_probation_due(request: HttpRequest) -> HttpResponse:
    form, org, on = _scope_form(request, member_forms.ScopeForm)
    rows = selectors.probationary_due_for_full(_scoped_members(request, org), on=on) if form.is_valid() else []
    context = {
        "form": form,
        "rows": rows,
        "on": on,
        "within_days": selectors.PROBATION_DUE_WITHIN_DAYS,
        "title": _("Đảng viên dự bị đến hạn xét công nhận chính thức"),
    }
    return render(request, "members/probation_due.html", context)


@login_required
@require_GET
def member_badges_due(request: HttpRequest) -> HttpResponse:
    form, org, _on = _scope_form(request, member_forms.BadgesDueForm)
    award_on = form.award_on(dt.date.today()) if form.is_valid() else None  # the form shows the same date
    rows = selectors.badges_due(_scoped_members(request, org), award_date=award_on) if award_on else []
    context = {"form": form, "rows": rows, "award_on": award_on, "title": _("Đảng viên đến hạn xét tặng Huy hiệu Đảng")}
    return render(request, "members/badges_due.html", context)


@login_required
@require_GET
def transfer_overdue(request: HttpRequest) -> HttpResponse:
    form, org, on = _scope_form(request, member_forms.ScopeForm)
    rows = selectors.overdue_transfers(_scoped_members(request, org), on=on) if form.is_valid() else []
    context = {"form": form, "rows": rows, "on": on, "title": _("Chuyển sinh hoạt đảng quá hạn")}
    return render(request, "members/transfers_overdue.html", context)


# ---------------------------------------------------------------------------------------
# Actions: a form (GET), its preview (POST, nothing saved), its save (POST)


MOVES_HANDED_UP = gettext_lazy(
    "Chuyển sinh hoạt sang chi bộ khác trong Đảng bộ và sinh hoạt tạm thời tại chi bộ khác do đảng ủy cơ sở "
    "hoặc ban tổ chức của cấp ủy cấp trên ghi, vì chi bộ nơi đến nằm ngoài phạm vi của bạn. "
    "Bạn vẫn ghi được việc chuyển sinh hoạt ra ngoài Đảng bộ."
)


@dataclass(frozen=True)
class Action:
    name: str  # URL name, e.g. "member_status_change"
    url_part: str
    form_class: type[member_forms.ActionForm]
    title: Any
    scope: str = "member"  # "new" (no member yet), "member", or "transfer"
    hint: Any = ""
    # The form picks a destination cell among those the user can read (other than the
    # member's own): see ``unavailable_reason``.
    needs_destination: bool = False

    def available(self, member: Member) -> bool:
        """Whether the action makes sense for the member's present state (the service has the last word)."""
        in_party = member.is_in_party
        if self.name in {"member_status_change", "member_transfer_within", "member_transfer_out", "member_attach"}:
            return in_party
        if self.name == "member_end_temporary":
            return in_party and member.temporary_organization_id is not None
        if self.name == "member_badge_award":
            return in_party and member.full_member_on is not None
        if self.name == "member_return":
            return member.status == Status.TRANSFERRED_OUT
        return True

    def unavailable_reason(self, user: Any, member: Member | None) -> str:
        """Why ``user`` cannot complete this action on ``member`` at all ("" when they can).

        A cell secretary's scope is their own cell, so a move or a temporary attachment to
        another cell of the committee has no destination they may pick; the form would
        show an empty list and end in "Trường này là bắt buộc". We offer only what the
        user can complete: these two actions are not offered to them, and the page says
        who records them (the base committee or the upper level's organization board, who
        see both cells). A transfer out of the committee (to a party committee typed by
        name) stays in their power and stays offered.
        """
        if not self.needs_destination or member is None:
            return ""
        if member_forms.destination_cells(user, member).exists():
            return ""
        return str(MOVES_HANDED_UP)


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("member_create", "them", member_forms.MemberCreateForm, gettext_lazy("Thêm đảng viên"), "new"),
        Action(
            "member_transfer_in",
            "tiep-nhan",
            member_forms.TransferInForm,
            gettext_lazy("Tiếp nhận đảng viên từ nơi khác"),
            "new",
            gettext_lazy("Đảng viên chuyển sinh hoạt chính thức đến từ đảng bộ ngoài hệ thống."),
        ),
        Action(
            "member_update",
            "sua-thong-tin",
            member_forms.MemberEditForm,
            gettext_lazy("Sửa thông tin cá nhân"),
            hint=gettext_lazy("Ngày vào Đảng, trạng thái và chi bộ được thay đổi bằng các chức năng riêng."),
        ),
        Action("member_status_change", "trang-thai", member_forms.StatusForm, gettext_lazy("Thay đổi trạng thái")),
        Action(
            "member_transfer_within",
            "chuyen-sinh-hoat",
            member_forms.TransferWithinForm,
            gettext_lazy("Chuyển sinh hoạt trong Đảng bộ"),
            hint=gettext_lazy("Đảng viên vẫn thuộc chi bộ cũ cho đến ngày nộp giấy giới thiệu cho chi bộ mới."),
            needs_destination=True,
        ),
        Action("member_transfer_out", "chuyen-di", member_forms.TransferOutForm, gettext_lazy("Chuyển sinh hoạt ra ngoài")),
        Action("member_return", "tiep-nhan-lai", member_forms.ReturnForm, gettext_lazy("Tiếp nhận lại")),
        Action(
            "member_attach",
            "sinh-hoat-tam-thoi",
            member_forms.AttachForm,
            gettext_lazy("Sinh hoạt tạm thời"),
            hint=gettext_lazy("Đảng viên sinh hoạt tạm thời không có quyền biểu quyết và không tính vào số lượng của chi bộ đó."),
            needs_destination=True,
        ),
        Action(
            "member_end_temporary",
            "ket-thuc-tam-thoi",
            member_forms.EndTemporaryForm,
            gettext_lazy("Kết thúc sinh hoạt tạm thời"),
        ),
        Action("member_badge_award", "huy-hieu", member_forms.BadgeForm, gettext_lazy("Tặng Huy hiệu Đảng")),
        Action(
            "transfer_issue_letter",
            "giay-gioi-thieu",
            member_forms.TransferLetterForm,
            gettext_lazy("Ghi giấy giới thiệu"),
            "transfer",
        ),
        Action(
            "transfer_complete", "hoan-thanh", member_forms.TransferCompleteForm, gettext_lazy("Ghi ngày nộp giấy"), "transfer"
        ),
        Action("transfer_cancel", "huy", member_forms.TransferCancelForm, gettext_lazy("Hủy thủ tục"), "transfer"),
    )
}


@dataclass
class Target:
    member: Member | None
    transfer: Transfer | None
    args: list[int]


def _target(request: HttpRequest, action: Action, pk: int | None, transfer_id: int | None) -> Target:
    """What the action acts on, with the permission checks (404 outside the scope, 403 refused)."""
    if action.scope == "new":
        if not request.user.has_perm("members.add"):
            raise PermissionDenied(_("Bạn không có quyền thêm đảng viên."))
        return Target(None, None, [])
    assert pk is not None
    member = _get_member(request, pk, "members.change")
    if action.scope == "transfer":
        transfer = get_object_or_404(member.transfers.select_related("from_org", "to_org"), pk=transfer_id)
        return Target(member, transfer, [member.pk, transfer.pk])
    return Target(member, None, [member.pk])


def _action_page(request: HttpRequest, action: Action, target: Target, form: Any, result: Any = None) -> HttpResponse:
    unavailable = action.unavailable_reason(request.user, target.member)
    context = {
        "unavailable": unavailable,
        "action": action,
        "member": target.member,
        "transfer": target.transfer,
        "form": form,
        "result": result,
        "preview_url": reverse(f"members:{action.name}_preview", args=target.args),
        "save_url": reverse(f"members:{action.name}_save", args=target.args),
        "cancel_url": reverse("members:member_detail", args=[target.member.pk])
        if target.member
        else reverse("members:member_list"),
    }
    if result is not None:
        context["hidden"] = [(k, v) for k in request.POST if k != "csrfmiddlewaretoken" for v in request.POST.getlist(k)]
    return render(request, "members/action_form.html", context, status=400 if unavailable and request.method == "POST" else 200)


def _form(request: HttpRequest, action: Action, target: Target, data: Any = None) -> Any:
    return action.form_class(data, user=request.user, member=target.member, transfer=target.transfer)


@login_required
@require_GET
def action_form(request: HttpRequest, action: str, pk: int | None = None, transfer_id: int | None = None) -> HttpResponse:
    spec = ACTIONS[action]
    target = _target(request, spec, pk, transfer_id)
    return _action_page(request, spec, target, _form(request, spec, target))


@login_required
@require_POST
def action_preview(request: HttpRequest, action: str, pk: int | None = None, transfer_id: int | None = None) -> HttpResponse:
    """Run the action's service and roll it back: the page lists its effects, nothing is saved."""
    spec = ACTIONS[action]
    target = _target(request, spec, pk, transfer_id)
    form = _form(request, spec, target, request.POST)
    result = None
    if form.is_valid():
        try:
            result = preview(form.service, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
    return _action_page(request, spec, target, form, result)


@login_required
@require_POST
def action_save(request: HttpRequest, action: str, pk: int | None = None, transfer_id: int | None = None) -> HttpResponse:
    spec = ACTIONS[action]
    target = _target(request, spec, pk, transfer_id)
    form = _form(request, spec, target, request.POST)
    if form.is_valid():
        try:
            result = form.service(**form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, " ".join(result.effects))
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("members:member_detail", pk=result.member.pk)
    return _action_page(request, spec, target, form)
