"""Form helpers every app's pages share: the Bootstrap (Tabler) form base, the dd/mm/yyyy
date field, and putting a service's ``ValidationError`` on a form.

Imports nothing of ours (``lib`` is the bottom layer).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%d/%m/%Y"
# What Django shows as the empty choice of a select ("---------"), and what we show instead.
DJANGO_EMPTY_LABEL = "---------"
EMPTY_LABEL = _("— Chọn —")


class VNDateField(forms.DateField):
    """A date typed as dd/mm/yyyy (domain.md section 12)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", [DATE_FORMAT])
        kwargs.setdefault(
            "widget",
            # data-datepicker: static/js/datepicker.js adds a calendar; typing stays possible.
            forms.DateInput(
                format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off", "data-datepicker": ""}
            ),
        )
        kwargs["error_messages"] = {
            "invalid": _("Ngày không hợp lệ. Hãy nhập theo dạng dd/mm/yyyy."),
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)


class BootstrapMixin:
    """Gives every widget the Tabler/Bootstrap class it needs, marks fields with errors
    ``is-invalid``, and shows the empty choice of a select as "— Chọn —" instead of
    Django's "---------". Use ``BootstrapForm`` or ``BootstrapModelForm``."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.style_widgets()

    def style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if css not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            name_empty_choice(field)

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        if field in self.fields:
            widget = self.fields[field].widget
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class BootstrapForm(BootstrapMixin, forms.Form):
    pass


class BootstrapModelForm(BootstrapMixin, forms.ModelForm):
    pass


def name_empty_choice(field: forms.Field) -> None:
    """Replace Django's "---------" empty choice of ``field`` (if it has one) by "— Chọn —"."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_LABEL:
            field.empty_label = EMPTY_LABEL
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)  # type: ignore[arg-type]  # normalised to a list by then
        blank = ("", DJANGO_EMPTY_LABEL)
        if blank in choices:
            field.choices = [("", EMPTY_LABEL) if choice == blank else choice for choice in choices]


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
