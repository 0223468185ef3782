"""Pages of the annual review: the rounds, a round's progress, the self-assessment form,
the cell's grid, the decision with its quota and what-if, the year-end report and a
member's own ratings.

Reads start from ``for_user`` (outside the scope: 404); each step's right is the service's
own check (``reviews.services.can_*``), refused with 403. Changes go through
``reviews.services``; the views parse, save and redirect.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.rights import Action, can_read, can_write, write_roots
from lib.forms import add_service_errors
from lib.importer import ImportRefused
from lib.tabular import write_xlsx
from members.models import Member
from orgs.models import Organization
from orgs.scope import subtree_q
from reviews import documents, given, grid_import, services
from reviews.forms import AmendForm, DecisionForm, GivenImportForm, RoundForm, SelfAssessmentForm
from reviews.models import MemberReview, OrganizationReview, ReviewRound, Step
from reviews.regimes import b_366
from reviews.regimes.base import ORDER, Rating, TaskOutcome, Tasks
from reviews.selectors import STREAK_YEARS, excellent_streaks, year_report

GRID_FIELDS = ("general_points", "result_points", "tasks_total", "tasks_late", "tasks_above")


def _round(request: HttpRequest, pk: int) -> ReviewRound:
    return get_object_or_404(ReviewRound.objects.for_user(request.user).select_related("organization"), pk=pk)


def _openable(user: Any) -> Any:
    roots = write_roots(user, action=Action.RESTRUCTURE)
    qs = Organization.objects.for_user(user).filter(kind__level__in=["central", "province", "upper", "base_committee"])
    if roots is None:
        return qs
    q = subtree_q(roots[0]) if roots else subtree_q("~")
    for root in roots[1:]:
        q |= subtree_q(root)
    return qs.filter(q)


def _report_organization(user: Any, round: ReviewRound) -> Organization | None:
    """Whose report a round's page links to: the round's organization when the user reads it,
    else the user's own (a cell secretary reads the bloc's round, and their cell's report)."""
    return round.organization if can_read(user, round.organization) else user.primary_organization()


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = [
        (round, _report_organization(request.user, round))
        for round in ReviewRound.objects.for_user(request.user).select_related("organization")
    ]
    return render(
        request,
        "reviews/round_list.html",
        {"rounds": rounds, "can_open": _openable(request.user).exists(), "today": dt.date.today()},
    )


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    organizations = _openable(request.user)
    if not organizations.exists():
        raise PermissionDenied(_("Bạn không có quyền mở đợt đánh giá."))
    form = RoundForm(request.POST or None, organizations=organizations, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round = services.round_open(
                organization=data["organization"],
                year=data["year"],
                reference_date=data["reference_date"],
                regime=data["regime"] or "",
                opens_on=data["opens_on"],
                self_deadline=data["self_deadline"],
                appraisal_deadline=data["appraisal_deadline"],
                decision_deadline=data["decision_deadline"],
                covers_cells=data["covers_cells"],
                user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã mở đợt đánh giá năm %(year)s.") % {"year": round.year})
            return redirect("reviews:round_detail", pk=round.pk)
    return render(request, "reviews/round_form.html", {"form": form})


def _late(round: ReviewRound, step: str) -> bool:
    today = dt.date.today()
    if step == Step.SELF:
        return today > round.self_deadline
    if step == Step.APPRAISED:
        return today > round.decision_deadline
    return False


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    reviews = MemberReview.objects.for_user(request.user).filter(round=round)
    progress: dict[int, Counter] = defaultdict(Counter)
    for cell_id, step, excluded in reviews.values_list("cell_id", "step", "excluded_rule"):
        progress[cell_id]["excluded" if excluded else step] += 1
        progress[cell_id]["total"] += 1
    cells = {o.pk: o for o in Organization.objects.filter(pk__in=progress).order_by("path")}
    rows = [
        {
            "cell": cell,
            "counts": progress[cell.pk],
            "late": progress[cell.pk][Step.SELF] and _late(round, Step.SELF),
            "can_grid": can_write(request.user, cell),
        }
        for cell in cells.values()
    ]
    departures = (
        reviews.exclude(appraised_rating="").exclude(appraised_rating=F("proposed_rating")).select_related("member", "cell")[:50]
    )
    organizations = list(OrganizationReview.objects.for_user(request.user).filter(round=round).select_related("organization"))
    parent_paths = {r.organization.path[: -Organization.steplen] for r in organizations}
    parents = [p for p in Organization.objects.filter(path__in=parent_paths).order_by("path") if can_write(request.user, p)]
    return render(
        request,
        "reviews/round_detail.html",
        {
            "round": round,
            "report_organization": _report_organization(request.user, round),
            "rows": rows,
            "departures": departures,
            "organizations": organizations,
            "parents": parents,
            "quota": [
                (unit, int(unit.key.removeprefix("base-")) if unit.key.startswith("base-") else None)
                for unit in services.quota_units(round)
            ],
            "regime": round.regime_module,
            "settings": round.quota_settings,
            "can_close": can_write(request.user, round.organization, action=Action.RESTRUCTURE) and not round.is_closed,
        },
    )


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    try:
        services.round_close(round=round, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã kết thúc đợt đánh giá năm %(year)s.") % {"year": round.year})
    return redirect("reviews:round_detail", pk=round.pk)


# ---------------------------------------------------------------------------------------
# Step 1: the member's own form


def _member_review(request: HttpRequest, pk: int) -> MemberReview:
    return get_object_or_404(
        MemberReview.objects.for_user(request.user).select_related("round", "round__organization", "member", "cell"), pk=pk
    )


@login_required
def review_self(request: HttpRequest, pk: int) -> HttpResponse:
    review = _member_review(request, pk)
    regime = review.round.regime_module
    if regime is None:
        raise PermissionDenied(_("Đợt này nhập kết quả đã có, không tự đánh giá."))
    editable = services.can_self_assess(request.user, review) and review.step == Step.SELF and not review.excluded_rule
    initial = {name: getattr(review, name) for name in services.SELF_FIELDS}
    form = SelfAssessmentForm(request.POST or None, initial=initial, regime_code=regime.code, tasks=review.tasks)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Bạn không thể sửa bản tự đánh giá này."))
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k in services.SELF_FIELDS and not (k == "form" and not v)}
            if not values.get("tasks") and not review.tasks:
                values.pop("tasks", None)  # an older form's counts stay until a list replaces them
            try:
                services.review_self_assess(review=review, user=request.user, **values)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã lưu bản tự đánh giá."))
                return redirect("reviews:review_self", pk=review.pk)
    context = {
        "review": review,
        "form": form,
        "editable": editable,
        "can_amend": services.can_decide(request.user, review),
        "task_summary": b_366.task_summary(Tasks(review.tasks_total, review.tasks_late, review.tasks_above))
        if regime.code == b_366.code and review.tasks_total
        else "",
        "outcomes": dict(TaskOutcome.choices),
    }
    return render(request, "reviews/review_self.html", context)


# ---------------------------------------------------------------------------------------
# Step 2: the cell's grid


def _grid_reviews(request: HttpRequest, pk: int, cell_id: int) -> tuple[ReviewRound, Organization, list[MemberReview]]:
    round = _round(request, pk)
    cell = get_object_or_404(Organization.objects.for_user(request.user), pk=cell_id)
    reviews = list(
        MemberReview.objects.for_user(request.user).filter(round=round, cell=cell).select_related("member", "cell", "round")
    )
    if not reviews:
        raise PermissionDenied(_("Chi bộ này không có đảng viên trong đợt đánh giá."))
    if not can_write(request.user, cell):
        raise PermissionDenied(_("Bạn không có quyền nhập kết quả của chi bộ này."))
    return round, cell, reviews


@login_required
def cell_grid(request: HttpRequest, pk: int, cell_id: int) -> HttpResponse:
    """A row per member of the cell: the paper forms' numbers and the proposal, keyboard first."""
    round, cell, reviews = _grid_reviews(request, pk, cell_id)
    errors: dict[int, list[str]] = {}
    if request.method == "POST":
        errors = _save_grid(request, reviews)
        if not errors:
            messages.success(request, _("Đã lưu kết quả của chi bộ."))
            return redirect("reviews:cell_grid", pk=round.pk, cell_id=cell.pk)
    rows = [
        {
            "review": r,
            "errors": errors.get(r.pk, []),
            "values": {f: request.POST.get(f"{f}-{r.pk}", getattr(r, f)) for f in (*GRID_FIELDS, "appraised_rating")}
            if request.method == "POST"
            else {**{f: getattr(r, f) for f in GRID_FIELDS}, "appraised_rating": r.appraised_rating},
            "note": request.POST.get(f"note-{r.pk}", r.appraisal_note),
        }
        for r in reviews
    ]
    return render(
        request,
        "reviews/cell_grid.html",
        {
            "round": round,
            "cell": cell,
            "rows": rows,
            "ratings": Rating.choices,
            "fields": GRID_FIELDS,
            "has_errors": bool(errors),
            "general_points": b_366.GENERAL_POINTS,
            "result_points": b_366.RESULT_POINTS,
        },
    )


def _save_grid(request: HttpRequest, reviews: list[MemberReview]) -> dict[int, list[str]]:
    """Save every row in one transaction, or none: the errors by review."""
    return _save_all(request, [r for r in reviews if not r.excluded_rule], _save_row)


def _number(text: str, kind: type) -> Any:
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    return Decimal(text) if kind is Decimal else int(text)


def _save_row(request: HttpRequest, review: MemberReview) -> None:
    post = request.POST
    values: dict[str, Any] = {
        "general_points": _number(post.get(f"general_points-{review.pk}", ""), Decimal),
        "result_points": _number(post.get(f"result_points-{review.pk}", ""), Decimal),
        "tasks_total": _number(post.get(f"tasks_total-{review.pk}", ""), int) or 0,
        "tasks_late": _number(post.get(f"tasks_late-{review.pk}", ""), int) or 0,
        "tasks_above": _number(post.get(f"tasks_above-{review.pk}", ""), int) or 0,
    }
    rating = post.get(f"appraised_rating-{review.pk}", "")
    note = post.get(f"note-{review.pk}", "")
    if values["general_points"] is None and values["result_points"] is None and not rating:
        return  # an empty row: not filled in yet
    if review.step == Step.SELF:
        review = services.review_self_assess(review=review, user=request.user, **values)
    if rating:
        services.review_appraise(review=review, user=request.user, rating=rating, note=note)


# ---------------------------------------------------------------------------------------
# Step 3: the decision, with the quota and a what-if


def _decide_reviews(request: HttpRequest, pk: int, org_id: int) -> tuple[ReviewRound, Organization, list[MemberReview]]:
    round = _round(request, pk)
    base = get_object_or_404(Organization.objects.for_user(request.user), pk=org_id)
    reviews = list(
        MemberReview.objects.for_user(request.user)
        .filter(round=round, base=base, excluded_rule="")
        .exclude(step=Step.SELF)
        .select_related("member", "cell", "round")
    )
    if not reviews or not services.can_decide(request.user, reviews[0]):
        raise PermissionDenied(_("Bạn không có quyền quyết định xếp loại ở đây."))
    return round, base, reviews


def _choices(data: Any, reviews: list[MemberReview]) -> dict[int, str]:
    return {r.pk: data[f"rating-{r.pk}"] for r in reviews if data.get(f"rating-{r.pk}") and r.step != Step.DECIDED}


@login_required
def decide(request: HttpRequest, pk: int, org_id: int) -> HttpResponse:
    """The members of one base organization proposed by their cells, decided together by the
    committee above. As the choices change, the page asks ``decide_what_if`` what they do."""
    round, base, reviews = _decide_reviews(request, pk, org_id)
    form = DecisionForm(request.POST or None)
    errors: dict[int, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        errors = _decide_all(request, reviews, form.cleaned_data)
        if not errors:
            messages.success(request, _("Đã quyết định xếp loại."))
            return redirect("reviews:round_detail", pk=round.pk)
    return render(
        request,
        "reviews/decide.html",
        {
            "round": round,
            "base": base,
            "reviews": reviews,
            "errors": errors,
            "form": form,
            "ratings": Rating.choices,
            "what_if": _what_if_context(round, base, _choices(request.POST, reviews) if request.method == "POST" else {}),
        },
    )


def _what_if_context(round: ReviewRound, base: Organization, choices: dict[int, str]) -> dict[str, Any]:
    result = services.what_if(round=round, base=base, choices=choices)
    levels = [(r.value, r.label) for r in reversed(ORDER)]

    def counts(c: Any) -> list[int]:
        return [getattr(c, value) for value, _label in levels]

    organizations = [
        {
            "name": b.review.organization.name,
            "before": b,
            "after": a,
            "moved": (b.proposal.rating, b.rating) != (a.proposal.rating, a.rating),
        }
        for b, a in zip(result.before.organizations, result.after.organizations, strict=True)
    ]
    return {
        "result": result,
        "levels": levels,
        "members": list(zip(levels, counts(result.before.members), counts(result.after.members), strict=True)),
        "organization_counts": list(
            zip(levels, counts(result.before.organization_counts), counts(result.after.organization_counts), strict=True)
        ),
        "organizations": organizations,
        "settings": round.quota_settings,
    }


@login_required
@require_GET
def decide_what_if(request: HttpRequest, pk: int, org_id: int) -> HttpResponse:
    """The what-if of the decision page for the ratings chosen on it (``rating-<id>``), before
    and after, side by side: nothing is saved."""
    round, base, reviews = _decide_reviews(request, pk, org_id)
    context = _what_if_context(round, base, _choices(request.GET, reviews))
    return render(request, "reviews/_what_if.html", {"what_if": context, "round": round, "base": base})


def _decide_all(request: HttpRequest, reviews: list[Any], data: dict[str, Any]) -> dict[int, list[str]]:
    """Decide every proposed review with the one decision: all of them, or none."""

    def decide_one(request: HttpRequest, review: Any) -> None:
        services.review_decide(
            review=review,
            user=request.user,
            decided_on=data["decided_on"],
            decision_number=data["decision_number"],
            rating=request.POST.get(f"rating-{review.pk}", review.appraised_rating),
            note=request.POST.get(f"note-{review.pk}", ""),
        )

    return _save_all(request, [r for r in reviews if r.step == Step.APPRAISED], decide_one)


# ---------------------------------------------------------------------------------------
# Organizations: appraised and decided by the committee above them

ORG_FIELDS = ("points", "tasks_total", "tasks_late", "tasks_above", "target_share")


def _org_reviews(request: HttpRequest, round: ReviewRound, parent: Organization) -> list[OrganizationReview]:
    children = Organization.objects.children_of(parent).values("pk")
    return list(
        OrganizationReview.objects.for_user(request.user)
        .filter(round=round, organization__in=children)
        .select_related("organization", "round")
    )


@login_required
def organization_grid(request: HttpRequest, pk: int, org_id: int) -> HttpResponse:
    """The organizations directly under ``org_id``: their Mẫu 01 figures and the proposal
    of the committee above them, a row each, all saved or none."""
    round = _round(request, pk)
    parent = get_object_or_404(Organization.objects.for_user(request.user), pk=org_id)
    reviews = _org_reviews(request, round, parent)
    if not reviews or not services.can_appraise(request.user, reviews[0]):
        raise PermissionDenied(_("Bạn không có quyền đề xuất xếp loại các tổ chức này."))
    errors: dict[int, list[str]] = {}
    if request.method == "POST":
        errors = _save_all(request, reviews, _appraise_organization)
        if not errors:
            messages.success(request, _("Đã lưu đề xuất xếp loại các tổ chức."))
            return redirect("reviews:organization_grid", pk=round.pk, org_id=parent.pk)
    decision = DecisionForm()
    return render(
        request,
        "reviews/organization_grid.html",
        {
            "round": round,
            "parent": parent,
            "reviews": reviews,
            "errors": errors,
            "ratings": Rating.choices,
            "fields": ORG_FIELDS,
            "decision": decision,
            "can_decide": services.can_decide(request.user, reviews[0]),
        },
    )


def _appraise_organization(request: HttpRequest, review: OrganizationReview) -> None:
    post = request.POST
    rating = post.get(f"rating-{review.pk}", "")
    if not rating:
        return
    share = _number(post.get(f"target_share-{review.pk}", ""), Decimal)
    services.review_appraise(
        review=review,
        user=request.user,
        rating=rating,
        note=post.get(f"note-{review.pk}", ""),
        points=_number(post.get(f"points-{review.pk}", ""), Decimal),
        tasks_total=_number(post.get(f"tasks_total-{review.pk}", ""), int) or 0,
        tasks_late=_number(post.get(f"tasks_late-{review.pk}", ""), int) or 0,
        tasks_above=_number(post.get(f"tasks_above-{review.pk}", ""), int) or 0,
        target_share=share / 100 if share is not None else None,
        quota_group=post.get(f"quota_group-{review.pk}", review.quota_group).strip(),
    )


def _save_all(request: HttpRequest, reviews: list[Any], save: Any) -> dict[int, list[str]]:
    """Run ``save(request, review)`` for every review in one transaction, or for none."""
    errors: dict[int, list[str]] = {}
    with transaction.atomic():
        for review in reviews:
            if review.step == Step.DECIDED:
                continue
            try:
                save(request, review)
            except ValidationError as error:
                errors[review.pk] = error.messages
            except (ValueError, ArithmeticError):
                errors[review.pk] = [_("Số không hợp lệ.")]
        if errors:
            transaction.set_rollback(True)
    return errors


@login_required
@require_POST
def organization_decide(request: HttpRequest, pk: int, org_id: int) -> HttpResponse:
    """Decide every proposed organization directly under ``org_id``."""
    round = _round(request, pk)
    parent = get_object_or_404(Organization.objects.for_user(request.user), pk=org_id)
    reviews = [r for r in _org_reviews(request, round, parent) if r.step == Step.APPRAISED]
    if not reviews or not services.can_decide(request.user, reviews[0]):
        raise PermissionDenied(_("Bạn không có quyền quyết định xếp loại các tổ chức này."))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("reviews:organization_grid", pk=round.pk, org_id=parent.pk)
    errors = _decide_all(request, reviews, form.cleaned_data)
    if errors:
        messages.error(request, " ".join(m for ms in errors.values() for m in ms))
    else:
        messages.success(request, _("Đã quyết định xếp loại %(count)s tổ chức.") % {"count": len(reviews)})
    return redirect("reviews:organization_grid", pk=round.pk, org_id=parent.pk)


# ---------------------------------------------------------------------------------------
# Amendment of a decided rating


@login_required
def review_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a decided member rating by a recorded decision (e.g. after a discipline is annulled)."""
    review = _member_review(request, pk)
    if not services.can_decide(request.user, review):
        raise PermissionDenied(_("Bạn không có quyền sửa đổi xếp loại này."))
    form = AmendForm(request.POST or None, initial={"rating": review.rating})
    if request.method == "POST" and form.is_valid():
        try:
            services.review_amend(review=review, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã sửa đổi xếp loại."))
            return redirect("reviews:review_self", pk=review.pk)
    return render(request, "reviews/review_amend.html", {"review": review, "form": form})


# ---------------------------------------------------------------------------------------
# Reading


@login_required
@require_GET
def report(request: HttpRequest, org_id: int, year: int) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.for_user(request.user), pk=org_id)
    data = year_report(organization=organization, year=year)
    if request.GET.get("format") == "xlsx":
        return _report_xlsx(data)
    if request.GET.get("format") == "docx":
        return _document(documents.report_docx(data), DOCX, f"bao-cao-xep-loai-{data.year}.docx")
    streaks = excellent_streaks(organization=organization, year=year)
    history = [*data.earlier, (data.year, data.members, data.bases)]
    trend = {
        "years": [year for year, _m, _b in history],
        "series": [
            {"label": str(label), "data": [getattr(members, name) for _y, members, _b in history]}
            for name, label in (
                ("excellent", Rating.EXCELLENT.label),
                ("good", Rating.GOOD.label),
                ("complete", Rating.COMPLETE.label),
                ("not_complete", Rating.NOT_COMPLETE.label),
            )
        ],
    }
    return render(
        request, "reviews/report.html", {"report": data, "streaks": streaks, "streak_years": STREAK_YEARS, "trend": trend}
    )


def _report_xlsx(data: Any) -> HttpResponse:
    header = [
        _("Đơn vị"),
        _("Đảng viên HTXSNV"),
        _("Đảng viên HTTNV"),
        _("Đảng viên HTNV"),
        _("Đảng viên KHTNV"),
        _("Không xếp loại"),
        _("TCCSĐ HTXSNV"),
        _("TCCSĐ HTTNV"),
        _("TCCSĐ HTNV"),
        _("TCCSĐ KHTNV"),
    ]

    def cells(label: str, members: Any, bases: Any) -> list[Any]:
        ratings = ("excellent", "good", "complete", "not_complete")
        return [label, *(getattr(members, r) for r in ratings), members.not_rated, *(getattr(bases, r) for r in ratings)]

    rows = [cells(r.label, r.members, r.bases) for r in data.by_child]
    m, b = data.members, data.bases
    rows.append(
        [
            _("Tổng cộng"),
            m.excellent,
            m.good,
            m.complete,
            m.not_complete,
            m.not_rated,
            b.excellent,
            b.good,
            b.complete,
            b.not_complete,
        ]
    )
    content = write_xlsx(header, rows, title=_("Kết quả xếp loại chất lượng năm %(year)s") % {"year": data.year})
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="xep-loai-{data.year}.xlsx"'
    return response


@login_required
@require_GET
def my_ratings(request: HttpRequest) -> HttpResponse:
    member = Member.objects.filter(user_id=request.user.pk or 0).first()
    reviews = (
        MemberReview.objects.filter(member=member).select_related("round", "cell").order_by("-round__year")
        if member
        else MemberReview.objects.none()
    )
    return render(request, "reviews/my_ratings.html", {"member": member, "reviews": reviews})


# ---------------------------------------------------------------------------------------
# Printable forms

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _document(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def review_docx(request: HttpRequest, pk: int) -> HttpResponse:
    review = _member_review(request, pk)
    return _document(documents.review_docx(review), DOCX, f"mau-{review.form}-{review.round.year}-{review.member_id}.docx")


@login_required
@require_GET
def review_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    review = _member_review(request, pk)
    return _document(
        documents.review_pdf(review), "application/pdf", f"mau-{review.form}-{review.round.year}-{review.member_id}.pdf"
    )


def _organization_review(request: HttpRequest, pk: int) -> OrganizationReview:
    return get_object_or_404(OrganizationReview.objects.for_user(request.user).select_related("round", "organization"), pk=pk)


@login_required
@require_GET
def organization_review_docx(request: HttpRequest, pk: int) -> HttpResponse:
    review = _organization_review(request, pk)
    return _document(documents.review_docx(review), DOCX, f"mau-01-{review.round.year}-{review.organization.code}.docx")


@login_required
@require_GET
def organization_review_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    review = _organization_review(request, pk)
    return _document(
        documents.review_pdf(review), "application/pdf", f"mau-01-{review.round.year}-{review.organization.code}.pdf"
    )


# ---------------------------------------------------------------------------------------
# Past years' ratings from a spreadsheet


@login_required
def given_import(request: HttpRequest) -> HttpResponse:
    """Upload the ratings of past years (stored as given): every row, or none."""
    organizations = _openable(request.user)
    if not organizations.exists():
        raise PermissionDenied(_("Bạn không có quyền nhập kết quả xếp loại."))
    form = GivenImportForm(request.POST or None, request.FILES or None, organizations=organizations, user=request.user)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = given.ratings_import_given(
                upload, upload.name, organization=form.cleaned_data["organization"], user=request.user
            )
        except ImportRefused as refused:
            errors = refused.result.messages()
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Đã nhập %(count)s kết quả xếp loại.") % {"count": summary.recorded})
            return redirect("reviews:round_list")
    return render(request, "reviews/given_import.html", {"form": form, "errors": errors})


@login_required
@require_GET
def cell_grid_template(request: HttpRequest, pk: int, cell_id: int) -> HttpResponse:
    """The cell's sheet to fill in offline."""
    round, cell, reviews = _grid_reviews(request, pk, cell_id)
    content = grid_import.grid_template(reviews)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="ket-qua-{round.year}-{cell.code}.xlsx"'
    return response


@login_required
@require_POST
def cell_grid_import(request: HttpRequest, pk: int, cell_id: int) -> HttpResponse:
    """The cell's sheet filled in: every row saved, or none, with each problem named."""
    round, cell, reviews = _grid_reviews(request, pk, cell_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Hãy chọn tệp Excel."))
        return redirect("reviews:cell_grid", pk=round.pk, cell_id=cell.pk)
    try:
        saved = grid_import.grid_import(upload, upload.name or "", reviews=reviews, user=request.user)
    except ImportRefused as refused:
        for line in refused.result.messages():
            messages.error(request, line)
    else:
        messages.success(request, _("Đã nhập kết quả của %(count)s đảng viên.") % {"count": saved})
    return redirect("reviews:cell_grid", pk=round.pk, cell_id=cell.pk)


@login_required
@require_POST
def review_add_post(request: HttpRequest, pk: int) -> HttpResponse:
    """Another review of the same member for another post they hold."""
    review = _member_review(request, pk)
    try:
        services.review_add_post(review=review, post=request.POST.get("post", ""), user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã thêm bản đánh giá theo cương vị."))
    return redirect("reviews:cell_grid", pk=review.round_id, cell_id=review.cell_id)
