"""Party organizations: the tree, its kinds and sectors, its dated history, its terms.

The current tree is a treebeard materialized path (``Organization``). Every state an
organization has been in is an ``OrgVersion`` row valid over a date range, with the path
it had then, so the tree as of any date is one range query (``OrgVersion.objects.as_of``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from lib.text import fold
from orgs.scope import Scope, subtree_q


class Level(models.TextChoices):
    """The structural place of an organization (domain.md section 3)."""

    CENTRAL = "central", _("Trung ương")
    PROVINCE = "province", _("Đảng bộ tỉnh")
    UPPER = "upper", _("Đảng bộ cấp trên cơ sở")
    BASE_COMMITTEE = "base_committee", _("Đảng bộ cơ sở")
    BASE_CELL = "base_cell", _("Chi bộ cơ sở")
    PARTIAL_COMMITTEE = "partial_committee", _("Đảng bộ bộ phận")
    CELL = "cell", _("Chi bộ trực thuộc")


# Which level may sit directly under which (None: at the top of the tree). A cell, base
# or attached, has nothing under it; a base organization sits under an upper-level
# committee (Điều lệ Đảng, ch. III; domain.md section 3). A deployment for the whole
# country has one central root: the provinces and the central blocs (Đảng bộ Khối các cơ
# quan Trung ương) sit under it (Điều lệ Đảng 2011, Điều 10: the Party's organizations are
# set up to match the State's administrative system, the central level at the top; its
# Chương III is the central level's leadership).
ALLOWED_PARENT_LEVELS: dict[str, set[str | None]] = {
    Level.CENTRAL: {None},
    Level.PROVINCE: {None, Level.CENTRAL},
    Level.UPPER: {None, Level.CENTRAL, Level.PROVINCE, Level.UPPER},
    Level.BASE_COMMITTEE: {Level.UPPER},
    Level.BASE_CELL: {Level.UPPER},
    Level.PARTIAL_COMMITTEE: {Level.BASE_COMMITTEE},
    Level.CELL: {Level.BASE_COMMITTEE, Level.PARTIAL_COMMITTEE},
}
BASE_LEVELS = {Level.BASE_COMMITTEE, Level.BASE_CELL}
CELL_LEVELS = {Level.BASE_CELL, Level.CELL}


class DatedQuerySet(models.QuerySet):
    def valid_on(self, date: dt.date) -> DatedQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=date)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=date)
        )


class OrgKind(models.Model):
    """A kind of organization with the dates it exists: "Đảng bộ Khối" ended in 2025."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên loại"), max_length=120)
    level = models.CharField(_("cấp"), max_length=20, choices=Level.choices)
    valid_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    valid_to = models.DateField(_("áp dụng đến (không gồm)"), null=True, blank=True)
    source = models.CharField(_("văn bản quy định"), max_length=200, blank=True)

    objects = DatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("loại tổ chức")
        verbose_name_plural = _("loại tổ chức")

    def __str__(self) -> str:
        return self.name

    @property
    def is_base(self) -> bool:
        return self.level in BASE_LEVELS

    @property
    def is_cell(self) -> bool:
        return self.level in CELL_LEVELS

    def is_valid_on(self, date: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (self.valid_to is None or date < self.valid_to)


class Sector(models.Model):
    """The sector of the host unit (loại hình): party agency, state agency, enterprise…"""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên loại hình"), max_length=120)
    valid_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    valid_to = models.DateField(_("áp dụng đến (không gồm)"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("loại hình")
        verbose_name_plural = _("loại hình")

    def __str__(self) -> str:
        return self.name


class OrganizationQuerySet(MP_NodeQuerySet):
    def for_user(self, user) -> OrganizationQuerySet:
        """Organizations ``user`` may read: the subtrees of their assignments (and a member's cell)."""
        scope: Scope = user.scope
        return self.filter(scope.org_q())

    def tops_for(self, user) -> list[Organization]:
        """The tops of what ``user`` sees in this queryset: the tree's roots for an
        administrator, else the assigned organizations that lie under no other one."""
        rows = list(self.for_user(user).filter(user.scope.roots_q()).order_by("path"))
        return [r for r in rows if not any(o.path != r.path and r.path.startswith(o.path) for o in rows)]

    def children_of(self, org: Organization) -> OrganizationQuerySet:
        return self.filter(subtree_q(org.path), depth=org.depth + 1)

    def ancestors_of(self, org: Organization) -> OrganizationQuerySet:
        steplen = Organization.steplen
        return self.filter(path__in=[org.path[: steplen * d] for d in range(1, org.depth)])

    def active(self, on: dt.date | None = None) -> OrganizationQuerySet:
        on = on or dt.date.today()
        return self.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))

    def subtree(self, org: Organization) -> OrganizationQuerySet:
        return self.filter(subtree_q(org.path))


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):  # type: ignore[misc]
    def get_queryset(self) -> OrganizationQuerySet:
        # MP_NodeManager.get_queryset builds a plain MP_NodeQuerySet: ours keeps for_user().
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):
    """A party organization. ``code`` is stable for ever: imports and the API key on it."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=80, blank=True)
    kind = models.ForeignKey(OrgKind, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("loại"))
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="organizations", verbose_name=_("loại hình")
    )
    host_unit = models.CharField(_("cơ quan, đơn vị"), max_length=255, blank=True)
    founded_on = models.DateField(_("ngày thành lập"))
    founding_decision = models.CharField(_("số quyết định thành lập"), max_length=80, blank=True)
    dissolved_on = models.DateField(_("ngày giải thể / kết thúc"), null=True, blank=True)
    dissolution_decision = models.CharField(_("số quyết định giải thể"), max_length=80, blank=True)
    successor = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="predecessors", verbose_name=_("tổ chức kế tục")
    )
    search_text = models.CharField(max_length=400, editable=False, db_index=True, default="")

    objects = OrganizationManager()
    history = HistoricalRecords(excluded_fields=["search_text", "numchild"])
    if TYPE_CHECKING:
        # MP_Node comes without type information, so the django-stubs plugin does not see
        # this class as a model and cannot find its manager for the reverse relations
        # (OrgKind.organizations, Sector.organizations): name it here.
        _default_manager: ClassVar[OrganizationManager]

    class Meta:
        verbose_name = _("tổ chức đảng")
        verbose_name_plural = _("tổ chức đảng")
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=models.F("founded_on")),
                name="%(app_label)s_%(class)s_dissolved_after_founded",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Folding can lengthen text (a decomposed letter becomes two): keep within the column.
        self.search_text = fold(f"{self.code} {self.name} {self.short_name}")[:400]
        super().save(*args, **kwargs)

    @property
    def level(self) -> str:
        return self.kind.level

    @property
    def is_base(self) -> bool:
        return self.kind.is_base

    @property
    def is_cell(self) -> bool:
        return self.kind.is_cell

    def is_active_on(self, date: dt.date) -> bool:
        return self.founded_on <= date and (self.dissolved_on is None or date < self.dissolved_on)

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None or dt.date.today() < self.dissolved_on


class OrgVersionQuerySet(models.QuerySet):
    def as_of(self, date: dt.date) -> OrgVersionQuerySet:
        """The versions in force on ``date``: one per organization that existed then."""
        return self.filter(valid_from__lte=date).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=date))

    def subtree(self, path: str) -> OrgVersionQuerySet:
        return self.filter(subtree_q(path))

    def for_user(self, user, *, on: dt.date | None = None) -> OrgVersionQuerySet:
        """Versions ``user`` may read: those of the organizations in their scope today and,
        with ``on``, those that lay under their subtree roots as those roots were on ``on``
        (a cell that has since left the subtree is still part of its past)."""
        scope: Scope = user.scope
        if scope.everything:
            return self.all()
        readable = Organization.objects.filter(scope.org_q())
        q = Q(organization__in=readable.values("pk"))
        if on is not None and scope.read_paths:
            roots = readable.filter(path__in=scope.read_paths)
            for root_version in OrgVersion.objects.as_of(on).filter(organization__in=roots):
                q |= subtree_q(root_version.path)
        return self.filter(q)


class OrgVersion(models.Model):
    """An organization as it was from ``valid_from`` up to (not including) ``valid_to``."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    name = models.CharField(max_length=255)
    short_name = models.CharField(max_length=80, blank=True)
    kind = models.ForeignKey(OrgKind, on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    parent = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    path = models.CharField(max_length=255)
    depth = models.PositiveIntegerField()

    objects = OrgVersionQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "valid_from"]
        indexes = [
            models.Index(fields=["path", "valid_from"], name="orgs_version_path_from"),
            models.Index(fields=["organization", "valid_from"], name="orgs_version_org_from"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_range",
            ),
            models.UniqueConstraint(fields=["organization", "valid_from"], name="%(app_label)s_%(class)s_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d/%m/%Y}–{self.valid_to:%d/%m/%Y})" if self.valid_to else self.name


class ChangeKind(models.TextChoices):
    FOUND = "found", _("Thành lập")
    RENAME = "rename", _("Đổi tên")
    MOVE = "move", _("Chuyển trực thuộc")
    MERGE = "merge", _("Hợp nhất / sáp nhập")
    SPLIT = "split", _("Chia tách")
    DISSOLVE = "dissolve", _("Giải thể / kết thúc hoạt động")
    UPDATE = "update", _("Cập nhật thông tin")


class OrgChangeQuerySet(models.QuerySet):
    def for_user(self, user) -> OrgChangeQuerySet:
        """Changes that involve an organization ``user`` may read."""
        scope: Scope = user.scope
        if scope.everything:
            return self.all()
        readable = Organization.objects.filter(scope.org_q()).values("pk")
        return self.filter(pk__in=OrgChangeLink.objects.filter(organization__in=readable).values("change_id"))


class OrgChange(models.Model):
    """A dated decision that changed the tree: who was involved and what it said."""

    kind = models.CharField(_("loại thay đổi"), max_length=20, choices=ChangeKind.choices)
    effective_on = models.DateField(_("ngày hiệu lực"))
    decision_no = models.CharField(_("số quyết định"), max_length=80, blank=True)
    summary = models.TextField(_("nội dung"))
    note = models.TextField(_("ghi chú"), blank=True)
    organizations = models.ManyToManyField(Organization, through="OrgChangeLink", related_name="changes")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = OrgChangeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = _("thay đổi tổ chức")
        verbose_name_plural = _("thay đổi tổ chức")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on:%d/%m/%Y}: {self.summary}"


class LinkRole(models.TextChoices):
    SUBJECT = "subject", _("tổ chức được thay đổi")
    SOURCE = "source", _("tổ chức nguồn")
    TARGET = "target", _("tổ chức đích")
    OLD_PARENT = "old_parent", _("cấp trên cũ")
    NEW_PARENT = "new_parent", _("cấp trên mới")


class OrgChangeLink(models.Model):
    change = models.ForeignKey(OrgChange, on_delete=models.CASCADE, related_name="links")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="change_links")
    role = models.CharField(max_length=20, choices=LinkRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["change", "organization", "role"], name="%(app_label)s_%(class)s_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.organization_id}"


class TermQuerySet(models.QuerySet):
    def for_user(self, user) -> TermQuerySet:
        """Terms of the organizations ``user`` may read."""
        return self.filter(user.scope.org_q("organization__"))


class Term(models.Model):
    """A term (nhiệm kỳ) of an organization, usually five years: 2020–2025."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(_("nhiệm kỳ"), max_length=40)
    starts_on = models.DateField(_("bắt đầu"))
    ends_on = models.DateField(_("kết thúc"), null=True, blank=True)
    congress_number = models.CharField(_("Đại hội lần thứ"), max_length=20, blank=True)

    objects = TermQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization", "-starts_on"]
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = _("nhiệm kỳ")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="%(app_label)s_%(class)s_unique_name"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}"


class SeatRole(models.TextChoices):
    SECRETARY = "secretary", _("Bí thư")
    DEPUTY = "deputy", _("Phó Bí thư")
    STANDING = "standing", _("Ủy viên Ban Thường vụ")
    MEMBER = "member", _("Cấp ủy viên")


class CommitteeSeatQuerySet(models.QuerySet):
    def for_user(self, user) -> CommitteeSeatQuerySet:
        """Seats of the terms of the organizations ``user`` may read."""
        return self.filter(user.scope.org_q("term__organization__"))


class CommitteeSeat(models.Model):
    """Who held a seat of a term's committee, and from when to when."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="seats")
    role = models.CharField(_("chức danh"), max_length=20, choices=SeatRole.choices)
    holder_name = models.CharField(_("họ và tên"), max_length=120)
    holder_code = models.CharField(_("mã đảng viên / CCCD"), max_length=40, blank=True)
    started_on = models.DateField(_("từ ngày"))
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)
    decision_no = models.CharField(_("số quyết định"), max_length=80, blank=True)

    objects = CommitteeSeatQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["term", "role", "started_on"]
        verbose_name = _("chức danh cấp ủy")
        verbose_name_plural = _("chức danh cấp ủy")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.holder_name}"
