"""Two cells called «Chi bộ Văn phòng»: the user pages name each assignment's organization
with its parent (orgs.labels), in the lists and in the assignment form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.testing import make_user
from orgs.testing import found_same_named_cell

FINANCE_OFFICE = "Chi bộ Văn phòng — Đảng bộ Sở Tài chính"
CONSTRUCTION_OFFICE = "Chi bộ Văn phòng — Đảng bộ Sở Xây dựng"


@pytest.fixture
def secretaries(cast):
    twin = found_same_named_cell(cast.tree)
    return make_user("bithu.xaydung", "Vũ Thị Hoa", (twin.cell, Role.CELL_SECRETARY), (cast.tree.office_cell, Role.MEMBER))


def test_the_user_page_names_the_parent_of_each_assigned_cell(client, cast, secretaries):
    client.force_login(cast.admin)
    response = client.get(reverse("accounts:user_detail", args=[secretaries.pk]))
    table = response.content.decode().split('data-testid="assignments"', 1)[1].split("</table>", 1)[0]
    assert FINANCE_OFFICE in table and CONSTRUCTION_OFFICE in table
    shown = [str(label) for _value, label in response.context["assignment_form"].fields["organization"].choices]
    assert any(label.strip() == FINANCE_OFFICE for label in shown)
    assert any(label.strip() == CONSTRUCTION_OFFICE for label in shown)


def test_the_user_list_names_the_parent_of_each_assigned_cell(client, cast, secretaries):
    client.force_login(cast.admin)
    body = client.get(reverse("accounts:user_list"), {"q": "hoa"}).content.decode()
    assert f"Bí thư chi bộ @ {CONSTRUCTION_OFFICE}" in body
    assert f"Đảng viên @ {FINANCE_OFFICE}" in body
