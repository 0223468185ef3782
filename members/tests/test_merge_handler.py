import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from members.models import Member
from members.services import member_attach_temporarily
from members.testing import add_member
from orgs.services import organization_merge

D = dt.date
MERGED = D(2025, 7, 1)


def test_merging_a_cell_into_another_moves_its_members_and_keeps_their_history(tree):
    moved = [add_member(tree.budget_cell, given_name=name) for name in ("An", "Bình", "Cúc")]
    stay = add_member(tree.office_cell, given_name="Dũng")
    attached = add_member(tree.office_cell, given_name="Em")
    member_attach_temporarily(member=attached, organization=tree.budget_cell, started_on=D(2025, 3, 1), ends_on=D(2025, 12, 1))
    result = organization_merge(sources=[tree.budget_cell], target=tree.office_cell, effective_on=MERGED, decision_no="QĐ-HN")
    assert "3 đảng viên chuyển sang «Chi bộ Văn phòng»." in result.effects
    assert any("1 đảng viên kết thúc sinh hoạt tạm thời" in e for e in result.effects)
    for member in moved:
        member.refresh_from_db()
        assert member.organization == tree.office_cell
        assert list(member.memberships.order_by("started_on").values_list("organization", "ended_on")) == [
            (tree.budget_cell.pk, MERGED),
            (tree.office_cell.pk, None),
        ]
    attached.refresh_from_db()
    assert attached.temporary_organization is None
    assert Member.objects.filter(organization=tree.office_cell).count() == 5 and stay.memberships.count() == 1


def test_merging_a_cell_with_members_into_a_committee_is_refused(tree):
    add_member(tree.budget_cell)
    with pytest.raises(ValidationError, match="còn 1 đảng viên đang sinh hoạt; chỉ có thể hợp nhất vào một chi bộ"):
        organization_merge(sources=[tree.budget_cell], target=tree.finance, effective_on=MERGED)


def test_merging_an_empty_cell_into_a_committee_is_allowed(tree):
    result = organization_merge(sources=[tree.budget_cell], target=tree.finance, effective_on=MERGED)
    assert not any("đảng viên" in e for e in result.effects)
