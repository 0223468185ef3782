"""The working-day calendar: days off (holidays) and weekend days that are worked.

Loaded from the rules in ``lib.workdays`` for 2015–2035 by a data migration; an
administrator corrects it each year with the government's decisions.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class HolidayKind(models.TextChoices):
    STATUTORY = "statutory", _("Nghỉ lễ, Tết theo luật")
    COMPENSATORY = "compensatory", _("Nghỉ bù")
    SWAP_OFF = "swap_off", _("Nghỉ hoán đổi")


class Holiday(models.Model):
    """A day no one works (besides Saturdays and Sundays)."""

    date = models.DateField(_("ngày"))
    name = models.CharField(_("tên ngày nghỉ"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=HolidayKind.choices, default=HolidayKind.STATUTORY)
    source = models.CharField(_("văn bản quy định"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ")
        verbose_name_plural = _("ngày nghỉ")
        constraints = [models.UniqueConstraint(fields=["date"], name="%(app_label)s_%(class)s_one_per_date")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class WorkingDayOverride(models.Model):
    """A Saturday or Sunday that is worked (làm bù), in exchange for a swapped day off."""

    date = models.DateField(_("ngày làm bù"))
    reason = models.CharField(_("lý do"), max_length=200)
    source = models.CharField(_("văn bản quy định"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày làm bù")
        verbose_name_plural = _("ngày làm bù")
        constraints = [models.UniqueConstraint(fields=["date"], name="%(app_label)s_%(class)s_one_per_date")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.reason}"
