"""Splitting a cell that has members: each member goes to the new cell chosen for them, in
the same change, with a dated cell-history row (orgs.services.SPLIT_HANDLERS, members.handlers)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import Member
from members.testing import add_member
from orgs.models import Organization
from orgs.services import NewOrgSpec, SplitPart, organization_split

SPLIT_ON = dt.date(2024, 6, 3)


@pytest.fixture
def budget_members(tree):
    return [add_member(tree.budget_cell, given_name=name) for name in ("An", "Bình", "Cúc")]


def reload(obj):
    obj.refresh_from_db()
    return obj


def cells_history(member: Member) -> list[tuple[str, dt.date, dt.date | None]]:
    rows = member.memberships.order_by("started_on", "pk").select_related("organization")
    return [(m.organization.code, m.started_on, m.ended_on) for m in rows]


def test_each_member_ends_in_the_new_cell_chosen_with_a_dated_cell_history(tree, budget_members):
    an, binh, cuc = budget_members
    kind = tree.kinds["chi-bo"]
    parts = [
        SplitPart(NewOrgSpec(code="cb-ns-1", name="Chi bộ Ngân sách 1", kind=kind), shares={"members": [an.pk, cuc.pk]}),
        SplitPart(NewOrgSpec(code="cb-ns-2", name="Chi bộ Ngân sách 2", kind=kind), shares={"members": [binh.pk]}),
    ]
    result = organization_split(organization=tree.budget_cell, parts=parts, effective_on=SPLIT_ON, decision_no="QĐ-CT")
    assert "2 đảng viên chuyển sang «Chi bộ Ngân sách 1»." in result.effects
    assert "1 đảng viên chuyển sang «Chi bộ Ngân sách 2»." in result.effects
    assert reload(tree.budget_cell).dissolved_on == SPLIT_ON
    for member, code in ((an, "cb-ns-1"), (binh, "cb-ns-2"), (cuc, "cb-ns-1")):
        assert reload(member).organization.code == code
        (old_code, _joined, left), new = cells_history(member)
        assert (old_code, left) == ("cb-ngan-sach", SPLIT_ON)
        assert new == (code, SPLIT_ON, None)
    note = binh.memberships.get(ended_on__isnull=True).note
    assert note == "Chia tách «Chi bộ Ngân sách — Đảng bộ Sở Tài chính»"


def test_a_member_not_given_to_a_new_cell_still_blocks_the_split(tree, budget_members):
    an, binh, _cuc = budget_members
    kind = tree.kinds["chi-bo"]
    parts = [
        SplitPart(NewOrgSpec(code="cb-ns-1", name="Chi bộ Ngân sách 1", kind=kind), shares={"members": [an.pk]}),
        SplitPart(NewOrgSpec(code="cb-ns-2", name="Chi bộ Ngân sách 2", kind=kind), shares={"members": [binh.pk]}),
    ]
    with pytest.raises(ValidationError, match="còn 1 đảng viên đang sinh hoạt"):
        organization_split(organization=tree.budget_cell, parts=parts, effective_on=SPLIT_ON)
    assert reload(an).organization == tree.budget_cell
    assert not Organization.objects.filter(code__in=["cb-ns-1", "cb-ns-2"]).exists()


def test_a_member_of_another_cell_cannot_be_given(tree, budget_members):
    stranger = add_member(tree.office_cell, given_name="Dũng")
    kind = tree.kinds["chi-bo"]
    ids = [m.pk for m in budget_members]
    parts = [
        SplitPart(NewOrgSpec(code="cb-ns-1", name="Chi bộ Ngân sách 1", kind=kind), shares={"members": ids}),
        SplitPart(NewOrgSpec(code="cb-ns-2", name="Chi bộ Ngân sách 2", kind=kind), shares={"members": [stranger.pk]}),
    ]
    with pytest.raises(ValidationError, match="không còn sinh hoạt tại «Chi bộ Ngân sách»"):
        organization_split(organization=tree.budget_cell, parts=parts, effective_on=SPLIT_ON)
    assert reload(stranger).organization == tree.office_cell


def split_data(cast, **shares) -> dict[str, str]:
    kind = str(cast.tree.kinds["chi-bo"].pk)
    data = {
        "part1_code": "cb-ns-1",
        "part1_name": "Chi bộ Ngân sách 1",
        "part1_kind": kind,
        "part2_code": "cb-ns-2",
        "part2_name": "Chi bộ Ngân sách 2",
        "part2_kind": kind,
        "effective_on": "03/06/2024",
        "decision_no": "QĐ-CT",
    }
    data.update(shares)
    return data


def test_the_split_form_offers_each_member_defaulting_to_the_first_new_cell(client, cast):
    an = add_member(cast.tree.budget_cell, given_name="An", birth_date=dt.date(1980, 5, 1))
    client.force_login(cast.upper)
    response = client.get(reverse("orgs:organization_split", args=[cast.tree.budget_cell.code]))
    assert response.status_code == 200
    field = response.context["form"][f"share_members_{an.pk}"]
    assert field.label == "Nguyễn Văn An (01/05/1980)"
    assert field.value() == "1"
    body = response.content.decode()
    assert 'data-testid="split-share"' in body and "Nguyễn Văn An (01/05/1980)" in body


def test_the_split_page_moves_the_members_to_the_cells_chosen(client, cast):
    an = add_member(cast.tree.budget_cell, given_name="An")
    binh = add_member(cast.tree.budget_cell, given_name="Bình")
    data = split_data(cast, **{f"share_members_{an.pk}": "1", f"share_members_{binh.pk}": "2"})
    client.force_login(cast.upper)
    preview = client.post(reverse("orgs:organization_split_preview", args=[cast.tree.budget_cell.code]), data)
    assert "1 đảng viên chuyển sang «Chi bộ Ngân sách 2»." in preview.content.decode()
    assert reload(binh).organization == cast.tree.budget_cell  # the preview saved nothing

    response = client.post(reverse("orgs:organization_split_save", args=[cast.tree.budget_cell.code]), data)
    assert response.status_code == 302
    assert reload(an).organization.code == "cb-ns-1"
    assert reload(binh).organization.code == "cb-ns-2"
    assert cells_history(binh)[-1] == ("cb-ns-2", SPLIT_ON, None)
    assert reload(cast.tree.budget_cell).dissolved_on == SPLIT_ON


def test_a_member_given_to_a_new_cell_not_declared_is_an_error_on_that_row(client, cast):
    an = add_member(cast.tree.budget_cell, given_name="An")
    data = split_data(cast, **{f"share_members_{an.pk}": "3"})
    client.force_login(cast.upper)
    response = client.post(reverse("orgs:organization_split_save", args=[cast.tree.budget_cell.code]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[f"share_members_{an.pk}"] == ["Tổ chức mới 3 chưa được khai báo."]
    assert reload(an).organization == cast.tree.budget_cell
