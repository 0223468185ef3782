"""Refusals say what is wrong: a CCCD that is not 12 digits, an attachment that ends before
it starts, an introduction letter dated before the cause of the transfer."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from members.models import Transfer
from members.services import (
    member_attach_temporarily,
    member_transfer_in,
    member_transfer_out,
    member_transfer_within,
    member_update,
    transfer_issue_letter,
)
from members.tests._people import add_people

CAUSE = dt.date(2025, 3, 10)
BEFORE_CAUSE = dt.date(2025, 3, 3)


@pytest.fixture
def people(tree):
    return add_people(tree)


def messages(exc_info, field):
    return " ".join(exc_info.value.message_dict[field])


@pytest.mark.parametrize("value", ["02408000012A", "0240800001x3", "12345678901"])
def test_a_cccd_that_is_not_twelve_digits_is_told_it_must_be_twelve_digits(people, value):
    with pytest.raises(ValidationError) as exc_info:
        member_update(member=people.duc, national_id=value)
    text = messages(exc_info, "national_id")
    assert "đúng 12 chữ số" in text
    assert "có 12 ký tự" not in text


def test_a_cccd_with_a_letter_is_told_it_holds_something_other_than_digits(people):
    with pytest.raises(ValidationError) as exc_info:
        member_update(member=people.duc, national_id="02408000012A")
    assert "chỉ gồm chữ số" in messages(exc_info, "national_id")


def test_an_attachment_that_ends_before_it_starts_is_told_so(tree, people):
    with pytest.raises(ValidationError) as exc_info:
        member_attach_temporarily(
            member=people.duc, organization=tree.budget_cell, started_on=dt.date(2025, 6, 1), ends_on=dt.date(2025, 5, 1)
        )
    text = messages(exc_info, "ends_on")
    assert "trước ngày bắt đầu" in text
    assert "tháng" not in text


def test_a_letter_before_the_cause_is_refused_for_a_transfer_within(tree, people):
    with pytest.raises(ValidationError) as exc_info:
        member_transfer_within(member=people.duc, to_organization=tree.budget_cell, cause_on=CAUSE, letter_on=BEFORE_CAUSE)
    assert "letter_on" in exc_info.value.message_dict


def test_a_letter_before_the_cause_is_refused_when_issued_later(tree, people):
    transfer = member_transfer_within(member=people.duc, to_organization=tree.budget_cell, cause_on=CAUSE).transfer
    with pytest.raises(ValidationError) as exc_info:
        transfer_issue_letter(transfer=transfer, letter_no="5-GGT", letter_on=BEFORE_CAUSE)
    assert "letter_on" in exc_info.value.message_dict
    assert Transfer.objects.get(pk=transfer.pk).letter_on is None


def test_a_letter_before_the_cause_is_refused_for_a_transfer_out(people):
    with pytest.raises(ValidationError) as exc_info:
        member_transfer_out(
            member=people.duc, destination="Đảng bộ tỉnh Lạng Sơn", letter_no="7", letter_on=BEFORE_CAUSE, cause_on=CAUSE
        )
    assert "letter_on" in exc_info.value.message_dict


def test_a_letter_before_the_cause_is_refused_for_a_member_received(tree, people):
    with pytest.raises(ValidationError) as exc_info:
        member_transfer_in(
            to_organization=tree.office_cell,
            origin="Đảng bộ tỉnh Lạng Sơn",
            letter_no="8",
            letter_on=BEFORE_CAUSE,
            presented_on=dt.date(2025, 3, 20),
            cause_on=CAUSE,
            family_name="Vũ",
            given_name="Nam",
            sex="M",
            birth_date=dt.date(1990, 1, 1),
            admitted_on=dt.date(2015, 1, 1),
        )
    assert "letter_on" in exc_info.value.message_dict
