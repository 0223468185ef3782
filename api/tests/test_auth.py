import datetime as dt

from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken

URL = "/api/v1/organizations"


def test_it_refuses_a_request_without_credentials_with_401_in_vietnamese(cast):
    response = Client().get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": response.json()["detail"]}
    assert "Chưa xác thực" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_refuses_an_unknown_token(cast):
    response = Client(headers={"Authorization": "Bearer dbt_not-a-real-key"}).get(URL)
    assert response.status_code == 401


def test_it_refuses_a_malformed_authorization_header(cast):
    for header in ("Bearer", "Basic abc", "dbt_abc", "Bearer  "):
        assert Client(headers={"Authorization": header}).get(URL).status_code == 401


def test_it_accepts_a_valid_token_and_records_its_use(cast):
    token, key = ApiToken.issue(user=cast.base, name="máy chủ báo cáo")
    response = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == cast.base.username
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_refuses_a_revoked_token(cast):
    token, key = ApiToken.issue(user=cast.base, name="cũ")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert Client(headers={"Authorization": f"Bearer {key}"}).get(URL).status_code == 401


def test_it_refuses_an_expired_token(cast):
    _, key = ApiToken.issue(user=cast.base, name="hết hạn", expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert Client(headers={"Authorization": f"Bearer {key}"}).get(URL).status_code == 401


def test_it_refuses_the_token_of_a_deactivated_user(cast):
    _, key = ApiToken.issue(user=cast.base, name="người đã nghỉ")
    cast.base.is_active = False
    cast.base.save()
    assert Client(headers={"Authorization": f"Bearer {key}"}).get(URL).status_code == 401


def test_a_token_carries_its_owners_scope(cast):
    _, key = ApiToken.issue(user=cast.base, name="phạm vi")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    codes = {o["code"] for o in client.get(URL).json()["items"]}
    assert codes == {"so-tai-chinh", "cb-van-phong", "cb-ngan-sach"}
    assert client.get("/api/v1/organizations/dien-luc").status_code == 404


def test_a_logged_in_browser_session_is_accepted_with_the_same_scope(cast):
    client = Client()
    client.force_login(cast.outsider)
    response = client.get(URL)
    assert response.status_code == 200
    assert {o["code"] for o in response.json()["items"]} == {"dien-luc"}
    assert client.get("/api/v1/organizations/so-tai-chinh").status_code == 404


def test_me_lists_the_users_assignments_and_scope_roots(api_as, cast):
    body = api_as("upper").get("/api/v1/me").json()
    assert body["full_name"] == cast.upper.full_name
    assert body["is_admin"] is False
    assert [(a["organization"], a["role"], a["board"]) for a in body["assignments"]] == [
        ("khoi-cq", "upper_staff", "organization")
    ]
    assert body["assignments"][0]["board_name"] == "Ban Tổ chức"
    assert body["scope"] == {"everything": False, "roots": ["khoi-cq"], "exact": []}


def test_me_shows_a_members_own_cell_as_an_exact_scope(api_as):
    body = api_as("member").get("/api/v1/me").json()
    assert body["scope"] == {"everything": False, "roots": [], "exact": ["cb-van-phong"]}


def test_me_shows_that_an_administrator_reads_everything(api_as):
    assert api_as("admin").get("/api/v1/me").json()["scope"]["everything"] is True
