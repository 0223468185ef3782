"""The page of possible duplicates, a pair's comparison, its merge and dismissal, and the
warning of the add form (members.views_duplicates, members.forms.MemberCreateForm)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from members.models import DuplicateDismissal, Member, MemberMerge
from members.testing import add_member

BORN = dt.date(1980, 2, 1)
LIST = reverse("members:duplicate_list")


def twins(org, family="Nguyễn", middle="Văn", given="Đức", born=BORN, **kwargs):
    """The same person recorded twice in ``org``: once with diacritics, once in capitals without."""
    from lib.text import fold

    first = add_member(org, family_name=family, middle_name=middle, given_name=given, birth_date=born, **kwargs)
    second = add_member(
        org,
        family_name=fold(family).upper(),
        middle_name=fold(middle).upper(),
        given_name=fold(given).upper(),
        birth_date=born,
        **kwargs,
    )
    return first, second


@pytest.fixture
def pairs(cast):
    """A pair in each part of the tree, and one across the finance committee's two cells."""
    tree = cast.tree
    office = twins(tree.office_cell)
    budget = twins(tree.budget_cell, family="Trần", middle="Thị", given="Hoa", born=dt.date(1985, 9, 2))
    across = (
        add_member(tree.office_cell, family_name="Lê", middle_name="Văn", given_name="Nam", birth_date=dt.date(1975, 6, 7)),
        add_member(tree.budget_cell, family_name="LE", middle_name="VAN", given_name="NAM", birth_date=dt.date(1975, 6, 7)),
    )
    newspaper = twins(tree.newspaper, family="Phạm", middle="Thị", given="Lan", born=dt.date(1990, 3, 8))
    return SimpleNamespace(office=office, budget=budget, across=across, newspaper=newspaper)


def listed(response):
    return {(p.first.pk, p.second.pk) for p in response.context["pairs"]}


def ids(pair):
    return (pair[0].pk, pair[1].pk)


# --- the page per role --------------------------------------------------------------------


def test_a_cell_secretary_sees_the_pairs_of_their_cell_only(client, cast, pairs):
    client.force_login(cast.cell)
    response = client.get(LIST)
    assert response.status_code == 200
    assert listed(response) == {ids(pairs.office)}
    assert "NGUYEN VAN DUC" in response.content.decode()


def test_a_base_secretary_sees_the_pairs_of_their_committee_also_across_cells(client, cast, pairs):
    client.force_login(cast.base)
    assert listed(client.get(LIST)) == {ids(pairs.office), ids(pairs.budget), ids(pairs.across)}


def test_a_bloc_official_sees_the_pairs_of_the_bloc(client, cast, pairs):
    client.force_login(cast.upper)
    assert listed(client.get(LIST)) == {ids(pairs.office), ids(pairs.budget), ids(pairs.across), ids(pairs.newspaper)}


def test_an_outsider_sees_none_of_the_bloc(client, cast, pairs):
    client.force_login(cast.outsider)
    assert listed(client.get(LIST)) == set()


@pytest.mark.parametrize("who", ["member", "viewer"])
def test_a_plain_member_and_a_viewer_are_refused(client, cast, pairs, who):
    client.force_login(getattr(cast, who))
    assert client.get(LIST).status_code == 403


def test_the_comparison_is_404_outside_the_scope_and_403_for_a_reader(client, cast, pairs):
    budget = reverse("members:duplicate_compare", args=ids(pairs.budget))
    office = reverse("members:duplicate_compare", args=ids(pairs.office))
    client.force_login(cast.cell)
    assert client.get(budget).status_code == 404
    client.force_login(cast.member)  # reads their own record only
    assert client.get(office).status_code == 404
    client.force_login(cast.viewer)  # reads the bloc, keeps no register
    assert client.get(office).status_code == 403


def test_the_comparison_shows_both_records_side_by_side_with_why_they_match(client, cast, pairs):
    client.force_login(cast.cell)
    response = client.get(reverse("members:duplicate_compare", args=ids(pairs.office)))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nguyễn Văn Đức" in page and "NGUYEN VAN DUC" in page
    assert "rất có thể" in page and "01/02/1980" in page
    assert 'data-testid="merge-form"' in page


# --- merge and dismissal ------------------------------------------------------------------


def test_merging_from_the_page_keeps_one_record_and_says_who_and_why(client, cast, pairs):
    keep, drop = pairs.office
    client.force_login(cast.cell)
    url = reverse("members:duplicate_merge", args=[keep.pk, drop.pk])
    response = client.post(url, {"keep": keep.pk, "reason": "Nhập hai lần từ hai tệp"})
    assert response.status_code == 302
    assert response["Location"] == reverse("members:member_detail", args=[keep.pk])
    assert not Member.objects.filter(pk=drop.pk).exists()
    merge = MemberMerge.objects.get()
    assert (merge.merged_by, merge.reason) == (cast.cell, "Nhập hai lần từ hai tệp")
    detail = client.get(response["Location"]).content.decode()
    assert "Lý do: Nhập hai lần từ hai tệp" in detail
    assert f"Hồ sơ đã gộp vào hồ sơ này: NGUYEN VAN DUC (mã {drop.pk})" in detail
    assert listed(client.get(LIST)) == set()


def test_a_merge_without_a_reason_is_refused_and_keeps_both(client, cast, pairs):
    keep, drop = pairs.office
    client.force_login(cast.cell)
    response = client.post(reverse("members:duplicate_merge", args=[keep.pk, drop.pk]), {"keep": keep.pk, "reason": ""})
    assert response.status_code == 400
    assert Member.objects.filter(pk__in=[keep.pk, drop.pk]).count() == 2


def test_merging_across_two_cells_needs_the_register_of_both(client, cast, pairs):
    a, b = pairs.across
    client.force_login(cast.cell)  # reads the office cell's record only
    assert client.post(reverse("members:duplicate_merge", args=[a.pk, b.pk]), {"keep": a.pk, "reason": "x"}).status_code == 404
    client.force_login(cast.viewer)
    assert client.post(reverse("members:duplicate_merge", args=[a.pk, b.pk]), {"keep": a.pk, "reason": "x"}).status_code == 403
    client.force_login(cast.base)
    response = client.post(reverse("members:duplicate_merge", args=[a.pk, b.pk]), {"keep": b.pk, "reason": "Trùng"})
    assert response.status_code == 302
    assert not Member.objects.filter(pk=a.pk).exists()


def test_a_pair_said_to_be_two_people_leaves_the_page(client, cast, pairs):
    a, b = pairs.office
    client.force_login(cast.cell)
    response = client.post(reverse("members:duplicate_dismiss", args=[b.pk, a.pk]), {"reason": "Hai người khác nhau"})
    assert response.status_code == 302
    assert DuplicateDismissal.objects.filter(first=a, second=b, dismissed_by=cast.cell).exists()
    assert listed(client.get(LIST)) == set()
    client.force_login(cast.base)
    assert ids(pairs.office) not in listed(client.get(LIST))


# --- the add form -------------------------------------------------------------------------


def new_member(cast, **extra):
    return {
        "family_name": "NGUYEN",
        "middle_name": "VAN",
        "given_name": "DUC",
        "sex": "M",
        "birth_date": "01/02/1980",
        "hometown": "Bắc Ninh",
        "admitted_on": "20/01/2005",
        "full_member_on": "20/01/2006",
        "organization": cast.tree.office_cell.pk,
        **extra,
    }


def test_the_add_form_shows_the_likely_duplicate_and_keeps_what_was_typed(client, cast):
    on_record = add_member(
        cast.tree.office_cell, family_name="Nguyễn", middle_name="Văn", given_name="Đức", birth_date=BORN, hometown="Bắc Ninh"
    )
    client.force_login(cast.cell)
    response = client.post(reverse("members:member_create_preview"), new_member(cast))
    page = response.content.decode()
    assert response.context["result"] is None  # no preview until the user chooses
    assert [c.member.pk for c in response.context["form"].duplicates] == [on_record.pk]
    assert 'data-testid="duplicate-warning"' in page
    assert reverse("members:member_detail", args=[on_record.pk]) in page
    assert "gần như chắc chắn" in page
    assert 'value="NGUYEN"' in page and 'value="01/02/1980"' in page
    assert "ghi lý do để vẫn tạo hồ sơ mới" in page
    assert Member.objects.count() == 1


def test_the_add_form_creates_with_a_reason_recorded_in_the_history(client, cast):
    add_member(cast.tree.office_cell, family_name="Nguyễn", middle_name="Văn", given_name="Đức", birth_date=BORN)
    client.force_login(cast.cell)
    data = new_member(cast, duplicate_reason="Người khác, cùng tên và ngày sinh")
    preview = client.post(reverse("members:member_create_preview"), data)
    assert preview.context["result"] is not None
    response = client.post(reverse("members:member_create_save"), data)
    assert response.status_code == 302
    created = Member.objects.get(family_name="NGUYEN")
    reason = created.history.earliest().history_change_reason
    assert reason == "Tạo hồ sơ. Có thể trùng với hồ sơ đã có; vẫn tạo mới vì: Người khác, cùng tên và ngày sinh"


def test_the_add_form_says_nothing_without_a_likely_duplicate(client, cast):
    client.force_login(cast.cell)
    response = client.post(reverse("members:member_create_preview"), new_member(cast))
    assert response.context["result"] is not None
    assert 'data-testid="duplicate-warning"' not in response.content.decode()


def test_a_bloc_official_narrows_the_pairs_to_one_committee_of_the_scope(client, cast, pairs):
    client.force_login(cast.upper)
    response = client.get(LIST, {"organization": cast.tree.finance.code})
    assert response.status_code == 200
    assert listed(response) == {ids(pairs.office), ids(pairs.budget), ids(pairs.across)}
    assert response.context["total"] == 3
    assert listed(client.get(LIST, {"organization": cast.tree.newspaper.code})) == {ids(pairs.newspaper)}


def test_an_organization_outside_the_scope_is_refused_and_lists_nothing(client, cast, pairs):
    client.force_login(cast.cell)
    response = client.get(LIST, {"organization": cast.tree.newspaper.code})
    assert response.status_code == 200
    assert listed(response) == set()
    assert response.context["form"].errors["organization"]
