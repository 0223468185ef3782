"""Each user's page of personal API tokens: list, create (key shown once), revoke."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken

LIST = reverse("accounts:token_list")
CREATE = reverse("accounts:token_create")


def revoke_url(token: ApiToken) -> str:
    return reverse("accounts:token_revoke", args=[token.pk])


@pytest.fixture
def member_client(client, cast):
    client.force_login(cast.member)
    return client


def test_a_user_sees_only_their_own_tokens(member_client, cast):
    mine, _ = services.token_issue(user=cast.member, name="Mã của tôi")
    services.token_issue(user=cast.base, name="Mã của bí thư")
    response = member_client.get(LIST)
    assert response.status_code == 200
    assert list(response.context["tokens"]) == [mine]
    text = response.content.decode()
    assert "Mã của tôi" in text
    assert "Mã của bí thư" not in text


def test_the_list_shows_hint_dates_and_status(member_client, cast):
    with time_machine.travel(dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC), tick=False):
        active, key = services.token_issue(user=cast.member, name="Báo cáo tháng", expires_on=dt.date(2026, 12, 31))
        revoked, _ = services.token_issue(user=cast.member, name="Bỏ rồi")
        services.token_revoke(token=revoked, by=cast.member)
        services.token_issue(user=cast.member, name="Quá hạn", expires_on=dt.date(2026, 1, 5))
        ApiToken.authenticate(key)
    with time_machine.travel(dt.datetime(2026, 1, 10, 2, 0, tzinfo=dt.UTC), tick=False):
        text = member_client.get(LIST).content.decode()
    assert active.hint in text
    assert key not in text
    assert "05/01/2026" in text  # created, and the expired token's last day
    assert "31/12/2026" in text
    assert "09:00 05/01/2026" in text  # last used, Hà Nội time
    assert text.count('bg-secondary-lt">Đã thu hồi<') == 1
    assert text.count('bg-yellow-lt">Hết hạn<') == 1
    assert text.count('bg-green-lt">Đang dùng<') == 1


def test_it_creates_a_token_and_shows_the_key_exactly_once(member_client, cast):
    response = member_client.post(CREATE, {"name": "Báo cáo tự động", "expires_on": ""})
    assert response.status_code == 302
    assert response.url == LIST
    token = ApiToken.objects.get(user=cast.member)
    first = member_client.get(LIST)
    key = first.context["new_key"]
    assert key and key.startswith(ApiToken.PREFIX)
    assert key in first.content.decode()
    assert first["Cache-Control"] == "no-store"
    assert ApiToken.authenticate(key) == cast.member
    assert token.key_hash != key and key not in token.key_hash
    second = member_client.get(LIST)
    assert second.context["new_key"] is None
    assert key not in second.content.decode()


def test_the_token_carries_its_owner_and_so_their_scope(member_client, cast):
    member_client.post(CREATE, {"name": "Mã"})
    key = member_client.get(LIST).context["new_key"]
    user = ApiToken.authenticate(key)
    assert user == cast.member
    assert user.scope == cast.member.scope


def test_an_expiry_date_is_entered_as_dd_mm_yyyy_and_lasts_the_whole_day(member_client, cast):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    member_client.post(CREATE, {"name": "Có hạn", "expires_on": tomorrow.strftime("%d/%m/%Y")})
    token = ApiToken.objects.get(user=cast.member)
    local = timezone.localtime(token.expires_at)
    assert local.date() == tomorrow
    assert (local.hour, local.minute) == (23, 59)
    key = member_client.get(LIST).context["new_key"]
    end_of_day = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(23, 0)))
    with time_machine.travel(end_of_day, tick=False):
        assert ApiToken.authenticate(key) == cast.member
    with time_machine.travel(end_of_day + dt.timedelta(hours=2), tick=False):
        assert ApiToken.authenticate(key) is None


def test_it_refuses_an_iso_or_past_expiry_date(member_client, cast):
    response = member_client.post(CREATE, {"name": "Sai ngày", "expires_on": "2030-01-31"})
    assert response.status_code == 400
    assert "dd/mm/yyyy" in response.content.decode()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = member_client.post(CREATE, {"name": "Ngày cũ", "expires_on": yesterday.strftime("%d/%m/%Y")})
    assert response.status_code == 400
    assert "không được trước ngày hôm nay" in response.content.decode()
    assert not ApiToken.objects.filter(user=cast.member).exists()


def test_it_requires_a_name(member_client, cast):
    response = member_client.post(CREATE, {"name": "  "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_create_refuses_get(member_client):
    assert member_client.get(CREATE).status_code == 405


def test_a_read_only_user_may_still_manage_their_own_tokens(client, cast):
    # Tokens are personal; what a token may do is its owner's scope, read-only included.
    client.force_login(cast.viewer)
    assert client.post(CREATE, {"name": "Xem báo cáo"}).status_code == 302
    assert ApiToken.objects.get(user=cast.viewer).is_usable


def test_it_revokes_a_token_and_records_who_did_it(member_client, cast):
    token, key = services.token_issue(user=cast.member, name="Bị lộ")
    response = member_client.post(revoke_url(token))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not token.is_usable
    assert ApiToken.authenticate(key) is None
    latest = token.history.latest()
    assert latest.history_user == cast.member
    assert latest.history_change_reason == "Thu hồi mã API"
    assert token.history.earliest().history_user == cast.member


def test_revoke_refuses_get(member_client, cast):
    token, _ = services.token_issue(user=cast.member, name="Mã")
    assert member_client.get(revoke_url(token)).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_someone_elses_token_is_not_found(member_client, cast):
    theirs, key = services.token_issue(user=cast.base, name="Của người khác")
    assert member_client.post(revoke_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert ApiToken.authenticate(key) == cast.base


def test_even_an_administrator_cannot_revoke_another_users_token_here(client, cast):
    theirs, _ = services.token_issue(user=cast.base, name="Của người khác")
    client.force_login(cast.admin)
    assert client.post(revoke_url(theirs)).status_code == 404


def test_revoking_twice_says_so(member_client, cast):
    token, _ = services.token_issue(user=cast.member, name="Mã")
    services.token_revoke(token=token, by=cast.member)
    response = member_client.post(revoke_url(token), follow=True)
    assert "đã bị thu hồi" in response.content.decode()
    with pytest.raises(ValidationError):
        services.token_revoke(token=token, by=cast.member)


def test_a_deactivated_users_tokens_stop_working(cast):
    _, key = services.token_issue(user=cast.member, name="Mã")
    services.user_deactivate(user=cast.member, by=cast.admin)
    assert ApiToken.authenticate(key) is None


def test_the_token_page_needs_a_login(client, db):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
