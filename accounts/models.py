"""Users, their roles on organizations, and personal API tokens.

A user's scope is the union of the subtrees of the organizations they are assigned to
(``User.scope``). Every list, page, export and API call reads through it.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import cached_property
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.text import fold
from orgs.models import Organization
from orgs.scope import Scope


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    UPPER_STAFF = "upper_staff", _("Cán bộ cơ quan cấp trên")
    BASE_COMMITTEE = "base_committee", _("Bí thư, cấp ủy cơ sở")
    CELL_SECRETARY = "cell_secretary", _("Bí thư chi bộ")
    MEMBER = "member", _("Đảng viên")
    VIEWER = "viewer", _("Lãnh đạo (chỉ xem)")


class Board(models.TextChoices):
    """The upper-level committee's staff bodies (domain.md section 1)."""

    ORGANIZATION = "organization", _("Ban Tổ chức")
    INSPECTION = "inspection", _("Ủy ban Kiểm tra")
    PROPAGANDA = "propaganda", _("Ban Tuyên giáo")
    OFFICE = "office", _("Văn phòng")


# Roles that must use two-factor login when settings.REQUIRE_2FA_FOR_STAFF is on: the
# administrators and the upper-level committee's staff (the inspection commission is one of
# its boards). Secretaries of base committees and cells, members and read-only leadership
# may enrol but are not made to.
STAFF_ROLES = {Role.ADMIN, Role.UPPER_STAFF}


class UserQuerySet(models.QuerySet):
    def for_user(self, user: User) -> UserQuerySet:
        """Accounts ``user`` may see: every account for an administrator, else their own."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_admin:
            return self.all()
        return self.filter(pk=user.pk)


class DangboUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


# Saves that touch only these fields write no history row: a login moves last_login, and a
# login may rehash the password. A password reset by an administrator saves in full.
_SILENT_FIELDS = {"last_login", "password"}


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    # Username and full name folded without diacritics, for search ("nguyen van an").
    search_text = models.CharField(max_length=300, editable=False, db_index=True, default="")

    objects: ClassVar[DangboUserManager] = DangboUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login", "search_text"])

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(f"{self.username} {self.full_name}")[:300]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            fields = set(update_fields)
            if fields & {"username", "full_name"}:
                kwargs["update_fields"] = [*fields, "search_text"]
            if fields <= _SILENT_FIELDS:
                # simple-history skips an update when this attribute is set.
                self.skip_history_when_saving = True
                try:
                    super().save(*args, **kwargs)
                finally:
                    del self.skip_history_when_saving
                return
        super().save(*args, **kwargs)

    @cached_property
    def active_assignments(self) -> list[Assignment]:
        return list(self.assignments.filter(active=True).select_related("organization"))

    def roles(self) -> set[str]:
        return {a.role for a in self.active_assignments}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles() & set(roles))

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.has_role(Role.ADMIN)

    @property
    def holds_staff_role(self) -> bool:
        """A superuser, or an active assignment in ``STAFF_ROLES`` (two-factor policy)."""
        return self.is_superuser or self.has_role(*STAFF_ROLES)

    @cached_property
    def scope(self) -> Scope:
        """The subtrees this user may read. Computed once per request. What they may change
        is ``accounts.rights.can_write``."""
        if not self.is_active:
            return Scope()
        if self.is_admin:
            return Scope(everything=True)
        read: list[str] = []
        exact: list[int] = []
        for a in self.active_assignments:
            org = a.organization
            if a.role == Role.MEMBER:
                exact.append(org.pk)
            else:
                read.append(org.path)
        return Scope(read_paths=_roots(read), exact_org_ids=tuple(exact))

    def primary_organization(self) -> Organization | None:
        assignments = self.active_assignments
        return min((a.organization for a in assignments), key=lambda o: o.depth, default=None)


def _roots(paths: list[str]) -> tuple[str, ...]:
    """Drop a path that lies under another one in the list."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(r) for r in result):
            result.append(path)
    return tuple(result)


class AssignmentQuerySet(models.QuerySet):
    def for_user(self, user: User) -> AssignmentQuerySet:
        return self.filter(user.scope.org_q("organization__"))


class Assignment(models.Model):
    """A role a user holds on an organization (and so on its subtree)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("người dùng"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("tổ chức")
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    board = models.CharField(_("cơ quan tham mưu"), max_length=20, choices=Board.choices, blank=True)
    active = models.BooleanField(_("đang hiệu lực"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["user", "organization__path"]
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="%(app_label)s_%(class)s_unique_role_per_org"),
            models.CheckConstraint(
                condition=models.Q(board="") | models.Q(role="upper_staff"),
                name="%(app_label)s_%(class)s_board_only_for_staff",
            ),
        ]

    def __str__(self) -> str:
        board = f" – {self.get_board_display()}" if self.board else ""
        return f"{self.get_role_display()}{board} @ {self.organization}"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def for_user(self, user: User) -> ApiTokenQuerySet:
        return self.filter(user=user)


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; it carries its owner's scope."""

    PREFIX = "dbt_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên gợi nhớ"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, *, user: User, name: str, expires_at=None) -> tuple[ApiToken, str]:
        """Create a token and return it with its clear key, which is shown only once."""
        key = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=_hash(key), hint=key[:10], expires_at=expires_at)
        return token, key

    @classmethod
    def authenticate(cls, key: str) -> User | None:
        if not key or not key.startswith(cls.PREFIX):
            return None
        token = cls.objects.select_related("user").filter(key_hash=_hash(key), revoked_at__isnull=True).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if token.expires_at and token.expires_at <= now:
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
