import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from members.models import Member, MembershipKind, Status, TransferStatus
from members.selectors import overdue_transfers
from members.services import (
    member_attach_temporarily,
    member_end_temporary,
    member_transfer_in,
    member_transfer_out,
    member_transfer_within,
    transfer_cancel,
    transfer_complete,
    transfer_issue_letter,
)
from members.testing import add_member

D = dt.date


def test_a_transfer_within_the_system_moves_the_cell_and_keeps_its_history(tree):
    member = add_member(tree.office_cell)
    result = member_transfer_within(
        member=member,
        to_organization=tree.newspaper,
        cause_on=D(2025, 1, 10),
        letter_no="GGT-12",
        letter_on=D(2025, 2, 3),
        presented_on=D(2025, 2, 10),
    )
    member.refresh_from_db()
    assert member.organization == tree.newspaper
    history = list(member.memberships.order_by("started_on").values_list("organization", "started_on", "ended_on"))
    assert history == [(tree.office_cell.pk, D(2015, 1, 5), D(2025, 2, 10)), (tree.newspaper.pk, D(2025, 2, 10), None)]
    transfer = result.transfer
    # 60 working days from 10/01/2025 skip the Tết 2025 holiday (27–31/01) and Hùng Kings day
    # (07/04): 14/04/2025 (counted by hand in test_rules). 30 working days from Mon 03/02/2025:
    # 04–28/02 has 19, 03–14/03 adds 10 (29), Mon 17/03/2025 is the 30th.
    assert (transfer.start_deadline, transfer.present_deadline) == (D(2025, 4, 14), D(2025, 3, 17))
    assert transfer.status == TransferStatus.COMPLETED and result.warnings == []
    assert "chuyển sinh hoạt từ «Chi bộ Văn phòng» sang «Chi bộ Báo Bắc Giang»" in result.effects[0]
    assert member.history.first().history_change_reason.startswith("Chuyển sinh hoạt")


def test_an_open_transfer_waits_for_the_letter_and_the_presentation(tree):
    member = add_member(tree.office_cell)
    transfer = member_transfer_within(member=member, to_organization=tree.budget_cell, cause_on=D(2025, 1, 10)).transfer
    assert transfer.status == TransferStatus.OPEN and transfer.start_deadline == D(2025, 4, 14)
    member.refresh_from_db()
    assert member.organization == tree.office_cell
    issued = transfer_issue_letter(transfer=transfer, letter_no="GGT-3", letter_on=D(2025, 4, 15))
    assert "muộn" in issued.warnings[0]
    transfer_complete(transfer=transfer, presented_on=D(2025, 4, 21))
    member.refresh_from_db()
    assert member.organization == tree.budget_cell


def test_open_transfers_past_their_deadlines_are_listed(tree):
    late = add_member(tree.office_cell, given_name="Bình")
    fine = add_member(tree.office_cell, given_name="Cường")
    not_presented = add_member(tree.budget_cell, given_name="Dung")
    member_transfer_within(member=late, to_organization=tree.budget_cell, cause_on=D(2025, 1, 10))
    member_transfer_within(member=fine, to_organization=tree.budget_cell, cause_on=D(2025, 4, 1))
    member_transfer_within(member=not_presented, to_organization=tree.newspaper, letter_on=D(2025, 4, 11))
    rows = overdue_transfers(Member.objects.all(), on=D(2025, 5, 28))
    assert [(r.transfer.member.given_name, r.deadline) for r in rows] == [("Bình", D(2025, 4, 14)), ("Dung", D(2025, 5, 27))]
    assert "60 ngày làm việc" in rows[0].reason and "nộp giấy giới thiệu" in rows[1].reason
    transfer_cancel(transfer=rows[0].transfer)
    assert len(overdue_transfers(Member.objects.all(), on=D(2025, 5, 28))) == 1


def test_a_transfer_to_the_same_cell_or_a_committee_is_refused(tree):
    member = add_member(tree.office_cell)
    with pytest.raises(ValidationError, match="đang sinh hoạt tại «Chi bộ Văn phòng»"):
        member_transfer_within(member=member, to_organization=tree.office_cell, cause_on=D(2025, 1, 10))
    with pytest.raises(ValidationError, match="không phải chi bộ"):
        member_transfer_within(member=member, to_organization=tree.finance, cause_on=D(2025, 1, 10))


def test_a_letter_presented_before_it_was_issued_is_refused(tree):
    member = add_member(tree.office_cell)
    with pytest.raises(ValidationError, match="từ ngày cấp giấy"):
        member_transfer_within(
            member=member, to_organization=tree.budget_cell, letter_on=D(2025, 3, 1), presented_on=D(2025, 2, 1)
        )


def test_transfer_out_ends_the_cell_and_sets_the_status(tree):
    member = add_member(tree.office_cell)
    result = member_transfer_out(member=member, destination="Đảng bộ tỉnh Bắc Ninh", letter_no="GGT-9", letter_on=D(2024, 9, 5))
    member.refresh_from_db()
    assert member.status == Status.TRANSFERRED_OUT and member.status_since == D(2024, 9, 5)
    assert member.memberships.get().ended_on == D(2024, 9, 5)
    assert result.transfer.outside_unit == "Đảng bộ tỉnh Bắc Ninh" and result.transfer.from_org == tree.office_cell


def test_transfer_in_creates_a_member_from_outside(tree):
    result = member_transfer_in(
        to_organization=tree.budget_cell,
        origin="Đảng bộ tỉnh Lạng Sơn",
        letter_no="GGT-77",
        letter_on=D(2024, 10, 1),
        presented_on=D(2024, 10, 8),
        family_name="Lê",
        middle_name="Minh",
        given_name="Khoa",
        sex="M",
        birth_date=D(1988, 1, 2),
        admitted_on=D(2012, 5, 19),
        full_member_on=D(2013, 5, 19),
        national_id="020088001111",
    )
    member = result.member
    assert member.organization == tree.budget_cell and member.status == Status.FULL
    assert member.memberships.get().started_on == D(2024, 10, 8)
    assert result.transfer.kind == "in" and result.transfer.outside_unit == "Đảng bộ tỉnh Lạng Sơn"


def test_a_member_transferred_out_comes_back_with_the_status_held_before(tree):
    member = add_member(tree.office_cell, admitted_on=D(2023, 5, 10), full_member_on=None)
    member_transfer_out(member=member, destination="Đảng bộ Quân sự tỉnh", letter_no="G-1", letter_on=D(2024, 1, 5))
    member_transfer_in(
        member=member,
        to_organization=tree.newspaper,
        origin="Đảng bộ Quân sự tỉnh",
        letter_no="G-2",
        letter_on=D(2024, 3, 1),
        presented_on=D(2024, 3, 4),
    )
    member.refresh_from_db()
    assert member.status == Status.PROBATIONARY and member.organization == tree.newspaper
    assert [c.status for c in member.status_changes.all()] == ["probationary", "transferred_out", "probationary"]


def test_temporary_attachment_opens_a_second_cell_without_moving_the_member(tree):
    member = add_member(tree.office_cell)
    result = member_attach_temporarily(
        member=member, organization=tree.newspaper, started_on=D(2025, 3, 1), ends_on=D(2025, 9, 1), letter_no="GGT-T1"
    )
    member.refresh_from_db()
    assert member.organization == tree.office_cell and member.temporary_organization == tree.newspaper
    assert member.memberships.filter(kind=MembershipKind.TEMPORARY, ended_on__isnull=True).count() == 1
    assert "vẫn sinh hoạt chính thức tại «Chi bộ Văn phòng»" in result.effects[0]
    member_end_temporary(member=member, ended_on=D(2025, 8, 30))
    member.refresh_from_db()
    assert member.temporary_organization is None and member.transfers.get().status == TransferStatus.COMPLETED


def test_at_most_one_temporary_cell(tree):
    member = add_member(tree.office_cell)
    member_attach_temporarily(member=member, organization=tree.newspaper, started_on=D(2025, 3, 1), ends_on=D(2025, 9, 1))
    with pytest.raises(ValidationError, match="đang sinh hoạt tạm thời tại «Chi bộ Báo Bắc Giang»"):
        member_attach_temporarily(member=member, organization=tree.budget_cell, started_on=D(2025, 4, 1), ends_on=D(2025, 9, 1))


def test_the_temporary_cell_must_differ_from_the_permanent_one_and_respect_the_length(tree):
    member = add_member(tree.office_cell)
    with pytest.raises(ValidationError, match="chi bộ sinh hoạt chính thức"):
        member_attach_temporarily(member=member, organization=tree.office_cell, started_on=D(2025, 3, 1), ends_on=D(2025, 9, 1))
    with pytest.raises(ValidationError, match="dưới 12 tháng"):
        member_attach_temporarily(member=member, organization=tree.newspaper, started_on=D(2025, 3, 1), ends_on=D(2026, 3, 1))
    assert (
        member_attach_temporarily(
            member=member, organization=tree.newspaper, started_on=D(2025, 3, 1), ends_on=D(2027, 3, 1), reason="study"
        ).transfer.reason
        == "study"
    )


def test_a_permanent_move_into_the_temporary_cell_ends_the_attachment(tree):
    member = add_member(tree.office_cell)
    member_attach_temporarily(member=member, organization=tree.newspaper, started_on=D(2025, 3, 1), ends_on=D(2025, 9, 1))
    member_transfer_within(member=member, to_organization=tree.newspaper, letter_on=D(2025, 5, 5), presented_on=D(2025, 5, 6))
    member.refresh_from_db()
    assert member.organization == tree.newspaper and member.temporary_organization is None
    assert member.memberships.filter(ended_on__isnull=True).count() == 1
