import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from members.models import Status
from members.services import member_change_status, member_transfer_within
from members.testing import add_member

D = dt.date


def test_a_probationary_member_made_full_after_12_months_gets_the_date_and_a_history_row(tree):
    member = add_member(tree.office_cell, admitted_on=D(2023, 5, 10), full_member_on=None)
    result = member_change_status(member=member, status=Status.FULL, effective_on=D(2024, 5, 10), decision_no="QĐ-15")
    member.refresh_from_db()
    assert member.status == Status.FULL and member.full_member_on == D(2024, 5, 10)
    assert member.status_changes.last().decision_no == "QĐ-15"
    assert result.status_change.effective_on == D(2024, 5, 10)
    assert member.history.first().history_change_reason == "Trạng thái: Chính thức"


def test_full_membership_after_11_months_is_refused(tree):
    member = add_member(tree.office_cell, admitted_on=D(2023, 5, 10), full_member_on=None)
    with pytest.raises(ValidationError, match="mới được 11 tháng"):
        member_change_status(member=member, status=Status.FULL, effective_on=D(2024, 4, 10))


def test_a_late_full_membership_date_warns_that_it_counts_from_the_end_of_probation(tree):
    member = add_member(tree.office_cell, admitted_on=D(2023, 5, 10), full_member_on=None)
    result = member_change_status(member=member, status=Status.FULL, effective_on=D(2024, 7, 1))
    assert "10/05/2024" in result.warnings[0]


def test_an_expelled_member_cannot_become_full_again(tree):
    member = add_member(tree.office_cell)
    member_change_status(member=member, status=Status.EXPELLED, effective_on=D(2020, 1, 10), decision_no="QĐ-KL-1")
    with pytest.raises(ValidationError, match="Không thể chuyển từ trạng thái «Khai trừ» sang «Chính thức»"):
        member_change_status(member=member, status=Status.FULL, effective_on=D(2021, 1, 10))


def test_a_suspended_member_returns_to_the_status_held_before(tree):
    member = add_member(tree.office_cell)
    member_change_status(member=member, status=Status.EXEMPT, effective_on=D(2019, 1, 1))
    member_change_status(member=member, status=Status.SUSPENDED, effective_on=D(2020, 1, 1))
    with pytest.raises(ValidationError, match="sang «Chính thức»"):
        member_change_status(member=member, status=Status.FULL, effective_on=D(2020, 6, 1))
    member_change_status(member=member, status=Status.EXEMPT, effective_on=D(2020, 6, 1))
    member.refresh_from_db()
    assert [c.status for c in member.status_changes.all()] == ["probationary", "full", "exempt", "suspended", "exempt"]


def test_status_changes_are_recorded_in_date_order(tree):
    member = add_member(tree.office_cell)
    member_change_status(member=member, status=Status.EXEMPT, effective_on=D(2020, 1, 1))
    with pytest.raises(ValidationError, match="từ ngày 01/01/2020"):
        member_change_status(member=member, status=Status.FULL, effective_on=D(2019, 12, 31))


def test_a_status_change_in_the_future_is_refused(tree):
    member = add_member(tree.office_cell)
    with pytest.raises(ValidationError, match="không được sau ngày hôm nay"):
        member_change_status(member=member, status=Status.EXEMPT, effective_on=dt.date.today() + dt.timedelta(days=1))


def test_transferring_out_goes_through_the_transfer_service(tree):
    member = add_member(tree.office_cell)
    with pytest.raises(ValidationError, match="chức năng chuyển sinh hoạt"):
        member_change_status(member=member, status=Status.TRANSFERRED_OUT, effective_on=D(2020, 1, 1))


def test_death_closes_the_cells_and_cancels_an_open_transfer(tree):
    member = add_member(tree.office_cell)
    member_transfer_within(member=member, to_organization=tree.budget_cell, cause_on=D(2021, 3, 1))
    result = member_change_status(member=member, status=Status.DECEASED, effective_on=D(2021, 4, 2))
    member.refresh_from_db()
    assert member.status == Status.DECEASED
    assert member.memberships.get().ended_on == D(2021, 4, 2)
    assert member.transfers.get().status == "cancelled"
    assert any("Hủy 1 thủ tục" in e for e in result.effects)
