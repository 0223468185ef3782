"""Ratings stored as given: past years' decided ratings recorded or imported, never re-derived.

Before 2023 ratings are kept as the deciding committee gave them (``RegimeChoice.GIVEN``;
an administrator may also set a later round to it). ``ratings_record_given`` writes them
into a round opened with that regime: each row becomes a decided review, and the yearly
tallies move in the same transaction exactly as ``reviews.services`` moves them when a
rating is decided (``_tally``), so the year-end report counts given and decided years
alike.

``ratings_import_given`` reads the ratings of past years from a spreadsheet through the
import engine (``lib.importer``): every row is checked, each problem reported as
"Dòng N, cột X: …", and either every row is recorded or none. A year without a round yet
gets a round stored as given, opened for the importer's organization.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.rights import Action, can_write
from lib.importer import (
    ROW_KEY,
    Choice,
    Column,
    Date,
    ImportRefused,
    ImportSpec,
    Integer,
    ParseResult,
    RowError,
    Text,
    Unresolved,
    parse,
)
from lib.tabular import Source
from members.models import Member
from members.rules import NATIONAL_ID_DIGITS
from orgs.models import Organization
from reviews.models import MemberReview, OrganizationReview, RegimeChoice, ReviewRound, Step
from reviews.regimes.base import Rating
from reviews.services import _require, _tally, round_open

CHANGE_REASON = "Nhập kết quả xếp loại đã có"


@dataclass(frozen=True)
class GivenRating:
    """One decided rating as given: of a member (at a post, blank for their cell) or of an organization."""

    rating: str
    decided_on: dt.date
    decision_number: str
    member: Member | None = None
    organization: Organization | None = None
    post: str = ""


@dataclass
class _Plan:
    """What recording a round's rows would write, and every problem, by the row's position."""

    reviews: list[MemberReview | OrganizationReview] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (position, field, message)


def _check_round(round: ReviewRound) -> None:
    if round.regime != RegimeChoice.GIVEN:
        raise ValidationError(
            _("Đợt đánh giá năm %(year)s đánh giá theo quy định, không nhập kết quả đã có được.") % {"year": round.year}
        )
    if round.is_closed:
        raise ValidationError(_("Đợt đánh giá năm %(year)s đã kết thúc.") % {"year": round.year})


def _plan(round: ReviewRound, rows: Sequence[GivenRating]) -> _Plan:
    """Match each row to its review in ``round`` and check it; nothing is written."""
    plan = _Plan()
    today = dt.date.today()
    member_ids = {row.member.pk for row in rows if row.member is not None}
    org_ids = {row.organization.pk for row in rows if row.organization is not None}
    member_reviews: dict[int, dict[str, MemberReview]] = defaultdict(dict)
    for held_review in MemberReview.objects.filter(round=round, member_id__in=member_ids).select_related("round"):
        member_reviews[held_review.member_id][held_review.post] = held_review
    org_reviews = {
        r.organization_id: r
        for r in OrganizationReview.objects.filter(round=round, organization_id__in=org_ids).select_related("round")
    }
    seen: dict[tuple[str, int, str], int] = {}
    for position, row in enumerate(rows):
        problems: list[tuple[str, str]] = []
        if row.rating not in Rating.values:
            problems.append(("rating", _("Mức xếp loại không hợp lệ «%(value)s».") % {"value": row.rating}))
        if not row.decision_number.strip():
            problems.append(("decision_number", _("Hãy nhập số quyết định.")))
        if row.decided_on > today:
            problems.append(("decided_on", _("Ngày quyết định không được sau hôm nay.")))
        elif row.decided_on.year < round.year:
            problems.append(("decided_on", _("Ngày quyết định phải từ năm đánh giá %(year)s trở đi.") % {"year": round.year}))
        review: MemberReview | OrganizationReview | None = None
        if (row.member is None) == (row.organization is None):
            problems.append(("member", _("Mỗi dòng là xếp loại của một đảng viên hoặc một tổ chức đảng.")))
        elif row.member is not None:
            key = ("member", row.member.pk, row.post)
            held = member_reviews.get(row.member.pk, {})
            review = held.get(row.post)
            if review is None and row.post and "" in held:
                # A second post: reviewed at the same cell as the member's own review.
                first = held[""]
                review = MemberReview(
                    round=round,
                    member=row.member,
                    post=row.post,
                    cell_id=first.cell_id,
                    base_id=first.base_id,
                    cell_path=first.cell_path,
                    status_on_reference=first.status_on_reference,
                )
            if review is None:
                problems.append(
                    (
                        "member",
                        _(
                            "Đảng viên %(name)s không có trong danh sách kiểm điểm năm %(year)s của %(org)s "
                            "(không sinh hoạt ở chi bộ nào thuộc phạm vi vào ngày %(date)s)."
                        )
                        % {
                            "name": row.member.full_name,
                            "year": round.year,
                            "org": round.organization.name,
                            "date": round.reference_date.strftime("%d/%m/%Y"),
                        },
                    )
                )
        else:
            assert row.organization is not None
            key = ("organization", row.organization.pk, "")
            review = org_reviews.get(row.organization.pk)
            if review is None:
                problems.append(
                    (
                        "organization",
                        _("%(org)s không có trong danh sách xếp loại năm %(year)s.")
                        % {"org": row.organization.name, "year": round.year},
                    )
                )
        if review is not None:
            if key in seen:
                problems.append(("member", _("Trùng với một dòng trước (dòng thứ %(n)s).") % {"n": seen[key] + 1}))
            elif review.step == Step.DECIDED:
                problems.append(
                    (
                        "rating",
                        _("Đã có xếp loại năm %(year)s («%(rating)s», quyết định %(number)s): sửa bằng quyết định sửa đổi.")
                        % {"year": round.year, "rating": Rating(review.rating).label, "number": review.decision_number},
                    )
                )
        if problems:
            plan.errors += [(position, name, message) for name, message in problems]
            continue
        seen[key] = position
        assert review is not None
        review.step = Step.DECIDED
        review.rating = row.rating
        review.decided_on = row.decided_on
        review.decision_number = row.decision_number.strip()
        review.proposed_rating = ""
        review.proposal_reasons = []
        plan.reviews.append(review)
    return plan


def _write(round: ReviewRound, reviews: list[MemberReview | OrganizationReview], user: Any) -> None:
    """Save the decided reviews with their history, and move the tallies as deciding them one by one would."""
    user_id = user.pk if getattr(user, "pk", None) else None
    members = [r for r in reviews if isinstance(r, MemberReview)]
    organizations = [r for r in reviews if isinstance(r, OrganizationReview)]
    for review in reviews:
        review.decided_by_id = user_id
    new = [r for r in members if r.pk is None]
    for review in new:
        review.save()
    kept = [r for r in members if r not in new]
    for model, rows in ((MemberReview, kept), (OrganizationReview, organizations)):
        _save_decided(model, rows)
    # ``_tally`` moves one row of the tallies by its ``sign``: reviews counted in the same
    # row and the same columns move it once, by their number.
    groups: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for review in reviews:
        rules = frozenset(r["rule"] for r in review.proposal_reasons)
        if isinstance(review, MemberReview):
            where: tuple[Any, ...] = ("member", review.cell_id, review.cell_path)
        else:
            where = ("organization", review.organization_id, review.path, review.is_base)
        groups[(*where, review.rating, rules)].append(review)
    for group in groups.values():
        _tally(group[0], len(group))


def _save_decided(model: Any, reviews: list[Any]) -> None:
    """Write the decision of ``reviews`` (already saved once) and their history rows.

    Reviews decided alike (same rating, date, number) are written by one UPDATE each:
    ``bulk_update`` would build a CASE per row and field, seconds for a province's year.
    """
    alike: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for review in reviews:
        alike[(review.rating, review.decided_on, review.decision_number, review.decided_by_id)].append(review.pk)
    for (rating, decided_on, number, by), pks in alike.items():
        for start in range(0, len(pks), 500):
            model.objects.filter(pk__in=pks[start : start + 500]).update(
                step=Step.DECIDED,
                rating=rating,
                decided_on=decided_on,
                decision_number=number,
                decided_by_id=by,
                proposed_rating="",
                proposal_reasons=[],
            )
    if reviews:
        model.history.bulk_history_create(
            reviews, update=True, batch_size=500, default_change_reason=CHANGE_REASON, default_date=timezone.now()
        )


@transaction.atomic
def ratings_record_given(*, round: ReviewRound, rows: Sequence[GivenRating], user: Any) -> int:
    """Record ``rows`` as decided ratings of ``round`` (a round stored as given); all or none.

    Each row names a member (and a post, blank for their review at their cell) or an
    organization of the round, the rating, the decision's date and number. Returns how many
    ratings were recorded.
    """
    round = ReviewRound.objects.select_for_update().select_related("organization").get(pk=round.pk)
    _require(can_write(user, round.organization, action=Action.RESTRUCTURE))
    _check_round(round)
    plan = _plan(round, rows)
    if plan.errors:
        raise ValidationError(
            [_("Dòng thứ %(n)s: %(message)s") % {"n": position + 1, "message": message} for position, _f, message in plan.errors]
        )
    _write(round, plan.reviews, user)
    return len(plan.reviews)


# ---------------------------------------------------------------------------------------
# Import from a spreadsheet

RATING_ALIASES = {
    "xuất sắc": Rating.EXCELLENT,
    "HTXSNV": Rating.EXCELLENT,
    "HTXS": Rating.EXCELLENT,
    "tốt": Rating.GOOD,
    "HTTNV": Rating.GOOD,
    "HTT": Rating.GOOD,
    "hoàn thành": Rating.COMPLETE,
    "HTNV": Rating.COMPLETE,
    "HT": Rating.COMPLETE,
    "không hoàn thành": Rating.NOT_COMPLETE,
    "KHTNV": Rating.NOT_COMPLETE,
    "KHT": Rating.NOT_COMPLETE,
}


@dataclass
class GivenContext:
    organization: Organization
    user: Any


def _resolve_members(codes: set[Any], ctx: GivenContext) -> dict[Any, Any]:
    """Members by CCCD or by card number (a code matching two records is refused)."""
    # A CCCD typed as a number loses its leading zeros in Excel: "024…" comes back as "24…".
    spellings: dict[str, set[Any]] = defaultdict(set)
    for code in codes:
        text = str(code)
        spellings[text].add(code)
        if text.isdigit() and len(text) < NATIONAL_ID_DIGITS:
            spellings[text.zfill(NATIONAL_ID_DIGITS)].add(code)
    found: dict[Any, Any] = {}
    values = sorted(spellings)
    for start in range(0, len(values), 400):  # under SQLite's limit of bound parameters
        chunk = values[start : start + 400]
        # Only records the importer may read: a code outside the scope reads as not found.
        for member in Member.objects.for_user(ctx.user).filter(Q(national_id__in=chunk) | Q(card_number__in=chunk)):
            for spelling in {member.national_id or "", member.card_number or ""} & set(chunk):
                for code in spellings[spelling]:
                    if code in found and found[code] != member:
                        found[code] = Unresolved(_("«%(code)s» khớp với hai hồ sơ đảng viên") % {"code": code})
                    else:
                        found[code] = member
    return found


def _resolve_organizations(codes: set[Any], ctx: GivenContext) -> dict[Any, Any]:
    wanted = {str(c).lower(): c for c in codes}
    readable = Organization.objects.for_user(ctx.user).filter(code__in=set(codes) | set(wanted))
    return {wanted[o.code.lower()]: o for o in readable}


def _check_row(row: dict[str, Any], ctx: GivenContext) -> Iterable[tuple[str | None, str]]:
    if (row.get("member") is None) == (row.get("organization") is None):
        yield "member", _("ghi số CCCD hoặc số thẻ đảng viên của một đảng viên, hoặc mã của một tổ chức đảng (chỉ một trong hai)")


GIVEN_SPEC = ImportSpec(
    columns=[
        Column("year", gettext_noop("Năm"), Integer(1990, 2100), aliases=("Năm đánh giá", "Năm xếp loại"), required=True),
        Column(
            "member",
            gettext_noop("Số CCCD hoặc số thẻ đảng viên"),
            Text(20),
            aliases=("Số CCCD", "CCCD", "Số thẻ đảng viên", "Số thẻ"),
            resolve=_resolve_members,
            help=gettext_noop("để trống ở dòng xếp loại tổ chức đảng"),
        ),
        Column(
            "organization",
            gettext_noop("Mã tổ chức đảng"),
            Text(40),
            aliases=("Mã tổ chức", "Mã đơn vị"),
            resolve=_resolve_organizations,
            help=gettext_noop("để trống ở dòng xếp loại đảng viên"),
        ),
        Column(
            "rating",
            gettext_noop("Xếp loại"),
            Choice([(value, str(label)) for value, label in Rating.choices], aliases=RATING_ALIASES),
            aliases=("Mức xếp loại", "Kết quả xếp loại"),
            required=True,
        ),
        Column("decision_number", gettext_noop("Số quyết định"), Text(80), aliases=("Quyết định",), required=True),
        Column("decided_on", gettext_noop("Ngày quyết định"), Date(1990, 2100), aliases=("Ngày",), required=True),
    ],
    check_row=_check_row,
    name="given_ratings",
)


@dataclass
class GivenSummary:
    recorded: int = 0
    rounds_opened: list[int] = field(default_factory=list)
    by_year: dict[int, int] = field(default_factory=dict)


def given_parse(file: Source, filename: str, *, organization: Organization, user: Any) -> ParseResult:
    """Read and check the cells of a file of past ratings; nothing is written."""
    return parse(file, filename, GIVEN_SPEC, GivenContext(organization=organization, user=user))


def _round_for(organization: Organization, year: int, user: Any, opened: list[int]) -> ReviewRound:
    round = ReviewRound.objects.filter(organization=organization, year=year).first()
    if round is None:
        end = dt.date(year, 12, 31)
        round = round_open(
            organization=organization,
            year=year,
            opens_on=end,
            self_deadline=end,
            appraisal_deadline=end,
            decision_deadline=end,
            regime=RegimeChoice.GIVEN,
            user=user,
        )
        opened.append(year)
    return round


def ratings_import_given(file: Source, filename: str, *, organization: Organization, user: Any) -> GivenSummary:
    """Import past ratings for ``organization``'s rounds from ``file``: every row, or none.

    Raises ``ImportRefused`` with every problem as "Dòng N, cột X: …" (nothing written).
    A year without a round gets one stored as given (its members as the tree stood on 31/12).
    """
    _require(can_write(user, organization, action=Action.RESTRUCTURE))
    result = given_parse(file, filename, organization=organization, user=user)
    if not result.ok:
        raise ImportRefused(result)
    labels = {c.key: str(c.label) for c in GIVEN_SPEC.columns}
    by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in result.rows:
        by_year[row["year"]].append(row)
    summary = GivenSummary()
    with transaction.atomic():
        plans = []
        for year in sorted(by_year):
            rows = by_year[year]
            try:
                round = _round_for(organization, year, user, summary.rounds_opened)
                _check_round(round)
            except ValidationError as error:
                for row in rows:
                    result.add(RowError(row[ROW_KEY], labels["year"], " ".join(error.messages)))
                continue
            given = [
                GivenRating(
                    rating=row["rating"],
                    decided_on=row["decided_on"],
                    decision_number=row["decision_number"],
                    member=row.get("member"),
                    organization=row.get("organization"),
                )
                for row in rows
            ]
            plan = _plan(round, given)
            for position, name, message in plan.errors:
                column = labels.get(name, labels["member"])
                if name == "member" and rows[position].get("organization") is not None:
                    column = labels["organization"]
                result.add(RowError(rows[position][ROW_KEY], column, message))
            plans.append((round, plan))
        if not result.ok:
            transaction.set_rollback(True)
            raise ImportRefused(result)
        for round, plan in plans:
            _write(round, plan.reviews, user)
            summary.by_year[round.year] = len(plan.reviews)
            summary.recorded += len(plan.reviews)
    return summary
