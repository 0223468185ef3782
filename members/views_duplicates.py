"""The page of possible duplicates («Đảng viên có thể trùng»): pairs of records of the
user's scope that are likely one person, a pair side by side, its merge and its dismissal.

For register keepers (``members.add``: they keep a register somewhere; others get 403).
Every member is read through ``Member.objects.for_user`` (outside the scope: 404); a merge
or a dismissal needs the register of both members' cells (``members.change`` on both, else
403). The changes are ``members.services_merge`` functions.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from lib.forms import BootstrapForm, add_service_errors
from lib.history import HIDDEN, format_value
from members import duplicates, services_merge
from members.forms import OrganizationScopeForm
from members.models import Member
from members.permissions import can_see_personal_data

PAGE_LIMIT = 200

COMPARED = (
    "family_name",
    "middle_name",
    "given_name",
    "other_names",
    "sex",
    "birth_date",
    "hometown",
    "residence",
    "national_id",
    "phone",
    "ethnicity",
    "religion",
    "general_education",
    "professional_education",
    "professional_education_text",
    "political_theory",
    "job",
    "post",
    "host_unit",
    "organization",
    "status",
    "admitted_on",
    "full_member_on",
    "card_number",
    "profile_number",
)
PERSONAL = {"national_id", "phone"}


class MergeForm(BootstrapForm):
    keep = forms.TypedChoiceField(label=gettext_lazy("Hồ sơ được giữ"), coerce=int, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=gettext_lazy("Lý do gộp"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Ghi vào lịch sử của hồ sơ được giữ, cùng người gộp và thời điểm gộp."),
    )

    def __init__(self, *args: Any, pair: tuple[Member, Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["keep"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(m.pk, f"{m.full_name} — {m.organization.name} (mã {m.pk})") for m in pair]
        self.initial.setdefault("keep", pair[0].pk)


class DismissForm(BootstrapForm):
    reason = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=255, required=False)


def _require_keeper(request: HttpRequest) -> None:
    if not request.user.has_perm("members.add"):
        raise PermissionDenied(_("Trang này dành cho người quản lý hồ sơ đảng viên."))


def _pair(request: HttpRequest, pk: int, other: int) -> tuple[Member, Member]:
    visible = Member.objects.for_user(request.user).select_related(
        "organization", "ethnicity", "religion", "general_education", "professional_education", "political_theory"
    )
    return get_object_or_404(visible, pk=pk), get_object_or_404(visible, pk=other)


def _require_both(request: HttpRequest, a: Member, b: Member) -> None:
    for m in (a, b):
        if not request.user.has_perm("members.change", m):
            raise PermissionDenied(
                _("Bạn không quản lý hồ sơ đảng viên của «%(cell)s»: không gộp được.") % {"cell": m.organization.name}
            )


@login_required
@require_GET
def duplicate_list(request: HttpRequest) -> HttpResponse:
    _require_keeper(request)
    # Narrowed to an organization of the scope with the member list's picker; empty: the whole scope.
    form = OrganizationScopeForm(request.GET or None, user=request.user)
    valid = form.is_valid() if form.is_bound else True
    organization = form.cleaned_data.get("organization") if form.is_bound and valid else None
    pairs = duplicates.likely_duplicates_in_scope(request.user, organization) if valid else []
    context = {"form": form, "pairs": pairs[:PAGE_LIMIT], "total": len(pairs), "limit": PAGE_LIMIT}
    return render(request, "members/duplicates_list.html", context)


def _rows(user: Any, a: Member, b: Member) -> list[dict[str, Any]]:
    rows = []
    shown = {m.pk: can_see_personal_data(user, m) for m in (a, b)}
    for name in COMPARED:
        f = Member._meta.get_field(name)
        assert isinstance(f, models.Field)
        values = []
        for m in (a, b):
            if name in PERSONAL and not shown[m.pk]:
                values.append(str(HIDDEN))
                continue
            value = getattr(m, name)
            values.append(str(value) if f.is_relation and value is not None else format_value(f, value))
        rows.append(
            {"label": str(f.verbose_name).capitalize(), "a": values[0], "b": values[1], "differs": values[0] != values[1]}
        )
    return rows


def _counts(member: Member) -> list[tuple[str, int]]:
    out = []
    for rel in services_merge._reverse_relations():
        model = rel.related_model
        assert isinstance(model, type)
        count = model._default_manager.filter(**{rel.field.name: member}).count()  # type: ignore[attr-defined]
        if count:
            out.append((str(model._meta.verbose_name), count))
    return out


def _compare_page(
    request: HttpRequest, a: Member, b: Member, merge_form: MergeForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    can = user.has_perm("members.change", a) and user.has_perm("members.change", b)
    context = {
        "a": a,
        "b": b,
        "same": a.pk == b.pk,
        "match": duplicates.pair_match(a, b) if a.pk != b.pk else None,
        "problems": services_merge.merge_problems(a, b),
        "rows": _rows(user, a, b),
        "counts": (_counts(a), _counts(b)),
        "can_merge": can,
        "merge_form": merge_form or MergeForm(pair=(a, b)),
        "dismiss_form": DismissForm(),
    }
    return render(request, "members/duplicates_compare.html", context, status=status)


@login_required
@require_GET
def duplicate_compare(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    a, b = _pair(request, pk, other)
    _require_keeper(request)
    return _compare_page(request, a, b, status=400 if a.pk == b.pk else 200)


@login_required
@require_POST
def duplicate_merge(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    a, b = _pair(request, pk, other)
    _require_both(request, a, b)
    form = MergeForm(request.POST, pair=(a, b))
    if a.pk != b.pk and form.is_valid():
        keep, drop = (a, b) if form.cleaned_data["keep"] == a.pk else (b, a)
        try:
            result = services_merge.member_merge(keep=keep, drop=drop, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, " ".join(result.effects))
            return redirect("members:member_detail", pk=keep.pk)
    elif a.pk == b.pk:
        form.add_error(None, _("Hai hồ sơ là một."))
    return _compare_page(request, a, b, form, status=400)


@login_required
@require_POST
def duplicate_dismiss(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    a, b = _pair(request, pk, other)
    _require_both(request, a, b)
    form = DismissForm(request.POST)
    if a.pk == b.pk or not form.is_valid():
        return _compare_page(request, a, b, status=400)
    services_merge.duplicate_dismiss(first=a, second=b, user=request.user, reason=form.cleaned_data["reason"])
    messages.success(
        request,
        _("Đã ghi nhận %(a)s và %(b)s là hai người khác nhau; cặp này không còn trong danh sách.")
        % {"a": a.full_name, "b": b.full_name},
    )
    return redirect("members:duplicate_list")
