from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import BootstrapForm, BootstrapModelForm, VNDateField
from workdays.models import Holiday, WorkingDayOverride


class HolidayForm(BootstrapModelForm):
    class Meta:
        model = Holiday
        fields = ["date", "name", "kind", "source"]
        field_classes = {"date": VNDateField}
        error_messages = {"date": {"unique": _("Ngày này đã có trong lịch nghỉ.")}}


class WorkingDayForm(BootstrapModelForm):
    class Meta:
        model = WorkingDayOverride
        fields = ["date", "reason", "source"]
        field_classes = {"date": VNDateField}
        help_texts = {"date": _("Thứ Bảy hoặc Chủ nhật phải đi làm để bù cho một ngày nghỉ hoán đổi.")}
        error_messages = {"date": {"unique": _("Ngày này đã là ngày làm bù.")}}


class DeadlineForm(BootstrapForm):
    start = VNDateField(label=_("Tính từ ngày"))
    days = forms.IntegerField(label=_("Số ngày làm việc"), min_value=0, max_value=2000, initial=30)
