"""Forms of the member actions. Each knows its service (``service``) and turns its cleaned
data into the service's keyword arguments (``service_kwargs``); the rules stay in
``members.services``. A form only limits its choices to what the user may pick: cells to
record a member in are those whose register the user keeps (``members.add_to``); cells
to move or attach a member to are the active cells the user can read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lib.forms import BootstrapForm, VNDateField
from lib.i18n import lazy_format
from lib.names import validate_person_name
from members import duplicates, rules, services, services_merge
from members import permissions as _permissions  # noqa: F401  (registers the rules)
from members.filters import OrganizationField, OrganizationPickerInput
from members.models import (
    Ethnicity,
    GeneralEducation,
    ListEntry,
    Member,
    PoliticalTheory,
    ProfessionalEducation,
    Religion,
    Sex,
    Status,
    TemporaryReason,
    Transfer,
)
from members.permissions import can_see_personal_data
from orgs.labels import OrganizationChoiceField, set_org_choices
from orgs.labels import label as org_label
from orgs.models import CELL_LEVELS, Organization


class CellField(OrganizationChoiceField):
    """A cell, named with its parent (``orgs.labels``): many cells share a name."""


def readable_cells(user: Any) -> QuerySet[Organization]:
    """Active cells (base or attached) the user can read, in tree order."""
    return Organization.objects.for_user(user).active().filter(kind__level__in=CELL_LEVELS).order_by("path")


def writable_cells(user: Any) -> QuerySet[Organization]:
    """Active cells whose register the user keeps (``members.add_to``)."""
    rows = list(readable_cells(user).select_related("kind"))
    ids = [o.pk for o in rows if user.has_perm("members.add_to", o)]
    return Organization.objects.filter(pk__in=ids).order_by("path")


def destination_cells(user: Any, member: Member) -> QuerySet[Organization]:
    """Cells ``user`` may move or attach ``member`` to: the active cells they can read but
    the member's own. Empty for a cell secretary, whose scope is one cell."""
    return readable_cells(user).exclude(pk=member.organization_id)


class ActionForm(BootstrapForm):
    """A form of one action on the register; ``member`` and ``transfer`` are what it acts on."""

    service: Callable[..., services.MemberResult]

    def __init__(self, *args: Any, user: Any, member: Member | None = None, transfer: Transfer | None = None, **kwargs: Any):
        self.user = user
        self.member = member
        self.transfer = transfer
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if self.member is not None:
            data["member"] = self.member
        return {**data, "user": self.user}


# ---------------------------------------------------------------------------------------
# A new record


def _list_field(model: type[ListEntry], label: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=label, queryset=model.objects.filter(active=True), required=False)


class MemberFieldsForm(ActionForm):
    """The fields of the 2-HSĐV record that a new member (or one received from outside) needs."""

    family_name = forms.CharField(label=_("Họ"), max_length=40, validators=[validate_person_name])
    middle_name = forms.CharField(label=_("Tên đệm"), max_length=60, required=False, validators=[validate_person_name])
    given_name = forms.CharField(label=_("Tên"), max_length=40, validators=[validate_person_name])
    other_names = forms.CharField(label=_("Tên gọi khác"), max_length=120, required=False)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = VNDateField(label=_("Ngày sinh"))
    national_id = forms.CharField(label=_("Số CCCD"), max_length=12, required=False)
    ethnicity = _list_field(Ethnicity, _("Dân tộc"))
    religion = _list_field(Religion, _("Tôn giáo"))
    hometown = forms.CharField(label=_("Quê quán"), max_length=255, required=False)
    residence = forms.CharField(label=_("Nơi ở hiện nay"), max_length=255, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    general_education = _list_field(GeneralEducation, _("Giáo dục phổ thông"))
    professional_education = _list_field(ProfessionalEducation, _("Chuyên môn, nghiệp vụ"))
    professional_education_text = forms.CharField(
        label=_("Chuyên môn, nghiệp vụ (ghi đầy đủ)"),
        max_length=255,
        required=False,
        help_text=_("Ghi đầy đủ như trong hồ sơ, ví dụ «Cử nhân Kinh tế»."),
    )
    political_theory = _list_field(PoliticalTheory, _("Lý luận chính trị"))
    job = forms.CharField(label=_("Nghề nghiệp"), max_length=120, required=False)
    post = forms.CharField(label=_("Chức vụ"), max_length=160, required=False)
    host_unit = forms.CharField(label=_("Cơ quan, đơn vị công tác"), max_length=255, required=False)
    admitted_on = VNDateField(label=_("Ngày vào Đảng"))
    ceremony_on = VNDateField(label=_("Ngày tổ chức lễ kết nạp"), required=False)
    decision_no = forms.CharField(label=_("Số quyết định kết nạp"), max_length=80, required=False)
    full_member_on = VNDateField(
        label=_("Ngày chính thức"), required=False, help_text=_("Để trống nếu đảng viên còn trong thời gian dự bị.")
    )
    full_decision_no = forms.CharField(label=_("Số quyết định công nhận chính thức"), max_length=80, required=False)
    card_number = forms.CharField(label=_("Số thẻ đảng viên"), max_length=20, required=False)
    profile_number = forms.CharField(label=_("Số lý lịch"), max_length=40, required=False)

    def member_fields(self) -> dict[str, Any]:
        names = list(MemberFieldsForm.base_fields)
        return {name: self.cleaned_data[name] for name in names}


class MemberCreateForm(MemberFieldsForm):
    """A new record. A member on record who is likely the same person (``members.duplicates``)
    is shown beside the form (``duplicates``): the user opens that record, or writes why a
    new one is created anyway (``duplicate_reason``, kept in the new record's history)."""

    service = staticmethod(services_merge.member_create_checked)

    organization = CellField(label=_("Chi bộ"), queryset=Organization.objects.none())
    cell_since = VNDateField(label=_("Sinh hoạt tại chi bộ từ ngày"), required=False, help_text=_("Mặc định: ngày vào Đảng."))
    duplicate_reason = forms.CharField(
        label=_("Lý do vẫn tạo hồ sơ mới"),
        max_length=255,
        required=False,
        widget=forms.HiddenInput,
        help_text=_("Ghi vào lịch sử của hồ sơ mới."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates: list[duplicates.Candidate] = []
        set_org_choices(self, "organization", writable_cells(self.user), user=self.user)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if any(name in self.errors for name in ("family_name", "middle_name", "given_name", "birth_date")):
            return data
        self.duplicates = duplicates.candidates_for(
            data.get("family_name") or "",
            data.get("middle_name") or "",
            data.get("given_name") or "",
            data.get("birth_date"),
            data.get("hometown") or "",
            self.user,
            national_id=data.get("national_id"),
            card_number=data.get("card_number"),
        )
        if self.duplicates:
            self.fields["duplicate_reason"].widget = forms.Textarea(attrs={"rows": 2, "class": "form-control"})
            if not (data.get("duplicate_reason") or "").strip():
                self.add_error(
                    "duplicate_reason",
                    _(
                        "Đã có hồ sơ có thể là của chính người này (xem ở trên). "
                        "Hãy mở hồ sơ đó, hoặc ghi lý do để vẫn tạo hồ sơ mới."
                    ),
                )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        return {
            **self.member_fields(),
            "organization": self.cleaned_data["organization"],
            "cell_since": self.cleaned_data["cell_since"],
            "duplicate_reason": self.cleaned_data["duplicate_reason"] if self.duplicates else "",
            "user": self.user,
        }


class MemberEditForm(MemberFieldsForm):
    """Correct a member's personal details (``services.member_update``); the party dates,
    the status and the cell have their own actions. The CCCD and the phone are on the form
    only for those who may see them (``permissions.can_see_personal_data``)."""

    service = staticmethod(services.member_update)

    admitted_on = None  # type: ignore[assignment]
    ceremony_on = None  # type: ignore[assignment]
    decision_no = None  # type: ignore[assignment]
    full_member_on = None  # type: ignore[assignment]
    full_decision_no = None  # type: ignore[assignment]

    PERSONAL = ("national_id", "phone")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member = self.member
        assert member is not None
        if not can_see_personal_data(self.user, member):
            for name in self.PERSONAL:
                del self.fields[name]
        if not self.is_bound:
            for name, field in self.fields.items():
                value = getattr(member, f"{name}_id" if isinstance(field, forms.ModelChoiceField) else name)
                self.initial[name] = "" if value is None else value

    def service_kwargs(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.fields}
        for name in ("national_id", "card_number"):  # unique when given: empty is stored as NULL
            if name in data:
                data[name] = data[name].strip() or None
        return {**data, "member": self.member, "user": self.user}


class TransferInForm(MemberFieldsForm):
    """Receive a member from a party committee outside the system: a new record."""

    service = staticmethod(services.member_transfer_in)

    to_organization = CellField(label=_("Chi bộ tiếp nhận"), queryset=Organization.objects.none())
    origin = forms.CharField(label=_("Đảng bộ nơi chuyển đi"), max_length=255)
    cause_on = VNDateField(label=_("Ngày phát sinh việc chuyển"), required=False)
    letter_no = forms.CharField(label=_("Số giấy giới thiệu"), max_length=80, required=False)
    letter_on = VNDateField(label=_("Ngày cấp giấy giới thiệu"))
    presented_on = VNDateField(label=_("Ngày nộp giấy giới thiệu cho chi bộ"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_org_choices(self, "to_organization", writable_cells(self.user), user=self.user)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **self.member_fields(),
            "to_organization": data["to_organization"],
            "origin": data["origin"],
            "cause_on": data["cause_on"],
            "letter_no": data["letter_no"],
            "letter_on": data["letter_on"],
            "presented_on": data["presented_on"],
            "note": data["note"],
            "user": self.user,
        }


# ---------------------------------------------------------------------------------------
# Status


class StatusForm(ActionForm):
    service = staticmethod(services.member_change_status)

    status = forms.ChoiceField(label=_("Trạng thái mới"))
    effective_on = VNDateField(label=_("Ngày hiệu lực"))
    decision_no = forms.CharField(label=_("Số quyết định"), max_length=80, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.member is not None
        allowed = set(services.TRANSITIONS.get(self.member.status, set()))
        if self.member.status == Status.SUSPENDED:
            # Back to the status held before the suspension; the service checks which.
            allowed |= {Status.FULL, Status.PROBATIONARY, Status.EXEMPT}
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "---------")] + [(s.value, s.label) for s in Status if s in allowed]


# ---------------------------------------------------------------------------------------
# Movements


class TransferWithinForm(ActionForm):
    service = staticmethod(services.member_transfer_within)

    to_organization = CellField(label=_("Chi bộ chuyển đến"), queryset=Organization.objects.none())
    cause_on = VNDateField(
        label=_("Ngày phát sinh (quyết định điều động, chuyển nơi ở…)"),
        required=False,
        help_text=lazy_format(
            _("Thủ tục phải làm trong %(days)s ngày làm việc kể từ ngày này (Quy định 294-QĐ/TW, §6.3)."),
            days=rules.TRANSFER_START_WORKING_DAYS,
        ),
    )
    letter_no = forms.CharField(label=_("Số giấy giới thiệu"), max_length=80, required=False)
    letter_on = VNDateField(
        label=_("Ngày cấp giấy giới thiệu"),
        required=False,
        help_text=lazy_format(
            _("Đảng viên nộp giấy cho chi bộ mới trong %(days)s ngày làm việc."), days=rules.TRANSFER_PRESENT_WORKING_DAYS
        ),
    )
    presented_on = VNDateField(
        label=_("Ngày nộp giấy cho chi bộ mới"), required=False, help_text=_("Để trống nếu đảng viên chưa nộp giấy.")
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.member is not None
        set_org_choices(self, "to_organization", destination_cells(self.user, self.member), user=self.user)


class TransferOutForm(ActionForm):
    service = staticmethod(services.member_transfer_out)

    destination = forms.CharField(label=_("Đảng bộ nơi chuyển đến"), max_length=255)
    cause_on = VNDateField(label=_("Ngày phát sinh việc chuyển"), required=False)
    letter_no = forms.CharField(label=_("Số giấy giới thiệu"), max_length=80, required=False)
    letter_on = VNDateField(label=_("Ngày cấp giấy giới thiệu"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(ActionForm):
    """Receive back a member who was transferred out of the system earlier."""

    service = staticmethod(services.member_transfer_in)

    to_organization = CellField(label=_("Chi bộ tiếp nhận"), queryset=Organization.objects.none())
    origin = forms.CharField(label=_("Đảng bộ nơi chuyển đi"), max_length=255)
    cause_on = VNDateField(label=_("Ngày phát sinh việc chuyển"), required=False)
    letter_no = forms.CharField(label=_("Số giấy giới thiệu"), max_length=80, required=False)
    letter_on = VNDateField(label=_("Ngày cấp giấy giới thiệu"))
    presented_on = VNDateField(label=_("Ngày nộp giấy giới thiệu cho chi bộ"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_org_choices(self, "to_organization", writable_cells(self.user), user=self.user)


class AttachForm(ActionForm):
    service = staticmethod(services.member_attach_temporarily)

    organization = CellField(label=_("Chi bộ sinh hoạt tạm thời"), queryset=Organization.objects.none())
    reason = forms.ChoiceField(label=_("Lý do"), choices=TemporaryReason.choices, widget=forms.RadioSelect)
    started_on = VNDateField(label=_("Từ ngày"))
    ends_on = VNDateField(
        label=_("Đến ngày (dự kiến)"),
        help_text=lazy_format(
            _(
                "Từ %(min)s tháng đến dưới %(work_max)s tháng (công tác, cư trú) hoặc đến %(study_max)s tháng (đi học)"
                " — Quy định 294-QĐ/TW, §6.3."
            ),
            min=rules.TEMPORARY_MIN_MONTHS,
            work_max=rules.TEMPORARY_WORK_MAX_MONTHS,
            study_max=rules.TEMPORARY_STUDY_MAX_MONTHS,
        ),
    )
    letter_no = forms.CharField(label=_("Số giấy giới thiệu"), max_length=80, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.member is not None
        set_org_choices(self, "organization", destination_cells(self.user, self.member), user=self.user)


class EndTemporaryForm(ActionForm):
    service = staticmethod(services.member_end_temporary)

    ended_on = VNDateField(label=_("Ngày kết thúc sinh hoạt tạm thời"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TransferLetterForm(ActionForm):
    service: Callable[..., services.MemberResult] = staticmethod(services.transfer_issue_letter)

    letter_no = forms.CharField(label=_("Số giấy giới thiệu"), max_length=80, required=False)
    letter_on = VNDateField(label=_("Ngày cấp giấy giới thiệu"))

    def service_kwargs(self) -> dict[str, Any]:
        return {**self.cleaned_data, "transfer": self.transfer, "user": self.user}


class TransferCompleteForm(TransferLetterForm):
    service = staticmethod(services.transfer_complete)

    letter_no = None  # type: ignore[assignment]
    letter_on = None  # type: ignore[assignment]
    presented_on = VNDateField(label=_("Ngày nộp giấy giới thiệu cho chi bộ mới"))


class TransferCancelForm(TransferLetterForm):
    service = staticmethod(services.transfer_cancel)

    letter_no = None  # type: ignore[assignment]
    letter_on = None  # type: ignore[assignment]
    note = forms.CharField(label=_("Lý do hủy"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BulkMemberField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.full_name} ({obj.organization.name})"


class BulkTransferForm(BootstrapForm):
    """Move the members checked on the list to one cell (``services_bulk.members_transfer_bulk``).

    The members offered are those asked for (``ids``: the list's checked rows) whose
    register the user keeps; the destinations are the cells whose register they keep.
    """

    members = BulkMemberField(
        label=_("Đảng viên được chuyển"), queryset=Member.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    to_organization = CellField(label=_("Chi bộ chuyển đến"), queryset=Organization.objects.none())
    transferred_on = VNDateField(label=_("Ngày chuyển"), help_text=_("Ngày đảng viên bắt đầu sinh hoạt tại chi bộ mới."))
    reason = forms.CharField(label=_("Lý do"), max_length=255)
    letter_no = forms.CharField(label=_("Số quyết định / giấy giới thiệu"), max_length=80, required=False)

    def __init__(self, *args: Any, user: Any, ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        asked = Member.objects.for_user(user).in_party().filter(pk__in=ids).select_related("organization")
        allowed = [m.pk for m in asked if user.has_perm("members.change", m)]
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Member.objects.filter(pk__in=allowed).select_related("organization").order_by("sort_key", "pk")
        if not self.is_bound:
            self.initial["members"] = allowed
        set_org_choices(self, "to_organization", writable_cells(user), user=user)

    def service_kwargs(self) -> dict[str, Any]:
        return {**self.cleaned_data, "members": list(self.cleaned_data["members"]), "user": self.user}


# ---------------------------------------------------------------------------------------
# Badges


class BadgeForm(ActionForm):
    service = staticmethod(services.badge_award)

    years = forms.TypedChoiceField(
        label=_("Huy hiệu"), coerce=int, choices=[(y, _("Huy hiệu %(y)s năm tuổi Đảng") % {"y": y}) for y in rules.BADGE_YEARS]
    )
    awarded_on = VNDateField(label=_("Ngày trao tặng"), help_text=_("Thường vào dịp 03/02 hoặc 02/09."))
    decision_no = forms.CharField(label=_("Số quyết định"), max_length=80, required=False)
    early_for_illness = forms.BooleanField(label=_("Tặng sớm do ốm nặng"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.member is not None
        upcoming = self.member.next_badge()
        if upcoming is not None and not self.is_bound:
            self.initial.setdefault("years", upcoming.years)


# ---------------------------------------------------------------------------------------
# Page filters (statistics and working lists)


def scope_organizations(user: Any) -> QuerySet[Organization]:
    return Organization.objects.for_user(user).active().order_by("path")


class ScopeForm(BootstrapForm):
    """An organization in the user's scope (by code) and a reference date.

    The organization is picked with the member list's search box (``members/_org_picker.html``,
    options from ``members:organization_picker``), not a list of every organization in scope:
    at the nation's size (65,000 organizations) rendering that list took longer than the
    statistics themselves (issue 9, "Scale"). An empty box is the whole scope.
    """

    organization = OrganizationField(
        label=_("Phạm vi"),
        queryset=Organization.objects.none(),
        to_field_name="code",
        required=False,
    )
    on = VNDateField(label=_("Tính đến ngày"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The organizations the user may pick, also read by the views (the default scope).
        self.user = user
        self.organizations = scope_organizations(user)
        self.fields["organization"].queryset = self.organizations  # type: ignore[attr-defined]

    @property
    def picker(self) -> dict[str, str]:
        """What the organization picker shows: the chosen code and its label, or what was typed."""
        field = self["organization"]
        org = self.cleaned_data.get("organization") if self.is_bound and self.is_valid() else None
        if org is not None:
            return {"code": org.code, "text": org_label(org, user=self.user)}
        code = self.data.get(field.html_name) or ""
        text = self.data.get(f"{field.html_name}{OrganizationPickerInput.text_suffix}")
        return {"code": code, "text": text if text is not None else code}


class OrganizationScopeForm(ScopeForm):
    """An organization in the user's scope, without a date (the page of possible duplicates)."""

    on = None  # type: ignore[assignment]  # a Django form drops a field set to None


class StatisticsForm(ScopeForm):
    start = VNDateField(label=_("Biến động từ ngày"), required=False)
    end = VNDateField(label=_("đến ngày"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
        return data


AWARD_DAYS = {"0302": (2, 3), "0209": (9, 2)}


class BadgesDueForm(ScopeForm):
    """Badges due by an award date: 03/02 (the Party's founding) or 02/09 (National Day), or any date."""

    on = None  # type: ignore[assignment]
    occasion = forms.ChoiceField(
        label=_("Dịp trao tặng"),
        required=False,
        choices=[("0302", _("03/02 (kỷ niệm thành lập Đảng)")), ("0209", _("02/09 (Quốc khánh)")), ("", _("Ngày khác"))],
    )
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=1950, max_value=2100)
    award_date = VNDateField(label=_("Ngày trao tặng (ngày khác)"), required=False)

    DEFAULT_OCCASION = "0302"

    def clean(self) -> dict[str, Any]:
        """Resolve the occasion and year actually used, and show them on the form: the page
        states one award date, and the form must read the same (not "Ngày khác" with an
        empty year while the page counts to 03/02 of next year)."""
        super().clean()
        data = self.cleaned_data
        shown = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict or a dict, both copy
        if self.data.get("occasion") is None:  # not asked (the first visit, a link): the default occasion
            data["occasion"] = self.DEFAULT_OCCASION
        if data.get("occasion"):
            data["award_date"] = None
            shown["award_date"] = ""
            if not data.get("year") and "year" not in self.errors:
                data["year"] = dt.date.today().year + 1
        elif not data.get("award_date") and "award_date" not in self.errors:
            self.add_error("award_date", _("Hãy nhập ngày trao tặng, hoặc chọn dịp 03/02 hoặc 02/09."))
        shown["occasion"] = data.get("occasion") or ""
        shown["year"] = str(data.get("year") or "") if data.get("occasion") else ""
        self.data = shown
        return data

    def award_on(self, today: dt.date) -> dt.date:
        """The award date asked for; by default 03/02 of next year."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("award_date") and not data.get("occasion"):
            return data["award_date"]
        month, day = AWARD_DAYS.get(data.get("occasion") or "0302", (2, 3))
        year = data.get("year") or today.year + 1
        return dt.date(year, month, day)
