"""The member list counts the members in the party by default; everyone recorded is a filter away."""

import datetime as dt

import pytest
from django.urls import reverse

from members.filters import ALL_STATUSES, IN_PARTY
from members.models import Status
from members.services import member_change_status, member_transfer_out
from members.tests._people import add_people

URL = reverse("members:member_list")
DAY = dt.date.today() - dt.timedelta(days=10)


@pytest.fixture
def people(cast):
    people = add_people(cast.tree)
    member_transfer_out(member=people.an, destination="Đảng bộ tỉnh Lạng Sơn", letter_no="12-GGT", letter_on=DAY)
    member_change_status(member=people.lan, status=Status.DECEASED, effective_on=DAY)
    return people


def test_the_list_counts_only_members_in_the_party_by_default(client, cast, people):
    client.force_login(cast.upper)
    response = client.get(URL)
    assert response.context["total"] == 3
    page = response.content.decode()
    assert "Trần Văn An" not in page and "Phạm Thị Lan" not in page
    assert f'<option value="{IN_PARTY}" selected>' in page


def test_all_statuses_are_one_choice_away(client, cast, people):
    client.force_login(cast.upper)
    response = client.get(URL, {"status": ALL_STATUSES})
    assert response.context["total"] == 5
    assert "Trần Văn An" in response.content.decode()
    assert client.get(URL, {"status": Status.TRANSFERRED_OUT}).context["total"] == 1


def test_the_export_counts_what_the_page_counts(client, cast, people):
    client.force_login(cast.upper)
    default = b"".join(client.get(reverse("members:member_export_csv")).streaming_content).decode("utf-8-sig")
    response = client.get(reverse("members:member_export_csv"), {"status": ALL_STATUSES})
    everyone = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Trần,Văn,An" not in default and "Trần,Văn,An" in everyone
