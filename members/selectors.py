"""Reading the register: the lists staff work from and the statistics they report.

Every function takes ``members``, a ``Member`` queryset that already carries the
reader's scope (``Member.objects.for_user(user)``, narrowed as the page likes), and
optionally an ``organization`` whose subtree to count. Counts are aggregated in the
database (one GROUP BY per dimension); dates are turned into date ranges in Python so
the same SQL runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.i18n import lazy_format
from members import counts as kept_counts
from members import rules
from members.models import (
    IN_PARTY_STATUSES,
    BadgeAward,
    CellMembership,
    Member,
    MembershipKind,
    Sex,
    Status,
    StatusChange,
    Transfer,
    TransferKind,
    TransferStatus,
)
from orgs.models import Organization, OrgVersion
from orgs.scope import PATH_END, subtree_q

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# ---------------------------------------------------------------------------------------
# Who was where, and in the party, on a date


def _status_on(on: dt.date) -> Subquery:
    return Subquery(
        StatusChange.objects.filter(member=OuterRef("pk"), effective_on__lte=on)
        .order_by("-effective_on", "-id")
        .values("status")[:1]
    )


def _cell_in_subtree_on(organization: Organization, on: dt.date) -> Exists:
    """The member's permanent cell on ``on`` lay in ``organization``'s subtree as the tree was then.

    Temporary memberships never count: a temporary member is not in that cell's totals
    (Quy định 294-QĐ/TW §6.3).
    """
    memberships = CellMembership.objects.filter(member=OuterRef("pk"), kind=MembershipKind.PERMANENT, started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on)
    )
    root = OrgVersion.objects.as_of(on).filter(organization=organization).values_list("path", flat=True).first()
    if root is not None:
        # One filter() call: the version conditions apply to the same joined row.
        memberships = memberships.filter(
            Q(organization__versions__valid_to__isnull=True) | Q(organization__versions__valid_to__gt=on),
            organization__versions__valid_from__lte=on,
            organization__versions__path__gte=root,
            organization__versions__path__lt=root + "~",
        )
    elif organization.versions.exists():
        memberships = memberships.none()  # the organization did not exist on that date
    else:
        memberships = memberships.filter(subtree_q(organization.path, "organization__path"))
    return Exists(memberships)


class StatusOn(TypedDict):
    status_on: str


def members_in_party_on(
    members: QuerySet[Member], *, on: dt.date, organization: Organization | None = None
) -> QuerySet[WithAnnotations[Member, StatusOn]]:
    """Members in the party on ``on`` (by the status history), annotated with ``status_on``.

    With ``organization``: only those whose permanent cell was then in its subtree.
    """
    qs = members.annotate(status_on=_status_on(on)).filter(status_on__in=IN_PARTY_STATUSES)
    if organization is not None:
        qs = qs.filter(_cell_in_subtree_on(organization, on))
    return qs


def _cells_under_then(cells: QuerySet[CellMembership], organization: Organization) -> QuerySet[CellMembership]:
    """``cells`` (with the alias ``day``: the day each is asked about) whose cell lay in
    ``organization``'s subtree as the tree stood on that day: the cell's version held that
    day lay under the organization's version held that day (its path today without versions)."""
    roots = list(OrgVersion.objects.filter(organization=organization).values_list("valid_from", "valid_to", "path"))
    if not roots:
        return cells.filter(subtree_q(organization.path, "organization__path"))
    then = Q()
    for valid_from, valid_to, path in roots:
        # One Q per version of the organization: the cell's version (the same joined row for
        # every condition of this filter) held on the day, and lay under that version's path.
        then |= Q(
            Q(day__lt=valid_to) if valid_to is not None else Q(),
            day__gte=valid_from,
            organization__versions__path__gte=path,
            organization__versions__path__lt=path + PATH_END,
        )
    return cells.filter(
        then,
        Q(organization__versions__valid_to__isnull=True) | Q(organization__versions__valid_to__gt=F("day")),
        organization__versions__valid_from__lte=F("day"),
    )


def _admitted_into_subtree(organization: Organization) -> Exists:
    """The member was admitted into a cell of ``organization``'s subtree as the tree stood then.

    The cell of admission is the member's first permanent cell (the earliest start, then the
    lowest organization id: ``members.counts.admission_cell`` says the same), taken as the
    tree stood on the day that membership began. A bloc dissolved since, or a cell moved
    since, keeps the admissions made while the cell was under it.
    """
    earlier = CellMembership.objects.filter(member=OuterRef("member_id"), kind=MembershipKind.PERMANENT).filter(
        Q(started_on__lt=OuterRef("started_on"))
        | Q(started_on=OuterRef("started_on"), organization_id__lt=OuterRef("organization_id"))
    )
    first = CellMembership.objects.filter(member=OuterRef("pk"), kind=MembershipKind.PERMANENT).filter(~Exists(earlier))
    return Exists(_cells_under_then(first.alias(day=F("started_on")), organization))


def members_admitted_between(
    members: QuerySet[Member], *, start: dt.date, end: dt.date, organization: Organization | None = None
) -> QuerySet[Member]:
    """Members admitted from ``start`` to ``end`` (both included), whatever their status
    since; with ``organization``, only those admitted into a cell of its subtree as the tree
    stood on the day (``_admitted_into_subtree``)."""
    qs = members.filter(admitted_on__gte=start, admitted_on__lte=end)
    if organization is not None:
        qs = qs.filter(_admitted_into_subtree(organization))
    return qs


# ---------------------------------------------------------------------------------------
# Statistics


@dataclass
class Row:
    key: str
    label: str
    count: int


@dataclass
class MemberStatistics:
    on: dt.date
    total: int
    youth: int
    by_status: list[Row]
    by_sex: list[Row]
    by_age_band: list[Row]
    by_ethnicity: list[Row]
    by_religion: list[Row]
    by_general_education: list[Row]
    by_professional_education: list[Row]
    by_political_theory: list[Row]

    def dimensions(self) -> dict[str, list[Row]]:
        return {
            "status": self.by_status,
            "sex": self.by_sex,
            "age_band": self.by_age_band,
            "ethnicity": self.by_ethnicity,
            "religion": self.by_religion,
            "general_education": self.by_general_education,
            "professional_education": self.by_professional_education,
            "political_theory": self.by_political_theory,
        }


# (key, label, lowest age, highest age) in completed years on the reference date.
# The first band is the youth of the reports (members.rules.YOUTH_MAX_AGE); its key stays
# "le30" because filters and the API name it.
AGE_BANDS: list[tuple[str, str | Promise, int | None, int | None]] = [
    ("le30", lazy_format(gettext_lazy("Từ %(age)s tuổi trở xuống"), age=rules.YOUTH_MAX_AGE), None, rules.YOUTH_MAX_AGE),
    (
        "31-40",
        lazy_format(gettext_lazy("Từ %(low)s đến %(high)s tuổi"), low=rules.YOUTH_MAX_AGE + 1, high=40),
        rules.YOUTH_MAX_AGE + 1,
        40,
    ),
    ("41-50", lazy_format(gettext_lazy("Từ %(low)s đến %(high)s tuổi"), low=41, high=50), 41, 50),
    ("51-60", lazy_format(gettext_lazy("Từ %(low)s đến %(high)s tuổi"), low=51, high=60), 51, 60),
    ("gt60", lazy_format(gettext_lazy("Trên %(age)s tuổi"), age=60), 61, None),
]
MISSING = gettext_lazy("Chưa cập nhật")


def _age_band_case(on: dt.date) -> Case:
    whens = []
    for key, _label, _low, high in AGE_BANDS:
        if high is None:
            continue
        # Younger than high + 1: born after the latest birth date of someone high + 1 years old.
        whens.append(When(birth_date__gt=rules.latest_birth_date_for_age(high + 1, on), then=Value(key)))
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())


def _fixed_rows(counts: dict[str, int], choices: Sequence[tuple[str, str | Promise]]) -> list[Row]:
    return [Row(key=str(key), label=str(label), count=counts.get(key, 0)) for key, label in choices]


LIST_FIELDS = ("ethnicity", "religion", "general_education", "professional_education", "political_theory")


def _list_rows(counts: dict[int | None, int], fk: str) -> list[Row]:
    """Rows of a reference list dimension: the values present, in the list's order, missing last."""
    model: Any = Member._meta.get_field(fk).related_model
    entries = {
        pk: (code, name, order)
        for pk, code, name, order in model.objects.filter(pk__in=[k for k in counts if k]).values_list(
            "pk", "code", "name", "sort_order"
        )
    }  # type: ignore[union-attr]
    present = sorted((entries[pk][2], entries[pk][1], pk) for pk in counts if pk in entries)
    result = [Row(key=entries[pk][0], label=entries[pk][1], count=counts[pk]) for _order, _name, pk in present]
    if counts.get(None):
        result.append(Row(key="", label=str(MISSING), count=counts[None]))
    return result


def member_statistics(
    members: QuerySet[Member], *, on: dt.date, organization: Organization | None = None, whole: bool = False
) -> MemberStatistics:
    """Members in the party on ``on`` by status, sex, age band, ethnicity, religion, education, theory, youth.

    Counts the status each member had on ``on`` and the permanent cell they were in
    (temporary attachments are not counted in the temporary cell).

    Read from the kept counts (``members.counts.counts_on``, the answer the indicators
    share) when ``members`` is the whole register or ``whole`` says the reader may read
    every member of ``organization``'s subtree, and the counts are kept for it; else
    recounted by ``member_statistics_recount``.
    """
    if whole or not members.query.where:
        kept = kept_counts.counts_on(organization, on)
        if kept is not None:
            return statistics_from_counts(kept, on=on)
    return member_statistics_recount(members, on=on, organization=organization)


def statistics_from_counts(kept: dict[str, dict[str, int]], *, on: dt.date) -> MemberStatistics:
    """The statistics of ``members.counts.counts_on``'s answer (list keys are ids, "" missing)."""

    def by_pk(values: dict[str, int]) -> dict[int | None, int]:
        return {(int(k) if k else None): n for k, n in values.items()}

    return MemberStatistics(
        on=on,
        total=sum(kept["status"].values()),
        youth=kept["youth"].get("1", 0),
        by_status=_fixed_rows(kept["status"], [(s.value, s.label) for s in IN_PARTY_STATUSES]),
        by_sex=_fixed_rows(kept["sex"], Sex.choices),
        by_age_band=_fixed_rows(kept["age_band"], [(k, label) for k, label, _lo, _hi in AGE_BANDS]),
        by_ethnicity=_list_rows(by_pk(kept["ethnicity"]), "ethnicity"),
        by_religion=_list_rows(by_pk(kept["religion"]), "religion"),
        by_general_education=_list_rows(by_pk(kept["general_education"]), "general_education"),
        by_professional_education=_list_rows(by_pk(kept["professional_education"]), "professional_education"),
        by_political_theory=_list_rows(by_pk(kept["political_theory"]), "political_theory"),
    )


def member_statistics_recount(
    members: QuerySet[Member], *, on: dt.date, organization: Organization | None = None
) -> MemberStatistics:
    """``member_statistics`` recounted from the raw rows: one GROUP BY over every dimension at
    once (the status on the date is looked up once per member), rolled up here; then one
    small query per reference list for its names."""
    qs = members_in_party_on(members, on=on, organization=organization)
    youth_cut = rules.latest_birth_date_for_age(rules.YOUTH_MAX_AGE + 1, on)
    keys = ["status_on", "sex", "band", "young", *(f"{fk}_id" for fk in LIST_FIELDS)]
    groups = (
        qs.order_by()
        .annotate(
            band=_age_band_case(on),
            young=Case(When(birth_date__gt=youth_cut, then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .values(*keys)
        .annotate(n=Count("pk"))
    )
    sums: dict[str, dict[Any, int]] = {key: {} for key in keys}
    for row in groups:
        for key in keys:
            sums[key][row[key]] = sums[key].get(row[key], 0) + row["n"]
    total = sum(sums["sex"].values())
    return MemberStatistics(
        on=on,
        total=total,
        youth=sums["young"].get(1, 0),
        by_status=_fixed_rows(sums["status_on"], [(s.value, s.label) for s in IN_PARTY_STATUSES]),
        by_sex=_fixed_rows(sums["sex"], Sex.choices),
        by_age_band=_fixed_rows(sums["band"], [(k, label) for k, label, _lo, _hi in AGE_BANDS]),
        by_ethnicity=_list_rows(sums["ethnicity_id"], "ethnicity"),
        by_religion=_list_rows(sums["religion_id"], "religion"),
        by_general_education=_list_rows(sums["general_education_id"], "general_education"),
        by_professional_education=_list_rows(sums["professional_education_id"], "professional_education"),
        by_political_theory=_list_rows(sums["political_theory_id"], "political_theory"),
    )


@dataclass
class PeriodChanges:
    start: dt.date
    end: dt.date
    admitted: int = 0
    made_full: int = 0
    transferred_in: int = 0
    transferred_out: int = 0
    deceased: int = 0
    removed: int = 0
    expelled: int = 0

    def rows(self) -> list[Row]:
        labels = [
            ("admitted", _("Kết nạp")),
            ("made_full", _("Công nhận chính thức")),
            ("transferred_in", _("Chuyển đến")),
            ("transferred_out", _("Chuyển đi")),
            ("deceased", _("Từ trần")),
            ("removed", _("Xóa tên")),
            ("expelled", _("Khai trừ")),
        ]
        return [Row(key=k, label=label, count=getattr(self, k)) for k, label in labels]


def _org_q(organization: Organization | None, field_name: str) -> Q:
    return subtree_q(organization.path, field_name) if organization is not None else Q()


def _changed_in_subtree(organization: Organization) -> Exists:
    """The status row's member was in a permanent cell of ``organization``'s subtree on its
    day (a membership ended that day included), as the tree stood that day: the rule of the
    kept running totals (``members.counts.changed_paths``)."""
    day = OuterRef("effective_on")
    held = CellMembership.objects.filter(member=OuterRef("member"), kind=MembershipKind.PERMANENT, started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day)
    )
    # Typed, so the shared filter can compare the outer row's day with the versions' dates.
    return Exists(_cells_under_then(held.alias(day=ExpressionWrapper(day, output_field=DateField())), organization))


def changes_in_period(
    members: QuerySet[Member],
    *,
    start: dt.date,
    end: dt.date,
    organization: Organization | None = None,
    whole: bool = False,
) -> PeriodChanges:
    """Admissions, full memberships, transfers in and out, deaths, removals, expulsions in [start, end].

    With ``organization``, an admission counts where the cell of admission lay in its
    subtree as the tree then stood (``members_admitted_between``), another change where the
    member's permanent cell that day lay in its subtree as the tree then stood
    (``_changed_in_subtree``); a transfer between two cells counts as in or out when it
    crosses the subtree's edge. The admissions and the changes are read from the kept
    running totals (``members.counts``) when ``members`` is the whole register or ``whole``
    says the reader may read every member of the subtree, and they are kept for it: two
    queries then, four otherwise.
    """
    result = PeriodChanges(start=start, end=end)
    register = not members.query.where  # the whole register: no need to join the readable members
    ids = members.values("pk")
    readable = register or whole
    # Admitted: into a cell of the subtree as the tree stood then (one rule with the indicators).
    kept = kept_counts.admissions_between(organization, start, end) if readable else None
    if kept is not None:
        result.admitted = kept[0]
    else:
        result.admitted = members_admitted_between(members, start=start, end=end, organization=organization).count()
    counts = kept_counts.changes_between(organization, start, end) if readable else None
    if counts is None:
        # Status changes: the cell the member was in on the day (a membership closed that day counts).
        changes = StatusChange.objects.filter(
            Q() if register else Q(member__in=ids),
            effective_on__gte=start,
            effective_on__lte=end,
            status__in=kept_counts.CHANGED_STATUSES,
        )
        if organization is not None:
            changes = changes.filter(_changed_in_subtree(organization))
        # COUNT(*): the (status, effective_on) index alone answers it (an index-only scan on
        # PostgreSQL; counting the key read 143,000 scattered rows at the nation's root: 0.9 s).
        counts = {r["status"]: r["n"] for r in changes.values("status").annotate(n=Count("*")).order_by()}
    result.made_full = counts.get(Status.FULL, 0)
    result.deceased = counts.get(Status.DECEASED, 0)
    result.removed = counts.get(Status.REMOVED, 0)
    result.expelled = counts.get(Status.EXPELLED, 0)
    # Transfers: "in" on presentation, "out" on the letter.
    transfers = Transfer.objects.filter(Q() if whole else Q(member__in=ids), status=TransferStatus.COMPLETED)
    into = Q(kind=TransferKind.IN, presented_on__gte=start, presented_on__lte=end) & _org_q(organization, "to_org__path")
    out = Q(kind=TransferKind.OUT, letter_on__gte=start, letter_on__lte=end) & _org_q(organization, "from_org__path")
    if organization is not None:
        within = Q(kind=TransferKind.WITHIN, presented_on__gte=start, presented_on__lte=end)
        into |= within & _org_q(organization, "to_org__path") & ~_org_q(organization, "from_org__path")
        out |= within & _org_q(organization, "from_org__path") & ~_org_q(organization, "to_org__path")
    moved = transfers.aggregate(n_in=Count("pk", filter=into), n_out=Count("pk", filter=out))
    result.transferred_in = moved["n_in"]
    result.transferred_out = moved["n_out"]
    return result


# ---------------------------------------------------------------------------------------
# Working lists


@dataclass
class ProbationDue:
    member: Member
    probation_ends_on: dt.date
    deadline: dt.date
    overdue: bool


PROBATION_DUE_WITHIN_DAYS = 30
"""How far ahead the list of probationary members due for full membership looks (a page setting)."""


def probationary_due_for_full(
    members: QuerySet[Member], *, on: dt.date, within_days: int = PROBATION_DUE_WITHIN_DAYS
) -> list[ProbationDue]:
    """Probationary members whose probation ends by ``on`` + ``within_days``, with the deadline to consider them.

    Deadline: ``rules.full_consideration_deadline`` (Điều lệ Đảng, Điều 5). Ordered by deadline.
    """
    horizon = rules.add_months(on + dt.timedelta(days=within_days), -rules.PROBATION_MONTHS)
    qs = (
        members.filter(status=Status.PROBATIONARY)
        .annotate(probation_from=Coalesce("ceremony_on", "admitted_on"))
        .filter(probation_from__lte=horizon)
        .select_related("organization")
    )
    rows = []
    for m in qs:
        end = m.probation_ends_on()
        deadline = rules.full_consideration_deadline(admitted_on=m.admitted_on, ceremony_on=m.ceremony_on)
        rows.append(ProbationDue(member=m, probation_ends_on=end, deadline=deadline, overdue=deadline < on))
    return sorted(rows, key=lambda r: (r.deadline, r.member.sort_key))


@dataclass
class BadgeDue:
    member: Member
    years: int
    due_on: dt.date
    missed: bool  # reached more than a year before the award date and not yet awarded


def badges_due(members: QuerySet[Member], *, award_date: dt.date) -> list[BadgeDue]:
    """Full members reaching a badge milestone by ``award_date`` (e.g. 03/02 or 02/09) and not yet awarded it.

    For each member the highest milestone reached by then, when it is above every badge
    already awarded. One query; the milestone is computed in SQL from date ranges.
    """
    whens = []
    for i, years in enumerate(rules.BADGE_YEARS):
        upper = rules.latest_birth_date_for_age(years, award_date)
        cond = Q(party_age_from__lte=upper)
        if i + 1 < len(rules.BADGE_YEARS):
            cond &= Q(party_age_from__gt=rules.latest_birth_date_for_age(rules.BADGE_YEARS[i + 1], award_date))
        whens.append(When(cond, then=Value(years)))
    highest_awarded = Subquery(
        BadgeAward.objects.filter(member=OuterRef("pk")).order_by("-years").values("years")[:1], output_field=IntegerField()
    )
    qs = (
        members.filter(status__in=[Status.FULL, Status.EXEMPT], full_member_on__isnull=False)
        .filter(party_age_from__lte=rules.latest_birth_date_for_age(rules.BADGE_YEARS[0], award_date))
        .annotate(milestone=Case(*whens, default=Value(0), output_field=IntegerField()))
        .annotate(awarded_max=Coalesce(highest_awarded, Value(0)))
        .filter(milestone__gt=F("awarded_max"))
        .select_related("organization")
    )
    year_before = rules.add_months(award_date, -12)
    rows = []
    for m in qs:
        due = rules.badge_milestone(admitted_on=m.admitted_on, years=m.milestone, gap_months=m.party_age_gap_months).due_on
        rows.append(BadgeDue(member=m, years=m.milestone, due_on=due, missed=due <= year_before))
    return sorted(rows, key=lambda r: (-r.years, r.due_on, r.member.sort_key))


@dataclass
class OverdueTransfer:
    transfer: Transfer
    reason: str
    deadline: dt.date


def overdue_transfers(members: QuerySet[Member], *, on: dt.date) -> list[OverdueTransfer]:
    """Open transfers past a deadline on ``on``: no letter ``rules.TRANSFER_START_WORKING_DAYS`` after the
    cause, a letter not presented ``rules.TRANSFER_PRESENT_WORKING_DAYS`` after issue (Quy định 294-QĐ/TW
    §6.3), a temporary attachment past its end."""
    qs = (
        Transfer.objects.filter(member__in=members.values("pk"), status=TransferStatus.OPEN)
        .filter(
            Q(kind=TransferKind.WITHIN, letter_on__isnull=True, start_deadline__lt=on)
            | Q(kind=TransferKind.WITHIN, letter_on__isnull=False, presented_on__isnull=True, present_deadline__lt=on)
            | Q(kind=TransferKind.TEMPORARY, ends_on__lt=on)
        )
        .select_related("member", "from_org", "to_org")
    )
    rows = []
    for t in qs:
        if t.kind == TransferKind.TEMPORARY:
            assert t.ends_on is not None
            rows.append(OverdueTransfer(t, _("Quá thời hạn sinh hoạt tạm thời"), t.ends_on))
        elif t.letter_on is None:
            assert t.start_deadline is not None
            reason = _("Quá hạn làm thủ tục chuyển sinh hoạt (%(days)s ngày làm việc)") % {
                "days": rules.TRANSFER_START_WORKING_DAYS
            }
            rows.append(OverdueTransfer(t, reason, t.start_deadline))
        else:
            assert t.present_deadline is not None
            reason = _("Quá hạn nộp giấy giới thiệu (%(days)s ngày làm việc)") % {"days": rules.TRANSFER_PRESENT_WORKING_DAYS}
            rows.append(OverdueTransfer(t, reason, t.present_deadline))
    return sorted(rows, key=lambda r: (r.deadline, r.transfer.pk))


# ---------------------------------------------------------------------------------------
# One member


@dataclass
class TimelineEntry:
    on: dt.date
    text: str
    kind: str = field(default="")


def member_timeline(member: Member) -> list[TimelineEntry]:
    """The member's dated history in one list: statuses, cells, transfers, badges (oldest first)."""
    entries = [
        TimelineEntry(
            c.effective_on,
            _("%(status)s (QĐ %(decision)s)") % {"status": c.get_status_display(), "decision": c.decision_no}
            if c.decision_no
            else str(c.get_status_display()),
            "status",
        )
        for c in member.status_changes.all()
    ]
    for ms in member.memberships.select_related("organization"):
        name = ms.organization.name
        if ms.kind == MembershipKind.TEMPORARY:
            started, ended = _("Bắt đầu sinh hoạt tạm thời tại «%(name)s»"), _("Kết thúc sinh hoạt tạm thời tại «%(name)s»")
        else:
            started, ended = _("Bắt đầu sinh hoạt chính thức tại «%(name)s»"), _("Kết thúc sinh hoạt chính thức tại «%(name)s»")
        entries.append(TimelineEntry(ms.started_on, started % {"name": name}, "cell"))
        if ms.ended_on:
            entries.append(TimelineEntry(ms.ended_on, ended % {"name": name}, "cell"))
    for badge in member.badge_awards.all():
        entries.append(TimelineEntry(badge.awarded_on, _("Huy hiệu %(years)s năm tuổi Đảng") % {"years": badge.years}, "badge"))
    return sorted(entries, key=lambda e: e.on)
