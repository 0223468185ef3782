"""GET /api/v1/members and /members/{id}: scope, the page's filters, search without diacritics, sorting, the record."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from members import rules
from members.filters import MemberFilter
from members.models import Ethnicity, Member, PoliticalTheory
from members.services import member_attach_temporarily
from members.testing import add_member, spelled
from orgs.models import Organization
from orgs.services import NewOrgSpec, organization_found
from orgs.testing import FOUNDED

URL = "/api/v1/members"


def detail_url(member: Member) -> str:
    return f"{URL}/{member.pk}"


@pytest.fixture
def people(cast):
    """Six members in the bloc (one a youth, one probationary, one linked to cast.member's account)
    and one in a cell of Điện lực, outside every scope but the outsider's and the administrator's."""
    tree = cast.tree
    power_cell = organization_found(
        parent=tree.power,
        spec=NewOrgSpec(code="cb-ky-thuat", name="Chi bộ Phòng Kỹ thuật", kind=tree.kinds["chi-bo"]),
        effective_on=FOUNDED,
    ).organization
    kinh, tay = Ethnicity.objects.get(name="Kinh"), Ethnicity.objects.get(name="Tày")
    return SimpleNamespace(
        duc=add_member(
            tree.office_cell,
            family_name="Nguyễn",
            middle_name="Văn",
            given_name="Đức",
            card_number="TH-0001",
            national_id="024080001234",
            phone="0912345678",
            ethnicity=kinh,
            political_theory=PoliticalTheory.objects.get(code="trung-cap"),
            hometown="Xã Tân Dĩnh, huyện Lạng Giang",
            job="Công chức",
            post="Chánh Văn phòng",
            host_unit="Sở Tài chính",
            profile_number="LL-17",
            professional_education_text="Cử nhân Kinh tế",
        ),
        an=add_member(
            tree.office_cell,
            family_name="Trần",
            middle_name="Văn",
            given_name="An",
            birth_date=dt.date(2000, 4, 2),
            admitted_on=dt.date(2021, 5, 19),
            account=cast.member,
            national_id="024200004321",
        ),
        binh=add_member(tree.budget_cell, family_name="Nguyễn", middle_name="Văn", given_name="Bình"),
        hoa=add_member(
            tree.budget_cell,
            family_name="Lê",
            middle_name="Thị",
            given_name="Hoa",
            sex="F",
            birth_date=dt.date(1985, 9, 2),
            admitted_on=dt.date.today() - dt.timedelta(days=60),
            full_member_on=None,
        ),
        dung=add_member(tree.newspaper, family_name="Hoàng", middle_name="Văn", given_name="Dũng", ethnicity=tay),
        lan=add_member(tree.newspaper, family_name="Phạm", middle_name="Thị", given_name="Lan", sex="F", ethnicity=tay),
        hung=add_member(power_cell, family_name="Đỗ", middle_name="Văn", given_name="Hùng"),
        power_cell=power_cell,
    )


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [m["full_name"] for m in response.json()["items"]]


def refusal(response, status: int = 422) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) <= {"detail", "errors"}
    return body


# ---------------------------------------------------------------------------------------
# The list: scope


def test_the_list_shows_an_upper_official_the_whole_bloc_sorted_by_given_name_the_vietnamese_way(api_as, cast, people):
    # Dũng before Đức: Vietnamese puts Đ after D, which folding to ASCII would not.
    body = api_as("upper").get(URL).json()
    assert [m["full_name"] for m in body["items"]] == [
        "Trần Văn An",
        "Nguyễn Văn Bình",
        "Hoàng Văn Dũng",
        "Nguyễn Văn Đức",
        "Lê Thị Hoa",
        "Phạm Thị Lan",
    ]
    assert body["count"] == Member.objects.for_user(cast.upper).count() == 6


def test_the_list_pages_with_limit_offset_and_the_total(api_as, people):
    body = api_as("upper").get(URL, {"limit": 2, "offset": 2}).json()
    assert (body["count"], body["limit"], body["offset"]) == (6, 2, 2)
    assert [m["full_name"] for m in body["items"]] == ["Hoàng Văn Dũng", "Nguyễn Văn Đức"]
    assert api_as("upper").get(URL, {"offset": 50}).json() == {"count": 6, "limit": 50, "offset": 50, "items": []}


def test_a_cell_secretary_sees_only_their_cell(api_as, people):
    assert names(api_as("cell").get(URL)) == ["Trần Văn An", "Nguyễn Văn Đức"]


def test_the_outsider_sees_only_the_members_of_their_own_committee(api_as, people):
    assert names(api_as("outsider").get(URL)) == ["Đỗ Văn Hùng"]


def test_the_administrator_sees_every_member(api_as, people):
    assert api_as("admin").get(URL).json()["count"] == Member.objects.count() == 7


def test_a_member_sees_only_their_own_record(api_as, people):
    client = api_as("member")
    assert names(client.get(URL)) == ["Trần Văn An"]
    assert client.get(detail_url(people.an)).status_code == 200
    for other in (people.duc, people.binh, people.hung):
        assert refusal(client.get(detail_url(other)), 404)["detail"] == "Không tìm thấy."


def test_a_token_carries_its_owner_s_scope_and_a_session_the_same(api_as, cast, people):
    by_token = names(api_as("base").get(URL))
    session = Client()
    session.force_login(cast.base)
    assert names(session.get(URL)) == by_token == ["Trần Văn An", "Nguyễn Văn Bình", "Nguyễn Văn Đức", "Lê Thị Hoa"]


def test_every_member_operation_refuses_a_caller_without_credentials(people):
    client = Client()
    for url in (
        URL,
        detail_url(people.duc),
        f"{detail_url(people.duc)}/status-history",
        f"{detail_url(people.duc)}/cell-history",
    ):
        body = refusal(client.get(url), 401)
        assert body["detail"].startswith("Chưa xác thực")
    assert refusal(Client(headers={"Authorization": "Bearer dbk_nonsense"}).get(URL), 401)


# ---------------------------------------------------------------------------------------
# The list: search, filters, sorting


def test_search_ignores_diacritics_and_case(api_as, people):
    client = api_as("upper")
    assert names(client.get(URL, {"q": "nguyen van duc"})) == ["Nguyễn Văn Đức"]
    assert names(client.get(URL, {"q": "NGUYỄN  đức"})) == ["Nguyễn Văn Đức"]
    assert names(client.get(URL, {"q": "th-0001"})) == ["Nguyễn Văn Đức"]
    assert names(client.get(URL, {"q": "van"})) == ["Trần Văn An", "Nguyễn Văn Bình", "Hoàng Văn Dũng", "Nguyễn Văn Đức"]


def test_search_never_reaches_outside_the_scope(api_as, people):
    assert names(api_as("base").get(URL, {"q": "hung"})) == []
    assert names(api_as("admin").get(URL, {"q": "hung"})) == ["Đỗ Văn Hùng"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"organization": "cb-ngan-sach"}, ["Nguyễn Văn Bình", "Lê Thị Hoa"]),
        ({"organization": "so-tai-chinh", "sex": "F"}, ["Lê Thị Hoa"]),
        ({"status": "probationary"}, ["Lê Thị Hoa"]),
        ({"status": "in_party", "organization": "bao-bg"}, ["Hoàng Văn Dũng", "Phạm Thị Lan"]),
        ({"ethnicity": "02"}, ["Hoàng Văn Dũng", "Phạm Thị Lan"]),
        ({"youth": "1"}, ["Trần Văn An"]),
        ({"age_band": "le30"}, ["Trần Văn An"]),
        ({"admitted_year": 2021}, ["Trần Văn An"]),
        ({"political_theory": "trung-cap"}, ["Nguyễn Văn Đức"]),
        ({"party_age": 15, "organization": "cb-van-phong"}, ["Nguyễn Văn Đức"]),
        ({"sort": "-name", "organization": "so-tai-chinh"}, ["Lê Thị Hoa", "Nguyễn Văn Đức", "Nguyễn Văn Bình", "Trần Văn An"]),
        ({"sort": "birth_date", "organization": "cb-van-phong"}, ["Nguyễn Văn Đức", "Trần Văn An"]),
    ],
)
def test_the_list_filters_and_sorts_with_the_page_s_parameters(api_as, people, params, expected):
    assert names(api_as("upper").get(URL, params)) == expected


def test_the_list_answers_exactly_what_the_page_s_filterset_selects(api_as, cast, people):
    params = {"status": "in_party", "sex": "M", "sort": "-birth_date", "q": "van"}
    request = RequestFactory().get("/dang-vien/", params)
    request.user = cast.upper
    page_ids = list(
        MemberFilter(request.GET, queryset=Member.objects.for_user(cast.upper), request=request).qs.values_list("pk", flat=True)
    )
    api_ids = [m["id"] for m in api_as("upper").get(URL, params).json()["items"]]
    assert api_ids == page_ids and len(api_ids) == 4


def test_the_documented_filter_values_are_those_the_filterset_accepts(api_as, people):
    parameters = api_as("admin").get("/api/v1/openapi.json").json()["paths"]["/api/v1/members"]["get"]["parameters"]
    documented = {p["name"]: p["schema"].get("anyOf", [p["schema"]])[0].get("enum") for p in parameters}
    form = MemberFilter({}, queryset=Member.objects.none()).form
    for name in ("status", "sex", "age_band", "youth", "sort"):
        accepted = [str(value) for value, _label in form.fields[name].choices if value != ""]
        assert sorted(documented[name]) == sorted(accepted), name
    assert set(documented) >= set(form.fields), "every filter of the page is a parameter of the API"


def test_filter_refusals_stay_in_vietnamese_whatever_language_the_client_asks(api_as, people):
    response = api_as("base").get(URL, {"organization": "dien-luc"}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "lựa chọn hợp lệ" in response.json()["errors"][0]["message"].lower()


def test_empty_filters_as_a_form_sends_them_mean_no_filter(api_as, people):
    blank = dict.fromkeys(["q", "organization", "status", "sex", "age_band", "ethnicity", "youth", "party_age", "sort"], "")
    assert api_as("upper").get(URL, blank).json()["count"] == 6


def test_an_organization_outside_the_scope_is_refused_in_vietnamese_not_widened(api_as, people):
    body = refusal(api_as("base").get(URL, {"organization": "dien-luc"}))
    assert body["errors"][0]["field"] == "organization"
    assert "lựa chọn hợp lệ" in body["errors"][0]["message"].lower()
    assert body["detail"].startswith("Yêu cầu không hợp lệ: organization: ")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"ethnicity": "khong-co"}, "ethnicity"),
        ({"political_theory": "tien-si"}, "political_theory"),
        ({"party_age": "mười"}, "party_age"),
        ({"admitted_year": 1800}, "admitted_year"),
        ({"status": "alive"}, "status"),
        ({"sort": "salary"}, "sort"),
        ({"q": "a\x00b"}, "q"),
        ({"limit": 0}, "limit"),
    ],
)
def test_a_bad_filter_value_is_refused_with_a_422_in_vietnamese(api_as, people, params, field):
    body = refusal(api_as("upper").get(URL, params))
    assert body["errors"][0]["field"] == field
    message = body["errors"][0]["message"]
    assert message and not message.startswith(("Select", "Enter", "Input", "Value")), message


def test_the_list_costs_one_query_for_the_rows_and_one_for_the_total(api_as, cast, people, django_assert_max_num_queries):
    client = api_as("upper")

    def member_queries() -> tuple[int, list[str]]:
        with CaptureQueriesContext(connection) as captured:
            assert names(client.get(URL, {"limit": 500, "status": "in_party"}))
        sqls = [q["sql"] for q in captured.captured_queries]
        return len(sqls), [sql for sql in sqls if '"members_member"' in sql]

    before, on_members = member_queries()
    assert len(on_members) == 2  # the count, then the rows with their cell and theory joined
    for i in range(10):
        add_member(cast.tree.office_cell, given_name=f"Thêm{spelled(i)}", political_theory=PoliticalTheory.objects.first())
    after, _ = member_queries()
    assert after == before
    # Authentication (the token, its last use, the assignments behind the scope) and the two above.
    with django_assert_max_num_queries(5):
        assert len(names(client.get(URL, {"limit": 500}))) == 16


# ---------------------------------------------------------------------------------------
# One member


def test_the_record_shows_a_register_keeper_every_field_and_the_values_derived_today(api_as, people):
    duc = people.duc
    body = api_as("cell").get(detail_url(duc)).json()
    today = dt.date.today()
    assert body["id"] == duc.pk
    assert (body["full_name"], body["family_name"], body["middle_name"], body["given_name"]) == (
        "Nguyễn Văn Đức",
        "Nguyễn",
        "Văn",
        "Đức",
    )
    assert (body["sex"], body["sex_name"]) == ("M", "Nam")
    assert body["birth_date"] == duc.birth_date.isoformat()
    assert body["national_id"] == "024080001234" and body["phone"] == "0912345678"
    assert body["personal_data_hidden"] is False
    assert body["ethnicity"] == {"code": "01", "name": "Kinh"}
    assert body["political_theory"] == {"code": "trung-cap", "name": "Trung cấp"}
    assert body["religion"] is None
    assert (body["hometown"], body["job"], body["post"], body["host_unit"]) == (
        "Xã Tân Dĩnh, huyện Lạng Giang",
        "Công chức",
        "Chánh Văn phòng",
        "Sở Tài chính",
    )
    assert (body["professional_education"], body["professional_education_text"]) == (None, "Cử nhân Kinh tế")
    assert body["organization"] == {"code": "cb-van-phong", "name": "Chi bộ Văn phòng"}
    assert body["temporary_organization"] is None
    assert (body["card_number"], body["profile_number"]) == ("TH-0001", "LL-17")
    assert (body["status"], body["status_name"]) == ("full", "Chính thức")
    assert body["admitted_on"] == duc.admitted_on.isoformat()
    assert body["full_member_on"] == duc.full_member_on.isoformat()
    assert body["age"] == rules.age_on(duc.birth_date, today)
    assert body["party_age"] == rules.party_age(admitted_on=duc.admitted_on, full_member_on=duc.full_member_on, on=today)
    assert body["is_youth"] is False and body["is_in_party"] is True
    badge = rules.next_badge(admitted_on=duc.admitted_on, awarded=[])
    assert body["next_badge"] == {
        "years": badge.years,
        "due_on": badge.due_on.isoformat(),
        "earliest_for_illness": badge.earliest_for_illness.isoformat(),
    }


def test_a_viewer_reads_the_record_without_the_national_id_or_phone(api_as, people):
    body = api_as("viewer").get(detail_url(people.duc)).json()
    assert body["full_name"] == "Nguyễn Văn Đức"
    assert (body["national_id"], body["phone"], body["personal_data_hidden"]) == (None, None, True)


def test_a_member_reads_their_own_national_id(api_as, people):
    body = api_as("member").get(detail_url(people.an)).json()
    assert body["national_id"] == "024200004321" and body["personal_data_hidden"] is False
    assert body["is_youth"] is True


def test_a_probationary_member_has_no_party_age_and_no_badge_due(api_as, people):
    body = api_as("base").get(detail_url(people.hoa)).json()
    assert (body["status"], body["status_name"]) == ("probationary", "Dự bị")
    assert body["full_member_on"] is None and body["party_age"] is None and body["next_badge"] is None


def test_the_record_names_the_temporary_cell(api_as, people, cast):
    member_attach_temporarily(
        member=people.duc,
        organization=cast.tree.budget_cell,
        started_on=dt.date.today() - dt.timedelta(days=10),
        ends_on=dt.date.today() + dt.timedelta(days=150),
    )
    body = api_as("base").get(detail_url(people.duc)).json()
    assert body["temporary_organization"] == {"code": "cb-ngan-sach", "name": "Chi bộ Ngân sách"}


def test_a_member_outside_the_scope_answers_404_like_one_that_does_not_exist(api_as, people):
    client = api_as("base")
    outside = refusal(client.get(detail_url(people.hung)), 404)
    missing = refusal(client.get(f"{URL}/{Member.objects.order_by('-pk').first().pk + 1000}"), 404)
    assert outside == missing == {"detail": "Không tìm thấy."}
    assert api_as("outsider").get(detail_url(people.hung)).status_code == 200


def test_an_id_that_is_not_a_positive_number_is_refused_with_422(api_as, people):
    client = api_as("admin")
    assert refusal(client.get(f"{URL}/abc"))["errors"][0]["field"] == "member_id"
    assert refusal(client.get(f"{URL}/0"))["errors"][0]["field"] == "member_id"
    assert refusal(client.get(f"{URL}/{2**64}"))["errors"][0]["field"] == "member_id"


def test_the_code_of_an_organization_outside_the_scope_is_hidden_but_its_name_shown(api_as, people, cast):
    # The member user reads their own cell through the exact grant of their assignment.
    body = api_as("member").get(detail_url(people.an)).json()
    assert body["organization"] == {"code": "cb-van-phong", "name": "Chi bộ Văn phòng"}
    assert Organization.objects.for_user(cast.member).filter(code="cb-van-phong").exists()
