"""The home page: each user's working lists with counts and links; a member's own record."""

import datetime as dt

import pytest
from django.urls import reverse

from members.models import Member
from members.services import member_transfer_within
from members.testing import add_member
from members.tests._people import add_people

TODAY = dt.date.today()


@pytest.fixture
def people(cast):
    people = add_people(cast.tree)
    # Due: a probationary member admitted 12 months ago in the office cell, and one in the power company.
    people.due = add_member(
        cast.tree.office_cell, given_name="Dung", admitted_on=TODAY - dt.timedelta(days=370), full_member_on=None
    )
    # Overdue: a transfer whose cause is 200 days old and that has no letter yet.
    member_transfer_within(member=people.an, to_organization=cast.tree.budget_cell, cause_on=TODAY - dt.timedelta(days=200))
    return people


def counts(response):
    return {item.key: item.count for item in response.context["working_lists"]}


@pytest.mark.parametrize("who", ["admin", "upper", "base", "cell", "viewer"])
def test_each_reader_of_the_register_sees_their_working_lists_with_links(client, cast, people, who):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("home"))
    page = response.content.decode()
    for name in ("members:member_probation_due", "members:member_badges_due", "members:transfer_overdue"):
        assert reverse(name) in page
    found = counts(response)
    assert found["probation"] >= 1 and found["transfers"] == 1


def test_the_counts_are_those_of_the_linked_pages(client, cast, people):
    client.force_login(cast.cell)
    found = counts(client.get(reverse("home")))
    assert found["probation"] == len(client.get(reverse("members:member_probation_due")).context["rows"])
    assert found["badges"] == len(client.get(reverse("members:member_badges_due")).context["rows"])
    assert found["transfers"] == len(client.get(reverse("members:transfer_overdue")).context["rows"])


def test_a_cell_secretary_counts_only_their_cell(client, cast, people):
    Member.objects.filter(pk=people.hoa.pk).update(admitted_on=TODAY - dt.timedelta(days=370))  # budget cell, due too
    client.force_login(cast.cell)
    assert counts(client.get(reverse("home")))["probation"] == 1
    client.force_login(cast.base)
    assert counts(client.get(reverse("home")))["probation"] == 2


def test_an_outsider_sees_none_of_these_members(client, cast, people):
    client.force_login(cast.outsider)
    found = counts(client.get(reverse("home")))
    assert found["transfers"] == 0 and found["probation"] == 0


def test_a_member_sees_their_own_record_and_no_working_lists(client, cast, people):
    Member.objects.filter(pk=people.duc.pk).update(user=cast.member)
    client.force_login(cast.member)
    response = client.get(reverse("home"))
    assert response.context["working_lists"] == []
    page = response.content.decode()
    assert reverse("members:member_detail", args=[people.duc.pk]) in page
    assert 'data-testid="my-record"' in page


def test_my_record_leads_to_the_member_page(client, cast, people):
    Member.objects.filter(pk=people.duc.pk).update(user=cast.member)
    client.force_login(cast.member)
    response = client.get(reverse("members:my_record"))
    assert response.status_code == 302
    assert response.url == reverse("members:member_detail", args=[people.duc.pk])
    assert client.get(response.url).status_code == 200


def test_my_record_says_when_the_account_has_none(client, cast):
    client.force_login(cast.viewer)
    response = client.get(reverse("members:my_record"))
    assert response.status_code == 404
    assert 'data-testid="no-record"' in response.content.decode()
