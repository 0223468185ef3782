import datetime as dt

from django.test import Client

from orgs.models import ChangeKind, Organization, OrgVersion

URL = "/api/v1/organizations/{}/rename"
BODY = {"name": "Chi bộ Văn phòng Sở", "effective_on": "01/03/2022", "decision_no": "12-QĐ/ĐU"}


def post(client, code, body=BODY):
    return client.post(URL.format(code), body, content_type="application/json")


def test_it_renames_through_the_service_and_records_the_dated_change(api_as, cast):
    response = post(api_as("upper"), "cb-van-phong")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["organization"]["name"] == "Chi bộ Văn phòng Sở"
    assert body["effects"] == ["Đổi tên «Chi bộ Văn phòng — Đảng bộ Sở Tài chính» thành «Chi bộ Văn phòng Sở»."]
    org = Organization.objects.get(code="cb-van-phong")
    change = org.changes.get(kind=ChangeKind.RENAME)
    assert (change.effective_on, change.decision_no, change.recorded_by) == (dt.date(2022, 3, 1), "12-QĐ/ĐU", cast.upper)
    assert OrgVersion.objects.as_of(dt.date(2022, 2, 28)).get(organization=org).name == "Chi bộ Văn phòng"


def test_it_writes_a_history_entry_in_the_name_of_the_tokens_owner(api_as, cast):
    post(api_as("upper"), "cb-van-phong")
    record = Organization.objects.get(code="cb-van-phong").history.first()
    assert record.name == "Chi bộ Văn phòng Sở"
    assert record.history_user == cast.upper


def test_a_base_secretary_may_rename_a_cell_of_their_committee(api_as):
    assert post(api_as("base"), "cb-ngan-sach").status_code == 200


def test_a_base_secretary_may_not_rename_their_own_committee(api_as):
    response = post(api_as("base"), "so-tai-chinh")
    assert response.status_code == 403
    assert response.json() == {"detail": "Bạn không có quyền thực hiện thao tác này."}
    assert Organization.objects.get(code="so-tai-chinh").name == "Đảng bộ Sở Tài chính"


def test_a_read_only_user_is_refused_with_403(api_as):
    assert post(api_as("viewer"), "cb-van-phong").status_code == 403
    assert post(api_as("member"), "cb-van-phong").status_code == 403


def test_an_outsider_gets_404(api_as):
    assert post(api_as("outsider"), "cb-van-phong").status_code == 404


def test_a_get_is_refused_with_405(api_as):
    assert api_as("upper").get(URL.format("cb-van-phong")).status_code == 405


def test_a_rule_of_the_service_answers_400_with_the_field_in_vietnamese(api_as):
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = post(api_as("upper"), "cb-van-phong", {**BODY, "effective_on": future})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Ngày hiệu lực không được sau ngày hôm nay.",
        "errors": [{"field": "effective_on", "message": "Ngày hiệu lực không được sau ngày hôm nay."}],
    }


def test_a_malformed_body_answers_422(api_as):
    client = api_as("upper")
    assert post(client, "cb-van-phong", {**BODY, "name": "a\x00b"}).status_code == 422
    assert post(client, "cb-van-phong", {"name": "x"}).json()["errors"] == [
        {"field": "payload.effective_on", "message": "Thiếu giá trị bắt buộc."}
    ]
    response = client.post(URL.format("cb-van-phong"), "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert "detail" in response.json()


def test_a_browser_session_must_send_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.upper)
    response = post(client, "cb-van-phong")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert Organization.objects.get(code="cb-van-phong").name == "Chi bộ Văn phòng"
