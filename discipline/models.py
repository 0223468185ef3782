"""Discipline records: minimal now (who or which organization, form, date, decision), grown
later by the inspection work. The annual review reads them for its caps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Member, readable_members_q
from orgs.models import Organization


class Form(models.TextChoices):
    """Quy định 69-QĐ/TW (2022), replaced by 296-QĐ/TW (2025): the forms of discipline."""

    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    REMOVAL = "removal", _("Cách chức")
    EXPULSION = "expulsion", _("Khai trừ")
    DISSOLUTION = "dissolution", _("Giải tán")


# Điều lệ Đảng, Điều 35 (and Quy định 69-QĐ/TW): organizations are reprimanded, warned or
# dissolved; full members reprimanded, warned, removed from post or expelled; probationary
# members only reprimanded or warned.
ORGANIZATION_FORMS = {Form.REPRIMAND, Form.WARNING, Form.DISSOLUTION}
FULL_MEMBER_FORMS = {Form.REPRIMAND, Form.WARNING, Form.REMOVAL, Form.EXPULSION}
PROBATIONARY_FORMS = {Form.REPRIMAND, Form.WARNING}


class DisciplineQuerySet(models.QuerySet):
    def for_user(self, user) -> DisciplineQuerySet:
        """Disciplines of members ``user`` may read and of organizations in their scope."""
        scope = user.scope
        if scope.everything:
            return self.all()
        return self.filter(
            Q(member__isnull=False, member__in=Member.objects.filter(readable_members_q(user)).values("pk"))
            | Q(organization__isnull=False) & scope.org_q("organization__", exact=False)
        )

    def in_force_in(self, year: int) -> DisciplineQuerySet:
        """Disciplines decided in ``year`` and not annulled: what the review caps count."""
        return self.filter(decided_on__year=year, annulled_on__isnull=True)


class Discipline(models.Model):
    """One discipline decision against a member or an organization (one violation, one measure)."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="disciplines", verbose_name=_("đảng viên")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disciplines",
        verbose_name=_("tổ chức đảng"),
    )
    form = models.CharField(_("hình thức kỷ luật"), max_length=20, choices=Form.choices)
    decided_on = models.DateField(_("ngày quyết định"))
    decision_number = models.CharField(_("số quyết định"), max_length=80)
    violation = models.TextField(_("nội dung vi phạm"), blank=True)
    self_detected_and_remedied = models.BooleanField(
        _("tự phát hiện, khắc phục"),
        default=False,
        help_text=_("Vi phạm do chính đảng viên, tổ chức tự phát hiện và đã khắc phục: không hạ mức xếp loại."),
    )
    for_corruption_or_waste = models.BooleanField(_("liên quan tham nhũng, lãng phí"), default=False)
    annulled_on = models.DateField(_("ngày hủy bỏ quyết định"), null=True, blank=True)
    annulment_decision = models.CharField(_("số quyết định hủy bỏ"), max_length=80, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = DisciplineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "id"]
        verbose_name = _("kỷ luật")
        verbose_name_plural = _("kỷ luật")
        indexes = [models.Index(fields=["decided_on"], name="discipline_decided_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False, organization__isnull=True) | Q(member__isnull=True, organization__isnull=False),
                name="%(app_label)s_%(class)s_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(annulled_on__isnull=True) | Q(annulled_on__gte=models.F("decided_on")),
                name="%(app_label)s_%(class)s_annulled_after_decided",
            ),
        ]

    def __str__(self) -> str:
        subject = self.member or self.organization
        return f"{self.get_form_display()} – {subject} ({self.decided_on:%d/%m/%Y})"
