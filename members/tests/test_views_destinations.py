"""Moves that need a destination cell are offered only to those who can pick one."""

import pytest
from django.urls import reverse

from members.models import Transfer
from members.tests._people import add_people


@pytest.fixture
def people(cast):
    return add_people(cast.tree)


def test_a_cell_secretary_is_not_offered_moves_to_cells_outside_their_scope(client, cast, people):
    client.force_login(cast.cell)
    page = client.get(reverse("members:member_detail", args=[people.duc.pk])).content.decode()
    assert reverse("members:member_transfer_within", args=[people.duc.pk]) not in page
    assert reverse("members:member_attach", args=[people.duc.pk]) not in page
    assert reverse("members:member_transfer_out", args=[people.duc.pk]) in page
    assert 'data-testid="handed-up"' in page
    assert "do đảng ủy cơ sở" in page


def test_the_transfer_form_explains_who_records_it_instead_of_an_empty_list(client, cast, people):
    client.force_login(cast.cell)
    for action in ("member_transfer_within", "member_attach"):
        response = client.get(reverse(f"members:{action}", args=[people.duc.pk]))
        page = response.content.decode()
        assert response.status_code == 200
        assert 'data-testid="unavailable"' in page
        assert "<select" not in page
        assert "Trường này là bắt buộc" not in page


def test_posting_a_move_without_a_destination_is_refused_and_saves_nothing(client, cast, people):
    client.force_login(cast.cell)
    data = {"to_organization": str(cast.tree.budget_cell.pk), "cause_on": "01/03/2025"}
    response = client.post(reverse("members:member_transfer_within_save", args=[people.duc.pk]), data)
    assert response.status_code == 400
    assert not Transfer.objects.filter(member=people.duc).exists()


def test_a_base_secretary_is_offered_the_moves_with_the_other_cell_as_destination(client, cast, people):
    client.force_login(cast.base)
    page = client.get(reverse("members:member_detail", args=[people.duc.pk])).content.decode()
    assert reverse("members:member_transfer_within", args=[people.duc.pk]) in page
    assert 'data-testid="handed-up"' not in page
    form = client.get(reverse("members:member_transfer_within", args=[people.duc.pk])).context["form"]
    assert list(form.fields["to_organization"].queryset) == [cast.tree.budget_cell]
