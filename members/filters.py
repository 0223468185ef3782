"""The one FilterSet of the member list, shared by the list page, its exports and the API.

Build it with the reader's queryset and the request::

    MemberFilter(request.GET, queryset=Member.objects.for_user(request.user), request=request)

The organization choices come from the request's user (their scope), so an organization
outside it is refused as an invalid choice. The page picks it with a search-as-you-type
box (``OrganizationPickerInput``; the options come from ``members:organization_picker``),
the API passes its code. Search folds the query like the stored
``search_text`` (no diacritics, đ → d), so "nguyen van duc" finds "Nguyễn Văn Đức"; every
word typed must appear. Sorting uses the stored ``sort_key`` for names (Vietnamese order,
given name first); ``SORTS`` is also what the list table sorts by.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any, cast

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from lib.i18n import lazy_format
from lib.text import fold
from members import rules
from members.columns import SORT_ORDERS, Order
from members.models import Ethnicity, Member, MemberQuerySet, PoliticalTheory, Sex, Status
from members.permissions import personal_data_q
from members.selectors import AGE_BANDS
from orgs.labels import name_part
from orgs.models import Organization
from orgs.scope import subtree_q

IN_PARTY = "in_party"
ALL_STATUSES = "all"
# The list counts the members in the party unless asked otherwise: those transferred out,
# removed, expelled or deceased stay in the register, a filter away ("Tất cả").
DEFAULT_STATUS = IN_PARTY
MAX_SEARCH_WORDS = 6
PICK_CANDIDATES = 50  # organizations a typed name is checked against

# Sort parameter → what it orders by (a descending sort reverses each), from the list's
# columns (``members.columns``): names and ties fall back to the Vietnamese sort key and
# then the primary key, so pages never overlap.
SORTS: Mapping[str, Order] = SORT_ORDERS
DEFAULT_SORT = SORTS["name"]


def sort_fields(value: str) -> Order:
    """What a sort parameter ("birth_date", "-name") orders by; the default when unknown."""
    descending = value.startswith("-")
    fields = SORTS.get(value.lstrip("-"))
    if fields is None:
        return DEFAULT_SORT
    if not descending:
        return fields
    return tuple(f"-{f}" if isinstance(f, str) else cast(Any, f).desc() for f in fields)


def _organizations(request: Any) -> QuerySet[Organization]:
    if request is None or not getattr(request.user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.for_user(request.user).active().order_by("path")


class FastSelect(forms.Select):
    """A ``<select>`` written in Python rather than one template per option.

    Rendering each option through Django's option template cost the list page more than
    its queries (the ethnicity list alone has 54 options). Same markup as ``forms.Select``
    for flat choices.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        selected = {str(v) for v in self.format_value(value)}
        parts: list[str] = [format_html('<select name="{}"{}>', name, flatatt(self.build_attrs(self.attrs, attrs)))]
        for option_value, label in self.choices:
            key = "" if option_value is None else str(option_value)
            mark = " selected" if key in selected else ""
            parts.append(f'<option value="{escape(key)}"{mark}>{escape(label)}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label above is escaped


class _CodeChoices(ModelChoiceIterator):
    """(code, name) pairs read as plain rows: no model instance per option."""

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("code", "name")


class CodeChoiceField(forms.ModelChoiceField):
    """A reference list (dân tộc, lý luận chính trị) by code, as a ``FastSelect``."""

    widget = FastSelect
    iterator = _CodeChoices


class CodeChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = CodeChoiceField


class Picked(str):
    """What the organization picker sent: the chosen code (the string itself) and the text
    in the box beside it (``text``), for the field to resolve."""

    text: str

    def __new__(cls, code: str, text: str) -> Picked:
        picked = super().__new__(cls, code)
        picked.text = text
        return picked


class OrganizationPickerInput(forms.HiddenInput):
    """The hidden code of the organization picker (``templates/members/_org_picker.html``).

    The picker also sends the text of its box as ``<name>_text``. Without that key (the
    API, a link) the value is the code alone; with it, a ``Picked`` the field resolves, so
    that a code or a name typed without JavaScript is read too.
    """

    text_suffix = "_text"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        code = data.get(name) or ""
        text = data.get(f"{name}{self.text_suffix}")
        if text is None:
            return code
        return Picked(code.strip(), text.strip())


class OrganizationField(forms.ModelChoiceField):
    """An organization of the reader's scope, by code; from the picker, by the text typed as well.

    The picker's text wins when it no longer shows the chosen organization: an empty box
    means every organization in scope; otherwise a code, or the one organization whose
    name (or short name) it is, or the one organization it matches.
    """

    widget = OrganizationPickerInput
    default_error_messages = {
        "not_found": _("Không tìm thấy tổ chức «%(text)s» trong phạm vi của bạn."),
        "ambiguous": _("Có nhiều tổ chức khớp với «%(text)s»: hãy chọn trong danh sách hoặc gõ mã tổ chức."),
    }

    def to_python(self, value: Any) -> Organization | None:
        if not isinstance(value, Picked):
            return super().to_python(value)
        text = value.text
        if not text:
            return None
        folded = fold(text)
        if value:
            try:
                org = super().to_python(str(value))
            except forms.ValidationError:
                org = None  # a stale code: the text decides
            # The picker shows the chosen organization as "name — parent" (orgs.labels).
            shown = fold(name_part(text))
            if org is not None and (folded in {fold(org.code), fold(org.short_name)} or shown == fold(org.name)):
                return org
        queryset = cast(QuerySet[Organization], self.queryset)
        by_code = queryset.filter(code=text).first()
        if by_code is not None:
            return by_code
        words = folded.split()[:MAX_SEARCH_WORDS]
        if not words:
            raise forms.ValidationError(self.error_messages["not_found"], code="not_found", params={"text": text})
        matches = queryset.all()
        for word in words:
            matches = matches.filter(search_text__contains=word)
        found = list(matches[:PICK_CANDIDATES])
        exact = [o for o in found if folded in {fold(o.name), fold(o.short_name)}]
        if len(exact) == 1:
            return exact[0]
        if len(found) == 1:
            return found[0]
        code = "ambiguous" if found else "not_found"
        raise forms.ValidationError(self.error_messages[code], code=code, params={"text": text})


class OrganizationFilter(django_filters.ModelChoiceFilter):
    field_class = OrganizationField


def _status_choices() -> list[tuple[str, Any]]:
    return [
        (IN_PARTY, _("Đang trong Đảng (dự bị, chính thức, miễn, đình chỉ)")),
        *Status.choices,
        (ALL_STATUSES, _("Tất cả (kể cả đã chuyển đi, xóa tên, khai trừ, từ trần)")),
    ]


CCCD_WORD = re.compile(rf"\d{{{rules.NATIONAL_ID_DIGITS}}}")


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm kiếm"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Họ tên, số CCCD, số thẻ… (gõ không dấu cũng được)"), "type": "search"}),
    )
    organization = OrganizationFilter(
        label=_("Tổ chức đảng"),
        queryset=_organizations,
        to_field_name="code",
        method="filter_organization",
        empty_label=_("Tất cả trong phạm vi"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        choices=_status_choices,
        method="filter_status",
        empty_label=None,
        widget=FastSelect,
    )
    sex = django_filters.ChoiceFilter(label=_("Giới tính"), choices=Sex.choices, empty_label=_("Tất cả"), widget=FastSelect)
    age_band = django_filters.ChoiceFilter(
        label=_("Độ tuổi"),
        choices=[(key, label) for key, label, _lo, _hi in AGE_BANDS],
        method="filter_age_band",
        empty_label=_("Tất cả"),
        widget=FastSelect,
    )
    ethnicity = CodeChoiceFilter(
        label=_("Dân tộc"), queryset=Ethnicity.objects.all(), to_field_name="code", empty_label=_("Tất cả")
    )
    youth = django_filters.ChoiceFilter(
        label=_("Đảng viên trẻ"),
        choices=[
            ("1", lazy_format(_("Từ %(age)s tuổi trở xuống"), age=rules.YOUTH_MAX_AGE)),
            ("0", lazy_format(_("Trên %(age)s tuổi"), age=rules.YOUTH_MAX_AGE)),
        ],
        method="filter_youth",
        empty_label=_("Tất cả"),
        widget=FastSelect,
    )
    party_age = django_filters.NumberFilter(label=_("Tuổi đảng từ (năm)"), method="filter_party_age", min_value=0, max_value=100)
    admitted_year = django_filters.NumberFilter(
        label=_("Năm vào Đảng"), method="filter_admitted_year", min_value=1930, max_value=2100
    )
    political_theory = CodeChoiceFilter(
        label=_("Lý luận chính trị"), queryset=PoliticalTheory.objects.all(), to_field_name="code", empty_label=_("Tất cả")
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sắp xếp"),
        choices=[(v, v) for name in SORTS for v in (name, f"-{name}")],
        method="filter_sort",
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Member
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, reference_date: dt.date | None = None, **kwargs: Any) -> None:
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = DEFAULT_STATUS
        super().__init__(data, *args, **kwargs)
        self.reference_date = reference_date or dt.date.today()

    @property
    def form(self) -> forms.Form:
        form = super().form
        if not getattr(form, "styled", False):
            for field in form.fields.values():
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)
            form.styled = True
        return form

    # --- filters ------------------------------------------------------------------------

    def filter_search(self, qs: MemberQuerySet, name: str, value: str) -> MemberQuerySet:
        words = fold(value).split()[:MAX_SEARCH_WORDS]
        user = getattr(self.request, "user", None)
        for word in words:
            q = Q(search_text__contains=word)
            if user is not None and CCCD_WORD.fullmatch(word):
                # A whole CCCD finds its member, but only where the searcher may see CCCDs.
                q |= Q(national_id=word) & personal_data_q(user)
            qs = qs.filter(q)
        return qs

    def filter_organization(self, qs: MemberQuerySet, name: str, value: Organization) -> MemberQuerySet:
        return qs.filter(subtree_q(value.path, "organization__path")) if value else qs

    def filter_status(self, qs: MemberQuerySet, name: str, value: str) -> MemberQuerySet:
        if value == IN_PARTY:
            return qs.in_party()
        if value == ALL_STATUSES:
            return qs
        return qs.filter(status=value)

    def filter_age_band(self, qs: MemberQuerySet, name: str, value: str) -> MemberQuerySet:
        for key, _label, low, high in AGE_BANDS:
            if key == value:
                return qs.aged_between(low, high, self.reference_date)
        return qs

    def filter_youth(self, qs: MemberQuerySet, name: str, value: str) -> MemberQuerySet:
        if value == "1":
            return qs.youth(self.reference_date)
        cutoff = rules.latest_birth_date_for_age(rules.YOUTH_MAX_AGE + 1, self.reference_date)
        return qs.filter(birth_date__lte=cutoff)

    def filter_party_age(self, qs: MemberQuerySet, name: str, value: Any) -> MemberQuerySet:
        return qs.party_age_at_least(int(value), self.reference_date)

    def filter_admitted_year(self, qs: MemberQuerySet, name: str, value: Any) -> MemberQuerySet:
        year = int(value)
        # A date range rather than __year keeps the index on the column usable.
        return qs.filter(Q(admitted_on__gte=dt.date(year, 1, 1)) & Q(admitted_on__lt=dt.date(year + 1, 1, 1)))

    def filter_sort(self, qs: MemberQuerySet, name: str, value: str) -> MemberQuerySet:
        return qs.order_by(*sort_fields(value))

    def filter_queryset(self, queryset: MemberQuerySet) -> MemberQuerySet:
        # An invalid value (an organization outside the scope, a word for a year) matches
        # nothing rather than being dropped, which would widen the list.
        if self.form.errors:
            return queryset.none()
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*DEFAULT_SORT)
        return super().filter_queryset(queryset)
