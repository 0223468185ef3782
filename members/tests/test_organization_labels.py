"""Two cells called «Chi bộ Văn phòng»: the member pages name each with its parent
(orgs.labels), and only a parent the reader may read."""

import re

import pytest
from django.urls import reverse

from orgs.testing import found_same_named_cell

FINANCE_OFFICE = "Chi bộ Văn phòng — Đảng bộ Sở Tài chính"
CONSTRUCTION_OFFICE = "Chi bộ Văn phòng — Đảng bộ Sở Xây dựng"
PICKER = reverse("members:organization_picker")
LIST = reverse("members:member_list")


@pytest.fixture
def twin(cast):
    return found_same_named_cell(cast.tree)


def picked_names(response) -> dict[str, str]:
    """What each option of the picker puts in the box when chosen, by code."""
    assert response.status_code == 200
    return dict(re.findall(r'data-code="([^"]+)" data-name="([^"]+)"', response.content.decode()))


def test_the_picker_tells_the_two_cells_apart_by_their_parents(client, cast, twin):
    client.force_login(cast.upper)
    found = picked_names(client.get(PICKER, {"q": "van phong"}))
    assert found == {"cb-van-phong": FINANCE_OFFICE, "xd-van-phong": CONSTRUCTION_OFFICE}


def test_the_picker_names_no_parent_the_cell_secretary_may_not_read(client, cast, twin):
    client.force_login(cast.cell)
    response = client.get(PICKER, {"q": "van phong"})
    assert picked_names(response) == {"cb-van-phong": "Chi bộ Văn phòng"}
    assert "Sở Tài chính" not in response.content.decode()


def test_the_list_shows_the_chosen_cell_with_its_parent_and_reads_it_back(client, cast, twin):
    client.force_login(cast.upper)
    response = client.get(LIST, {"organization": "xd-van-phong"})
    assert response.context["organization_picker"].text == CONSTRUCTION_OFFICE
    # The picker sends its text back with the code: the label still means that cell.
    again = client.get(LIST, {"organization": "xd-van-phong", "organization_text": CONSTRUCTION_OFFICE})
    assert again.context["filter"].form.cleaned_data["organization"] == twin.cell


def test_the_cell_select_of_the_add_form_names_each_parent(client, cast, twin):
    client.force_login(cast.upper)
    response = client.get(reverse("members:member_create"))
    assert response.status_code == 200
    shown = [str(label) for _value, label in response.context["form"].fields["organization"].choices]
    assert FINANCE_OFFICE in shown and CONSTRUCTION_OFFICE in shown


def test_the_scope_picker_of_the_statistics_names_the_chosen_cell_with_its_parent(client, cast, twin):
    # The statistics pick their organization with the member list's search box (a select of
    # every organization in scope took most of the page's time at province size).
    client.force_login(cast.upper)
    body = client.get(reverse("members:member_statistics"), {"organization": "xd-van-phong"}).content.decode()
    assert CONSTRUCTION_OFFICE in body and FINANCE_OFFICE not in body
    body = client.get(reverse("members:member_statistics"), {"organization": "cb-van-phong"}).content.decode()
    assert FINANCE_OFFICE in body and CONSTRUCTION_OFFICE not in body
