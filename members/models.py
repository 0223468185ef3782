"""Party members. The register that every later capability counts (domain.md section 4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.text import fold, full_name, name_sort_key
from orgs.models import Organization
from orgs.scope import subtree_q


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class Status(models.TextChoices):
    PROBATIONARY = "probationary", _("Dự bị")
    FULL = "full", _("Chính thức")
    EXEMPT = "exempt", _("Miễn sinh hoạt")
    SUSPENDED = "suspended", _("Đình chỉ sinh hoạt")
    TRANSFERRED_OUT = "transferred_out", _("Đã chuyển đi")
    REMOVED = "removed", _("Xóa tên")
    EXPELLED = "expelled", _("Khai trừ")
    DECEASED = "deceased", _("Từ trần")


# Members counted in an organization's totals: those still in the party and still in it.
IN_PARTY_STATUSES = [Status.PROBATIONARY, Status.FULL, Status.EXEMPT, Status.SUSPENDED]


class MemberQuerySet(models.QuerySet):
    def for_user(self, user) -> MemberQuerySet:
        """Members ``user`` may read: those in their subtrees, and their own record."""
        scope = user.scope
        if scope.everything:
            return self.all()
        q = Q(user_id=user.pk)
        for path in scope.read_paths:
            q |= subtree_q(path, "organization__path")
        return self.filter(q)

    def in_party(self) -> MemberQuerySet:
        return self.filter(status__in=IN_PARTY_STATUSES)


class Member(models.Model):
    family_name = models.CharField(_("họ"), max_length=40)
    middle_name = models.CharField(_("tên đệm"), max_length=60, blank=True)
    given_name = models.CharField(_("tên"), max_length=40)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("ngày sinh"))
    national_id = models.CharField(_("số CCCD"), max_length=12, null=True, blank=True, unique=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members", verbose_name=_("chi bộ")
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PROBATIONARY)
    admitted_on = models.DateField(_("ngày vào Đảng"))
    full_member_on = models.DateField(_("ngày chính thức"), null=True, blank=True)
    card_number = models.CharField(_("số thẻ đảng viên"), max_length=20, null=True, blank=True, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="member"
    )
    sort_key = models.CharField(max_length=300, editable=False, default="")
    search_text = models.CharField(max_length=300, editable=False, default="")

    objects = MemberQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["sort_key", "search_text"])

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
        indexes = [
            models.Index(fields=["organization", "status"], name="members_member_org_status"),
            models.Index(fields=["sort_key"], name="members_member_sort_key"),
            models.Index(fields=["search_text"], name="members_member_search_text"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return full_name(self.family_name, self.middle_name, self.given_name)

    def save(self, *args, **kwargs) -> None:
        self.sort_key = name_sort_key(self.family_name, self.middle_name, self.given_name)
        self.search_text = fold(f"{self.full_name} {self.national_id or ''} {self.card_number or ''}")
        super().save(*args, **kwargs)
