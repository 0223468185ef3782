"""The shared form base: Bootstrap classes, the empty choice, dd/mm/yyyy dates, service errors."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from lib.forms import BootstrapForm, VNDateField, add_service_errors


class SampleForm(BootstrapForm):
    group = forms.ModelChoiceField(queryset=Group.objects.none())
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")])
    on = VNDateField()


def test_an_empty_choice_reads_choose_instead_of_dashes():
    form = SampleForm()
    assert form.fields["group"].empty_label == "— Chọn —"
    assert next(iter(form.fields["kind"].choices)) == ("", "— Chọn —")
    assert "---------" not in str(form)


def test_selects_and_inputs_get_their_bootstrap_classes():
    form = SampleForm()
    assert form.fields["kind"].widget.attrs["class"] == "form-select"
    assert form.fields["on"].widget.attrs["class"] == "form-control"


def test_a_date_is_read_as_dd_mm_yyyy_with_a_vietnamese_message_otherwise():
    assert VNDateField().clean("03/02/2027") == dt.date(2027, 2, 3)
    form = SampleForm({"kind": "a", "on": "2027-13-45"})
    assert form.errors["on"] == ["Ngày không hợp lệ. Hãy nhập theo dạng dd/mm/yyyy."]


def test_a_service_error_lands_on_its_field_or_on_the_form():
    form = SampleForm({"kind": "a", "on": "03/02/2027"})
    form.is_valid()
    add_service_errors(form, ValidationError({"on": "Ngày này đã qua.", "elsewhere": "Lỗi chung."}))
    assert form.errors["on"] == ["Ngày này đã qua."]
    assert "Lỗi chung." in form.non_field_errors()
    assert "is-invalid" in form.fields["on"].widget.attrs["class"]
