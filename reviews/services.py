"""The review's workflow: open a round, self-assess, appraise, decide, amend, close.

Keyword-only and atomic. Every step asks the round's regime for its proposal and keeps it
with its reasons beside the human choice; a choice above what the rules allow is refused,
and a choice that departs from the proposal needs a written reason. Deciding or amending
a rating moves the yearly tallies in the same transaction.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.rights import Action, can_write
from discipline.models import Discipline
from members.models import CellMembership, MembershipKind, Status, StatusChange
from orgs.models import BASE_LEVELS, CELL_LEVELS, Level, Organization, OrgVersion
from orgs.scope import subtree_q
from reviews.models import (
    MemberReview,
    OrganizationReview,
    RatingTally,
    ReviewRound,
    Step,
    Subject,
    default_reference_date,
)
from reviews.regimes import b_366
from reviews.regimes.base import (
    Discipline as DisciplineFact,
)
from reviews.regimes.base import (
    Effect,
    MemberFacts,
    OrganizationFacts,
    Proposal,
    Rating,
    RatingCounts,
    TaskOutcome,
    Tasks,
    rank,
)
from reviews.regimes.common import excellent_quota

# ---------------------------------------------------------------------------------------
# Rights: who may do each step (accounts.rights.can_write holds the roles).


def can_self_assess(user: Any, review: MemberReview) -> bool:
    """The member themself, or whoever keeps their cell's register (the paper form)."""
    return review.member.user_id == getattr(user, "pk", None) or can_write(user, review.cell, action=Action.KEEP_REGISTER)


def can_appraise(user: Any, review: MemberReview | OrganizationReview) -> bool:
    """The level in charge: the cell for its members (and the base committee above it); for
    an organization, the committee directly above it."""
    unit = review.cell if isinstance(review, MemberReview) else Organization.objects.get_parent(review.organization)
    return unit is not None and can_write(user, unit)


def can_decide(user: Any, review: MemberReview | OrganizationReview) -> bool:
    """The standing committee of the level directly above: for a member, the committee above
    their cell (a cell secretary cannot decide); for an organization, the committee above it."""
    unit = review.cell if isinstance(review, MemberReview) else review.organization
    above = Organization.objects.get_parent(unit)
    return above is not None and can_write(user, above)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Bạn không có quyền thực hiện bước này."))


def _check_open(round: ReviewRound) -> None:
    if round.is_closed:
        raise ValidationError(_("Đợt đánh giá năm %(year)s đã kết thúc.") % {"year": round.year})
    if round.regime_module is None:
        raise ValidationError(_("Đợt này nhập kết quả đã có, không đánh giá theo các bước."))


# ---------------------------------------------------------------------------------------
# Opening a round: who is reviewed, as the tree stood on the reference date


@transaction.atomic
def round_open(
    *,
    organization: Organization,
    year: int,
    opens_on: dt.date,
    self_deadline: dt.date,
    appraisal_deadline: dt.date,
    decision_deadline: dt.date,
    reference_date: dt.date | None = None,
    regime: str = "",
    covers_cells: bool = True,
    user: Any = None,
) -> ReviewRound:
    """Open the round of ``year`` for ``organization``'s subtree and list who is reviewed."""
    _require(can_write(user, organization, action=Action.RESTRUCTURE) if user is not None else True)
    if not (opens_on <= self_deadline <= appraisal_deadline <= decision_deadline):
        raise ValidationError(_("Các hạn phải theo thứ tự: bắt đầu, tự đánh giá, thẩm định, quyết định."))
    if ReviewRound.objects.filter(organization=organization, year=year).exists():
        raise ValidationError(_("Đã có đợt đánh giá năm %(year)s của tổ chức này.") % {"year": year})
    round = ReviewRound.objects.create(
        organization=organization,
        year=year,
        reference_date=reference_date or default_reference_date(year),
        regime=regime,
        opens_on=opens_on,
        self_deadline=self_deadline,
        appraisal_deadline=appraisal_deadline,
        decision_deadline=decision_deadline,
        covers_cells=covers_cells,
        created_by=user if getattr(user, "pk", None) else None,
    )
    _populate(round)
    return round


def _versions_on(round: ReviewRound) -> list[OrgVersion]:
    """The round's subtree as it stood on the reference date."""
    on = round.reference_date
    root = OrgVersion.objects.as_of(on).filter(organization=round.organization).first()
    if root is None:
        raise ValidationError(_("Tổ chức chưa tồn tại vào ngày tính %(date)s.") % {"date": on.strftime("%d/%m/%Y")})
    return list(OrgVersion.objects.as_of(on).subtree(root.path).select_related("kind", "organization").order_by("path"))


def _base_of(path: str, bases: dict[str, OrgVersion]) -> OrgVersion | None:
    for base_path, version in bases.items():
        if path.startswith(base_path):
            return version
    return None


def _statuses_on(member_ids: Iterable[int], on: dt.date) -> dict[int, str]:
    statuses: dict[int, str] = {}
    for member_id, status in (
        StatusChange.objects.filter(member_id__in=list(member_ids), effective_on__lte=on)
        .order_by("member_id", "effective_on", "id")
        .values_list("member_id", "status")
    ):
        statuses[member_id] = status
    return statuses


def _populate(round: ReviewRound) -> None:
    versions = _versions_on(round)
    on = round.reference_date
    bases = {v.path: v for v in versions if v.kind.level in BASE_LEVELS}
    cells = {v.organization_id: v for v in versions if v.kind.level in CELL_LEVELS}
    memberships = (
        CellMembership.objects.filter(organization_id__in=list(cells), kind=MembershipKind.PERMANENT, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .select_related("member")
    )
    rows = list(memberships)
    statuses = _statuses_on((m.member_id for m in rows), on)
    regime = round.regime_module
    reviews: list[MemberReview] = []
    for membership in rows:
        status = statuses.get(membership.member_id)
        if status not in (Status.PROBATIONARY, Status.FULL, Status.EXEMPT, Status.SUSPENDED):
            continue
        cell = cells[membership.organization_id]
        base = _base_of(cell.path, bases)
        review = MemberReview(
            round=round,
            member=membership.member,
            cell_id=cell.organization_id,
            base_id=base.organization_id if base else cell.organization_id,
            cell_path=cell.path,
            status_on_reference=status,
        )
        if regime is not None:
            proposal = regime.propose_member(_member_facts(review, disciplines=[]))
            _keep_proposal(review, proposal)
            excluded = next((r for r in proposal.reasons if r.effect == Effect.EXCLUDE), None)
            review.excluded_rule = excluded.rule if excluded else ""
        reviews.append(review)
    bulk_create_with_history(reviews, MemberReview, batch_size=1000)
    org_reviews = [
        OrganizationReview(round=round, organization_id=v.organization_id, path=v.path, is_base=v.kind.level in BASE_LEVELS)
        for v in versions
        if v.kind.level in BASE_LEVELS or (round.covers_cells and v.kind.level in (Level.CELL, Level.PARTIAL_COMMITTEE))
    ]
    bulk_create_with_history(org_reviews, OrganizationReview, batch_size=1000)
    # Members left out are counted in the tallies at once: the report lists them.
    not_rated: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for review in reviews:
        if review.excluded_rule:
            counts = not_rated[(review.cell_id, review.cell_path)]
            counts[0] += 1
            counts[1] += review.excluded_rule == RECENTLY_ADMITTED
    for (org_id, path), (count, reviewed) in not_rated.items():
        _tally_row(org_id, round.year, Subject.MEMBER, path).update(
            not_rated=F("not_rated") + count, not_rated_reviewed=F("not_rated_reviewed") + reviewed
        )


@transaction.atomic
def review_add_post(*, review: MemberReview, post: str, user: Any) -> MemberReview:
    """Review the member of ``review`` once more for another post they hold (Hướng dẫn
    21-HD/BTCTW (2019), kept by 43-HD/BTCTW: a person with several posts is reviewed in each)."""
    _require(can_write(user, review.cell))
    _check_open(review.round)
    post = post.strip()
    if not post:
        raise ValidationError({"post": _("Hãy nhập cương vị.")})
    if review.excluded_rule:
        raise ValidationError(_("Đảng viên này không thuộc diện xếp loại năm nay."))
    if MemberReview.objects.filter(round=review.round, member=review.member, post=post).exists():
        raise ValidationError({"post": _("Đảng viên đã có bản đánh giá ở cương vị này.")})
    extra = MemberReview(
        round=review.round,
        member=review.member,
        post=post,
        cell=review.cell,
        base=review.base,
        cell_path=review.cell_path,
        status_on_reference=review.status_on_reference,
    )
    _keep_proposal(extra, propose(extra))
    extra.save()
    return extra


# ---------------------------------------------------------------------------------------
# Facts and proposals


# The fields of a member review that ``_member_facts`` reads.
MEMBER_FACT_FIELDS = (
    "member_id",
    "status_on_reference",
    "sick_leave_months",
    "led_unit_target_share",
    "degradation_concluded",
    "general_points",
    "result_points",
    "tasks_total",
    "tasks_late",
    "tasks_above",
    "shortcomings_unremedied",
    "results_level",
    "criteria_level",
)


def _member_facts(review: MemberReview, *, disciplines: list[Discipline] | None = None) -> MemberFacts:
    round = review.round
    if disciplines is None:
        disciplines = list(Discipline.objects.in_force_in(round.year).filter(member_id=review.member_id))
    return MemberFacts(
        reference_date=round.reference_date,
        admitted_on=review.member.admitted_on,
        suspended=review.status_on_reference == Status.SUSPENDED,
        exempt=review.status_on_reference == Status.EXEMPT,
        sick_leave_months=review.sick_leave_months,
        disciplines=tuple(DisciplineFact(d.self_detected_and_remedied, d.for_corruption_or_waste) for d in disciplines),
        led_unit_target_share=review.led_unit_target_share,
        degradation_concluded=review.degradation_concluded,
        general_points=review.general_points,
        result_points=review.result_points,
        tasks=Tasks(review.tasks_total, review.tasks_late, review.tasks_above),
        shortcomings_unremedied=review.shortcomings_unremedied,
        results_level=Rating(review.results_level) if review.results_level else None,
        criteria_level=Rating(review.criteria_level) if review.criteria_level else None,
    )


@dataclass(frozen=True)
class _Below:
    """What an organization's caps read about the organizations below it."""

    leadership_disciplined: bool
    subordinates: int
    subordinates_disciplined: int
    corruption: bool


def _below(review: OrganizationReview) -> _Below:
    """The facts below one organization, read with a few targeted queries."""
    round = review.round
    in_year = Discipline.objects.in_force_in(round.year)
    depth = len(review.path) // Organization.steplen + 1
    children = [
        v.organization_id for v in OrgVersion.objects.as_of(round.reference_date).filter(subtree_q(review.path), depth=depth)
    ]
    disciplined_children = set(in_year.filter(organization_id__in=children).values_list("organization_id", flat=True))
    below = OrgVersion.objects.as_of(round.reference_date).filter(subtree_q(review.path)).values("organization_id")
    corruption = in_year.filter(for_corruption_or_waste=True).filter(
        Q(organization_id__in=below) | Q(member__organization_id__in=below)
    )
    return _Below(
        leadership_disciplined=in_year.filter(organization_id=review.organization_id).exists(),
        subordinates=len(children),
        subordinates_disciplined=len(disciplined_children),
        corruption=corruption.exclude(organization_id=review.organization_id).exists(),
    )


def _chosen_below(review: OrganizationReview) -> list[tuple[str, int, str]]:
    """Who is directly below ``review``'s organization in its round, with their chosen rating
    (decided, else proposed by the level in charge; blank: none yet): the organizations
    directly under it when the round reviews them, else its members (a cell), counted once
    each (their review at the cell). Each row: ("organization" or "member", review id, rating)."""
    step = Organization.steplen
    children = [
        ("organization", pk, rating or appraised)
        for pk, path, rating, appraised in OrganizationReview.objects.filter(
            round_id=review.round_id, path__gt=review.path, path__lt=review.path + "~"
        ).values_list("pk", "path", "rating", "appraised_rating")
        if len(path) == len(review.path) + step
    ]
    if children:
        return children
    members = MemberReview.objects.filter(round_id=review.round_id, cell_id=review.organization_id, post="", excluded_rule="")
    return [
        ("member", pk, rating or appraised) for pk, rating, appraised in members.values_list("pk", "rating", "appraised_rating")
    ]


def below_counts(chosen: Iterable[str]) -> RatingCounts | None:
    """The counts the collective caps read (``RatingCounts``), or None when none is chosen yet."""
    ratings = [rating for rating in chosen if rating]
    return RatingCounts.of(ratings) if ratings else None


READ_BELOW = RatingCounts(-1)  # marker: read the ratings below from the round


def _organization_facts(
    review: OrganizationReview, below: _Below | None = None, below_ratings: RatingCounts | None = READ_BELOW
) -> OrganizationFacts:
    """The facts of ``review``; without ``below_ratings``, the ratings below are read from the round."""
    below = below or _below(review)
    if below_ratings is READ_BELOW:
        below_ratings = below_counts(rating for _kind, _pk, rating in _chosen_below(review))
    return OrganizationFacts(
        reference_date=review.round.reference_date,
        leadership_disciplined=below.leadership_disciplined,
        leadership_member_disciplined=review.leadership_member_disciplined,
        subordinates=below.subordinates,
        subordinates_disciplined=below.subordinates_disciplined,
        subordinate_corruption_disciplined=below.corruption,
        disunity_concluded=review.disunity_concluded,
        target_share=review.target_share,
        points=review.points,
        tasks=Tasks(review.tasks_total, review.tasks_late, review.tasks_above),
        shortcomings_unremedied=review.shortcomings_unremedied,
        results_level=Rating(review.results_level) if review.results_level else None,
        criteria_level=Rating(review.criteria_level) if review.criteria_level else None,
        below_ratings=below_ratings,
    )


def proposals_for_round(round: ReviewRound) -> list[tuple[MemberReview | OrganizationReview, Proposal]]:
    """The regime's proposal for every review of ``round``, with the year's disciplines and the
    tree of the reference date read once (a handful of queries for a whole province), through
    the same facts and rules as ``propose``."""
    regime = round.regime_module
    if regime is None:
        return []
    in_year = Discipline.objects.in_force_in(round.year)
    by_member: dict[int, list[Discipline]] = defaultdict(list)
    for discipline in in_year.filter(member__isnull=False).only(
        "member_id", "self_detected_and_remedied", "for_corruption_or_waste"
    ):
        by_member[discipline.member_id].append(discipline)
    out: list[tuple[MemberReview | OrganizationReview, Proposal]] = []
    # Only what the facts read: not the stored reasons (JSON to parse) nor the member's record.
    reviews = (
        MemberReview.objects.filter(round=round)
        .select_related("member")
        .only(*MEMBER_FACT_FIELDS, "member__admitted_on", "cell_id", "post", "excluded_rule", "rating", "appraised_rating")
    )
    members_chosen: dict[int, list[str]] = defaultdict(list)
    for review in reviews.order_by("pk").iterator(5000):
        review.round = round
        out.append((review, regime.propose_member(_member_facts(review, disciplines=by_member.get(review.member_id, [])))))
        if not review.post and not review.excluded_rule:
            members_chosen[review.cell_id].append(review.rating or review.appraised_rating)
    versions = list(OrgVersion.objects.as_of(round.reference_date).values_list("organization_id", "path"))
    org_rows = list(in_year.filter(organization__isnull=False).values_list("organization_id", "for_corruption_or_waste"))
    disciplined = {org_id for org_id, _corrupt in org_rows}
    corrupt_orgs = {org_id for org_id, corrupt in org_rows if corrupt}
    corrupt_member_orgs = set(
        in_year.filter(for_corruption_or_waste=True, member__isnull=False).values_list("member__organization_id", flat=True)
    )
    children: dict[str, list[int]] = defaultdict(list)
    for org_id, path in versions:
        children[path[: -Organization.steplen]].append(org_id)
    corrupt_paths = [(org_id, path) for org_id, path in versions if org_id in corrupt_orgs or org_id in corrupt_member_orgs]
    org_reviews = list(OrganizationReview.objects.filter(round=round).defer("proposal_reasons").order_by("pk"))
    orgs_chosen: dict[str, list[str]] = defaultdict(list)
    for org_review in org_reviews:
        orgs_chosen[org_review.path[: -Organization.steplen]].append(org_review.rating or org_review.appraised_rating)
    for org_review in org_reviews:
        org_review.round = round
        kids = children.get(org_review.path, [])
        corruption = any(
            path.startswith(org_review.path) and (org_id in corrupt_member_orgs or org_id != org_review.organization_id)
            for org_id, path in corrupt_paths
        )
        below = _Below(
            leadership_disciplined=org_review.organization_id in disciplined,
            subordinates=len(kids),
            subordinates_disciplined=sum(kid in disciplined for kid in kids),
            corruption=corruption,
        )
        chosen = orgs_chosen.get(org_review.path) or members_chosen.get(org_review.organization_id, [])
        out.append((org_review, regime.propose_organization(_organization_facts(org_review, below, below_counts(chosen)))))
    return out


def propose(review: MemberReview | OrganizationReview) -> Proposal:
    """The round's regime's proposal for ``review`` from its current facts."""
    regime = review.round.regime_module
    if regime is None:
        return Proposal(None, ())
    if isinstance(review, MemberReview):
        return regime.propose_member(_member_facts(review))
    return regime.propose_organization(_organization_facts(review))


def _keep_proposal(review: MemberReview | OrganizationReview, proposal: Proposal) -> None:
    review.proposed_rating = proposal.rating or ""
    review.proposal_reasons = [
        {"rule": r.rule, "document": r.document, "text": str(r.text), "effect": str(r.effect)} for r in proposal.reasons
    ]


def _check_choice(review: MemberReview | OrganizationReview, proposal: Proposal, rating: str, note: str, field: str) -> None:
    """Refuse a choice the rules forbid; ask a written reason for one that departs from them.

    The regime's proposal is a ceiling when a cap holds, and under regime B, where the
    score and the task conditions set the level: a different score changes the proposal.
    Under regime A without a cap the criteria are judged, so a higher choice is allowed
    with a reason.
    """
    if proposal.rating is None:
        raise ValidationError(
            {field: _("Chưa xếp loại được: %(why)s") % {"why": " ".join(str(r.text) for r in proposal.reasons)}}
        )
    chosen = Rating(rating)
    hard_ceiling = bool(proposal.capped_by) or review.round.regime_module.code == "b_366"
    if rank(chosen) > rank(proposal.rating) and hard_ceiling:
        raise ValidationError(
            {
                field: _("Không thể xếp loại «%(chosen)s»: theo quy định cao nhất là «%(allowed)s» (%(why)s).")
                % {
                    "chosen": chosen.label,
                    "allowed": proposal.rating.label,
                    "why": " ".join(str(r.text) for r in (proposal.capped_by or proposal.reasons[-1:])),
                }
            }
        )
    if chosen != proposal.rating and not note.strip():
        raise ValidationError(
            {"note": _("Mức chọn khác mức theo quy định («%(proposed)s»): hãy ghi lý do.") % {"proposed": proposal.rating.label}}
        )


# ---------------------------------------------------------------------------------------
# The three steps

SELF_FIELDS = {
    "form",
    "tasks",
    "general_points",
    "result_points",
    "tasks_total",
    "tasks_late",
    "tasks_above",
    "shortcomings_unremedied",
    "results_level",
    "criteria_level",
    "self_rating",
}
FACT_FIELDS = {"sick_leave_months", "led_unit_target_share", "degradation_concluded"}


def _lock(review: MemberReview | OrganizationReview) -> Any:
    model = type(review)
    related = ("member", "cell") if model is MemberReview else ("organization",)
    # of=("self",): PostgreSQL locks only the review's row, not the joined rows.
    return (
        model.objects.select_for_update(of=("self",)).select_related("round", "round__organization", *related).get(pk=review.pk)
    )


TASK_NAME_LENGTH = 300


def clean_tasks(items: Any) -> list[dict[str, str]]:
    """The list of tasks of a form, each ``{"name", "outcome"}``, checked: a name and one of
    ``TaskOutcome``; rows without a name are dropped."""
    if not isinstance(items, list | tuple):
        raise ValidationError({"tasks": _("Danh sách nhiệm vụ không hợp lệ.")})
    cleaned, errors = [], []
    for position, item in enumerate(items, start=1):
        name = str((item or {}).get("name") or "").strip()
        outcome = str((item or {}).get("outcome") or "")
        if not name:
            continue
        if len(name) > TASK_NAME_LENGTH:
            errors.append(_("Nhiệm vụ %(n)s: tên dài quá %(max)s ký tự.") % {"n": position, "max": TASK_NAME_LENGTH})
        if outcome not in TaskOutcome.values:
            errors.append(_("Nhiệm vụ %(n)s: hãy chọn kết quả (đúng tiến độ, vượt yêu cầu hoặc chậm tiến độ).") % {"n": position})
        cleaned.append({"name": name, "outcome": outcome})
    if errors:
        raise ValidationError({"tasks": errors})
    return cleaned


def _apply(review: Any, values: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(_("Không có trường: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if "tasks" in values:
        values = {**values, "tasks": clean_tasks(values["tasks"])}
    for name, value in values.items():
        setattr(review, name, value)
    if review.tasks:
        # The list decides the counts (Mẫu 2A/2B/2C); counts given beside it must agree.
        derived = Tasks.from_outcomes([t["outcome"] for t in review.tasks])
        counts = {"tasks_total": derived.total, "tasks_late": derived.late, "tasks_above": derived.above_requirement}
        if "tasks" not in values and any(values[k] != v for k, v in counts.items() if k in values):
            raise ValidationError(
                {
                    "tasks_total": _("Số nhiệm vụ phải khớp danh sách nhiệm vụ của bản tự đánh giá (%(summary)s).")
                    % {"summary": b_366.task_summary(derived)}
                }
            )
        review.tasks_total, review.tasks_late, review.tasks_above = derived.total, derived.late, derived.above_requirement
    try:
        Tasks(review.tasks_total, review.tasks_late, review.tasks_above)
    except ValueError:
        raise ValidationError(
            {"tasks_late": _("Số nhiệm vụ chậm tiến độ và số vượt yêu cầu không được lớn hơn tổng số nhiệm vụ.")}
        ) from None


def _proposal_or_error(review: Any) -> Proposal:
    try:
        return propose(review)
    except ValueError as error:
        raise ValidationError(str(error)) from None


@transaction.atomic
def review_self_assess(*, review: MemberReview, user: Any, **values: Any) -> MemberReview:
    """Step 1: the member's self-assessment (or the paper form entered by the cell secretary)."""
    review = _lock(review)
    _require(can_self_assess(user, review))
    _check_open(review.round)
    if review.excluded_rule:
        raise ValidationError(_("Đảng viên này không thuộc diện xếp loại năm nay."))
    if review.step != Step.SELF:
        raise ValidationError(_("Đã qua bước tự đánh giá: chỉ cấp thẩm định có thể trả lại."))
    _apply(review, values, SELF_FIELDS)
    _keep_proposal(review, _proposal_or_error(review))
    review.self_assessed_at = timezone.now()
    review.save()
    return review


@transaction.atomic
def review_appraise(*, review: MemberReview | OrganizationReview, user: Any, rating: str, note: str = "", **facts: Any) -> Any:
    """Step 2: the level in charge proposes a rating (with the facts only it knows)."""
    review = _lock(review)
    _require(can_appraise(user, review))
    _check_open(review.round)
    if getattr(review, "excluded_rule", ""):
        raise ValidationError(_("Đảng viên này không thuộc diện xếp loại năm nay."))
    if review.step == Step.DECIDED:
        raise ValidationError(_("Đã có quyết định: chỉ thay đổi được bằng quyết định sửa đổi."))
    if isinstance(review, MemberReview):
        if review.self_assessed_at is None:
            raise ValidationError(_("Chưa có bản tự đánh giá."))
        _apply(review, facts, FACT_FIELDS)
    else:
        _apply(
            review,
            facts,
            SELF_FIELDS | {"points", "target_share", "disunity_concluded", "leadership_member_disciplined", "quota_group"},
        )
    proposal = _proposal_or_error(review)
    _check_choice(review, proposal, rating, note, "rating")
    _keep_proposal(review, proposal)
    review.appraised_rating = rating
    review.appraisal_note = note
    review.appraised_at = timezone.now()
    review.appraised_by = user if getattr(user, "pk", None) else None
    review.step = Step.APPRAISED
    review.save()
    return review


@transaction.atomic
def review_decide(
    *,
    review: MemberReview | OrganizationReview,
    user: Any,
    decided_on: dt.date,
    decision_number: str,
    rating: str = "",
    note: str = "",
) -> Any:
    """Step 3: the level above decides, final and dated, with its decision number."""
    review = _lock(review)
    _require(can_decide(user, review))
    _check_open(review.round)
    if review.step != Step.APPRAISED:
        raise ValidationError(_("Chỉ quyết định được sau khi cấp ủy trực tiếp đã thẩm định, đề xuất."))
    _check_decision(decided_on, decision_number)
    rating = rating or review.appraised_rating
    proposal = _proposal_or_error(review)
    _check_choice(review, proposal, rating, note or review.appraisal_note, "rating")
    _keep_proposal(review, proposal)
    review.rating = rating
    review.decision_note = note
    review.decided_on = decided_on
    review.decision_number = decision_number.strip()
    review.decided_by = user if getattr(user, "pk", None) else None
    review.step = Step.DECIDED
    review.save()
    _tally(review, +1)
    return review


@transaction.atomic
def review_amend(
    *, review: MemberReview | OrganizationReview, user: Any, rating: str, decided_on: dt.date, decision_number: str, note: str
) -> Any:
    """Change a decided rating by a recorded decision (e.g. after a discipline is annulled)."""
    review = _lock(review)
    _require(can_decide(user, review))
    if review.step != Step.DECIDED:
        raise ValidationError(_("Chỉ sửa đổi được xếp loại đã có quyết định."))
    _check_decision(decided_on, decision_number)
    if not note.strip():
        raise ValidationError({"note": _("Hãy ghi lý do sửa đổi.")})
    proposal = _proposal_or_error(review)
    _check_choice(review, proposal, rating, note, "rating")
    _tally(review, -1)
    _keep_proposal(review, proposal)
    review.rating = rating
    review.decision_note = note
    review.decided_on = decided_on
    review.decision_number = decision_number.strip()
    review.decided_by = user if getattr(user, "pk", None) else None
    review.save()
    _tally(review, +1)
    return review


def _check_decision(decided_on: dt.date, decision_number: str) -> None:
    errors = {}
    if decided_on > dt.date.today():
        errors["decided_on"] = _("Ngày quyết định không được sau hôm nay.")
    if not decision_number.strip():
        errors["decision_number"] = _("Hãy nhập số quyết định.")
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------------------------------
# Tallies

RECENTLY_ADMITTED = "excluded.recently_admitted"
# Which cap of reviews.regimes.common a not-complete breakdown column counts.
NOT_COMPLETE_BREAKDOWN = {
    "cap.disciplined": "not_complete_disciplined",
    "cap.led_unit_targets": "not_complete_targets",
    "cap.targets": "not_complete_targets",
    "cap.degradation": "not_complete_degradation",
}


def _tally_row(org_id: int, year: int, subject: str, path: str) -> Any:
    RatingTally.objects.get_or_create(organization_id=org_id, year=year, subject=subject, defaults={"path": path})
    return RatingTally.objects.filter(organization_id=org_id, year=year, subject=subject)


def _tally(review: MemberReview | OrganizationReview, sign: int) -> None:
    """Move the tally of ``review``'s decided rating by ``sign`` (+1 on decision, -1 before an amendment)."""
    if isinstance(review, MemberReview):
        if review.post:
            return  # a review at another post: the member is counted once, by their review at the cell
        org_id, path, subject = review.cell_id, review.cell_path, Subject.MEMBER
    else:
        org_id, path = review.organization_id, review.path
        subject = Subject.BASE if review.is_base else Subject.CELL
    column = review.rating
    changes = {column: F(column) + sign}
    if column == Rating.NOT_COMPLETE:
        rules = {r["rule"] for r in review.proposal_reasons}
        for rule, breakdown in NOT_COMPLETE_BREAKDOWN.items():
            if rule in rules:
                changes[breakdown] = F(breakdown) + sign
    _tally_row(org_id, review.round.year, subject, path).update(**changes)


# ---------------------------------------------------------------------------------------
# Quota and closing


@dataclass(frozen=True)
class QuotaUnit:
    """The quota in one counting unit: a base organization for members, a group of similar
    organizations for collectives."""

    key: str
    label: str
    excellent: int
    good: int
    quota: int | None

    @property
    def overflow(self) -> int:
        return 0 if self.quota is None else max(0, self.excellent - self.quota)


def _chosen(review: Any) -> str:
    return review.rating or review.appraised_rating


def quota_units(round: ReviewRound) -> list[QuotaUnit]:
    """Excellent and good choices (decided, else proposed) per counting unit, with the quota."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for review in round.member_reviews.filter(excluded_rule="", post="").select_related("base"):
        chosen = _chosen(review)
        if chosen in (Rating.EXCELLENT, Rating.GOOD):
            unit = (f"base-{review.base_id}", _("Đảng viên của %(org)s") % {"org": review.base.name})
            counts[unit][0 if chosen == Rating.EXCELLENT else 1] += 1
    for org_review in round.organization_reviews.all():
        chosen = _chosen(org_review)
        if chosen in (Rating.EXCELLENT, Rating.GOOD):
            group = org_review.quota_group or _("Tổ chức đảng chưa phân nhóm")
            counts[(f"group-{group}", group)][0 if chosen == Rating.EXCELLENT else 1] += 1
    settings = round.quota_settings
    return [
        QuotaUnit(key, label, e, g, excellent_quota(excellent=e, good=g, settings=settings))
        for (key, label), (e, g) in sorted(counts.items())
    ]


@transaction.atomic
def round_close(*, round: ReviewRound, user: Any) -> ReviewRound:
    """Close the round: every rated review decided, and the quota kept in every unit."""
    round = ReviewRound.objects.select_for_update().get(pk=round.pk)
    _require(can_write(user, round.organization, action=Action.RESTRUCTURE))
    if round.is_closed:
        raise ValidationError(_("Đợt đánh giá đã kết thúc."))
    undecided = round.member_reviews.filter(excluded_rule="").exclude(step=Step.DECIDED).count()
    undecided += round.organization_reviews.exclude(step=Step.DECIDED).count()
    if undecided:
        raise ValidationError(_("Còn %(count)s bản đánh giá chưa có quyết định.") % {"count": undecided})
    broken = [unit for unit in quota_units(round) if unit.overflow]
    if broken:
        raise ValidationError(
            _("Vượt tỷ lệ hoàn thành xuất sắc: %(units)s.") % {"units": "; ".join(f"{u.label} (+{u.overflow})" for u in broken)}
        )
    round.closed_at = timezone.now()
    round.save()
    return round


def share(part: int, whole: int) -> Decimal:
    return Decimal(part) / whole if whole else Decimal(0)


# ---------------------------------------------------------------------------------------
# What-if: the decision's effects before anything is saved


@dataclass(frozen=True)
class OrganizationOutcome:
    """One organization on one side of a what-if: the regime's proposal for it from the
    ratings below it, and the rating it would hold (its choice, lowered to the proposal
    when the choice is above what the rules allow)."""

    review: OrganizationReview
    proposal: Proposal
    rating: str

    @property
    def rating_label(self) -> str:
        return str(Rating(self.rating).label) if self.rating else ""


@dataclass(frozen=True)
class WhatIfSide:
    quota: QuotaUnit
    members: RatingCounts
    organizations: list[OrganizationOutcome]

    @property
    def organization_counts(self) -> RatingCounts:
        return RatingCounts.of([o.rating for o in self.organizations])


@dataclass(frozen=True)
class WhatIf:
    """A base organization's members and organizations as they stand, and with ``changes``."""

    before: WhatIfSide
    after: WhatIfSide
    changes: dict[int, str]


def what_if(*, round: ReviewRound, base: Organization, choices: dict[int, str]) -> WhatIf:
    """What choosing ``choices`` (member review id → rating) for members of ``base`` would do,
    computed and never saved: the members' quota (``excellent_quota``), the proposals of
    ``base`` and of the organizations under it in the round (the regime's
    ``propose_organization`` on the same facts as ``propose``, with the ratings below them
    changed), and the counts per rating. An organization's choice above its new proposal is
    lowered to the proposal (``_check_choice`` would refuse it), and the level above counts
    that lowered rating."""
    regime = round.regime_module
    members = list(
        MemberReview.objects.filter(round=round, base=base, excluded_rule="", post="").values_list(
            "pk", "cell_id", "rating", "appraised_rating"
        )
    )
    before = {pk: rating or appraised for pk, _cell, rating, appraised in members}
    valid = set(Rating.values)
    changes = {pk: rating for pk, rating in choices.items() if pk in before and rating in valid and rating != before[pk]}
    after = {**before, **changes}
    cell_of = {pk: cell for pk, cell, _r, _a in members}
    base_review = OrganizationReview.objects.filter(round=round, organization=base).first()
    organizations = (
        list(
            OrganizationReview.objects.filter(round=round, path__gte=base_review.path, path__lt=base_review.path + "~")
            .select_related("round", "organization")
            .order_by("-path")
        )
        if base_review is not None and regime is not None
        else []
    )
    facts_below = {r.pk: _below(r) for r in organizations}
    label = _("Đảng viên của %(org)s") % {"org": base.name}

    def side(chosen: dict[int, str], lower_choices: bool) -> WhatIfSide:
        ratings = [r for r in chosen.values() if r]
        excellent, good = ratings.count(Rating.EXCELLENT), ratings.count(Rating.GOOD)
        quota = QuotaUnit(
            f"base-{base.pk}",
            label,
            excellent,
            good,
            excellent_quota(excellent=excellent, good=good, settings=round.quota_settings),
        )
        held: dict[int, str] = {}
        outcomes = []
        for review in organizations:  # deepest first: a committee reads the ratings its cells would hold
            step = Organization.steplen
            children = [r for r in organizations if r.path.startswith(review.path) and len(r.path) == len(review.path) + step]
            below = (
                [held[c.pk] for c in children]
                if children
                else [rating for pk, rating in chosen.items() if cell_of[pk] == review.organization_id]
            )
            proposal = regime.propose_organization(_organization_facts(review, facts_below[review.pk], below_counts(below)))
            rating = review.rating or review.appraised_rating
            if lower_choices and rating and proposal.rating is not None:
                try:
                    _check_choice(review, proposal, rating, "-", "rating")
                except ValidationError:
                    rating = proposal.rating
            held[review.pk] = rating
            outcomes.append(OrganizationOutcome(review, proposal, rating))
        return WhatIfSide(quota, RatingCounts.of(ratings), sorted(outcomes, key=lambda o: o.review.path))

    return WhatIf(side(before, False), side(after, True), changes)


# ---------------------------------------------------------------------------------------
# The three steps of many members at once


@dataclass
class StepsEntry:
    """One member's three steps entered after the fact (a paper round): the self-assessment's
    values, the facts and proposal of the level in charge (blank rating: the rules'
    proposal), and the decision (blank rating: the proposal of the level in charge)."""

    review: MemberReview
    self_values: dict[str, Any]
    decided_on: dt.date
    decision_number: str
    facts: dict[str, Any] = field(default_factory=dict)
    appraised_rating: str = ""
    appraisal_note: str = ""
    rating: str = ""
    decision_note: str = ""


DECIDED_FIELDS = (
    *sorted(SELF_FIELDS | FACT_FIELDS),
    "step",
    "self_assessed_at",
    "proposed_rating",
    "proposal_reasons",
    "appraised_rating",
    "appraisal_note",
    "appraised_at",
    "appraised_by",
    "rating",
    "decision_note",
    "decided_on",
    "decision_number",
    "decided_by",
)


@transaction.atomic
def reviews_decide_in_bulk(*, round: ReviewRound, entries: list[StepsEntry], user: Any) -> list[MemberReview]:
    """Self-assess, appraise and decide ``entries`` of ``round`` together: every one or none.

    Each review goes through the checks of ``review_self_assess``, ``review_appraise`` and
    ``review_decide`` in turn (rights, step order, the regime's proposal and its hard
    ceiling, a written reason for a departure, the decision's date and number) and keeps
    the same history, a row per step; the tallies move as deciding them one by one would.
    The year's disciplines are read once and the rights once per cell, so a round of
    thousands is entered in seconds.
    """
    round = ReviewRound.objects.select_for_update().select_related("organization").get(pk=round.pk)
    _check_open(round)
    regime = round.regime_module
    pks = [entry.review.pk for entry in entries]
    fresh = {
        r.pk: r for r in MemberReview.objects.select_for_update(of=("self",)).select_related("member", "cell").filter(pk__in=pks)
    }
    by_member: dict[int, list[Discipline]] = defaultdict(list)
    for discipline in Discipline.objects.in_force_in(round.year).filter(member_id__in={r.member_id for r in fresh.values()}):
        by_member[discipline.member_id].append(discipline)
    rights: dict[tuple[str, int], bool] = {}

    def allowed(check: Any, review: MemberReview) -> bool:
        # The rights hang on the cell, except a member's own form (never shared with the cell).
        if check is can_self_assess and review.member.user_id == getattr(user, "pk", None):
            return True
        key = (check.__name__, review.cell_id)
        if key not in rights:
            rights[key] = (
                can_write(user, review.cell, action=Action.KEEP_REGISTER) if check is can_self_assess else check(user, review)
            )
        return rights[key]

    user_id = user.pk if getattr(user, "pk", None) else None
    snapshots: list[list[MemberReview]] = [[], [], []]
    errors: list[str] = []
    decided: list[MemberReview] = []
    for entry in entries:
        review = fresh[entry.review.pk]
        review.round = round
        try:
            if not (allowed(can_self_assess, review) and allowed(can_appraise, review) and allowed(can_decide, review)):
                _require(False)
            if review.excluded_rule:
                raise ValidationError(_("Đảng viên này không thuộc diện xếp loại năm nay."))
            if review.step != Step.SELF:
                raise ValidationError(_("Đã qua bước tự đánh giá: chỉ cấp thẩm định có thể trả lại."))
            disciplines = by_member.get(review.member_id, [])

            def proposal_now(review: MemberReview = review, disciplines: list[Discipline] = disciplines) -> Proposal:
                try:
                    return regime.propose_member(_member_facts(review, disciplines=disciplines))
                except ValueError as error:
                    raise ValidationError(str(error)) from None

            # Step 1
            _apply(review, entry.self_values, SELF_FIELDS)
            _keep_proposal(review, proposal_now())
            review.self_assessed_at = timezone.now()
            snapshots[0].append(_copy(review))
            # Step 2
            _apply(review, entry.facts, FACT_FIELDS)
            proposal = proposal_now()
            appraised = entry.appraised_rating or (proposal.rating or "")
            _check_choice(review, proposal, appraised, entry.appraisal_note, "rating")
            _keep_proposal(review, proposal)
            review.appraised_rating, review.appraisal_note = appraised, entry.appraisal_note
            review.appraised_at, review.appraised_by_id, review.step = timezone.now(), user_id, Step.APPRAISED
            snapshots[1].append(_copy(review))
            # Step 3 (the facts have not changed since the appraisal: the same proposal)
            _check_decision(entry.decided_on, entry.decision_number)
            rating = entry.rating or appraised
            _check_choice(review, proposal, rating, entry.decision_note or entry.appraisal_note, "rating")
            review.rating, review.decision_note = rating, entry.decision_note
            review.decided_on, review.decision_number = entry.decided_on, entry.decision_number.strip()
            review.decided_by_id, review.step = user_id, Step.DECIDED
            snapshots[2].append(review)
            decided.append(review)
        except PermissionDenied as error:
            errors.append(f"{review.member.full_name}: {error}")
        except ValidationError as error:
            errors.append(f"{review.member.full_name}: {' '.join(error.messages)}")
    if errors:
        raise ValidationError(errors)
    _update_rows(decided, DECIDED_FIELDS)
    now = timezone.now()
    stamps = [now + dt.timedelta(microseconds=i) for i in range(len(snapshots))]
    for rows, stamp in zip(snapshots, stamps, strict=True):
        MemberReview.history.bulk_history_create(
            rows, update=True, batch_size=500, default_user=user if user_id else None, default_date=stamp
        )
    groups: dict[tuple[Any, ...], list[MemberReview]] = defaultdict(list)
    for review in decided:
        if not review.post:
            groups[(review.cell_id, review.rating, frozenset(r["rule"] for r in review.proposal_reasons))].append(review)
    for group in groups.values():
        _tally(group[0], len(group))
    return decided


def _update_rows(reviews: list[MemberReview], names: tuple[str, ...]) -> None:
    """Write ``names`` of every review: one prepared UPDATE run for all rows (``bulk_update``
    builds a CASE per row and field, most of a round's time)."""
    fields: list[Any] = [MemberReview._meta.get_field(name) for name in names]
    table = connection.ops.quote_name(MemberReview._meta.db_table)
    columns = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    rows = [[f.get_db_prep_save(getattr(r, f.attname), connection) for f in fields] + [r.pk] for r in reviews]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {columns} WHERE id = %s", rows)


def _copy(review: MemberReview) -> MemberReview:
    """The review as it stands after one step (its history row)."""
    snapshot = copy.copy(review)
    snapshot.proposal_reasons = list(review.proposal_reasons)
    return snapshot
