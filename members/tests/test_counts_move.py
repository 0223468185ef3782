"""A subtree moved to another province moves its members' kept counts from the move's date
(orgs' move followers, members.handlers.follow_moved_subtree): the kept counts of both
provinces equal a recount before and after the date, and the kept rows equal a rebuild."""

from __future__ import annotations

import datetime as dt

import pytest

from members import counts
from members.models import KeptRange, Member, MemberCountDelta, MemberCountSnapshot
from members.selectors import member_statistics_recount, statistics_from_counts
from members.testing import add_member
from orgs.services import NewOrgSpec, organization_found, organization_move

pytestmark = pytest.mark.django_db

MOVED_ON = dt.date(2020, 6, 1)


def _kept_rows():
    deltas = {(r.path, r.day, r.dimension, r.key): r.change for r in MemberCountDelta.objects.all() if r.change}
    snaps = {(r.path, r.month, r.dimension, r.key): r.count for r in MemberCountSnapshot.objects.all() if r.count}
    return deltas, snaps


def test_a_base_committee_moved_to_another_province_takes_its_members_counts_from_that_day(tree):
    def found(parent, code, name, kind):
        spec = NewOrgSpec(code=code, name=name, kind=tree.kinds[kind])
        return organization_found(parent=parent, spec=spec, effective_on=dt.date(2012, 3, 1)).organization

    other = found(None, "tinh-hd", "Tỉnh ủy Hải Dương", "tinh")
    bloc = found(other, "khoi-hd", "Đảng bộ Khối các cơ quan tỉnh Hải Dương", "khoi")
    if counts.kept_range() is None:  # emptied by a transactional test earlier in the session
        counts.rebuild()
    for i, (cell, name) in enumerate([(tree.office_cell, "Hoa"), (tree.budget_cell, "Lan"), (tree.newspaper, "Mai")]):
        add_member(cell, given_name=name, birth_date=dt.date(1980 + i, 1, 1), admitted_on=dt.date(2015, 1, 1))

    organization_move(organization=tree.finance, new_parent=bloc, effective_on=MOVED_ON)

    for on in (dt.date(2019, 12, 31), MOVED_ON - dt.timedelta(days=1), MOVED_ON, dt.date(2021, 1, 1)):
        for province in (tree.province, other):
            kept = counts.counts_on(province, on)
            recount = member_statistics_recount(Member.objects.all(), on=on, organization=province)
            assert statistics_from_counts(kept, on=on) == recount, (province.name, on)
    before = counts.counts_on(other, MOVED_ON - dt.timedelta(days=1))
    after = counts.counts_on(other, MOVED_ON)
    assert statistics_from_counts(before, on=MOVED_ON).total == 0
    assert statistics_from_counts(after, on=MOVED_ON).total == 2  # the two cells of Sở Tài chính
    kept = KeptRange.objects.get()
    maintained = _kept_rows()
    counts.rebuild(start=kept.start, today=dt.date(kept.horizon.year - 1, 1, 1))
    assert _kept_rows() == maintained


def test_an_import_written_in_batches_keeps_the_counts_once_for_the_whole_file(cast, monkeypatch):
    from members import importing
    from members.tests.import_files import person, xlsx

    if counts.kept_range() is None:
        counts.rebuild()
    monkeypatch.setattr(importing, "BATCH", 2)  # five batches of new rows, one of updates
    rows = [person(n, cell="cb-van-phong" if n % 2 else "cb-ngan-sach") for n in range(1, 10)]
    importing.members_import(parsed=importing.members_parse(xlsx(rows), "ds.xlsx", user=cast.upper), user=cast.upper)
    changed = [person(n, **{"Ngày sinh": dt.date(1980, 5, 5), "Giới tính": "Nam"}) for n in (1, 3)]
    importing.members_import(parsed=importing.members_parse(xlsx(changed), "ds.xlsx", user=cast.upper), user=cast.upper)

    for on in (dt.date(2012, 6, 1), dt.date(2021, 1, 1), dt.date.today()):
        kept = counts.counts_on(cast.tree.province, on)
        recount = member_statistics_recount(Member.objects.all(), on=on, organization=cast.tree.province)
        assert statistics_from_counts(kept, on=on) == recount, on
    assert statistics_from_counts(counts.counts_on(cast.tree.province, dt.date.today()), on=dt.date.today()).total == 9
    kept_range = KeptRange.objects.get()
    maintained = _kept_rows()
    counts.rebuild(start=kept_range.start, today=dt.date(kept_range.horizon.year - 1, 1, 1))
    assert _kept_rows() == maintained


def test_with_the_level_below_kept_a_move_between_two_blocs_of_a_province_moves_their_counts(tree):
    # A national deployment keeps depths 1 and 2 (members.counts): here the blocs at depth 2.
    spec = NewOrgSpec(code="khoi-moi", name="Đảng bộ Khối mới của tỉnh", kind=tree.kinds["khoi"])
    second = organization_found(parent=tree.province, spec=spec, effective_on=tree.province.founded_on).organization
    counts.rebuild(depths=(1, 2))
    for i, (cell, name) in enumerate([(tree.office_cell, "Hoa"), (tree.budget_cell, "Lan"), (tree.newspaper, "Mai")]):
        add_member(cell, given_name=name, birth_date=dt.date(1980 + i, 1, 1), admitted_on=dt.date(2015, 1, 1))

    organization_move(organization=tree.finance, new_parent=second, effective_on=MOVED_ON)

    for on in (dt.date(2019, 12, 31), MOVED_ON - dt.timedelta(days=1), MOVED_ON, dt.date(2021, 1, 1)):
        for organization in (tree.province, tree.bloc, second):
            kept = counts.counts_on(organization, on)
            assert kept is not None, organization.name
            recount = member_statistics_recount(Member.objects.all(), on=on, organization=organization)
            assert statistics_from_counts(kept, on=on) == recount, (organization.name, on)
    assert statistics_from_counts(counts.counts_on(second, MOVED_ON - dt.timedelta(days=1)), on=MOVED_ON).total == 0
    assert statistics_from_counts(counts.counts_on(second, MOVED_ON), on=MOVED_ON).total == 2  # Sở Tài chính's two cells
    kept = KeptRange.objects.get()
    maintained = _kept_rows()
    counts.rebuild(start=kept.start, today=dt.date(kept.horizon.year - 1, 1, 1))  # keeps the stored depths
    assert KeptRange.objects.get().depth_list == (1, 2)
    assert _kept_rows() == maintained
