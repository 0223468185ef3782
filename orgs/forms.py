"""Forms for the changes of the organization tree, terms and committee seats.

Each change form knows its service (``service``) and turns its cleaned data into the
service's keyword arguments (``service_kwargs``). The rules themselves stay in
``orgs.services``: a form only limits its choices to what the user may pick.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lib.forms import BootstrapForm, VNDateField
from orgs import services
from orgs.labels import OrganizationChoiceField, OrganizationMultipleChoiceField, set_org_choices
from orgs.models import ALLOWED_PARENT_LEVELS, Organization, OrgKind, SeatRole, Sector, Term
from orgs.scope import subtree_q

SPLIT_PARTS = 4


def kinds_allowed_under(parent: Organization | None, on: dt.date | None = None) -> QuerySet[OrgKind]:
    """Kinds in force on ``on`` (today) whose level may sit directly under ``parent``."""
    parent_level = parent.kind.level if parent else None
    levels = [level for level, parents in ALLOWED_PARENT_LEVELS.items() if parent_level in parents]
    return OrgKind.objects.valid_on(on or dt.date.today()).filter(level__in=levels)


def set_choices(form: forms.Form, name: str, queryset: QuerySet) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def _allowed(user: Any, perm: str, orgs: QuerySet[Organization]) -> QuerySet[Organization]:
    """The rows of ``orgs`` on which ``user`` holds ``perm`` (rules predicates, no queries each)."""
    rows = list(orgs.select_related("kind"))
    ids = [o.pk for o in rows if user.has_perm(perm, o)]
    return Organization.objects.filter(pk__in=ids).select_related("kind").order_by("path")


# ---------------------------------------------------------------------------------------
# Changes of the tree


class ChangeForm(BootstrapForm):
    """Fields every dated change has: when it takes effect and which decision says so."""

    service: Callable[..., services.ChangeResult]

    effective_on = VNDateField(label=_("Ngày hiệu lực"))
    decision_no = forms.CharField(label=_("Số quyết định"), max_length=80, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, organization: Organization, user: Any, **kwargs: Any) -> None:
        self.organization = organization
        self.user = user
        super().__init__(*args, **kwargs)
        # The common fields come last, after what is specific to the change.
        for name in ("effective_on", "decision_no", "note"):
            self.fields[name] = self.fields.pop(name)

    def common_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"effective_on": data["effective_on"], "decision_no": data["decision_no"].strip(), "note": data["note"]}

    def service_kwargs(self, *, user: Any) -> dict[str, Any]:
        raise NotImplementedError


class NewOrgFields(forms.Form):
    """Code, name, kind and sector of an organization about to be created."""

    code = forms.SlugField(label=_("Mã tổ chức"), max_length=40, required=False)
    name = forms.CharField(label=_("Tên tổ chức"), max_length=255, required=False)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=80, required=False)
    kind = forms.ModelChoiceField(label=_("Loại tổ chức"), queryset=OrgKind.objects.none(), required=False)
    sector = forms.ModelChoiceField(label=_("Loại hình"), queryset=Sector.objects.none(), required=False)

    def setup_new_org_fields(self, parent: Organization | None) -> None:
        set_choices(self, "kind", kinds_allowed_under(parent))
        set_choices(self, "sector", Sector.objects.valid_on(dt.date.today()))

    def require_new_org_fields(self) -> None:
        for name in ("code", "name", "kind"):
            if not self.cleaned_data.get(name) and name not in self.errors:
                self.add_error(name, _("Trường này là bắt buộc."))

    def new_spec(self) -> services.NewOrgSpec:
        data = self.cleaned_data
        return services.NewOrgSpec(
            code=data["code"],
            name=data["name"],
            short_name=data.get("short_name", ""),
            kind=data["kind"],
            sector=data.get("sector"),
            host_unit=data.get("host_unit", ""),
        )


class FoundForm(NewOrgFields, ChangeForm):
    service = staticmethod(services.organization_found)

    host_unit = forms.CharField(label=_("Cơ quan, đơn vị"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_new_org_fields(self.organization)
        for name in ("code", "name", "kind"):
            self.fields[name].required = True

    def service_kwargs(self, *, user: Any) -> dict[str, Any]:
        return {"parent": self.organization, "spec": self.new_spec(), "user": user, **self.common_kwargs()}


class RenameForm(ChangeForm):
    service = staticmethod(services.organization_rename)

    name = forms.CharField(label=_("Tên mới"), max_length=255)
    short_name = forms.CharField(label=_("Tên viết tắt mới"), max_length=80, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].initial = self.organization.name
        self.fields["short_name"].initial = self.organization.short_name

    def service_kwargs(self, *, user: Any) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "organization": self.organization,
            "name": data["name"],
            "short_name": data["short_name"],
            "user": user,
            **self.common_kwargs(),
        }


class MoveForm(ChangeForm):
    service = staticmethod(services.organization_move)

    new_parent = OrganizationChoiceField(label=_("Chuyển về trực thuộc"), queryset=Organization.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = self.organization
        levels = [level for level in ALLOWED_PARENT_LEVELS[org.kind.level] if level is not None]
        candidates = (
            Organization.objects.for_user(self.user)
            .active()
            .filter(kind__level__in=levels)
            .exclude(subtree_q(org.path))
            .exclude(path=org.path[: -Organization.steplen] or "-")
        )
        set_org_choices(self, "new_parent", _allowed(self.user, "orgs.found_under", candidates), user=self.user)

    def service_kwargs(self, *, user: Any) -> dict[str, Any]:
        return {
            "organization": self.organization,
            "new_parent": self.cleaned_data["new_parent"],
            "user": user,
            **self.common_kwargs(),
        }


class DissolveForm(ChangeForm):
    service = staticmethod(services.organization_dissolve)

    def service_kwargs(self, *, user: Any) -> dict[str, Any]:
        return {"organization": self.organization, "user": user, **self.common_kwargs()}


class MergeForm(NewOrgFields, ChangeForm):
    service = staticmethod(services.organization_merge)

    MODE_EXISTING = "existing"
    MODE_NEW = "new"

    others = OrganizationMultipleChoiceField(
        label=_("Các tổ chức cùng hợp nhất"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Tổ chức đang xem luôn nằm trong số tổ chức được hợp nhất."),
    )
    mode = forms.ChoiceField(
        label=_("Hình thức"),
        choices=[
            (MODE_EXISTING, _("Sáp nhập vào một tổ chức đã có")),
            (MODE_NEW, _("Hợp nhất thành một tổ chức mới")),
        ],
        initial=MODE_EXISTING,
        widget=forms.RadioSelect,
    )
    target = OrganizationChoiceField(label=_("Tổ chức nhận sáp nhập"), queryset=Organization.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = self.organization
        self.parent = Organization.objects.get_parent(org)
        peers = Organization.objects.for_user(self.user).active().filter(kind__level=org.kind.level).exclude(pk=org.pk)
        allowed = _allowed(self.user, "orgs.restructure", peers)
        set_org_choices(self, "others", allowed, user=self.user)
        set_org_choices(self, "target", allowed, user=self.user)
        self.setup_new_org_fields(self.parent)
        order = ["others", "mode", "target", "code", "name", "short_name", "kind", "sector"]
        self.order_fields([*order, "effective_on", "decision_no", "note"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("mode") == self.MODE_EXISTING:
            if not data.get("target") and "target" not in self.errors:
                self.add_error("target", _("Hãy chọn tổ chức nhận sáp nhập."))
        elif data.get("mode") == self.MODE_NEW:
            self.require_new_org_fields()
            if not data.get("others"):
                self.add_error("others", _("Hợp nhất thành tổ chức mới cần ít nhất hai tổ chức."))
            if not self.user.has_perm("orgs.found_under", self.parent):
                self.add_error(None, _("Bạn không có quyền thành lập tổ chức mới ở cấp này."))
        return data

    def service_kwargs(self, *, user: Any) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs: dict[str, Any] = {"sources": [self.organization, *data["others"]], "user": user, **self.common_kwargs()}
        if data["mode"] == self.MODE_EXISTING:
            kwargs["target"] = data["target"]
        else:
            kwargs["new_spec"] = self.new_spec()
        return kwargs


class SplitForm(ChangeForm):
    """Two or more new organizations; each active sub-organization goes to one of them, and
    so does each thing a later app hangs on the organization (``services.SPLIT_HANDLERS``:
    each member of a cell, to the first new organization unless another is chosen)."""

    service = staticmethod(services.organization_split)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = self.organization
        self.parent = Organization.objects.get_parent(org)
        kinds = kinds_allowed_under(self.parent)
        for i in range(1, SPLIT_PARTS + 1):
            self.fields[f"part{i}_code"] = forms.SlugField(label=_("Mã"), max_length=40, required=False)
            self.fields[f"part{i}_name"] = forms.CharField(label=_("Tên"), max_length=255, required=False)
            self.fields[f"part{i}_kind"] = forms.ModelChoiceField(
                label=_("Loại tổ chức"), queryset=kinds, required=False, initial=org.kind_id
            )
        self.children = list(Organization.objects.get_children(org).filter(dissolved_on__isnull=True).select_related("kind"))
        part_choices = [("", "—")] + [(str(i), _("Tổ chức mới %(n)s") % {"n": i}) for i in range(1, SPLIT_PARTS + 1)]
        for child in self.children:
            self.fields[f"child_{child.pk}"] = forms.ChoiceField(label=child.name, choices=part_choices, required=False)
        # What the registered handlers distribute (members of a cell): each goes to one part.
        self.shares = [(handler, handler.items(org)) for handler in services.SPLIT_HANDLERS.values()]
        self.shares = [(handler, items) for handler, items in self.shares if items]
        for handler, items in self.shares:
            for item, label in items:
                self.fields[self._share_field(handler.key, item)] = forms.ChoiceField(
                    label=label, choices=part_choices[1:], initial="1"
                )
        self.style_widgets()

    @staticmethod
    def _share_field(key: str, item: int) -> str:
        return f"share_{key}_{item}"

    def share_groups(self) -> list[tuple[Any, list[Any]]]:
        """Each handler's title with the fields of its items (the template's rows)."""
        return [
            (handler.title, [self[self._share_field(handler.key, item)] for item, _label in items])
            for handler, items in self.shares
        ]

    def part_rows(self) -> list[tuple[int, Any, Any, Any]]:
        return [(i, self[f"part{i}_code"], self[f"part{i}_name"], self[f"part{i}_kind"]) for i in range(1, SPLIT_PARTS + 1)]

    def child_rows(self) -> list[tuple[Organization, Any]]:
        return [(child, self[f"child_{child.pk}"]) for child in self.children]

    def common_fields(self) -> list[Any]:
        return [self["effective_on"], self["decision_no"], self["note"]]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self.filled: dict[int, services.NewOrgSpec] = {}
        for i in range(1, SPLIT_PARTS + 1):
            code, name, kind = data.get(f"part{i}_code"), (data.get(f"part{i}_name") or "").strip(), data.get(f"part{i}_kind")
            if not (code or name):
                continue
            for field, value in ((f"part{i}_code", code), (f"part{i}_name", name), (f"part{i}_kind", kind)):
                if not value and field not in self.errors:
                    self.add_error(field, _("Trường này là bắt buộc."))
            if code and name and kind:
                self.filled[i] = services.NewOrgSpec(code=code, name=name, kind=kind, sector=self.organization.sector)
        if len(self.filled) < 2:
            self.add_error(None, _("Hãy khai báo ít nhất hai tổ chức mới."))
        for child in self.children:
            value = data.get(f"child_{child.pk}")
            if value and int(value) not in self.filled:
                self.add_error(f"child_{child.pk}", _("Tổ chức mới %(n)s chưa được khai báo.") % {"n": value})
        for handler, items in self.shares:
            for item, _label in items:
                name = self._share_field(handler.key, item)
                value = data.get(name)
                if value and int(value) not in self.filled and self.filled:
                    self.add_error(name, _("Tổ chức mới %(n)s chưa được khai báo.") % {"n": value})
        if self.parent is not None and not self.user.has_perm("orgs.found_under", self.parent):
            self.add_error(None, _("Bạn không có quyền thành lập tổ chức mới ở cấp này."))
        return data

    def service_kwargs(self, *, user: Any) -> dict[str, Any]:
        parts = {i: services.SplitPart(spec=spec) for i, spec in self.filled.items()}
        for child in self.children:
            value = self.cleaned_data.get(f"child_{child.pk}")
            if value:
                parts[int(value)].children.append(child)
        for handler, items in self.shares:
            for item, _label in items:
                value = self.cleaned_data.get(self._share_field(handler.key, item))
                if value:
                    parts[int(value)].shares.setdefault(handler.key, []).append(item)
        return {"organization": self.organization, "parts": list(parts.values()), "user": user, **self.common_kwargs()}


# ---------------------------------------------------------------------------------------
# Terms and committee seats


class TermForm(BootstrapForm):
    name = forms.CharField(label=_("Nhiệm kỳ"), max_length=40, help_text=_("Ví dụ: 2020–2025"))
    starts_on = VNDateField(label=_("Bắt đầu"))
    ends_on = VNDateField(label=_("Kết thúc"), required=False)
    congress_number = forms.CharField(label=_("Đại hội lần thứ"), max_length=20, required=False)


class SeatForm(BootstrapForm):
    role = forms.ChoiceField(label=_("Chức danh"), choices=SeatRole.choices)
    holder_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    holder_code = forms.CharField(label=_("Mã đảng viên / CCCD"), max_length=40, required=False)
    started_on = VNDateField(label=_("Từ ngày"))
    ended_on = VNDateField(label=_("Đến ngày"), required=False)
    decision_no = forms.CharField(label=_("Số quyết định"), max_length=80, required=False)

    def __init__(self, *args: Any, term: Term, **kwargs: Any) -> None:
        self.term = term
        super().__init__(*args, **kwargs)


class SeatEndForm(BootstrapForm):
    ended_on = VNDateField(label=_("Ngày thôi giữ chức danh"))
