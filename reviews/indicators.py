"""The annual review's indicators (``lib.indicators``), read from the kept tallies of the
year of the period's end, over the subtree as it stood on 31/12 of that year.

The ratings of organizations apply a target's scope: only the base organizations (their
tallies' subject "base"), only the attached cells and partial committees ("cell"), or both
(the whole subtree). Seed 003 counts "the cells and committees" together; seed 000 counts
base organizations apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from lib.indicators import Indicator, Kind, Measure, Scope, register
from orgs.models import Organization
from orgs.scope import subtree_q
from reviews.models import MemberReview, OrganizationReview, Step, Subject
from reviews.regimes.base import Rating
from reviews.selectors import Counts, path_on, subtree_tallies

GOOD_OR_BETTER = [Rating.EXCELLENT, Rating.GOOD]


SCOPE_SUBJECTS = {
    Scope.SUBTREE: (Subject.BASE, Subject.CELL),
    Scope.BASE_ONLY: (Subject.BASE,),
    Scope.CELLS_ONLY: (Subject.CELL,),
}


def _rows(subject: str, organization: Organization, year: int, ratings: Sequence[str], user: Any) -> Callable[[], Any]:
    def rows() -> Any:
        path = path_on(organization, dt.date(year, 12, 31))
        if subject == Subject.MEMBER:
            qs = MemberReview.objects.filter(
                subtree_q(path, "cell_path"), round__year=year, post="", step=Step.DECIDED, rating__in=ratings
            )
            qs = qs.for_user(user) if user is not None else qs
            return qs.select_related("member", "cell").order_by("cell_path", "member__sort_key")
        orgs = OrganizationReview.objects.filter(subtree_q(path), round__year=year, step=Step.DECIDED, rating__in=ratings)
        if subject in (Subject.BASE, Subject.CELL):
            orgs = orgs.filter(is_base=subject == Subject.BASE)
        orgs = orgs.for_user(user) if user is not None else orgs
        return orgs.select_related("organization").order_by("path")

    return rows


def _rate(subject: str, numerator: Callable[[Counts], int], denominator: Callable[[Counts], int], ratings: Sequence[str]):
    def measure(organization: Organization, start: dt.date, end: dt.date, user: Any, scope: str = Scope.SUBTREE) -> Measure:
        # A fixed subject (members, base organizations, cells) has one meaning whatever the
        # scope it accepts (``SUBJECT_SCOPES``).
        counts = subtree_tallies(organization=organization, year=end.year, subjects=(subject,))[subject]
        return Measure(numerator(counts), denominator(counts), _rows(subject, organization, end.year, ratings, user))

    return measure


ORGANIZATIONS = "organizations"  # base organizations and cells, as the target's scope says


def _organizations_rate(numerator: Callable[[Counts], int], denominator: Callable[[Counts], int], ratings: Sequence[str]):
    def measure(organization: Organization, start: dt.date, end: dt.date, user: Any, scope: str = Scope.SUBTREE) -> Measure:
        subjects = SCOPE_SUBJECTS[Scope(scope)]
        counts = Counts()
        for part in subtree_tallies(organization=organization, year=end.year, subjects=subjects).values():
            counts.add(part)
        rows = _rows(subjects[0] if len(subjects) == 1 else ORGANIZATIONS, organization, end.year, ratings, user)
        return Measure(numerator(counts), denominator(counts), rows)

    return measure


# The scopes an indicator of a fixed subject accepts: they all mean that subject.
SUBJECT_SCOPES = {
    Subject.MEMBER: (Scope.SUBTREE,),
    Subject.BASE: (Scope.SUBTREE, Scope.BASE_ONLY),
    Subject.CELL: (Scope.SUBTREE, Scope.CELLS_ONLY),
}


def _good(c: Counts) -> int:
    return c.good_or_better


def _excellent(c: Counts) -> int:
    return c.excellent


def _rated(c: Counts) -> int:
    return c.rated


def register_indicators() -> None:
    specs = [
        (
            "reviews.members_good",
            _("Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên"),
            Subject.MEMBER,
            _good,
            _rated,
            GOOD_OR_BETTER,
        ),
        (
            "reviews.members_excellent",
            _("Tỷ lệ đảng viên hoàn thành xuất sắc nhiệm vụ"),
            Subject.MEMBER,
            _excellent,
            _rated,
            [Rating.EXCELLENT],
        ),
        (
            "reviews.members_excellent_of_good",
            _("Tỷ lệ đảng viên hoàn thành xuất sắc trong số hoàn thành tốt trở lên"),
            Subject.MEMBER,
            _excellent,
            _good,
            [Rating.EXCELLENT],
        ),
        (
            "reviews.bases_good",
            _("Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên"),
            Subject.BASE,
            _good,
            _rated,
            GOOD_OR_BETTER,
        ),
        (
            "reviews.bases_excellent",
            _("Tỷ lệ tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ"),
            Subject.BASE,
            _excellent,
            _rated,
            [Rating.EXCELLENT],
        ),
        ("reviews.cells_good", _("Tỷ lệ chi bộ hoàn thành tốt nhiệm vụ trở lên"), Subject.CELL, _good, _rated, GOOD_OR_BETTER),
    ]
    for code, name, subject, numerator, denominator, ratings in specs:
        register(
            Indicator(code, name, Kind.RATE, _rate(subject, numerator, denominator, ratings), scopes=SUBJECT_SCOPES[subject])
        )
    every_scope = (Scope.SUBTREE, Scope.BASE_ONLY, Scope.CELLS_ONLY)
    register(
        Indicator(
            "reviews.organizations_good",
            _("Tỷ lệ tổ chức đảng hoàn thành tốt nhiệm vụ trở lên (theo phạm vi của chỉ tiêu)"),
            Kind.RATE,
            _organizations_rate(_good, _rated, GOOD_OR_BETTER),
            scopes=every_scope,
        )
    )
    register(
        Indicator(
            "reviews.organizations_excellent",
            _("Tỷ lệ tổ chức đảng hoàn thành xuất sắc nhiệm vụ (theo phạm vi của chỉ tiêu)"),
            Kind.RATE,
            _organizations_rate(_excellent, _rated, [Rating.EXCELLENT]),
            scopes=every_scope,
        )
    )
