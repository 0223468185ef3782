"""Dissolving (or splitting away) an organization while members are still there."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import Member, Status
from members.services import member_attach_temporarily, member_change_status, member_transfer_within
from members.testing import add_member
from orgs.models import ChangeKind, Organization, OrgChange
from orgs.services import NewOrgSpec, SplitPart, organization_dissolve, organization_split

D = dt.date
DISSOLVED = D(2025, 7, 1)


def reload(org):
    return Organization.objects.get(pk=org.pk)


def transfer(member, to_org, presented_on):
    member_transfer_within(
        member=member,
        to_organization=to_org,
        letter_on=presented_on - dt.timedelta(days=7),
        presented_on=presented_on,
    )


def test_dissolving_a_cell_that_still_has_members_is_refused_and_nothing_changes(tree):
    add_member(tree.budget_cell, given_name="Bình")
    add_member(tree.budget_cell, given_name="Cúc")
    changes = OrgChange.objects.count()
    with pytest.raises(ValidationError) as refused:
        organization_dissolve(organization=tree.budget_cell, effective_on=DISSOLVED)
    message = " ".join(refused.value.messages)
    assert "«Chi bộ Ngân sách» còn 2 đảng viên đang sinh hoạt (Nguyễn Văn Bình, Nguyễn Văn Cúc)" in message
    assert "Hãy chuyển sinh hoạt các đảng viên này sang chi bộ khác trước khi giải thể" in message
    assert "hoặc hợp nhất «Chi bộ Ngân sách» vào một chi bộ khác" in message
    budget = reload(tree.budget_cell)
    assert budget.dissolved_on is None and budget.versions.filter(valid_to__isnull=True).exists()
    assert OrgChange.objects.count() == changes
    assert Member.objects.filter(organization=budget).count() == 2


def test_an_empty_cell_dissolves(tree):
    result = organization_dissolve(organization=tree.budget_cell, effective_on=DISSOLVED, decision_no="QĐ-GT")
    assert result.effects == ["Giải thể «Chi bộ Ngân sách — Đảng bộ Sở Tài chính»."]
    assert reload(tree.budget_cell).dissolved_on == DISSOLVED
    assert OrgChange.objects.filter(kind=ChangeKind.DISSOLVE).count() == 1


def test_members_no_longer_in_the_party_do_not_block(tree):
    member = add_member(tree.budget_cell)
    member_change_status(member=member, status=Status.DECEASED, effective_on=D(2025, 2, 1))
    organization_dissolve(organization=tree.budget_cell, effective_on=DISSOLVED)
    assert reload(tree.budget_cell).dissolved_on == DISSOLVED


def test_a_member_transferred_out_earlier_does_not_block(tree):
    member = add_member(tree.budget_cell)
    transfer(member, tree.office_cell, presented_on=D(2025, 3, 1))
    organization_dissolve(organization=tree.budget_cell, effective_on=DISSOLVED)
    assert reload(tree.budget_cell).dissolved_on == DISSOLVED
    member.refresh_from_db()
    assert member.organization == tree.office_cell
    assert list(member.memberships.order_by("started_on").values_list("organization", "ended_on")) == [
        (tree.budget_cell.pk, D(2025, 3, 1)),
        (tree.office_cell.pk, None),
    ]


def test_a_member_who_left_after_the_dissolution_date_moves_the_date(tree):
    member = add_member(tree.budget_cell, given_name="Bình")
    transfer(member, tree.office_cell, presented_on=D(2025, 8, 1))
    with pytest.raises(ValidationError) as refused:
        organization_dissolve(organization=tree.budget_cell, effective_on=DISSOLVED)
    assert refused.value.message_dict["effective_on"] == [
        "Nguyễn Văn Bình sinh hoạt tại «Chi bộ Ngân sách» đến ngày 01/08/2025; ngày hiệu lực giải thể phải từ ngày đó trở đi."
    ]
    organization_dissolve(organization=tree.budget_cell, effective_on=D(2025, 8, 1))
    assert reload(tree.budget_cell).dissolved_on == D(2025, 8, 1)


def test_temporary_attachments_end_with_the_cell_and_the_members_keep_their_own(tree):
    guest = add_member(tree.office_cell, given_name="Em")
    member_attach_temporarily(member=guest, organization=tree.budget_cell, started_on=D(2025, 3, 1), ends_on=D(2025, 12, 1))
    result = organization_dissolve(organization=tree.budget_cell, effective_on=DISSOLVED)
    assert (
        "1 đảng viên sinh hoạt tạm thời tại «Chi bộ Ngân sách» kết thúc sinh hoạt tạm thời ngày 01/07/2025; "
        "họ vẫn sinh hoạt chính thức tại chi bộ của mình." in result.effects
    )
    guest.refresh_from_db()
    assert guest.temporary_organization is None and guest.organization == tree.office_cell
    assert guest.memberships.get(organization=tree.budget_cell).ended_on == DISSOLVED
    assert guest.transfers.get().status == "completed"


def test_members_left_in_an_already_dissolved_cell_block_its_committee(tree):
    add_member(tree.budget_cell)
    # A cell dissolved before this check existed: its member was left behind.
    Organization.objects.filter(pk=tree.budget_cell.pk).update(dissolved_on=D(2024, 1, 1))
    organization_dissolve(organization=tree.office_cell, effective_on=D(2025, 1, 1))
    with pytest.raises(ValidationError, match=r"«Đảng bộ Sở Tài chính» \(kể cả các tổ chức trực thuộc đã giải thể\) còn 1"):
        organization_dissolve(organization=tree.finance, effective_on=DISSOLVED)
    assert reload(tree.finance).dissolved_on is None


def test_splitting_away_a_cell_that_still_has_members_is_refused(tree):
    add_member(tree.budget_cell)
    kind = tree.kinds["chi-bo"]
    parts = [SplitPart(NewOrgSpec(code=c, name=f"Chi bộ {c}", kind=kind)) for c in ("cb-a", "cb-b")]
    with pytest.raises(ValidationError, match="«Chi bộ Ngân sách» còn 1 đảng viên đang sinh hoạt"):
        organization_split(organization=tree.budget_cell, parts=parts, effective_on=DISSOLVED)
    assert not Organization.objects.filter(code__in=["cb-a", "cb-b"]).exists()


def test_the_preview_shows_the_same_refusal_and_saves_nothing(client, cast):
    add_member(cast.tree.budget_cell, given_name="Bình")
    client.force_login(cast.upper)
    preview_url = reverse("orgs:organization_dissolve_preview", args=[cast.tree.budget_cell.code])
    response = client.post(preview_url, {"effective_on": "01/07/2025"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="preview"' not in page and 'data-testid="confirm"' not in page
    assert 'data-testid="form-errors"' in page
    assert "«Chi bộ Ngân sách» còn 1 đảng viên đang sinh hoạt (Nguyễn Văn Bình)" in page
    assert reload(cast.tree.budget_cell).dissolved_on is None

    save_url = reverse("orgs:organization_dissolve_save", args=[cast.tree.budget_cell.code])
    response = client.post(save_url, {"effective_on": "01/07/2025"})
    assert response.status_code == 200
    assert "còn 1 đảng viên đang sinh hoạt" in " ".join(response.context["form"].non_field_errors())
    assert reload(cast.tree.budget_cell).dissolved_on is None
