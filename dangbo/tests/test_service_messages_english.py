"""Service messages are translated: with English active, a refusal from each service module reads in English.

One representative ``ValidationError`` (or import row message) per module: renaming an
organization to an empty name, a status change dated before the admission, a blank
required cell in an import, a working day declared on a weekday. The English texts come
from ``locale/en``; a message left unwrapped would come out in Vietnamese.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lib.importer import Column, ImportSpec, Text, parse
from lib.tabular import write_csv
from members.models import Status
from members.services import member_change_status
from members.testing import add_member
from orgs.services import organization_rename
from workdays.services import working_day_create


def messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def test_renaming_an_organization_to_an_empty_name_is_refused_in_english(cast):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        organization_rename(organization=cast.tree.office_cell, name="  ", effective_on=dt.date.today(), user=cast.admin)
    assert messages(caught.value) == ["Enter the new name."]


def test_a_status_change_dated_before_the_admission_is_refused_in_english(cast):
    member = add_member(cast.tree.office_cell, admitted_on=dt.date(2015, 5, 19))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        member_change_status(member=member, status=Status.SUSPENDED, effective_on=dt.date(2015, 5, 18), user=cast.admin)
    assert messages(caught.value) == ["The effective date must be on or after the date of admission."]


def test_an_import_row_with_a_blank_required_cell_is_reported_in_english():
    spec = ImportSpec(
        columns=[Column("name", "Họ và tên", Text(max_length=40), required=True), Column("note", "Ghi chú", Text())]
    )
    data = write_csv(["Họ và tên", "Ghi chú"], [["", "x"]])
    with translation.override("en"):
        result = parse(data, "danh-sach.csv", spec)
        assert result.messages() == ["Row 2, column Họ và tên: must not be empty"]


def test_declaring_a_weekday_a_worked_day_is_refused_in_english(db):
    monday = dt.date(2025, 3, 10)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        working_day_create(date=monday, reason="Làm bù")
    assert messages(caught.value) == ["10/03/2025 is not a Saturday or a Sunday: it is already a working day."]
