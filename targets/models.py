"""Congress resolutions, their targets, the targets allocated by the level above, and the
values entered by hand for what the system does not measure.

A target names an indicator of ``lib.indicators`` by its code (blank: measured by hand,
from ``ManualValue``). Its definition has a history: once a year has been measured, the
definition that stood at the end of that year still explains it (``tracking.definition_for``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from orgs.models import Organization


class Comparison(models.TextChoices):
    GT = "gt", ">"
    GE = "ge", "≥"
    EQ = "eq", "="
    LE = "le", "≤"
    LT = "lt", "<"


class Unit(models.TextChoices):
    PERCENT = "percent", _("Tỷ lệ (%)")
    COUNT = "count", _("Số lượng")


class Period(models.TextChoices):
    EACH_YEAR = "each_year", _("Hằng năm")
    TERM = "term", _("Cả nhiệm kỳ")
    BY_YEAR = "by_year", _("Đến năm")


class TargetScope(models.TextChoices):
    SUBTREE = "subtree", _("Toàn đảng bộ")
    BASE_ONLY = "base_only", _("Các tổ chức cơ sở đảng")
    CELLS_ONLY = "cells_only", _("Các chi bộ trực thuộc")


class ResolutionQuerySet(models.QuerySet):
    def for_user(self, user) -> ResolutionQuerySet:
        return self.filter(user.scope.org_q("organization__"))


class Resolution(models.Model):
    """The resolution of an organization's congress for a term (e.g. 2020–2025)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="resolutions", verbose_name=_("tổ chức đảng")
    )
    term_name = models.CharField(_("nhiệm kỳ"), max_length=20)
    start_year = models.PositiveSmallIntegerField(_("năm đầu nhiệm kỳ"))
    end_year = models.PositiveSmallIntegerField(_("năm cuối nhiệm kỳ"))
    congress_name = models.CharField(_("tên đại hội"), max_length=200, blank=True)
    congress_number = models.CharField(_("đại hội lần thứ"), max_length=20, blank=True)
    adopted_on = models.DateField(_("ngày thông qua"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ResolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("nghị quyết đại hội")
        verbose_name_plural = _("nghị quyết đại hội")
        constraints = [
            models.UniqueConstraint(fields=["organization", "start_year"], name="%(app_label)s_%(class)s_one_per_term"),
            models.CheckConstraint(
                condition=Q(start_year__lte=models.F("end_year")), name="%(app_label)s_%(class)s_years_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.term_name}"


class TargetQuerySet(models.QuerySet):
    def for_user(self, user) -> TargetQuerySet:
        return self.filter(user.scope.org_q("resolution__organization__"))


class Target(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="targets", verbose_name=_("nghị quyết"))
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("chỉ tiêu cha")
    )
    wording = models.TextField(_("nội dung chỉ tiêu"))
    indicator_code = models.CharField(_("chỉ số đo"), max_length=60, blank=True, help_text=_("Để trống: nhập kết quả bằng tay."))
    comparison = models.CharField(_("so sánh"), max_length=2, choices=Comparison.choices, default=Comparison.GE)
    threshold = models.DecimalField(_("mức chỉ tiêu"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("đơn vị"), max_length=10, choices=Unit.choices)
    period = models.CharField(_("thời hạn"), max_length=10, choices=Period.choices, default=Period.EACH_YEAR)
    period_year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    scope = models.CharField(_("phạm vi"), max_length=10, choices=TargetScope.choices, default=TargetScope.SUBTREE)
    group = models.CharField(
        _("trong đó (nhóm)"),
        max_length=30,
        blank=True,
        help_text=_("Một phần của chỉ số được đếm: thanh niên, nữ, người dân tộc thiểu số… Để trống: đếm tất cả."),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()
    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["resolution", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period="by_year", period_year__isnull=False) | ~Q(period="by_year"),
                name="%(app_label)s_%(class)s_by_year_has_year",
            ),
            models.CheckConstraint(condition=Q(threshold__gte=0), name="%(app_label)s_%(class)s_threshold_not_negative"),
        ]

    def __str__(self) -> str:
        return self.wording


class AllocationQuerySet(models.QuerySet):
    def for_user(self, user) -> AllocationQuerySet:
        return self.filter(user.scope.org_q("organization__") | user.scope.org_q("target__resolution__organization__"))


class TargetAllocation(models.Model):
    """A target of the level above allocated to one of its organizations, with its own threshold."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="allocations", verbose_name=_("chỉ tiêu"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức được phân bổ")
    )
    threshold = models.DecimalField(_("mức phân bổ"), max_digits=12, decimal_places=2)
    allocated_by = models.CharField(_("cấp phân bổ"), max_length=120, help_text=_("Ví dụ: Ban Thường vụ Tỉnh ủy"))

    history = HistoricalRecords()
    objects = AllocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu được phân bổ")
        verbose_name_plural = _("chỉ tiêu được phân bổ")
        constraints = [
            models.UniqueConstraint(fields=["target", "organization"], name="%(app_label)s_%(class)s_one_per_org"),
            models.CheckConstraint(condition=Q(threshold__gte=0), name="%(app_label)s_%(class)s_threshold_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.target} → {self.organization}"


class ManualValueQuerySet(models.QuerySet):
    def for_user(self, user) -> ManualValueQuerySet:
        return self.filter(user.scope.org_q("organization__"))


class ManualValue(models.Model):
    """A value measured outside the system (e.g. units meeting the cultural standard), for a
    target or a hand-entered indicator code, an organization and a year."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, null=True, blank=True, related_name="manual_values")
    indicator_code = models.CharField(_("chỉ số đo"), max_length=60, blank=True)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức đảng"))
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("giá trị"), max_digits=12, decimal_places=2)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người nhập")
    )
    entered_at = models.DateTimeField(_("nhập lúc"))

    history = HistoricalRecords()
    objects = ManualValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả nhập tay")
        verbose_name_plural = _("kết quả nhập tay")
        constraints = [
            models.CheckConstraint(
                condition=(Q(target__isnull=False) & Q(indicator_code="")) | (Q(target__isnull=True) & ~Q(indicator_code="")),
                name="%(app_label)s_%(class)s_target_or_indicator",
            ),
            models.UniqueConstraint(
                fields=["target", "organization", "year"],
                condition=Q(target__isnull=False),
                name="%(app_label)s_%(class)s_one_per_target_year",
            ),
            models.UniqueConstraint(
                fields=["indicator_code", "organization", "year"],
                condition=Q(target__isnull=True),
                name="%(app_label)s_%(class)s_one_per_indicator_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}: {self.value}"
