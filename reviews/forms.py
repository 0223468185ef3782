"""Forms of the review pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import BootstrapForm, VNDateField
from lib.i18n import lazy_format
from orgs.labels import OrganizationChoiceField, set_org_choices
from reviews.models import MemberForm, RegimeChoice
from reviews.regimes import b_366
from reviews.regimes.base import Rating, TaskOutcome

RATING_CHOICES = [("", "—"), *Rating.choices]


class RoundForm(BootstrapForm):
    organization = OrganizationChoiceField(label=_("Đảng bộ"), queryset=None)
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=2015, max_value=2100)
    reference_date = VNDateField(label=_("Ngày tính"), required=False, help_text=_("Để trống: 31/12 của năm đánh giá."))
    regime = forms.ChoiceField(label=_("Quy định áp dụng"), choices=RegimeChoice.choices, required=False)
    opens_on = VNDateField(label=_("Ngày bắt đầu"))
    self_deadline = VNDateField(label=_("Hạn tự đánh giá"))
    appraisal_deadline = VNDateField(label=_("Hạn thẩm định, đề xuất"))
    decision_deadline = VNDateField(label=_("Hạn quyết định"))
    covers_cells = forms.BooleanField(label=_("Xếp loại cả chi bộ trực thuộc, đảng bộ bộ phận"), required=False, initial=True)

    def __init__(self, *args: Any, organizations: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_org_choices(self, "organization", organizations, user=user)
        today = dt.date.today()
        self.fields["year"].initial = today.year


class SelfAssessmentForm(BootstrapForm):
    """Mẫu 2A/2B/2C (regime B: 30 + 70 points and the tasks) or the criteria levels (regime A)."""

    form = forms.ChoiceField(label=_("Mẫu phiếu"), choices=MemberForm.choices, required=False)
    general_points = forms.DecimalField(
        label=lazy_format(_("Điểm tiêu chí chung (tối đa %(points)s)"), points=b_366.GENERAL_POINTS),
        min_value=0,
        max_value=b_366.GENERAL_POINTS,
        required=False,
    )
    result_points = forms.DecimalField(
        label=lazy_format(_("Điểm kết quả thực hiện nhiệm vụ (tối đa %(points)s)"), points=b_366.RESULT_POINTS),
        min_value=0,
        max_value=b_366.RESULT_POINTS,
        required=False,
    )
    tasks_total = forms.IntegerField(label=_("Số nhiệm vụ được giao"), min_value=0, initial=0)
    tasks_late = forms.IntegerField(label=_("Số nhiệm vụ chậm tiến độ"), min_value=0, initial=0)
    tasks_above = forms.IntegerField(label=_("Số nhiệm vụ vượt yêu cầu"), min_value=0, initial=0)
    shortcomings_unremedied = forms.BooleanField(
        label=_("Còn hạn chế, khuyết điểm đã được chỉ ra nhưng chưa khắc phục"), required=False
    )
    results_level = forms.ChoiceField(label=_("Mức tiêu chí kết quả thực hiện nhiệm vụ"), choices=RATING_CHOICES, required=False)
    criteria_level = forms.ChoiceField(label=_("Mức các tiêu chí còn lại"), choices=RATING_CHOICES, required=False)
    self_rating = forms.ChoiceField(label=_("Tự xếp loại"), choices=RATING_CHOICES, required=False)

    # Empty rows offered below the listed tasks (more are added on the page by a button).
    EMPTY_TASK_ROWS = 3

    def __init__(self, *args: Any, regime_code: str, tasks: list[dict[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regime_code = regime_code
        # Each regime's form asks only what its rules read. Regime B lists the tasks one by
        # one (Mẫu 2A/2B/2C); the counts are derived from the list.
        drop = (
            ["results_level", "criteria_level", "tasks_total", "tasks_late", "tasks_above"]
            if regime_code == "b_366"
            else ["form", "general_points", "result_points"]
        )
        for name in drop:
            del self.fields[name]
        if regime_code == "b_366":
            self.fields["general_points"].required = True
            self.fields["result_points"].required = True
        else:
            self.fields["results_level"].required = True
        self.task_outcomes = TaskOutcome.choices
        if self.is_bound and regime_code == "b_366":
            self.task_rows = self._posted_tasks()
        else:
            self.task_rows = [dict(t) for t in tasks or []]
        self.task_rows += [{"name": "", "outcome": ""}] * (self.EMPTY_TASK_ROWS if regime_code == "b_366" else 0)

    def _posted_tasks(self) -> list[dict[str, str]]:
        data: Any = self.data
        names = data.getlist("task_name")
        outcomes = data.getlist("task_outcome")
        outcomes += [""] * (len(names) - len(outcomes))
        return [{"name": n.strip(), "outcome": o} for n, o in zip(names, outcomes, strict=False) if n.strip() or o]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.regime_code == "b_366":
            data["tasks"] = self._posted_tasks()
        return data


class DecisionForm(BootstrapForm):
    decided_on = VNDateField(label=_("Ngày quyết định"))
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=80)


class AmendForm(BootstrapForm):
    rating = forms.ChoiceField(label=_("Xếp loại mới"), choices=Rating.choices)
    decided_on = VNDateField(label=_("Ngày quyết định sửa đổi"))
    decision_number = forms.CharField(label=_("Số quyết định sửa đổi"), max_length=80)
    note = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))


class GivenImportForm(BootstrapForm):
    organization = OrganizationChoiceField(label=_("Đảng bộ"), queryset=None)
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        help_text=_(
            "Các cột: Năm, Số CCCD hoặc số thẻ đảng viên (hoặc mã tổ chức đảng), Xếp loại, Số quyết định, Ngày quyết định."
        ),
    )

    def __init__(self, *args: Any, organizations: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_org_choices(self, "organization", organizations, user=user)
