"""Texts that state a number from a party document are built from its one constant in ``members.rules``.

Changing the constant (here with monkeypatch) changes the message or the page; a form's
help text, fixed when the class is defined, at least states the constant's value.
"""

import datetime as dt

from django.urls import reverse

from members import forms as member_forms
from members import rules


def test_the_overdue_transfers_page_states_the_working_days_of_the_constants(client, cast, monkeypatch):
    monkeypatch.setattr(rules, "TRANSFER_START_WORKING_DAYS", 45)
    monkeypatch.setattr(rules, "TRANSFER_PRESENT_WORKING_DAYS", 21)
    client.force_login(cast.base)
    page = client.get(reverse("members:transfer_overdue")).content.decode()
    assert "trong 45 ngày làm việc kể từ ngày phát sinh" in page
    assert "trong 21 ngày làm việc kể từ ngày cấp" in page


def test_the_probation_page_states_the_probation_months_and_the_working_days_of_the_constants(client, cast, monkeypatch):
    monkeypatch.setattr(rules, "PROBATION_MONTHS", 18)
    monkeypatch.setattr(rules, "FULL_CONSIDERATION_WORKING_DAYS", 25)
    client.force_login(cast.base)
    page = client.get(reverse("members:member_probation_due")).content.decode()
    assert "hết 18 tháng dự bị" in page
    assert "trong 25 ngày làm việc sau khi hết thời gian dự bị" in page
    assert "Hết 18 tháng dự bị" in page


def test_the_statistics_page_names_the_youth_age_of_the_constant(client, cast, monkeypatch):
    monkeypatch.setattr(rules, "YOUTH_MAX_AGE", 35)
    client.force_login(cast.base)
    page = client.get(reverse("members:member_statistics")).content.decode()
    assert "Đảng viên trẻ (≤ 35 tuổi)" in page
    assert "≤ 30 tuổi" not in page


def test_the_temporary_attachment_messages_state_the_months_of_the_constants(monkeypatch):
    start = dt.date(2025, 1, 1)
    monkeypatch.setattr(rules, "TEMPORARY_MIN_MONTHS", 2)
    assert "từ 2 tháng trở lên" in rules.temporary_period_error(started_on=start, ends_on=dt.date(2025, 2, 1), reason="work")
    monkeypatch.setattr(rules, "TEMPORARY_WORK_MAX_MONTHS", 6)
    assert "dưới 6 tháng" in rules.temporary_period_error(started_on=start, ends_on=dt.date(2025, 8, 1), reason="work")
    monkeypatch.setattr(rules, "TEMPORARY_STUDY_MAX_MONTHS", 9)
    assert "tối đa 9 tháng" in rules.temporary_period_error(started_on=start, ends_on=dt.date(2025, 11, 1), reason="study")


def test_the_national_id_message_states_the_length_of_the_constant(monkeypatch):
    monkeypatch.setattr(rules, "NATIONAL_ID_DIGITS", 9)
    assert rules.national_id_format_error("001051812") is None
    assert "đúng 9 chữ số" in rules.national_id_format_error("001051812244")


def test_the_badge_messages_state_the_early_months_of_the_constants(monkeypatch):
    monkeypatch.setattr(rules, "BADGE_EARLY_MONTHS", 6)
    admitted = dt.date(1995, 3, 1)
    message = rules.badge_award_error(admitted_on=admitted, years=30, awarded_on=dt.date(2024, 3, 1), early_for_illness=True)
    assert "tối đa 6 tháng, tức từ ngày 01/09/2024" in message
    assert rules.badge_early_months(70) == rules.BADGE_EARLY_MONTHS_LONG


def test_the_full_membership_message_states_the_probation_months_of_the_constant(monkeypatch):
    monkeypatch.setattr(rules, "PROBATION_MONTHS", 18)
    message = rules.full_membership_error(admitted_on=dt.date(2024, 1, 10), ceremony_on=None, full_on=dt.date(2025, 1, 10))
    assert "khi đủ 18 tháng dự bị" in message
    assert "tức từ ngày 10/07/2025" in message


def test_the_transfer_and_attachment_help_texts_state_the_constants():
    within = member_forms.TransferWithinForm.base_fields
    assert f"trong {rules.TRANSFER_START_WORKING_DAYS} ngày làm việc" in str(within["cause_on"].help_text)
    assert f"trong {rules.TRANSFER_PRESENT_WORKING_DAYS} ngày làm việc" in str(within["letter_on"].help_text)
    attach = str(member_forms.AttachForm.base_fields["ends_on"].help_text)
    assert f"Từ {rules.TEMPORARY_MIN_MONTHS} tháng đến dưới {rules.TEMPORARY_WORK_MAX_MONTHS} tháng" in attach
    assert f"đến {rules.TEMPORARY_STUDY_MAX_MONTHS} tháng (đi học)" in attach
