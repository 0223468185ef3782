"""Party members. The register that every later capability counts (domain.md section 4).

``Member`` follows the member form 2-HSĐV and the member list 7-HSĐV. What changes over
time is kept as dated rows: ``StatusChange`` (the status history; ``Member.status`` is
the latest), ``CellMembership`` (the cells a member belonged to, permanently or
temporarily), ``Transfer`` (movements, with their deadlines) and ``BadgeAward``.
Rows are written by ``members.services`` only; derived values (age, party age, youth,
next badge) are computed by ``members.rules`` and never typed in.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.text import fold, full_name, name_sort_key
from members import rules
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


# ---------------------------------------------------------------------------------------
# Lists (danh mục): data an administrator maintains, never choices in code.


class ListEntry(models.Model):
    """An entry of a reference list: a stable code, a name, an order and an active flag."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)

    # Django gives every concrete list this manager anyway; naming it on the abstract base
    # lets code written for any list (``type[ListEntry]``) reach ``objects``.
    objects = models.Manager()

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Ethnicity(ListEntry):
    history = HistoricalRecords()

    class Meta(ListEntry.Meta):
        verbose_name = _("dân tộc")
        verbose_name_plural = _("dân tộc")


class Religion(ListEntry):
    history = HistoricalRecords()

    class Meta(ListEntry.Meta):
        verbose_name = _("tôn giáo")
        verbose_name_plural = _("tôn giáo")


class GeneralEducation(ListEntry):
    history = HistoricalRecords()

    class Meta(ListEntry.Meta):
        verbose_name = _("trình độ giáo dục phổ thông")
        verbose_name_plural = _("trình độ giáo dục phổ thông")


class ProfessionalEducation(ListEntry):
    history = HistoricalRecords()

    class Meta(ListEntry.Meta):
        verbose_name = _("trình độ chuyên môn")
        verbose_name_plural = _("trình độ chuyên môn")


class PoliticalTheory(ListEntry):
    history = HistoricalRecords()

    class Meta(ListEntry.Meta):
        verbose_name = _("trình độ lý luận chính trị")
        verbose_name_plural = _("trình độ lý luận chính trị")


# ---------------------------------------------------------------------------------------
# The member


def readable_members_q(user, prefix: str = "") -> Q:
    """The members ``user`` may read, as a filter on Member rows (or on rows reaching a
    member through ``prefix``): those whose cell is in their subtrees, and their own record.
    A member role sees their own record, not the others of their cell."""
    scope = user.scope
    if scope.everything:
        return Q()
    return Q(**{f"{prefix}user_id": user.pk}) | scope.org_q(f"{prefix}organization__", exact=False)


class MemberQuerySet(models.QuerySet):
    def for_user(self, user) -> MemberQuerySet:
        """Members ``user`` may read: those in their subtrees, and their own record."""
        return self.filter(readable_members_q(user))

    def in_party(self) -> MemberQuerySet:
        return self.filter(status__in=IN_PARTY_STATUSES)

    def in_organization(self, org: Organization) -> MemberQuerySet:
        """Members whose current permanent cell lies in ``org``'s subtree (today's tree)."""
        return self.filter(subtree_q(org.path, "organization__path"))

    def attached_to(self, org: Organization) -> MemberQuerySet:
        """Members temporarily attached to a cell in ``org``'s subtree (no vote there)."""
        return self.filter(subtree_q(org.path, "temporary_organization__path"))

    def youth(self, on: dt.date) -> MemberQuerySet:
        """Members 30 years old or younger on ``on`` (born after the cut-off)."""
        return self.filter(birth_date__gt=rules.latest_birth_date_for_age(rules.YOUTH_MAX_AGE + 1, on))

    def aged_between(self, low: int | None, high: int | None, on: dt.date) -> MemberQuerySet:
        """Members whose age on ``on`` in completed years is in [low, high] (either end open)."""
        qs = self
        if low is not None:
            qs = qs.filter(birth_date__lte=rules.latest_birth_date_for_age(low, on))
        if high is not None:
            qs = qs.filter(birth_date__gt=rules.latest_birth_date_for_age(high + 1, on))
        return qs

    def party_age_at_least(self, years: int, on: dt.date) -> MemberQuerySet:
        """Full members whose party age on ``on`` is ``years`` or more."""
        return self.filter(
            full_member_on__isnull=False,
            full_member_on__lte=on,
            party_age_from__lte=rules.latest_birth_date_for_age(years, on),
        )


class Member(models.Model):
    # Identity (2-HSĐV, part 1)
    family_name = models.CharField(_("họ"), max_length=40)
    middle_name = models.CharField(_("tên đệm"), max_length=60, blank=True)
    given_name = models.CharField(_("tên"), max_length=40)
    other_names = models.CharField(_("tên gọi khác"), max_length=120, blank=True)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("ngày sinh"))
    national_id = models.CharField(_("số CCCD"), max_length=12, null=True, blank=True, unique=True)
    ethnicity = models.ForeignKey(
        Ethnicity, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("dân tộc")
    )
    religion = models.ForeignKey(
        Religion, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tôn giáo")
    )
    hometown = models.CharField(_("quê quán"), max_length=255, blank=True)
    residence = models.CharField(_("nơi ở hiện nay"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    # Education
    general_education = models.ForeignKey(
        GeneralEducation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("giáo dục phổ thông")
    )
    professional_education = models.ForeignKey(
        ProfessionalEducation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chuyên môn, nghiệp vụ"),
    )
    # The professional education as written where the list is coarser ("Cử nhân Kinh tế" is
    # «Đại học» in the list): kept beside the entry, never instead of it.
    professional_education_text = models.CharField(_("chuyên môn, nghiệp vụ (ghi đầy đủ)"), max_length=255, blank=True)
    political_theory = models.ForeignKey(
        PoliticalTheory, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("lý luận chính trị")
    )
    # Work
    job = models.CharField(_("nghề nghiệp"), max_length=120, blank=True)
    post = models.CharField(_("chức vụ"), max_length=160, blank=True)
    host_unit = models.CharField(_("cơ quan, đơn vị công tác"), max_length=255, blank=True)
    # Party
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="members", verbose_name=_("chi bộ"))
    temporary_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="temporary_members",
        verbose_name=_("chi bộ sinh hoạt tạm thời"),
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PROBATIONARY)
    status_since = models.DateField(_("trạng thái từ ngày"), null=True, blank=True)
    admitted_on = models.DateField(_("ngày vào Đảng"))
    ceremony_on = models.DateField(_("ngày tổ chức lễ kết nạp"), null=True, blank=True)
    full_member_on = models.DateField(_("ngày chính thức"), null=True, blank=True)
    party_age_gap_months = models.PositiveSmallIntegerField(
        _("số tháng không tính tuổi đảng"),
        default=0,
        help_text=_("Thời gian không ở trong Đảng của đảng viên được kết nạp lại."),
    )
    party_age_from = models.DateField(_("tuổi đảng tính từ"), null=True, blank=True, editable=False)
    card_number = models.CharField(_("số thẻ đảng viên"), max_length=20, null=True, blank=True, unique=True)
    profile_number = models.CharField(_("số lý lịch"), max_length=40, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="member")
    sort_key = models.CharField(max_length=300, editable=False, default="")
    search_text = models.CharField(max_length=300, editable=False, default="")

    objects = MemberQuerySet.as_manager()
    # The history is read by member (``id``) and by date: the other columns' indexes only
    # slowed every write (a 150,000-row import inserts as many history rows).
    history = HistoricalRecords(
        excluded_fields=["sort_key", "search_text", "party_age_from"],
        no_db_index=[
            "national_id",
            "card_number",
            "ethnicity",
            "religion",
            "general_education",
            "professional_education",
            "political_theory",
            "organization",
            "temporary_organization",
            "user",
        ],
    )

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
        indexes = [
            models.Index(fields=["organization", "status"], name="members_member_org_status"),
            models.Index(fields=["sort_key"], name="members_member_sort_key"),
            models.Index(fields=["search_text"], name="members_member_search_text"),
            models.Index(fields=["birth_date"], name="members_member_birth_date"),
            models.Index(fields=["party_age_from"], name="members_member_party_age_from"),
            # The list's order by card number: numeric, shorter first (members.columns.CARD_ORDER).
            models.Index(Length("card_number"), F("card_number"), name="members_member_card_order"),
            # The dashboards' alert of probationary members overdue (members.alerts.probation_overdue):
            # the few overdue rows of the probationary ones, without reading the others.
            # The dashboard's alert of members overdue for full membership (members.alerts):
            # the cell and the two dates the start of probation comes from, for each
            # probationary member, so that a count over a subtree reads this index alone
            # (at the nation's root, 157,000 overdue of 196,000 probationary: 1 s when each
            # was read from the table; PostgreSQL reads an index alone only for plain columns).
            models.Index(
                fields=["organization", "ceremony_on", "admitted_on"],
                condition=Q(status="probationary"),
                name="members_member_org_probation",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(full_member_on__isnull=True) | Q(full_member_on__gte=models.F("admitted_on")),
                name="%(app_label)s_%(class)s_full_after_admitted",
            ),
            models.CheckConstraint(
                condition=Q(ceremony_on__isnull=True) | Q(ceremony_on__gte=models.F("admitted_on")),
                name="%(app_label)s_%(class)s_ceremony_after_admitted",
            ),
            models.CheckConstraint(
                condition=Q(admitted_on__gt=models.F("birth_date")),
                name="%(app_label)s_%(class)s_admitted_after_birth",
            ),
            models.CheckConstraint(
                condition=~Q(temporary_organization=models.F("organization")),
                name="%(app_label)s_%(class)s_temporary_not_permanent",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.sort_key = name_sort_key(self.family_name, self.middle_name, self.given_name)
        # The CCCD is not searchable text: it is matched whole, and only for those who may see it
        # (members.filters.MemberFilter.filter_search).
        self.search_text = fold(f"{self.full_name} {self.other_names} {self.card_number or ''}")[:300]
        self.party_age_from = rules.party_age_origin(self.admitted_on, self.party_age_gap_months) if self.admitted_on else None
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return full_name(self.family_name, self.middle_name, self.given_name)

    # Derived values, computed from the record (domain.md section 4: never typed in).

    def age(self, on: dt.date | None = None) -> int:
        return rules.age_on(self.birth_date, on or dt.date.today())

    def party_age(self, on: dt.date | None = None) -> int | None:
        """Completed years of party age on ``on``; None while the member is not yet full."""
        return rules.party_age(
            admitted_on=self.admitted_on,
            full_member_on=self.full_member_on,
            gap_months=self.party_age_gap_months,
            on=on or dt.date.today(),
        )

    def is_youth(self, on: dt.date | None = None) -> bool:
        return rules.is_youth(self.birth_date, on or dt.date.today())

    @property
    def is_in_party(self) -> bool:
        return self.status in IN_PARTY_STATUSES

    def next_badge(self) -> rules.BadgeMilestone | None:
        """The next badge milestone not yet awarded, with its due date."""
        awarded = {a.years for a in self.badge_awards.all()}
        return rules.next_badge(
            admitted_on=self.admitted_on,
            gap_months=self.party_age_gap_months,
            awarded=awarded,
            full=self.full_member_on is not None,
        )

    def probation_ends_on(self) -> dt.date:
        return rules.probation_end(admitted_on=self.admitted_on, ceremony_on=self.ceremony_on)


# ---------------------------------------------------------------------------------------
# Dated history


class MemberRowQuerySet(models.QuerySet):
    def for_user(self, user) -> MemberRowQuerySet:
        """Rows of the members ``user`` may read."""
        return self.filter(readable_members_q(user, "member__"))


class TransferQuerySet(MemberRowQuerySet):
    def for_user(self, user) -> TransferQuerySet:
        """Transfers of members ``user`` may read, and transfers into or out of cells in their subtrees."""
        scope = user.scope
        if scope.everything:
            return self.all()
        q = readable_members_q(user, "member__")
        q |= scope.org_q("from_org__", exact=False) | scope.org_q("to_org__", exact=False)
        return self.filter(q)


class StatusChange(models.Model):
    """One dated status of a member, with the decision that set it. The latest is current."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices)
    effective_on = models.DateField(_("ngày hiệu lực"))
    decision_no = models.CharField(_("số quyết định"), max_length=80, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = MemberRowQuerySet.as_manager()
    history = HistoricalRecords(no_db_index=["recorded_by"])  # read by id and by member

    class Meta:
        ordering = ["member", "effective_on", "id"]
        verbose_name = _("thay đổi trạng thái")
        verbose_name_plural = _("thay đổi trạng thái")
        indexes = [
            models.Index(fields=["member", "effective_on"], name="members_status_member_on"),
            models.Index(fields=["status", "effective_on"], name="members_status_status_on"),
        ]

    def __str__(self) -> str:
        return gettext("%(status)s từ %(date)s") % {"status": self.get_status_display(), "date": f"{self.effective_on:%d/%m/%Y}"}


class MembershipKind(models.TextChoices):
    PERMANENT = "permanent", _("Chính thức")
    TEMPORARY = "temporary", _("Tạm thời")


class CellMembership(models.Model):
    """A member's place in a cell over [started_on, ended_on): the cell history.

    A member in the party has exactly one open permanent membership and at most one open
    temporary one (enforced by the two partial unique constraints below).
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="cell_memberships", verbose_name=_("chi bộ")
    )
    kind = models.CharField(_("hình thức"), max_length=10, choices=MembershipKind.choices, default=MembershipKind.PERMANENT)
    started_on = models.DateField(_("từ ngày"))
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)
    decision_no = models.CharField(_("số quyết định / giấy giới thiệu"), max_length=80, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    objects = MemberRowQuerySet.as_manager()
    history = HistoricalRecords(no_db_index=["organization"])  # read by id and by member

    class Meta:
        ordering = ["member", "started_on", "id"]
        verbose_name = _("quá trình sinh hoạt chi bộ")
        verbose_name_plural = _("quá trình sinh hoạt chi bộ")
        indexes = [
            models.Index(fields=["organization", "kind", "started_on"], name="members_cm_org_kind_from"),
            models.Index(fields=["member", "kind", "started_on"], name="members_cm_member_kind_from"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_on__isnull=True, kind="permanent"),
                name="%(app_label)s_%(class)s_one_open_permanent",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_on__isnull=True, kind="temporary"),
                name="%(app_label)s_%(class)s_one_open_temporary",
            ),
        ]

    def __str__(self) -> str:
        end = f"{self.ended_on:%d/%m/%Y}" if self.ended_on else "nay"
        return f"{self.organization} ({self.get_kind_display()}, {self.started_on:%d/%m/%Y}–{end})"


class TransferKind(models.TextChoices):
    WITHIN = "within", _("Chuyển sinh hoạt chính thức trong Đảng bộ")
    OUT = "out", _("Chuyển sinh hoạt chính thức ra ngoài")
    IN = "in", _("Tiếp nhận sinh hoạt chính thức từ nơi khác")
    TEMPORARY = "temporary", _("Chuyển sinh hoạt tạm thời")


class TransferStatus(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    COMPLETED = "completed", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


class TemporaryReason(models.TextChoices):
    WORK = "work", _("Đi công tác, làm việc, cư trú")
    STUDY = "study", _("Đi học")


class Transfer(models.Model):
    """A movement of a member's party activity, with its letter and its deadlines.

    ``start_deadline`` (60 working days after ``cause_on``) and ``present_deadline``
    (30 working days after ``letter_on``) are computed by the services from the
    working-day calendar (Quy định 294-QĐ/TW 2025, §6.3).
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField(_("loại"), max_length=12, choices=TransferKind.choices)
    status = models.CharField(_("tình trạng"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.OPEN)
    from_org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="transfers_out", verbose_name=_("từ chi bộ")
    )
    to_org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="transfers_in", verbose_name=_("đến chi bộ")
    )
    outside_unit = models.CharField(_("đảng bộ nơi đi / nơi đến (ngoài hệ thống)"), max_length=255, blank=True)
    reason = models.CharField(_("lý do sinh hoạt tạm thời"), max_length=10, choices=TemporaryReason.choices, blank=True)
    cause_on = models.DateField(_("ngày phát sinh (quyết định điều động, nghỉ hưu, chuyển nơi ở…)"), null=True, blank=True)
    letter_no = models.CharField(_("số giấy giới thiệu"), max_length=80, blank=True)
    letter_on = models.DateField(_("ngày cấp giấy giới thiệu"), null=True, blank=True)
    presented_on = models.DateField(_("ngày nộp giấy cho chi bộ mới"), null=True, blank=True)
    ends_on = models.DateField(_("sinh hoạt tạm thời đến ngày"), null=True, blank=True)
    start_deadline = models.DateField(_("hạn làm thủ tục chuyển"), null=True, blank=True)
    present_deadline = models.DateField(_("hạn nộp giấy giới thiệu"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = TransferQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("chuyển sinh hoạt đảng")
        verbose_name_plural = _("chuyển sinh hoạt đảng")
        indexes = [
            models.Index(fields=["status", "kind"], name="members_transfer_status_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(presented_on__isnull=True) | Q(letter_on__isnull=True) | Q(presented_on__gte=models.F("letter_on")),
                name="%(app_label)s_%(class)s_presented_after_letter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member}"


class BadgeAward(models.Model):
    """A party badge (Huy hiệu Đảng) awarded for a number of years of party age."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="badge_awards")
    years = models.PositiveSmallIntegerField(_("số năm tuổi đảng"), choices=[(y, f"{y} năm") for y in rules.BADGE_YEARS])
    awarded_on = models.DateField(_("ngày trao tặng"))
    decision_no = models.CharField(_("số quyết định"), max_length=80, blank=True)
    early_for_illness = models.BooleanField(_("tặng sớm do ốm nặng"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = MemberRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["member", "years"]
        verbose_name = _("huy hiệu Đảng")
        verbose_name_plural = _("huy hiệu Đảng")
        constraints = [
            models.UniqueConstraint(fields=["member", "years"], name="%(app_label)s_%(class)s_once_per_milestone"),
        ]

    def __str__(self) -> str:
        return gettext("Huy hiệu %(years)s năm tuổi Đảng") % {"years": self.years}


# ---------------------------------------------------------------------------------------
# Kept counts (members/counts.py): what the statistics and the indicators read at scale.
# Written only by members.counts, in the transaction of the change that moves them.


class KeptRange(models.Model):
    """The days the counts are kept for (one row; none before the first build)."""

    start = models.DateField()
    horizon = models.DateField()
    # The depths of the tree whose organizations' counts are kept, e.g. "1" or "1,2"
    # (``members.counts.KEPT_DEPTHS``): set by a rebuild, read by every writer and reader.
    depths = models.CharField(max_length=20, default="1")
    built_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y}–{self.horizon:%d/%m/%Y}"

    @property
    def depth_list(self) -> tuple[int, ...]:
        return tuple(int(d) for d in self.depths.split(",") if d)


class MemberCountDelta(models.Model):
    """How a kept count moved on ``day``: ``path`` "" is the whole register, else a kept
    organization's path as the tree stood that day."""

    path = models.CharField(max_length=255, blank=True)
    day = models.DateField()
    dimension = models.CharField(max_length=30)
    key = models.CharField(max_length=40, blank=True)
    change = models.IntegerField()

    class Meta:
        constraints = [
            # In the order a read filters: a path, its dimensions, a range of days.
            models.UniqueConstraint(fields=["path", "dimension", "day", "key"], name="%(app_label)s_%(class)s_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.path or '*'} {self.day} {self.dimension}={self.key}: {self.change:+d}"


class MemberCountSnapshot(models.Model):
    """A kept count at the start of ``month`` (its first day): every delta dated before it."""

    path = models.CharField(max_length=255, blank=True)
    month = models.DateField()
    dimension = models.CharField(max_length=30)
    key = models.CharField(max_length=40, blank=True)
    count = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["path", "month", "dimension", "key"], name="%(app_label)s_%(class)s_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.path or '*'} {self.month} {self.dimension}={self.key}: {self.count}"


# ---------------------------------------------------------------------------------------
# Import jobs (members/importing.py, members/tasks.py): the row a page polls for progress.
# Kept apart from the register above: a job is bookkeeping, its members' changes carry
# their own history.


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    PARSING = "parsing", _("Đang đọc và kiểm tra")
    PARSED = "parsed", _("Sẵn sàng ghi")
    INVALID = "invalid", _("Có lỗi, chưa ghi")
    WRITING = "writing", _("Đang ghi")
    DONE = "done", _("Đã ghi xong")
    FAILED = "failed", _("Không ghi được")


class ImportJobQuerySet(models.QuerySet):
    def for_user(self, user) -> ImportJobQuerySet:
        """The jobs ``user`` uploaded; an administrator reads every job."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_admin:
            return self.all()
        return self.filter(created_by=user)


class ImportJob(models.Model):
    """One uploaded member file: its checks, its preview, the write and its counts."""

    RUNNING = (ImportJobStatus.QUEUED, ImportJobStatus.PARSING, ImportJobStatus.WRITING)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_import_jobs", verbose_name=_("người nhập")
    )
    created_at = models.DateTimeField(_("lúc tải lên"), auto_now_add=True)
    finished_at = models.DateTimeField(_("lúc xong"), null=True, blank=True)
    file = models.FileField(_("tệp"), upload_to="imports/")
    filename = models.CharField(_("tên tệp"), max_length=255)
    status = models.CharField(_("tình trạng"), max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED)
    background = models.BooleanField(_("chạy nền"), default=False)
    total = models.PositiveIntegerField(_("số dòng ước tính"), default=0)
    processed = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    row_count = models.PositiveIntegerField(_("số dòng dữ liệu"), default=0)
    new_count = models.PositiveIntegerField(_("số đảng viên mới"), default=0)
    update_count = models.PositiveIntegerField(_("số đảng viên cập nhật"), default=0)
    unchanged_count = models.PositiveIntegerField(_("số dòng không thay đổi"), default=0)
    error_count = models.PositiveIntegerField(_("số lỗi"), default=0)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    warnings = models.JSONField(_("lưu ý"), default=list, blank=True)
    preview = models.JSONField(_("xem trước"), default=list, blank=True)
    # Signs of life of the step that runs (members.tasks): the runner's last report, and
    # the django-tasks result of a background step. A running job whose runner is gone is
    # marked failed when read (members.tasks.job_detect_interrupted).
    heartbeat_at = models.DateTimeField(_("lúc báo tiến độ gần nhất"), null=True, blank=True)
    task_id = models.CharField(_("mã tác vụ nền"), max_length=64, blank=True)
    # The running status the job was in when it failed: what "Chạy lại" runs again.
    failed_during = models.CharField(_("bước bị lỗi"), max_length=10, choices=ImportJobStatus.choices, blank=True)
    # The user's choices, kept for every check of the file (lib.importer): {"mapping": {file
    # header: column key or ""}, "answers": {question key: {"value": …, "reason": …}}}.
    decisions = models.JSONField(_("lựa chọn của người nhập"), default=dict, blank=True)
    # What the last check found beside the rows: the questions (Question.as_json), every
    # file column and its field, the rows left out with their reason, notes on the text.
    questions = models.JSONField(_("câu hỏi"), default=list, blank=True)
    headers = models.JSONField(_("các cột của tệp"), default=list, blank=True)
    header_signature = models.CharField(_("dấu hiệu dòng tiêu đề"), max_length=64, blank=True)
    skipped = models.JSONField(_("các dòng bỏ qua"), default=list, blank=True)
    notes = models.JSONField(_("ghi chú về tệp"), default=list, blank=True)
    waiting_count = models.PositiveIntegerField(_("số dòng chờ trả lời"), default=0)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lượt nhập đảng viên")
        verbose_name_plural = _("lượt nhập đảng viên")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def unanswered(self) -> list[dict]:
        return [q for q in self.questions if not q.get("answered")]


class ImportColumnMapping(models.Model):
    """The columns a user mapped by hand for a file's headers, offered again for their next
    file with the same headers (``signature``: ``lib.importer.header_signature``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("người nhập"))
    signature = models.CharField(_("dấu hiệu dòng tiêu đề"), max_length=64)
    mapping = models.JSONField(_("cách ghép cột"), default=dict)
    updated_at = models.DateTimeField(_("lúc lưu"), auto_now=True)

    class Meta:
        verbose_name = _("cách ghép cột khi nhập")
        verbose_name_plural = _("cách ghép cột khi nhập")
        constraints = [models.UniqueConstraint(fields=["user", "signature"], name="members_importcolumnmapping_user_signature")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.signature[:12]}"


# ---------------------------------------------------------------------------------------
# Reconciliations of the 7-HSĐV list (members/reconciliation.py): a list from the level
# above or below compared with the register as of a date. Bookkeeping like the import
# jobs: the corrections applied from it carry their own history.


class ReconciliationStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang đối chiếu")
    DONE = "done", _("Đã đối chiếu")
    INVALID = "invalid", _("Không đọc được tệp")
    FAILED = "failed", _("Không đối chiếu được")


class ReconciliationQuerySet(models.QuerySet):
    def for_user(self, user) -> ReconciliationQuerySet:
        """The reconciliations ``user`` ran: a result holds personal data of a whole list, so
        nobody else reads it, an administrator included."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(created_by=user)


class Reconciliation(models.Model):
    """One uploaded list compared with the register of ``organization`` as of ``on``."""

    RUNNING = (ReconciliationStatus.QUEUED, ReconciliationStatus.RUNNING)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="member_reconciliations",
        verbose_name=_("người đối chiếu"),
    )
    created_at = models.DateTimeField(_("lúc tải lên"), auto_now_add=True)
    finished_at = models.DateTimeField(_("lúc xong"), null=True, blank=True)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức đảng"))
    on = models.DateField(_("tính đến ngày"))
    file = models.FileField(_("tệp"), upload_to="reconciliations/")
    filename = models.CharField(_("tên tệp"), max_length=255)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=ReconciliationStatus.choices, default=ReconciliationStatus.QUEUED
    )
    background = models.BooleanField(_("chạy nền"), default=False)
    total = models.PositiveIntegerField(_("số dòng ước tính"), default=0)
    processed = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    row_count = models.PositiveIntegerField(_("số dòng của danh sách"), default=0)
    register_count = models.PositiveIntegerField(_("số đảng viên trong hồ sơ"), default=0)
    matched_count = models.PositiveIntegerField(_("số đảng viên khớp"), default=0)
    counts = models.JSONField(_("số chênh lệch theo loại"), default=dict, blank=True)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    warnings = models.JSONField(_("lưu ý"), default=list, blank=True)
    heartbeat_at = models.DateTimeField(_("lúc báo tiến độ gần nhất"), null=True, blank=True)
    task_id = models.CharField(_("mã tác vụ nền"), max_length=64, blank=True)
    applied_at = models.DateTimeField(_("lúc áp dụng sửa đổi"), null=True, blank=True)
    applied_count = models.PositiveIntegerField(_("số sửa đổi đã áp dụng"), default=0)
    # The user's column mapping, as an import keeps it (ImportJob.decisions): {"mapping": {file
    # header: column key or ""}}; and what the last run found: every file column and its field.
    decisions = models.JSONField(_("lựa chọn của người đối chiếu"), default=dict, blank=True)
    headers = models.JSONField(_("các cột của tệp"), default=list, blank=True)
    header_signature = models.CharField(_("dấu hiệu dòng tiêu đề"), max_length=64, blank=True)

    objects = ReconciliationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lượt đối chiếu danh sách đảng viên")
        verbose_name_plural = _("lượt đối chiếu danh sách đảng viên")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING


class DifferenceKind(models.TextChoices):
    UNREADABLE = "unreadable", _("Dòng không đọc được")
    DUPLICATE = "duplicate", _("Dòng trùng trong danh sách")
    LIST_ONLY = "list_only", _("Có trong danh sách, không có trong hồ sơ")
    REGISTER_ONLY = "register_only", _("Có trong hồ sơ, không có trong danh sách")
    FIELD = "field", _("Khác thông tin")


class SuggestedAction(models.TextChoices):
    ADD = "add", _("Thêm vào hồ sơ")
    FIX = "fix", _("Sửa hồ sơ theo danh sách")
    CHECK_LEFT = "check_left", _("Kiểm tra: nếu đã chuyển đi, xóa tên, từ trần… thì ghi bằng chức năng tương ứng")
    CHECK = "check", _("Kiểm tra hồ sơ rồi ghi bằng chức năng tương ứng")
    ASK = "ask", _("Đề nghị cấp kia sửa danh sách")


class ReconciliationDifference(models.Model):
    """One difference between the list and the register, with its suggested action.

    ``data`` holds what applying it needs (the values to write and those read from the
    register, checked again when applied); only ``add`` and ``fix`` are ever applied, and
    only when the user ticks them.
    """

    reconciliation = models.ForeignKey(Reconciliation, on_delete=models.CASCADE, related_name="differences")
    kind = models.CharField(_("loại"), max_length=16, choices=DifferenceKind.choices)
    row = models.PositiveIntegerField(_("dòng trong tệp"), null=True, blank=True)
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("đảng viên")
    )
    name = models.CharField(_("họ và tên"), max_length=160, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    field = models.CharField(_("thông tin"), max_length=32, blank=True)
    list_value = models.CharField(_("trong danh sách"), max_length=255, blank=True)
    register_value = models.CharField(_("trong hồ sơ"), max_length=255, blank=True)
    action = models.CharField(_("đề xuất"), max_length=16, choices=SuggestedAction.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    applied = models.BooleanField(_("đã áp dụng"), default=False)

    class Meta:
        ordering = ["reconciliation", "kind", "row", "id"]
        verbose_name = _("chênh lệch khi đối chiếu")
        verbose_name_plural = _("chênh lệch khi đối chiếu")
        indexes = [models.Index(fields=["reconciliation", "kind"], name="members_recdiff_rec_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def applicable(self) -> bool:
        return self.action in (SuggestedAction.ADD, SuggestedAction.FIX) and not self.applied


# ---------------------------------------------------------------------------------------
# Duplicates (members/duplicates.py, members/services_merge.py): two records of one person
# merged into one, and pairs a register keeper said are two people.


class MemberMerge(models.Model):
    """Two records of one person merged: ``dropped_id`` (deleted) into ``kept``.

    The dropped record's own history stays in its history table under ``dropped_id``; the
    kept member's page reads it through this row. ``summary`` lists what was moved, filled
    and left (the dated rows that duplicated or conflicted with the kept record's).
    """

    kept = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="merges", verbose_name=_("hồ sơ được giữ"))
    dropped_id = models.PositiveIntegerField(_("mã hồ sơ bị gộp"), db_index=True)
    dropped_name = models.CharField(_("họ và tên trong hồ sơ bị gộp"), max_length=160)
    dropped_data = models.JSONField(_("thông tin hồ sơ bị gộp"), default=dict, blank=True)
    summary = models.JSONField(_("kết quả gộp"), default=list, blank=True)
    reason = models.TextField(_("lý do gộp"))
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người gộp")
    )
    merged_at = models.DateTimeField(_("lúc gộp"), auto_now_add=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("gộp hồ sơ đảng viên")
        verbose_name_plural = _("gộp hồ sơ đảng viên")

    def __str__(self) -> str:
        return f"{self.dropped_name} → {self.kept}"


class DuplicateDismissal(models.Model):
    """A pair of records a register keeper said are two different people ("không trùng"):
    the page of possible duplicates no longer lists it. ``first`` has the smaller id."""

    first = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("ghi chú"), max_length=255, blank=True)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cặp hồ sơ không trùng")
        verbose_name_plural = _("cặp hồ sơ không trùng")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="%(app_label)s_%(class)s_once"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="%(app_label)s_%(class)s_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"
