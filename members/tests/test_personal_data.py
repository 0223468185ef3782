"""CCCD and phone are shown, and searchable, only to the member and to those who keep the register."""

import pytest
from django.urls import reverse

from members.models import Member
from members.testing import add_member

CCCD = "024190001234"


@pytest.fixture
def member(cast):
    return add_member(cast.tree.office_cell, family_name="Nguyễn", middle_name="Văn", given_name="Đức", national_id=CCCD)


def search(client, user, text):
    client.force_login(user)
    response = client.get(reverse("members:member_list"), {"q": text})
    assert response.status_code == 200
    return [row.record.pk for row in response.context["table"].page.object_list]


def test_a_register_keeper_finds_a_member_by_the_whole_cccd(client, cast, member):
    assert search(client, cast.cell, CCCD) == [member.pk]


def test_a_viewer_cannot_find_a_member_by_cccd(client, cast, member):
    assert search(client, cast.viewer, CCCD) == []
    assert search(client, cast.viewer, "nguyen van duc") == [member.pk]


def test_part_of_a_cccd_finds_nobody_even_for_a_keeper(client, cast, member):
    assert search(client, cast.cell, CCCD[:6]) == []


def test_the_member_page_hides_the_cccd_from_a_viewer(client, cast, member):
    client.force_login(cast.viewer)
    page = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert CCCD not in page
    client.force_login(cast.cell)
    page = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert CCCD in page


def test_the_stored_search_text_holds_no_cccd(member):
    assert CCCD not in Member.objects.get(pk=member.pk).search_text
