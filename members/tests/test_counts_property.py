"""The kept member counts (members.counts) equal a recount of the raw rows, after random
changes dated back and forward: records created (admissions back to before the first
snapshot), statuses changed, transfers between cells of two provinces, corrections of the
record, transfers out and back in.

Each example runs inside a transaction that is rolled back. The oracle is the raw recount
the page used before the counts were kept (``member_statistics_recount``, and the
admissions counted from the member rows), and a rebuild of every kept row from scratch.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from members import counts, rules
from members.models import Ethnicity, KeptRange, Member, MemberCountDelta, MemberCountSnapshot, Religion, Status
from members.selectors import changes_in_period, member_statistics_recount, members_admitted_between, statistics_from_counts
from members.services import (
    TRANSITIONS,
    member_change_status,
    member_transfer_in,
    member_transfer_out,
    member_transfer_within,
    member_update,
)
from members.testing import add_member, spelled
from orgs.models import Organization
from orgs.services import NewOrgSpec, organization_found

TODAY = dt.date.today()
FIRST = dt.date(2008, 1, 1)

PROPERTY_SETTINGS = settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

days = st.integers(0, (TODAY - FIRST).days).map(lambda n: FIRST + dt.timedelta(days=n))
asked_days = st.integers(0, (dt.date(2027, 12, 31) - dt.date(2009, 6, 1)).days).map(
    lambda n: dt.date(2009, 6, 1) + dt.timedelta(days=n)
)
steps = st.lists(
    st.tuples(
        st.sampled_from(["create", "create", "status", "status", "transfer", "update", "out_and_back"]),
        st.integers(0, 1000),
        st.integers(0, 1000),
        days,
    ),
    min_size=3,
    max_size=14,
)


@pytest.fixture(params=[(1,), (1, 2)], ids=["kept-provinces", "kept-provinces-and-blocs"])
def cells(tree, request):
    """The small tree's three cells in one province, and a cell of a second province; the
    counts kept for the provinces, or (a national deployment's choice) for the level below too."""
    kinds = tree.kinds

    def found(parent, code, name, kind):
        spec = NewOrgSpec(code=code, name=name, kind=kinds[kind])
        return organization_found(parent=parent, spec=spec, effective_on=dt.date(2012, 3, 1)).organization

    other = found(None, "tinh-hd", "Tỉnh ủy Hải Dương", "tinh")
    bloc = found(other, "khoi-hd", "Đảng bộ Khối các cơ quan tỉnh Hải Dương", "khoi")
    cell = found(bloc, "cb-hd", "Chi bộ Sở Nội vụ", "chi-bo-co-so")
    counts.rebuild(depths=request.param)  # rolled back with the test
    return SimpleNamespace(
        provinces=[tree.province, other],
        committees=[tree.province, other, *Organization.objects.filter(depth=2).order_by("path")],
        all=[tree.office_cell, tree.budget_cell, tree.newspaper, cell],
    )


def _apply(step, cells, members, lists) -> None:
    kind, a, b, day = step
    if kind == "create" or not members:
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=a * 17)
        admitted = max(day, rules.add_months(birth, 12 * 19))
        if admitted > TODAY:
            return
        full = rules.add_months(admitted, 12) if b % 3 else None
        member = add_member(
            cells.all[b % len(cells.all)],
            given_name="Hoa" if a % 2 else "Minh",
            family_name=f"Nguyễn {spelled(len(members))}",
            sex="F" if a % 2 else "M",
            birth_date=birth,
            admitted_on=admitted,
            full_member_on=full if full is None or full <= TODAY else None,
            ethnicity=lists["ethnicity"][a % len(lists["ethnicity"])],
            religion=lists["religion"][b % len(lists["religion"])],
        )
        members.append(member.pk)
        return
    member = Member.objects.get(pk=members[a % len(members)])
    if kind == "status":
        targets = sorted(TRANSITIONS[Status(member.status)] - {Status.FULL} or {Status.FULL})
        if member.status == Status.PROBATIONARY:
            targets = [Status.FULL, *targets]
        member_change_status(member=member, status=targets[b % len(targets)], effective_on=day)
    elif kind == "transfer":
        others = [c for c in cells.all if c.pk != member.organization_id]
        member_transfer_within(member=member, to_organization=others[b % len(others)], letter_on=day, presented_on=day)
    elif kind == "update":
        member_update(member=member, birth_date=member.birth_date - dt.timedelta(days=b * 11), sex="M" if b % 2 else "F")
    elif kind == "out_and_back":
        member_transfer_out(member=member, destination="Đảng bộ tỉnh Nam Định", letter_no="G-1", letter_on=day)
        back = min(day + dt.timedelta(days=b * 3), TODAY)
        member_transfer_in(
            member=member,
            to_organization=cells.all[b % len(cells.all)],
            origin="Đảng bộ tỉnh Nam Định",
            letter_no="G-2",
            letter_on=back,
            presented_on=back,
        )


def _admissions_recount(organization, start, end) -> tuple[int, int]:
    qs = members_admitted_between(Member.objects.all(), start=start, end=end, organization=organization)
    pairs = list(qs.values_list("birth_date", "admitted_on"))
    return len(pairs), sum(rules.is_youth(born, on) for born, on in pairs)


def _kept_rows():
    deltas = {(r.path, r.day, r.dimension, r.key): r.change for r in MemberCountDelta.objects.all() if r.change}
    snaps = {(r.path, r.month, r.dimension, r.key): r.count for r in MemberCountSnapshot.objects.all() if r.count}
    return deltas, snaps


@PROPERTY_SETTINGS
@given(plan=steps, asked=st.lists(asked_days, min_size=2, max_size=5))
def test_kept_counts_equal_a_recount_after_random_changes(cells, plan, asked):
    lists = {
        "ethnicity": [None, *Ethnicity.objects.order_by("sort_order")[:2]],
        "religion": [None, *Religion.objects.order_by("sort_order")[:2]],
    }
    with transaction.atomic():
        members: list[int] = []
        for step in plan:
            try:
                with transaction.atomic():
                    _apply(step, cells, members, lists)
                event(f"{step[0]} written")
            except ValidationError:
                event(f"{step[0]} refused")
        depths = counts.kept_range().depth_list
        for on in asked:
            for organization in [None, *cells.committees]:
                kept = counts.counts_on(organization, on)
                if kept is None:
                    assert on < counts.kept_range().start or organization.depth not in depths
                    continue
                recount = member_statistics_recount(Member.objects.all(), on=on, organization=organization)
                assert statistics_from_counts(kept, on=on) == recount, (organization, on)
        start, end = sorted(asked[:2])
        for organization in [None, *cells.committees]:
            kept_admissions = counts.admissions_between(organization, start, end)
            if kept_admissions is not None:
                assert kept_admissions == _admissions_recount(organization, start, end), (organization, start, end)
            kept_changes = counts.changes_between(organization, start, end)
            if kept_changes is not None:
                # A filter that keeps every member makes changes_in_period recount the raw rows.
                raw = changes_in_period(Member.objects.filter(pk__isnull=False), start=start, end=end, organization=organization)
                recounted = {"full": raw.made_full, "deceased": raw.deceased, "removed": raw.removed, "expelled": raw.expelled}
                assert kept_changes == recounted, (organization, start, end)
        # Kept through every change, the rows are those a rebuild writes from scratch.
        kept = KeptRange.objects.get()
        maintained = _kept_rows()
        counts.rebuild(start=kept.start, today=dt.date(kept.horizon.year - 1, 1, 1))
        assert _kept_rows() == maintained
        transaction.set_rollback(True)
