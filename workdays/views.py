"""Pages of the holiday calendar: anyone signed in reads it; only an administrator changes it."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workdays import services
from workdays.forms import DeadlineForm, HolidayForm, WorkingDayForm
from workdays.models import Holiday, WorkingDayOverride


def _require_admin(request: HttpRequest) -> None:
    if not getattr(request.user, "is_admin", False):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được sửa lịch ngày nghỉ."))


def _year_url(day: dt.date) -> str:
    return f"{reverse('workdays:holiday_list')}?nam={day.year}"


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        return dt.date.today().year
    return year if 1900 <= year <= 2200 else dt.date.today().year


@login_required
def holiday_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    holidays = Holiday.objects.filter(date__year=year)
    working_days = WorkingDayOverride.objects.filter(date__year=year)
    form = DeadlineForm(request.GET if "start" in request.GET else None)
    explanation = None
    if form.is_bound and form.is_valid():
        explanation = services.deadline_explain(form.cleaned_data["start"], form.cleaned_data["days"])
    context = {
        "year": year,
        "holidays": holidays,
        "working_days": working_days,
        "deadline_form": form,
        "explanation": explanation,
    }
    return render(request, "workdays/holiday_list.html", context)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for fieldname, errors in error.error_dict.items():
            for e in errors:
                form.add_error(fieldname if fieldname in form.fields else None, e)
    else:
        form.add_error(None, error)


@login_required
def holiday_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holiday = services.holiday_create(**form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Đã thêm ngày nghỉ %(day)s.") % {"day": f"{holiday.date:%d/%m/%Y}"})
            return redirect(_year_url(holiday.date))
    return render(request, "workdays/holiday_form.html", {"form": form, "holiday": None})


@login_required
def holiday_update(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    holiday = get_object_or_404(Holiday, pk=pk)
    form = HolidayForm(request.POST or None, instance=holiday)
    if request.method == "POST" and form.is_valid():
        try:
            services.holiday_update(holiday=holiday, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Đã sửa ngày nghỉ %(day)s.") % {"day": f"{holiday.date:%d/%m/%Y}"})
            return redirect(_year_url(holiday.date))
    return render(request, "workdays/holiday_form.html", {"form": form, "holiday": holiday})


@require_POST
@login_required
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    holiday = get_object_or_404(Holiday, pk=pk)
    day = holiday.date
    services.holiday_delete(holiday=holiday)
    messages.success(request, _("Đã xóa ngày nghỉ %(day)s.") % {"day": f"{day:%d/%m/%Y}"})
    return redirect(_year_url(day))


@login_required
def working_day_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = WorkingDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            working_day = services.working_day_create(**form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Đã thêm ngày làm bù %(day)s.") % {"day": f"{working_day.date:%d/%m/%Y}"})
            return redirect(_year_url(working_day.date))
    return render(request, "workdays/workingday_form.html", {"form": form})


@require_POST
@login_required
def working_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    working_day = get_object_or_404(WorkingDayOverride, pk=pk)
    day = working_day.date
    services.working_day_delete(working_day=working_day)
    messages.success(request, _("Đã xóa ngày làm bù %(day)s.") % {"day": f"{day:%d/%m/%Y}"})
    return redirect(_year_url(day))
