"""Review rounds, the reviews of members and organizations in them, and the yearly tallies.

A round covers one organization's subtree for one year, as the tree stood on its
reference date. Each review goes through three steps (self-assessment, appraisal and
proposal by the level in charge, decision by the level above); at each step the round's
regime proposes a rating with its reasons (``reviews.regimes``), kept beside the human
choice. Decided ratings are tallied per organization and year in the same transaction,
so reports read tallies, not reviews.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Member, readable_members_q
from orgs.models import Organization
from reviews.regimes import REGIMES, regime_for
from reviews.regimes.base import Rating
from reviews.regimes.common import QuotaBase, QuotaSettings, Rounding


class RegimeChoice(models.TextChoices):
    BY_YEAR = "", _("Theo năm đánh giá")
    GIVEN = "given", _("Nhập kết quả đã có (trước năm 2023)")
    A_124 = "a_124", _("Quy định 124-QĐ/TW")
    B_366 = "b_366", _("Quy định 366-QĐ/TW")


class Step(models.TextChoices):
    SELF = "self", _("Tự đánh giá")
    APPRAISED = "appraised", _("Đã thẩm định, đề xuất")
    DECIDED = "decided", _("Đã quyết định")


class RoundQuerySet(models.QuerySet):
    def for_user(self, user) -> RoundQuerySet:
        """Rounds whose organization ``user`` may read, and the rounds above their scope that
        cover it (a cell secretary, or a member, sees the bloc's round for their cell)."""
        scope = user.scope
        if scope.everything:
            return self.all()
        paths = [*scope.read_paths, *Organization.objects.filter(pk__in=scope.exact_org_ids).values_list("path", flat=True)]
        step = Organization.steplen
        above = {path[:i] for path in paths for i in range(step, len(path), step)}
        return self.filter(scope.org_q("organization__") | Q(organization__path__in=above))


class ReviewRound(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="review_rounds", verbose_name=_("đảng bộ")
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    reference_date = models.DateField(_("ngày tính"), help_text=_("Mặc định 31/12 của năm đánh giá."))
    regime = models.CharField(_("quy định áp dụng"), max_length=10, choices=RegimeChoice.choices, blank=True)
    opens_on = models.DateField(_("ngày bắt đầu"))
    self_deadline = models.DateField(_("hạn tự đánh giá"))
    appraisal_deadline = models.DateField(_("hạn thẩm định, đề xuất"))
    decision_deadline = models.DateField(_("hạn quyết định"))
    closed_at = models.DateTimeField(_("đã kết thúc lúc"), null=True, blank=True)
    covers_cells = models.BooleanField(
        _("xếp loại cả chi bộ trực thuộc, đảng bộ bộ phận"),
        default=True,
    )
    # Settings the party documents leave open (reviews.regimes.common.QuotaSettings).
    quota_applies = models.BooleanField(_("áp dụng tỷ lệ hoàn thành xuất sắc"), default=True)
    quota_share = models.DecimalField(_("tỷ lệ tối đa"), max_digits=4, decimal_places=3, default=QuotaSettings().share)
    quota_base = models.CharField(_("tính trên"), max_length=20, choices=QuotaBase.choices, default=QuotaBase.GOOD_OR_BETTER)
    quota_rounding = models.CharField(_("làm tròn"), max_length=10, choices=Rounding.choices, default=Rounding.DOWN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = RoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "organization__path"]
        verbose_name = _("đợt kiểm điểm, xếp loại")
        verbose_name_plural = _("đợt kiểm điểm, xếp loại")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="%(app_label)s_%(class)s_one_per_year"),
            models.CheckConstraint(
                condition=Q(self_deadline__lte=models.F("appraisal_deadline"))
                & Q(appraisal_deadline__lte=models.F("decision_deadline")),
                name="%(app_label)s_%(class)s_deadlines_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} – {self.year}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def regime_module(self):
        """The regime module of this round (None: ratings stored as given)."""
        if self.regime == RegimeChoice.GIVEN:
            return None
        if self.regime:
            return REGIMES[self.regime]
        return regime_for(self.year)

    @property
    def quota_settings(self) -> QuotaSettings:
        # A regime-B round keeps the quota on by default: whether 366-QĐ/TW keeps it is not
        # confirmed; the civil-service rule of the same year does (domain.md section 6).
        return QuotaSettings(
            applies=self.quota_applies,
            share=self.quota_share,
            base=QuotaBase(self.quota_base),
            rounding=Rounding(self.quota_rounding),
        )


def default_reference_date(year: int) -> dt.date:
    return dt.date(year, 12, 31)


class RatingFields(models.Model):
    """What the self-assessment, the appraisal and the decision of any review record."""

    step = models.CharField(_("bước"), max_length=10, choices=Step.choices, default=Step.SELF)
    # Regime B (Mẫu 01, 2A–2C): points and tasks.
    general_points = models.DecimalField(_("điểm tiêu chí chung"), max_digits=5, decimal_places=2, null=True, blank=True)
    result_points = models.DecimalField(
        _("điểm kết quả thực hiện nhiệm vụ"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # The tasks of the year, each with its outcome (Mẫu 2A/2B/2C): [{"name", "outcome"}]
    # (``reviews.regimes.base.TaskOutcome``). The three counts below are derived from the list
    # when there is one; older forms (and the cell's grid) give the counts alone.
    tasks = models.JSONField(_("các nhiệm vụ"), default=list, blank=True)
    tasks_total = models.PositiveSmallIntegerField(_("số nhiệm vụ"), default=0)
    tasks_late = models.PositiveSmallIntegerField(_("số nhiệm vụ chậm tiến độ"), default=0)
    tasks_above = models.PositiveSmallIntegerField(_("số nhiệm vụ vượt yêu cầu"), default=0)
    shortcomings_unremedied = models.BooleanField(_("còn hạn chế, khuyết điểm chưa khắc phục"), default=False)
    # Regime A: the criteria levels.
    results_level = models.CharField(_("mức tiêu chí kết quả"), max_length=15, choices=Rating.choices, blank=True)
    criteria_level = models.CharField(_("mức các tiêu chí còn lại"), max_length=15, choices=Rating.choices, blank=True)
    self_rating = models.CharField(_("tự xếp loại"), max_length=15, choices=Rating.choices, blank=True)
    self_assessed_at = models.DateTimeField(_("tự đánh giá lúc"), null=True, blank=True)
    # The regime's proposal at the last change, with its reasons (rule, document, text).
    proposed_rating = models.CharField(_("mức theo quy định"), max_length=15, choices=Rating.choices, blank=True)
    proposal_reasons = models.JSONField(_("căn cứ"), default=list, blank=True)
    # Step 2: the level in charge.
    appraised_rating = models.CharField(_("mức đề xuất"), max_length=15, choices=Rating.choices, blank=True)
    appraisal_note = models.TextField(_("lý do đề xuất khác mức theo quy định"), blank=True)
    appraised_at = models.DateTimeField(_("đề xuất lúc"), null=True, blank=True)
    appraised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Step 3: the level above decides.
    rating = models.CharField(_("xếp loại"), max_length=15, choices=Rating.choices, blank=True)
    decision_note = models.TextField(_("lý do quyết định khác mức theo quy định"), blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=80, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        abstract = True


class MemberForm(models.TextChoices):
    """The self-assessment form of Hướng dẫn 43-HD/BTCTW (2025) by the member's work."""

    LEADER = "2A", _("Mẫu 2A – cán bộ lãnh đạo, quản lý")
    STAFF = "2B", _("Mẫu 2B – cán bộ, công chức, viên chức không giữ chức vụ lãnh đạo, quản lý")
    OUTSIDE = "2C", _("Mẫu 2C – đảng viên không làm việc trong hệ thống chính trị")


class MemberReviewQuerySet(models.QuerySet):
    def for_user(self, user) -> MemberReviewQuerySet:
        """Reviews of members ``user`` may read (a member: their own)."""
        return self.filter(readable_members_q(user, "member__"))


class MemberReview(RatingFields):
    """One member's review in a round, for one post (a member with several posts is
    reviewed in each; ``post`` is blank for the member's review at their cell)."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="member_reviews")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="reviews")
    post = models.CharField(_("cương vị"), max_length=160, blank=True)
    form = models.CharField(_("mẫu phiếu"), max_length=2, choices=MemberForm.choices, default=MemberForm.STAFF)
    # Where the member belonged on the reference date: their cell and its base organization.
    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("chi bộ"))
    base = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức cơ sở đảng"))
    cell_path = models.CharField(max_length=255, editable=False)
    status_on_reference = models.CharField(_("trạng thái tại ngày tính"), max_length=20, editable=False)
    # Not rated (suspended, exempt, admitted under 6 months): the rule and why.
    excluded_rule = models.CharField(_("không xếp loại"), max_length=40, blank=True)
    # Facts the level in charge records for the caps (besides discipline, read from records).
    sick_leave_months = models.PositiveSmallIntegerField(_("số tháng nghỉ ốm"), default=0)
    led_unit_target_share = models.DecimalField(
        _("tỷ lệ chỉ tiêu đơn vị phụ trách hoàn thành"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    degradation_concluded = models.BooleanField(_("có kết luận suy thoái, vi phạm nêu gương"), default=False)

    objects = MemberReviewQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["cell_path", "member__sort_key"]
        verbose_name = _("kiểm điểm đảng viên")
        verbose_name_plural = _("kiểm điểm đảng viên")
        indexes = [models.Index(fields=["round", "cell_path"], name="reviews_mr_round_cell")]
        constraints = [
            models.UniqueConstraint(fields=["round", "member", "post"], name="%(app_label)s_%(class)s_one_per_post"),
            models.CheckConstraint(
                condition=Q(step="decided", rating__gt="") | ~Q(step="decided"), name="%(app_label)s_%(class)s_decided_has_rating"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.round.year}"


class OrganizationReviewQuerySet(models.QuerySet):
    def for_user(self, user) -> OrganizationReviewQuerySet:
        return self.filter(user.scope.org_q("organization__"))


class OrganizationReview(RatingFields):
    """One organization's review in a round: a base organization, or where the round covers
    them an attached cell or partial committee."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="organization_reviews")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="reviews")
    path = models.CharField(max_length=255, editable=False)
    is_base = models.BooleanField(default=True, editable=False)
    # The group of similar organizations the collective quota counts in (data, set per round).
    quota_group = models.CharField(_("nhóm tương đồng"), max_length=80, blank=True)
    # Facts for the caps that no record holds yet.
    target_share = models.DecimalField(_("tỷ lệ chỉ tiêu hoàn thành"), max_digits=4, decimal_places=3, null=True, blank=True)
    disunity_concluded = models.BooleanField(_("có kết luận mất đoàn kết nội bộ"), default=False)
    leadership_member_disciplined = models.BooleanField(_("có thành viên cấp ủy bị kỷ luật"), default=False)
    points = models.DecimalField(_("tổng điểm"), max_digits=5, decimal_places=2, null=True, blank=True)

    objects = OrganizationReviewQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["path"]
        verbose_name = _("kiểm điểm tổ chức đảng")
        verbose_name_plural = _("kiểm điểm tổ chức đảng")
        constraints = [
            models.UniqueConstraint(fields=["round", "organization"], name="%(app_label)s_%(class)s_one_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} – {self.round.year}"


class Subject(models.TextChoices):
    MEMBER = "member", _("Đảng viên")
    BASE = "base", _("Tổ chức cơ sở đảng")
    CELL = "cell", _("Chi bộ trực thuộc, đảng bộ bộ phận")


class TallyQuerySet(models.QuerySet):
    def for_user(self, user) -> TallyQuerySet:
        return self.filter(user.scope.org_q("organization__"))


class RatingTally(models.Model):
    """Decided ratings counted per organization, year and subject, kept in the transaction
    that decides or amends a rating. Members count at their cell, organizations at
    themselves; ``path`` is the organization's path on the round's reference date, so a
    report rolls tallies up by path prefix as the tree stood that year."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    subject = models.CharField(max_length=10, choices=Subject.choices)
    path = models.CharField(max_length=255)
    excellent = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)
    complete = models.PositiveIntegerField(default=0)
    not_complete = models.PositiveIntegerField(default=0)
    # The not-complete broken down by the cap that set it (seed 002 reports each).
    not_complete_disciplined = models.PositiveIntegerField(default=0)
    not_complete_targets = models.PositiveIntegerField(default=0)
    not_complete_degradation = models.PositiveIntegerField(default=0)
    # Left out of the rating; of them, those who still held the self-criticism review
    # (admitted under 6 months before the reference date).
    not_rated = models.PositiveIntegerField(default=0)
    not_rated_reviewed = models.PositiveIntegerField(default=0)

    objects = TallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổng hợp xếp loại")
        verbose_name_plural = _("tổng hợp xếp loại")
        # A report reads one year (or a term's years) under a path, of every subject or some:
        # the path right after the year, so that its range is an index range.
        indexes = [models.Index(fields=["year", "path", "subject"], name="reviews_tally_year_path_subj")]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "subject"], name="%(app_label)s_%(class)s_one_row"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year} {self.subject}"
