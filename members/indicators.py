"""The member register's indicators (``lib.indicators``): admissions, youth among them,
members in the party at a date, admissions as a share of the members at the term start."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from lib.indicators import Group, Indicator, Kind, Measure, register
from members import counts, rules
from members.models import Member, Sex
from members.selectors import members_admitted_between, members_in_party_on
from orgs.models import Organization


def _visible(user: Any):
    return Member.objects.for_user(user) if user is not None else Member.objects.all()


def _admitted(organization: Organization, start: dt.date, end: dt.date):
    """Members admitted from ``start`` to ``end`` (both included) into a cell of the subtree as
    the tree stood on the day (``members.selectors.members_admitted_between``)."""
    return members_admitted_between(Member.objects.all(), start=start, end=end, organization=organization)


# The codes of the reference lists (members/migrations/0002_load_lists.py): "01" is Kinh in
# the Danh mục các dân tộc Việt Nam (Tổng cục Thống kê); "khong" is "no religion".
KINH = "01"
NO_RELIGION = "khong"

YOUTH, WOMEN, ETHNIC_MINORITY, RELIGIOUS = "youth", "women", "ethnic_minority", "religious"
ADMITTED_GROUPS = (
    Group(YOUTH, _("trong độ tuổi thanh niên"), _("%(n)s đảng viên trong độ tuổi thanh niên")),
    Group(WOMEN, _("nữ"), _("%(n)s đảng viên nữ")),
    Group(ETHNIC_MINORITY, _("người dân tộc thiểu số"), _("%(n)s đảng viên là người dân tộc thiểu số")),
    Group(RELIGIOUS, _("người có đạo"), _("%(n)s đảng viên là người có đạo")),
)


def _of_group(qs, group: str):
    """``qs`` narrowed to ``group`` (youth is decided per member below: it needs each member's day)."""
    if group == WOMEN:
        return qs.filter(sex=Sex.FEMALE)
    if group == ETHNIC_MINORITY:
        return qs.filter(ethnicity__isnull=False).exclude(ethnicity__code=KINH)
    if group == RELIGIOUS:
        return qs.filter(religion__isnull=False).exclude(religion__code=NO_RELIGION)
    if group in ("", YOUTH):
        return qs
    raise ValueError(f"unknown group {group!r}")


def in_party_count(organization: Organization | None, on: dt.date) -> int:
    """Members in the party on ``on`` in ``organization``'s subtree as it stood then: the kept
    counts the statistics page reads (``members.counts.counts_on``), else a recount."""
    kept = counts.counts_on(organization, on, ("status",))
    if kept is not None:
        return sum(kept["status"].values())
    return members_in_party_on(Member.objects.all(), on=on, organization=organization).count()


def admissions(organization: Organization, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(admitted, of them youth on the day) from ``start`` to ``end``, into a cell of the
    subtree as it stood then: the kept counts (``members.counts.admissions_between``), else a recount."""
    kept = counts.admissions_between(organization, start, end)
    if kept is not None:
        return kept
    pairs = _admitted(organization, start, end).values_list("birth_date", "admitted_on")
    youth = total = 0
    for born, admitted_on in pairs:
        total += 1
        youth += rules.is_youth(born, admitted_on)
    return total, youth


def admitted(organization: Organization, start: dt.date, end: dt.date, user: Any, group: str = "") -> Measure:
    """Admitted from ``start`` to ``end``; with ``group``, only those of it ("trong đó")."""
    if group == YOUTH:
        return admitted_youth(organization, start, end, user)

    def rows():  # built only when asked: the kept counts answer the number
        return _of_group(_admitted(organization, start, end), group)

    count = admissions(organization, start, end)[0] if group == "" else rows().count()
    return Measure(count, None, lambda: rows().filter(pk__in=_visible(user)).order_by("admitted_on", "sort_key"))


def admitted_youth(organization: Organization, start: dt.date, end: dt.date, user: Any) -> Measure:
    """Of the admitted, those 30 or younger on the day they were admitted (``rules.is_youth``)."""

    def rows():
        pairs = _admitted(organization, start, end).values_list("pk", "birth_date", "admitted_on")
        ids = [pk for pk, born, admitted_on in pairs if rules.is_youth(born, admitted_on)]
        return _visible(user).filter(pk__in=ids).order_by("admitted_on", "sort_key")

    return Measure(admissions(organization, start, end)[1], None, rows)


def in_party_at(organization: Organization, start: dt.date, end: dt.date, user: Any) -> Measure:
    """Members in the party on ``end`` (by the status history), in the subtree as it stood then."""

    def rows():
        qs = members_in_party_on(Member.objects.all(), on=end, organization=organization)
        return qs.filter(pk__in=_visible(user)).order_by("sort_key")

    return Measure(in_party_count(organization, end), None, rows)


def admitted_share_of_start(organization: Organization, start: dt.date, end: dt.date, user: Any) -> Measure:
    """Admitted from ``start`` to ``end`` over the members in the party on ``start`` (seed 003: ≥ 3%)."""
    return Measure(
        admissions(organization, start, end)[0],
        in_party_count(organization, start),
        lambda: _admitted(organization, start, end).filter(pk__in=_visible(user)).order_by("admitted_on", "sort_key"),
    )


def register_indicators() -> None:
    register(
        Indicator(
            "members.admitted",
            _("Số đảng viên được kết nạp"),
            Kind.COUNT,
            admitted,
            _("kết nạp %(n)s đảng viên"),
            groups=ADMITTED_GROUPS,
        )
    )
    register(
        Indicator(
            "members.admitted_youth",
            _("Số đảng viên kết nạp trong độ tuổi thanh niên"),
            Kind.COUNT,
            admitted_youth,
            _("%(n)s đảng viên trong độ tuổi thanh niên"),
        )
    )
    register(Indicator("members.in_party", _("Số đảng viên tại ngày tính"), Kind.COUNT, in_party_at, _("có %(n)s đảng viên")))
    register(
        Indicator(
            "members.admitted_share",
            _("Tỷ lệ kết nạp so với tổng số đảng viên đầu nhiệm kỳ"),
            Kind.RATE,
            admitted_share_of_start,
        )
    )
