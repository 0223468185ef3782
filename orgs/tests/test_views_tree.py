"""The tree browser, its htmx children partial, its search and the tree as of a date."""

import datetime as dt

import pytest
from django.urls import reverse

from orgs.services import NewOrgSpec, organization_dissolve, organization_found, organization_rename

TREE = reverse("orgs:organization_tree")
AS_OF = reverse("orgs:organization_tree_as_of")


def children_url(org, **params):
    url = reverse("orgs:organization_children", args=[org.code])
    return url + ("?giai_the=1" if params.get("dissolved") else "")


def test_an_administrator_starts_at_the_top_of_the_tree(client, cast):
    client.force_login(cast.admin)
    response = client.get(TREE)
    assert response.status_code == 200
    roots = [o.code for o in response.context["nodes"]]
    assert roots == [cast.tree.province.code]
    assert reverse("orgs:organization_children", args=[cast.tree.province.code]).encode() in response.content


def test_an_upper_official_starts_at_the_committee_assigned_to_them(client, cast):
    client.force_login(cast.upper)
    response = client.get(TREE)
    assert [o.code for o in response.context["nodes"]] == [cast.tree.bloc.code]
    assert cast.tree.province.name not in response.content.decode()


def test_a_member_sees_only_their_cell(client, cast):
    client.force_login(cast.member)
    response = client.get(TREE)
    assert [o.code for o in response.context["nodes"]] == [cast.tree.office_cell.code]


def test_the_tree_requires_a_login(client, cast):
    response = client.get(TREE)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_expanding_a_node_returns_its_children_as_a_partial(client, cast):
    client.force_login(cast.upper)
    response = client.get(children_url(cast.tree.bloc), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert cast.tree.finance.name in body
    assert cast.tree.newspaper.name in body
    # The finance committee has cells: it gets its own expand button.
    assert children_url(cast.tree.finance) in body


def test_expanding_a_node_outside_the_scope_is_not_found(client, cast):
    client.force_login(cast.outsider)
    assert client.get(children_url(cast.tree.bloc)).status_code == 404


def test_search_ignores_diacritics_and_stays_within_the_scope(client, cast):
    client.force_login(cast.upper)
    response = client.get(TREE, {"q": "so tai CHINH"})
    assert [o.code for o, _parent in response.context["results"]] == [cast.tree.finance.code]
    assert "trực thuộc Đảng bộ Khối các cơ quan tỉnh" in response.content.decode()

    client.force_login(cast.outsider)
    response = client.get(TREE, {"q": "tài chính"})
    assert response.context["results"] == []


def test_dissolved_organizations_show_only_when_asked_and_struck_through(client, cast):
    organization_dissolve(organization=cast.tree.newspaper, effective_on=dt.date(2022, 5, 1), decision_no="QĐ-77")
    client.force_login(cast.upper)
    hidden = client.get(children_url(cast.tree.bloc)).content.decode()
    assert cast.tree.newspaper.name not in hidden

    shown = client.get(children_url(cast.tree.bloc, dissolved=True)).content.decode()
    assert cast.tree.newspaper.name in shown
    assert 'class="dissolved"' in shown
    assert "01/05/2022" in shown


def test_the_tree_as_of_a_date_shows_the_name_an_organization_had_then(client, cast):
    organization_rename(organization=cast.tree.finance, name="Đảng bộ Sở Tài chính – Kế hoạch", effective_on=dt.date(2020, 3, 1))
    client.force_login(cast.upper)
    response = client.get(AS_OF, {"ngay": "31/12/2019"})
    assert response.status_code == 200
    names = [version.name for version, _indent, _visible in response.context["rows"]]
    assert "Đảng bộ Sở Tài chính" in names
    assert "Đảng bộ Sở Tài chính – Kế hoạch" not in names
    assert "Cây tổ chức tại ngày 31/12/2019" in response.content.decode()

    names_2020 = [v.name for v, _i, _vis in client.get(AS_OF, {"ngay": "01/06/2020"}).context["rows"]]
    assert "Đảng bộ Sở Tài chính – Kế hoạch" in names_2020


def test_the_tree_as_of_a_date_indents_by_depth_and_keeps_the_scope(client, cast):
    client.force_login(cast.upper)
    rows = client.get(AS_OF, {"ngay": "01/01/2019"}).context["rows"]
    indents = {version.organization_id: indent for version, indent, _visible in rows}
    assert indents[cast.tree.bloc.pk] == 0
    assert indents[cast.tree.finance.pk] == 1
    assert indents[cast.tree.office_cell.pk] == 2
    assert cast.tree.power.pk not in indents


def test_an_organization_founded_later_is_not_in_an_earlier_tree(client, cast):
    spec = NewOrgSpec(code="cb-moi", name="Chi bộ Thanh tra", kind=cast.tree.kinds["chi-bo"])
    organization_found(parent=cast.tree.finance, spec=spec, effective_on=dt.date(2021, 1, 4))
    client.force_login(cast.upper)
    names = [v.name for v, _i, _vis in client.get(AS_OF, {"ngay": "01/01/2020"}).context["rows"]]
    assert "Chi bộ Thanh tra" not in names


@pytest.mark.parametrize("raw", ["31/02/2020", "2020", "hôm qua"])
def test_a_bad_date_gives_a_clear_vietnamese_error(client, cast, raw):
    client.force_login(cast.upper)
    response = client.get(AS_OF, {"ngay": raw})
    assert response.status_code == 400
    assert "không hợp lệ" in response.context["error"]
    assert "dd/mm/yyyy" in response.content.decode()


def test_a_missing_date_asks_for_one(client, cast):
    client.force_login(cast.upper)
    response = client.get(AS_OF)
    assert response.status_code == 400
    assert "Hãy nhập ngày" in response.context["error"]


def _add_cells(tree, count):
    for i in range(count):
        spec = NewOrgSpec(code=f"cb-them-{i}", name=f"Chi bộ phòng số {i}", kind=tree.kinds["chi-bo"])
        organization_found(parent=tree.finance, spec=spec, effective_on=dt.date(2016, 1, 1))


def test_the_tree_page_query_count_does_not_grow_with_children(client, cast, django_assert_max_num_queries):
    _add_cells(cast.tree, 25)
    client.force_login(cast.upper)
    with django_assert_max_num_queries(7):
        assert client.get(TREE).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get(children_url(cast.tree.finance))
    assert response.content.decode().count("Chi bộ phòng số") == 25


def test_search_names_a_parent_only_when_the_reader_may_read_it(client, cast):
    client.force_login(cast.cell)  # the cell's parent, the finance department, lies outside their scope
    response = client.get(TREE, {"q": "van phong"})
    assert [o.code for o, _parent in response.context["results"]] == [cast.tree.office_cell.code]
    html = response.content.decode()
    assert cast.tree.office_cell.name in html and "Sở Tài chính" not in html
