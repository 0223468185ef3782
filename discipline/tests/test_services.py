"""Recording and annulling discipline (Điều lệ Đảng, Điều 35; Quy định 69-QĐ/TW)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from discipline.models import Discipline, Form
from discipline.services import discipline_annul, discipline_record
from members.tests._people import add_people


@pytest.fixture
def people(cast):
    return add_people(cast.tree)


def test_a_full_member_can_be_expelled(people):
    discipline = discipline_record(
        member=people.duc, form=Form.EXPULSION, decided_on=dt.date(2025, 3, 1), decision_number="01-QĐ"
    )
    assert discipline.history.count() == 1


def test_a_probationary_member_is_only_reprimanded_or_warned(people):
    with pytest.raises(ValidationError) as error:
        discipline_record(member=people.hoa, form=Form.REMOVAL, decided_on=dt.date(2025, 3, 1), decision_number="01-QĐ")
    assert "Khiển trách, Cảnh cáo" in str(error.value)
    assert not Discipline.objects.exists()


def test_an_organization_can_be_dissolved_but_not_expelled(cast):
    discipline_record(
        organization=cast.tree.budget_cell, form=Form.DISSOLUTION, decided_on=dt.date(2025, 3, 1), decision_number="2"
    )
    with pytest.raises(ValidationError):
        discipline_record(
            organization=cast.tree.budget_cell, form=Form.EXPULSION, decided_on=dt.date(2025, 3, 1), decision_number="3"
        )


def test_a_discipline_needs_exactly_one_subject(cast, people):
    with pytest.raises(ValidationError):
        discipline_record(form=Form.WARNING, decided_on=dt.date(2025, 3, 1), decision_number="1")
    with pytest.raises(ValidationError):
        discipline_record(
            member=people.duc,
            organization=cast.tree.finance,
            form=Form.WARNING,
            decided_on=dt.date(2025, 3, 1),
            decision_number="1",
        )


def test_an_annulled_discipline_no_longer_counts_in_its_year(people):
    discipline = discipline_record(member=people.duc, form=Form.WARNING, decided_on=dt.date(2025, 3, 1), decision_number="1")
    assert Discipline.objects.in_force_in(2025).count() == 1
    discipline_annul(discipline=discipline, annulled_on=dt.date(2025, 9, 1), decision_number="9-QĐ")
    assert Discipline.objects.in_force_in(2025).count() == 0
    with pytest.raises(ValidationError):
        discipline_annul(discipline=discipline, annulled_on=dt.date(2025, 9, 2), decision_number="10-QĐ")


def test_disciplines_are_read_through_the_users_scope(cast, people):
    discipline_record(member=people.duc, form=Form.WARNING, decided_on=dt.date(2025, 3, 1), decision_number="1")
    discipline_record(organization=cast.tree.power, form=Form.WARNING, decided_on=dt.date(2025, 3, 1), decision_number="2")
    assert Discipline.objects.for_user(cast.base).count() == 1
    assert Discipline.objects.for_user(cast.outsider).count() == 1
    assert Discipline.objects.for_user(cast.admin).count() == 2
    assert Discipline.objects.for_user(cast.member).count() == 0
