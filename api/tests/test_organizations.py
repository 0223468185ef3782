import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from orgs.models import Organization, Term
from orgs.services import (
    NewOrgSpec,
    organization_dissolve,
    organization_found,
    organization_merge,
    organization_move,
    organization_rename,
    seat_assign,
    term_create,
)

URL = "/api/v1/organizations"


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [o["code"] for o in response.json()["items"]]


# ---------------------------------------------------------------------------------------
# List


def test_the_list_shows_an_upper_official_their_whole_bloc_in_tree_order(api_as):
    assert codes(api_as("upper").get(URL)) == ["khoi-cq", "so-tai-chinh", "cb-van-phong", "cb-ngan-sach", "bao-bg"]


def test_the_list_shows_an_administrator_every_organization_with_a_total(api_as):
    body = api_as("admin").get(URL, {"limit": 3, "offset": 2}).json()
    assert body["count"] == Organization.objects.count()
    assert [o["code"] for o in body["items"]] == ["so-tai-chinh", "cb-van-phong", "cb-ngan-sach"]
    assert (body["limit"], body["offset"]) == (3, 2)


def test_the_list_describes_each_organization(api_as):
    item = api_as("upper").get(URL, {"q": "tai chinh"}).json()["items"][0]
    assert item["code"] == "so-tai-chinh"
    assert item["kind"] == {
        "code": "dang-bo-co-so",
        "name": "Đảng bộ cơ sở",
        "level": "base_committee",
        "level_name": "Đảng bộ cơ sở",
    }
    assert item["sector"]["code"] == "co-quan-nha-nuoc"
    assert item["parent"] == "khoi-cq"
    assert item["children_count"] == 2
    assert item["is_active"] is True


def test_the_parent_of_a_scope_root_is_hidden_from_a_user_who_cannot_read_it(api_as):
    item = api_as("base").get(URL, {"q": "so-tai-chinh"}).json()["items"][0]
    assert item["parent"] is None


def test_search_ignores_diacritics_and_case(api_as):
    assert codes(api_as("admin").get(URL, {"q": "ĐIỆN LỰC"})) == ["dien-luc"]
    assert codes(api_as("admin").get(URL, {"q": "dien luc"})) == ["dien-luc"]
    assert codes(api_as("admin").get(URL, {"q": "bao bac giang"})) == ["bao-bg"]


def test_search_never_reaches_outside_the_scope(api_as):
    assert codes(api_as("base").get(URL, {"q": "dien luc"})) == []


def test_the_list_filters_by_kind_level_sector_and_parent(api_as):
    client = api_as("admin")
    assert codes(client.get(URL, {"kind": "chi-bo"})) == ["cb-van-phong", "cb-ngan-sach"]
    assert codes(client.get(URL, {"level": "base_cell"})) == ["bao-bg"]
    assert codes(client.get(URL, {"sector": "doanh-nghiep"})) == ["dien-luc"]
    assert codes(client.get(URL, {"parent": "khoi-cq"})) == ["so-tai-chinh", "bao-bg"]


def test_empty_filters_as_a_form_sends_them_mean_no_filter(api_as):
    response = api_as("base").get(f"{URL}?q=&kind=&level=&sector=&parent=&active=&as_of=")
    assert codes(response) == ["so-tai-chinh", "cb-van-phong", "cb-ngan-sach"]


def test_unknown_filter_values_give_an_empty_list(api_as):
    client = api_as("admin")
    for params in ({"kind": "khong-co"}, {"sector": "khong-co"}, {"parent": "khong-co"}):
        assert codes(client.get(URL, params)) == []


def test_a_parent_outside_the_scope_gives_an_empty_list(api_as):
    assert codes(api_as("base").get(URL, {"parent": "khoi-dn"})) == []


def test_the_list_filters_by_activity_and_by_existence_on_a_date(api_as, tree):
    organization_dissolve(organization=tree.budget_cell, effective_on=dt.date(2020, 6, 1))
    client = api_as("base")
    assert codes(client.get(URL, {"active": "false"})) == ["cb-ngan-sach"]
    assert codes(client.get(URL, {"active": "true"})) == ["so-tai-chinh", "cb-van-phong"]
    assert codes(client.get(URL, {"as_of": "01/01/2019"})) == ["so-tai-chinh", "cb-van-phong", "cb-ngan-sach"]
    assert codes(client.get(URL, {"as_of": "2021-01-01"})) == ["so-tai-chinh", "cb-van-phong"]
    assert codes(client.get(URL, {"as_of": "2014-12-31"})) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"as_of": "31/02/2020"}, "as_of"),
        ({"as_of": "hôm qua"}, "as_of"),
        ({"limit": "0"}, "limit"),
        ({"limit": "-5"}, "limit"),
        ({"limit": "abc"}, "limit"),
        ({"offset": "99999999999999999999999"}, "offset"),
        ({"level": "ward"}, "level"),
        ({"kind": "có dấu"}, "kind"),
        ({"active": "maybe"}, "active"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_bad_query_parameters_answer_422_in_vietnamese(api_as, params, field):
    response = api_as("admin").get(URL, params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Yêu cầu không hợp lệ")
    assert [e["field"] for e in body["errors"]] == [field]
    assert all(e["message"] for e in body["errors"])


def test_an_invalid_date_is_explained_in_vietnamese(api_as):
    body = api_as("admin").get(URL, {"as_of": "31/02/2020"}).json()
    assert "dd/mm/yyyy" in body["errors"][0]["message"]


def test_a_page_far_beyond_the_end_is_empty_not_an_error(api_as):
    body = api_as("admin").get(URL, {"offset": 1_000_000_000}).json()
    assert body["items"] == []
    assert body["count"] == Organization.objects.count()


def test_unknown_query_parameters_are_ignored(api_as):
    assert len(codes(api_as("base").get(URL, {"color": "red"}))) == 3


def test_the_list_runs_a_fixed_number_of_queries_whatever_its_length(api_as, tree):
    client = api_as("upper")

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    before = count_queries()
    for i in range(10):
        spec = NewOrgSpec(
            code=f"cb-them-{i}", name=f"Chi bộ thêm {i}", kind=tree.kinds["chi-bo"], sector=tree.sectors["co-quan-nha-nuoc"]
        )
        organization_found(parent=tree.finance, spec=spec, effective_on=dt.date(2016, 1, 1))
    assert count_queries() == before
    # token lookup, its last-use stamp, assignments, count, page, parents
    assert before == 6


# ---------------------------------------------------------------------------------------
# Detail and children


def test_the_detail_shows_an_organization_in_scope(api_as, tree):
    body = api_as("base").get(f"{URL}/cb-van-phong").json()
    assert body["name"] == "Chi bộ Văn phòng"
    assert body["parent"] == "so-tai-chinh"
    assert body["path"] == Organization.objects.get(code="cb-van-phong").path
    assert body["depth"] == 4
    assert body["founded_on"] == "2015-01-05"
    assert body["founding_decision"] == "QĐ-cb-van-phong"
    assert body["children_count"] == 0
    assert body["successor"] is None


def test_an_organization_outside_the_scope_is_not_found(api_as):
    response = api_as("outsider").get(f"{URL}/so-tai-chinh")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def test_an_unknown_code_is_not_found(api_as):
    assert api_as("admin").get(f"{URL}/khong-ton-tai").status_code == 404


def test_a_code_that_is_not_a_slug_answers_422(api_as):
    response = api_as("admin").get(f"{URL}/t%C3%A0i-ch%C3%ADnh")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "code"


def test_an_address_under_the_api_that_matches_nothing_answers_a_json_404(api_as):
    for path in (f"{URL}/a/b/c", "/api/v1/khong-co", f"{URL}/"):
        response = api_as("admin").get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Không tìm thấy."}


def test_a_member_sees_their_own_cell_but_not_its_committee(api_as):
    client = api_as("member")
    assert codes(client.get(URL)) == ["cb-van-phong"]
    assert client.get(f"{URL}/so-tai-chinh").status_code == 404


def test_children_are_the_direct_children_in_scope(api_as):
    assert codes(api_as("upper").get(f"{URL}/khoi-cq/children")) == ["so-tai-chinh", "bao-bg"]
    assert codes(api_as("admin").get(f"{URL}/tinh-bg/children")) == ["khoi-cq", "khoi-dn"]


def test_children_of_an_organization_outside_the_scope_are_not_found(api_as):
    assert api_as("base").get(f"{URL}/khoi-dn/children").status_code == 404


# ---------------------------------------------------------------------------------------
# Tree as of a date


def test_the_tree_shows_the_subtree_with_the_names_it_had_on_the_date(api_as, tree):
    organization_rename(organization=tree.finance, name="Đảng bộ Sở Tài chính – Kế hoạch", effective_on=dt.date(2022, 1, 1))
    client = api_as("base")
    old = client.get(f"{URL}/so-tai-chinh/tree", {"date": "01/06/2020"}).json()
    new = client.get(f"{URL}/so-tai-chinh/tree", {"date": "2023-01-01"}).json()
    assert old["root"] == "so-tai-chinh"
    assert old["date"] == "2020-06-01"
    assert [n["code"] for n in old["nodes"]] == ["so-tai-chinh", "cb-van-phong", "cb-ngan-sach"]
    assert old["nodes"][0]["name"] == "Đảng bộ Sở Tài chính"
    assert new["nodes"][0]["name"] == "Đảng bộ Sở Tài chính – Kế hoạch"
    assert old["nodes"][0]["parent"] is None
    assert old["nodes"][1]["parent"] == "so-tai-chinh"
    assert old["count"] == 3


def test_the_tree_follows_a_move_in_time(api_as, tree):
    organization_move(organization=tree.newspaper, new_parent=tree.business, effective_on=dt.date(2022, 1, 1))
    client = api_as("admin")
    before = [n["code"] for n in client.get(f"{URL}/khoi-cq/tree", {"date": "2021-12-31"}).json()["nodes"]]
    after = [n["code"] for n in client.get(f"{URL}/khoi-cq/tree", {"date": "2022-01-01"}).json()["nodes"]]
    assert "bao-bg" in before
    assert "bao-bg" not in after


def test_the_tree_can_stop_at_a_depth(api_as):
    body = api_as("admin").get(f"{URL}/tinh-bg/tree", {"date": "2020-01-01", "max_depth": 1}).json()
    assert [n["code"] for n in body["nodes"]] == ["tinh-bg", "khoi-cq", "khoi-dn"]


def test_the_tree_of_an_organization_before_it_existed_is_not_found(api_as):
    response = api_as("base").get(f"{URL}/so-tai-chinh/tree", {"date": "2010-01-01"})
    assert response.status_code == 404
    assert "không tồn tại vào ngày 01/01/2010" in response.json()["detail"]


def test_the_tree_stays_within_the_scope(api_as):
    body = api_as("base").get(f"{URL}/so-tai-chinh/tree", {"date": "2020-01-01"}).json()
    assert {n["code"] for n in body["nodes"]} == {"so-tai-chinh", "cb-van-phong", "cb-ngan-sach"}
    assert api_as("base").get(f"{URL}/khoi-cq/tree", {"date": "2020-01-01"}).status_code == 404


def test_the_tree_refuses_a_bad_date_with_422(api_as):
    assert api_as("base").get(f"{URL}/so-tai-chinh/tree", {"date": "2020-13-01"}).status_code == 422


# ---------------------------------------------------------------------------------------
# History and terms


def test_history_lists_the_dated_changes_and_the_edits_with_before_and_after(api_as, tree, cast):
    organization_rename(
        organization=tree.finance,
        name="Đảng bộ Sở Tài chính mới",
        effective_on=dt.date(2022, 1, 1),
        decision_no="15-QĐ/ĐUK",
        user=cast.upper,
    )
    body = api_as("base").get(f"{URL}/so-tai-chinh/history").json()
    kinds = [(c["kind"], c["decision_no"]) for c in body["changes"]]
    assert kinds[0] == ("rename", "15-QĐ/ĐUK")
    assert ("found", "QĐ-so-tai-chinh") in kinds
    assert body["changes"][0]["kind_name"] == "Đổi tên"
    assert "subject" in body["changes"][0]["roles"]
    rename = next(r for r in body["records"] if any(ch["field"] == "name" for ch in r["changes"]))
    change = next(ch for ch in rename["changes"] if ch["field"] == "name")
    assert (change["old"], change["new"]) == ("Đảng bộ Sở Tài chính", "Đảng bộ Sở Tài chính mới")
    assert change["label"] == "Tên"
    assert body["records"][-1]["type"] == "created"


def test_history_hides_a_successor_the_reader_may_not_read_as_the_detail_does(api_as, tree):
    # The newspaper's cell (in the bloc) is merged into the power company (outside the bloc).
    organization_merge(sources=[tree.newspaper], target=tree.power, effective_on=dt.date(2020, 1, 1))
    client = api_as("upper")
    assert client.get(f"{URL}/bao-bg").json()["successor"] is None
    body = client.get(f"{URL}/bao-bg/history").json()
    successor_changes = [ch for r in body["records"] for ch in r["changes"] if ch["field"] == "successor"]
    assert successor_changes and all(ch["new"] is None for ch in successor_changes)
    assert "dien-luc" not in str(body)
    # The administrator reads both, and sees the code.
    assert api_as("admin").get(f"{URL}/bao-bg").json()["successor"] == "dien-luc"
    admin_body = api_as("admin").get(f"{URL}/bao-bg/history").json()
    assert any(ch["new"] == "dien-luc" for r in admin_body["records"] for ch in r["changes"])


def test_history_of_an_organization_outside_the_scope_is_not_found(api_as):
    assert api_as("outsider").get(f"{URL}/so-tai-chinh/history").status_code == 404


def test_terms_list_each_term_with_its_seats(api_as, tree):
    term = term_create(organization=tree.finance, name="2020–2025", starts_on=dt.date(2020, 8, 1), ends_on=dt.date(2025, 8, 1))
    term_create(organization=tree.finance, name="2015–2020", starts_on=dt.date(2015, 8, 1), ends_on=dt.date(2020, 8, 1))
    seat_assign(term=term, role="secretary", holder_name="Trần Văn Bình", started_on=dt.date(2020, 8, 1), decision_no="01-QĐ")
    body = api_as("base").get(f"{URL}/so-tai-chinh/terms").json()
    assert body["count"] == 2 == Term.objects.filter(organization=tree.finance).count()
    latest = body["items"][0]
    assert latest["name"] == "2020–2025"
    assert latest["seats"] == [
        {
            "role": "secretary",
            "role_name": "Bí thư",
            "holder_name": "Trần Văn Bình",
            "started_on": "2020-08-01",
            "ended_on": None,
            "decision_no": "01-QĐ",
        }
    ]
    assert body["items"][1]["seats"] == []


def test_terms_of_an_organization_outside_the_scope_are_not_found(api_as):
    assert api_as("outsider").get(f"{URL}/so-tai-chinh/terms").status_code == 404


def test_unauthenticated_calls_to_every_read_answer_401(cast):
    client = Client()
    for path in (
        URL,
        f"{URL}/so-tai-chinh",
        f"{URL}/so-tai-chinh/children",
        f"{URL}/so-tai-chinh/tree",
        f"{URL}/so-tai-chinh/history",
        f"{URL}/so-tai-chinh/terms",
        "/api/v1/me",
    ):
        assert client.get(path).status_code == 401, path
