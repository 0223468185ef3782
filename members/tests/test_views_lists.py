"""The working lists: probationary members due, badges due by an award date, overdue transfers."""

import datetime as dt

import pytest
from django.urls import reverse

from members import rules
from members.models import Member
from members.services import member_transfer_within
from members.testing import add_member
from members.tests._people import add_people

TODAY = dt.date.today()


@pytest.fixture
def people(cast):
    return add_people(cast.tree)


def test_probationary_members_due_are_listed_with_their_deadline(client, cast, people):
    due = add_member(
        cast.tree.office_cell,
        given_name="Tâm",
        admitted_on=rules.add_months(TODAY, -12) - dt.timedelta(days=3),
        full_member_on=None,
    )
    client.force_login(cast.base)
    response = client.get(reverse("members:member_probation_due"))
    assert response.status_code == 200
    rows = {r.member.pk: r for r in response.context["rows"]}
    assert due.pk in rows
    expected = rules.full_consideration_deadline(admitted_on=due.admitted_on, ceremony_on=None)
    assert rows[due.pk].deadline == expected
    assert expected.strftime("%d/%m/%Y") in response.content.decode()


def test_badges_due_default_to_the_third_of_february_next_year(client, cast, people):
    # Forty years of party age on 10 January next year: the 40-year badge is due by 3 February.
    veteran = add_member(
        cast.tree.office_cell, given_name="Thọ", birth_date=dt.date(1950, 1, 1), admitted_on=dt.date(TODAY.year - 39, 1, 10)
    )
    client.force_login(cast.base)
    response = client.get(reverse("members:member_badges_due"))
    assert response.context["award_on"] == dt.date(TODAY.year + 1, 2, 3)
    rows = response.context["rows"]
    assert [(r.member.pk, r.years) for r in rows] == [(veteran.pk, 40)]


def test_badges_due_by_national_day_or_a_free_date(client, cast, people):
    client.force_login(cast.base)
    url = reverse("members:member_badges_due")
    response = client.get(url, {"occasion": "0209", "year": "2030"})
    assert response.context["award_on"] == dt.date(2030, 9, 2)
    response = client.get(url, {"occasion": "", "award_date": "19/05/2031"})
    assert response.context["award_on"] == dt.date(2031, 5, 19)
    # Admitted in March 2010, full members reach 30 years in March 2040.
    response = client.get(url, {"occasion": "", "award_date": "01/04/2040"})
    assert {r.member.pk for r in response.context["rows"]} >= {people.duc.pk, people.binh.pk}


def test_overdue_transfers_are_listed(client, cast, people):
    member_transfer_within(member=people.duc, to_organization=cast.tree.budget_cell, cause_on=TODAY - dt.timedelta(days=200))
    client.force_login(cast.base)
    response = client.get(reverse("members:transfer_overdue"))
    [row] = response.context["rows"]
    assert row.transfer.member == people.duc
    assert "Nguyễn Văn Đức" in response.content.decode()


def test_the_lists_keep_to_the_users_scope(client, cast, people):
    member_transfer_within(member=people.duc, to_organization=cast.tree.budget_cell, cause_on=TODAY - dt.timedelta(days=200))
    client.force_login(cast.outsider)
    assert client.get(reverse("members:transfer_overdue")).context["rows"] == []
    Member.objects.filter(pk=people.an.pk).update(user=cast.member)
    client.force_login(cast.member)
    assert client.get(reverse("members:transfer_overdue")).context["rows"] == []


def test_the_badges_form_shows_the_award_date_the_page_counts_to(client, cast, people):
    client.force_login(cast.base)
    response = client.get(reverse("members:member_badges_due"))
    form = response.context["form"]
    year = TODAY.year + 1
    assert (form["occasion"].value(), form["year"].value()) == ("0302", str(year))
    page = response.content.decode()
    assert f"ngày trao tặng 03/02/{year}" in page
    assert '<option value="0302" selected>' in page


def test_an_occasion_without_a_year_shows_the_year_used(client, cast, people):
    client.force_login(cast.base)
    response = client.get(reverse("members:member_badges_due"), {"occasion": "0209", "year": ""})
    assert response.context["form"]["year"].value() == str(TODAY.year + 1)
    assert response.context["award_on"] == dt.date(TODAY.year + 1, 9, 2)


def test_another_date_without_a_date_asks_for_one_and_claims_no_date(client, cast, people):
    client.force_login(cast.base)
    response = client.get(reverse("members:member_badges_due"), {"occasion": "", "year": ""})
    assert response.context["form"].errors["award_date"]
    assert response.context["award_on"] is None
    assert 'data-testid="award-on"' not in response.content.decode()
