"""Forms of the targets pages: a resolution, a target, a value entered by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lib import indicators
from lib.forms import BootstrapForm, VNDateField
from orgs.labels import OrganizationChoiceField, set_org_choices
from targets.models import Comparison, Period, Target, TargetScope, Unit


class ResolutionForm(BootstrapForm):
    organization = OrganizationChoiceField(label=_("Tổ chức đảng"), queryset=None)
    term_name = forms.CharField(label=_("Nhiệm kỳ"), max_length=20, help_text=_("Ví dụ: 2020–2025"))
    start_year = forms.IntegerField(label=_("Năm đầu nhiệm kỳ"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("Năm cuối nhiệm kỳ"), min_value=2000, max_value=2100)
    congress_name = forms.CharField(label=_("Tên đại hội"), max_length=200, required=False)
    congress_number = forms.CharField(label=_("Đại hội lần thứ"), max_length=20, required=False)
    adopted_on = VNDateField(label=_("Ngày thông qua"), required=False)

    def __init__(self, *args: Any, organizations: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_org_choices(self, "organization", organizations, user=user)


class TargetForm(BootstrapForm):
    wording = forms.CharField(label=_("Nội dung chỉ tiêu (như trong Nghị quyết)"), widget=forms.Textarea(attrs={"rows": 3}))
    indicator_code = forms.ChoiceField(label=_("Chỉ số đo"), required=False)
    comparison = forms.ChoiceField(label=_("So sánh"), choices=Comparison.choices, initial=Comparison.GE)
    threshold = forms.DecimalField(label=_("Mức chỉ tiêu"), min_value=0, max_digits=12, decimal_places=2)
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=Unit.choices)
    period = forms.ChoiceField(label=_("Thời hạn"), choices=Period.choices, initial=Period.EACH_YEAR)
    period_year = forms.IntegerField(label=_("Năm (khi chọn “Đến năm”)"), required=False, min_value=2000, max_value=2100)
    scope = forms.ChoiceField(label=_("Phạm vi"), choices=TargetScope.choices, initial=TargetScope.SUBTREE)
    group = forms.ChoiceField(label=_("Trong đó (nhóm được đếm)"), required=False)
    parent = forms.ModelChoiceField(label=_("Thuộc chỉ tiêu (“trong đó”)"), queryset=Target.objects.none(), required=False)

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["indicator_code"]
        assert isinstance(code, forms.ChoiceField)
        code.choices = [("", _("Nhập kết quả bằng tay")), *indicators.choices()]
        group = self.fields["group"]
        assert isinstance(group, forms.ChoiceField)
        group.choices = [("", _("— Tất cả —"))] + [
            (str(indicator.name), [(g.code, g.name) for g in indicator.groups])
            for indicator in indicators.all_indicators()
            if indicator.groups
        ]
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = parents
        parent.empty_label = _("— Không —")


class ManualValueForm(BootstrapForm):
    organization = OrganizationChoiceField(label=_("Tổ chức đảng"), queryset=None)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    value = forms.DecimalField(label=_("Giá trị"), min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("Ghi chú, nguồn số liệu"), max_length=255, required=False)

    def __init__(self, *args: Any, organizations: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_org_choices(self, "organization", organizations, user=user)
        self.fields["year"].initial = dt.date.today().year
