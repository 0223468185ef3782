"""Two cells called «Chi bộ Văn phòng» are told apart by their parents: in the labels, the
change forms and the decisions recorded (orgs.labels)."""

import datetime as dt

import pytest
from django.urls import reverse

from orgs.labels import labels, org_label
from orgs.services import organization_dissolve, organization_merge, organization_rename
from orgs.testing import found_same_named_cell

FINANCE_OFFICE = "Chi bộ Văn phòng — Đảng bộ Sở Tài chính"
CONSTRUCTION_OFFICE = "Chi bộ Văn phòng — Đảng bộ Sở Xây dựng"


@pytest.fixture
def twin(cast):
    return found_same_named_cell(cast.tree)


def test_a_label_is_the_name_then_the_parent():
    assert org_label("Chi bộ Văn phòng", "Đảng bộ Sở Tài chính") == FINANCE_OFFICE
    assert org_label("Tỉnh ủy Bắc Giang", "") == "Tỉnh ủy Bắc Giang"


def test_a_list_is_labelled_with_each_parent_in_one_query(cast, twin, django_assert_num_queries):
    cast.upper.scope  # noqa: B018  (the reader's scope is read once per request, before)
    with django_assert_num_queries(1):
        found = labels([cast.tree.office_cell, twin.cell], user=cast.upper)
    assert found == {cast.tree.office_cell.pk: FINANCE_OFFICE, twin.cell.pk: CONSTRUCTION_OFFICE}


def test_a_parent_outside_the_readers_scope_is_not_named(cast, twin):
    assert labels([cast.tree.office_cell], user=cast.cell) == {cast.tree.office_cell.pk: "Chi bộ Văn phòng"}
    # The base secretary reads their committee, not the bloc above it.
    assert labels([cast.tree.finance], user=cast.base) == {cast.tree.finance.pk: "Đảng bộ Sở Tài chính"}


def test_the_merge_form_names_the_parent_of_each_same_named_cell(client, cast, twin):
    client.force_login(cast.upper)
    response = client.get(reverse("orgs:organization_merge", args=[cast.tree.budget_cell.code]))
    assert response.status_code == 200
    form = response.context["form"]
    for name in ("target", "others"):
        shown = [str(label) for _value, label in form.fields[name].choices]
        assert FINANCE_OFFICE in shown and CONSTRUCTION_OFFICE in shown
    body = response.content.decode()
    assert FINANCE_OFFICE in body and CONSTRUCTION_OFFICE in body
    assert "Chi bộ Ngân sách — Đảng bộ Sở Tài chính" in body  # the organization being merged


def test_the_move_form_names_each_committee_with_its_parent(client, cast, twin):
    client.force_login(cast.upper)
    response = client.get(reverse("orgs:organization_move", args=[cast.tree.office_cell.code]))
    shown = [str(label) for _value, label in response.context["form"].fields["new_parent"].choices]
    assert "Đảng bộ Sở Xây dựng — Đảng bộ Khối các cơ quan tỉnh" in shown


def test_a_merge_decision_names_the_parents_of_same_named_cells(cast, twin):
    result = organization_merge(sources=[twin.cell], target=cast.tree.office_cell, effective_on=dt.date(2023, 1, 2))
    expected = f"Hợp nhất «{CONSTRUCTION_OFFICE}» vào «{FINANCE_OFFICE}»."
    assert result.change.summary == expected
    assert f"«{CONSTRUCTION_OFFICE}» kết thúc hoạt động, hợp nhất vào «{FINANCE_OFFICE}»." in result.effects
    twin.cell.refresh_from_db()
    assert twin.cell.history.first().history_change_reason == f"Hợp nhất vào «{FINANCE_OFFICE}»"


def test_rename_and_dissolve_decisions_name_the_parent(cast, twin):
    renamed = organization_rename(organization=twin.cell, name="Chi bộ Hành chính", effective_on=dt.date(2022, 1, 3))
    assert renamed.change.summary == f"Đổi tên «{CONSTRUCTION_OFFICE}» thành «Chi bộ Hành chính»."
    dissolved = organization_dissolve(organization=cast.tree.office_cell, effective_on=dt.date(2022, 1, 3))
    assert dissolved.change.summary == f"Giải thể «{FINANCE_OFFICE}»."


def test_a_documents_header_names_the_body_above_the_issuer_but_not_the_central_level(tree):
    from orgs.labels import issuer_above
    from orgs.services import NewOrgSpec, organization_found

    assert issuer_above(tree.bloc) == tree.province.name.upper()
    assert issuer_above(tree.province) == ""  # the top of the tree
    root = organization_found(
        parent=None,
        spec=NewOrgSpec(code="tw", name="Đảng Cộng sản Việt Nam", kind=tree.kinds["trung-uong"]),
        effective_on=tree.province.founded_on,
    ).organization
    province = organization_found(
        parent=root,
        spec=NewOrgSpec(code="tinh-y", name="Tỉnh ủy Y", kind=tree.kinds["tinh"]),
        effective_on=tree.province.founded_on,
    ).organization
    assert issuer_above(province) == ""  # a provincial committee's documents name only itself
