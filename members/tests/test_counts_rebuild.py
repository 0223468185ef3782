"""The set-based rebuild of the kept member counts (``members.counts.rebuild``, one SQL
statement for the deltas and one for the snapshots) writes exactly the rows the
member-by-member rule (``members.counts.contributions``, which every writer keeps them with)
sums to, on the edges the SQL spells out itself: a birthday on 29/02 (the band changes on
01/03 in a common year), a cell left and joined again, overlapping permanent rows under one
province (counted once), several status rows on one day (the latest recorded rules), a member
without a cell, an admission before the first kept day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from members import counts
from members.models import CellMembership, MemberCountDelta, MemberCountSnapshot, Status, StatusChange
from members.models import MembershipKind as Kind
from members.testing import add_member


def _python_rows(kept):
    total: Counter = Counter()
    for facts, versions in counts.load_facts(None):
        for f in facts:
            counts.contributions(f, versions, kept.start, kept.horizon, total, kept.depth_list)
    deltas = {k: v for k, v in total.items() if v}
    steps: dict = {}
    for (path, day, dim, key), v in deltas.items():
        steps.setdefault((path, dim, key), Counter())[counts._next_period(day)] += v
    snaps = {}
    for (path, dim, key), by in steps.items():
        running, month = 0, min(by)
        while month <= counts._next_period(kept.horizon):
            running += by.get(month, 0)
            if running:
                snaps[(path, month, dim, key)] = running
            month = counts._next_period(month)
    return deltas, snaps


@pytest.mark.parametrize("depths", [(1,), (1, 2)])
def test_rebuild_writes_the_rows_of_the_member_by_member_rule(tree, depths):
    add_member(tree.office_cell, given_name="Nhuận", birth_date=dt.date(1992, 2, 29), admitted_on=dt.date(2014, 5, 2))
    back = add_member(tree.budget_cell, given_name="Về", birth_date=dt.date(1979, 12, 31), admitted_on=dt.date(2008, 6, 1))
    CellMembership.objects.filter(member=back).update(ended_on=dt.date(2016, 4, 1))
    CellMembership.objects.create(member=back, organization=tree.newspaper, kind=Kind.PERMANENT, started_on=dt.date(2018, 9, 1))
    twice = add_member(tree.office_cell, given_name="Chồng", birth_date=dt.date(1960, 3, 1), admitted_on=dt.date(2012, 1, 9))
    CellMembership.objects.create(
        member=twice,
        organization=tree.budget_cell,
        kind=Kind.PERMANENT,
        started_on=dt.date(2015, 1, 1),
        ended_on=dt.date(2019, 1, 1),
    )
    CellMembership.objects.create(member=twice, organization=tree.newspaper, kind=Kind.TEMPORARY, started_on=dt.date(2016, 1, 1))
    StatusChange.objects.create(member=twice, status=Status.SUSPENDED, effective_on=dt.date(2020, 7, 1))
    StatusChange.objects.create(member=twice, status=Status.FULL, effective_on=dt.date(2020, 7, 1))
    homeless = add_member(tree.office_cell, given_name="Chưa", birth_date=dt.date(1996, 2, 29), admitted_on=dt.date(2021, 3, 3))
    CellMembership.objects.filter(member=homeless).delete()

    kept = counts.rebuild(start=dt.date(2010, 1, 1), today=dt.date(2026, 1, 1), depths=depths)
    assert kept.depth_list == depths
    deltas = {(r.path, r.day, r.dimension, r.key): r.change for r in MemberCountDelta.objects.all()}
    snaps = {(r.path, r.month, r.dimension, r.key): r.count for r in MemberCountSnapshot.objects.all()}
    want_deltas, want_snaps = _python_rows(kept)
    assert deltas == want_deltas
    assert snaps == want_snaps
    # The 29/02 birthday: out of the youth on 01/03/2023 (31 in a common year).
    assert deltas[("", dt.date(2023, 3, 1), "youth", "1")] <= -1
    # Kept for the whole register and the organizations at the kept depths, no others.
    assert {len(path) for path, _day, _dim, _key in deltas} == {0, *(counts.STEPLEN * d for d in depths)}
