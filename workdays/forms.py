from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workdays.models import Holiday, WorkingDayOverride

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"})


def _style(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        if name != "date":
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select) else "form-control")


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["date", "name", "kind", "source"]
        widgets = {"date": DATE_WIDGET}
        error_messages = {"date": {"unique": _("Ngày này đã có trong lịch nghỉ.")}}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class WorkingDayForm(forms.ModelForm):
    class Meta:
        model = WorkingDayOverride
        fields = ["date", "reason", "source"]
        widgets = {"date": DATE_WIDGET}
        help_texts = {"date": _("Thứ Bảy hoặc Chủ nhật phải đi làm để bù cho một ngày nghỉ hoán đổi.")}
        error_messages = {"date": {"unique": _("Ngày này đã là ngày làm bù.")}}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class DeadlineForm(forms.Form):
    start = forms.DateField(label=_("Tính từ ngày"), widget=DATE_WIDGET)
    days = forms.IntegerField(label=_("Số ngày làm việc"), min_value=0, max_value=2000, initial=30)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
