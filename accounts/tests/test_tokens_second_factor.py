"""API tokens and two-factor login: where the policy requires a second factor of a user, their
tokens work only once they have an authenticator, and a token is created only in a session
that gave the code."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts import otp
from accounts.models import ApiToken, User
from accounts.tests.test_two_factor import T0, code_for, enrol, password_login

LIST = reverse("accounts:token_list")
CREATE = reverse("accounts:token_create")
ME = "/api/v1/me"


@pytest.fixture
def policy_on(settings):
    settings.REQUIRE_2FA_FOR_STAFF = True


def api_get(key: str):
    return Client(headers={"Authorization": f"Bearer {key}"}).get(ME)


def legacy_session(client: Client, user: User) -> None:
    """A session from before the policy (or the device): logged in, marked "ok", no code given."""
    client.force_login(user)
    session = client.session
    session[otp.STATE_KEY] = otp.OK
    session.save()


@pytest.mark.usefixtures("policy_on")
def test_a_required_users_token_made_before_enrolling_is_refused_with_a_reason(cast):
    _, key = ApiToken.issue(user=cast.upper, name="báo cáo tự động")
    response = api_get(key)
    assert response.status_code == 401
    assert "phải dùng xác thực hai bước" in response.json()["detail"]


@pytest.mark.usefixtures("policy_on")
def test_the_same_token_works_once_its_owner_has_enrolled(cast):
    _, key = ApiToken.issue(user=cast.upper, name="báo cáo tự động")
    enrol(cast.upper)
    response = api_get(key)
    assert response.status_code == 200
    assert response.json()["username"] == cast.upper.username


@pytest.mark.usefixtures("policy_on")
@pytest.mark.parametrize("who", ["base", "cell", "member", "viewer"])
def test_tokens_of_users_the_policy_does_not_require_keep_working(cast, who):
    user = getattr(cast, who)
    _, key = ApiToken.issue(user=user, name="báo cáo")
    assert api_get(key).status_code == 200


def test_with_the_policy_off_a_staff_token_works_without_an_authenticator(cast, settings):
    settings.REQUIRE_2FA_FOR_STAFF = False
    _, key = ApiToken.issue(user=cast.admin, name="đồng bộ")
    assert api_get(key).status_code == 200


@pytest.mark.usefixtures("policy_on")
def test_a_required_user_without_an_authenticator_cannot_create_a_token(client, cast):
    # A session opened before the policy was switched on: the pages still answer it.
    legacy_session(client, cast.upper)
    page = client.get(LIST)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="tokens-suspended"' in text
    assert "Hãy bật xác thực hai bước trước khi tạo mã API." in text
    assert f'action="{CREATE}"' not in text
    response = client.post(CREATE, {"name": "thử"})
    assert response.status_code == 403
    assert not ApiToken.objects.filter(user=cast.upper).exists()


@pytest.mark.usefixtures("policy_on")
def test_a_session_that_did_not_give_the_code_cannot_create_a_token(client, cast):
    enrol(cast.upper)
    legacy_session(client, cast.upper)
    response = client.post(CREATE, {"name": "thử"})
    assert response.status_code == 403
    assert "chỉ tạo được mã API trong phiên đăng nhập đã nhập mã xác thực" in response.content.decode()
    assert not ApiToken.objects.filter(user=cast.upper).exists()


@pytest.mark.usefixtures("policy_on")
def test_a_session_that_gave_the_code_creates_a_token_that_works(client, cast):
    device, _ = enrol(cast.upper)
    with time_machine.travel(T0, tick=False):
        password_login(client, cast.upper, cast.password)
        assert client.post(reverse("accounts:otp_verify"), {"code": code_for(device)}).status_code == 302
    response = client.post(CREATE, {"name": "báo cáo tháng"})
    assert response.status_code == 302
    key = client.get(LIST).context["new_key"]
    assert api_get(key).status_code == 200


def test_a_user_with_an_authenticator_needs_the_code_to_create_a_token_even_when_not_required(client, cast):
    enrol(cast.base)  # a base secretary: not required, enrolled by choice
    legacy_session(client, cast.base)
    assert client.post(CREATE, {"name": "thử"}).status_code == 403
    assert not ApiToken.objects.filter(user=cast.base).exists()


def test_a_user_without_an_authenticator_who_is_not_required_creates_tokens_as_before(client, cast):
    legacy_session(client, cast.member)
    assert client.post(CREATE, {"name": "thử"}).status_code == 302
    assert ApiToken.objects.filter(user=cast.member).count() == 1
