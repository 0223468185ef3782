"""The login lockout behind the reverse proxy counts each client's own address."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.client_address import client_address

LOGIN = reverse("accounts:login")
PROXY = "127.0.0.1"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"


def attempt(client: Client, username: str, password: str, *, remote: str, forwarded: str | None = None):
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


@pytest.mark.usefixtures("behind_proxy")
def test_one_clients_failures_behind_the_proxy_do_not_lock_out_another_client(cast):
    attacker, owner = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(attacker, cast.base.username, "sai-mat-khau", remote=PROXY, forwarded="203.0.113.9")
    assert attempt(attacker, cast.base.username, cast.password, remote=PROXY, forwarded="203.0.113.9").status_code == 429
    response = attempt(owner, cast.base.username, cast.password, remote=PROXY, forwarded="198.51.100.20")
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(cast.base.pk)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


@pytest.mark.usefixtures("behind_proxy")
def test_a_forwarded_header_from_an_untrusted_address_is_ignored(cast):
    # A client that talks to the application directly cannot choose its address by header:
    # changing the header at each try does not escape the lockout.
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, cast.base.username, "sai-mat-khau", remote="192.0.2.50", forwarded=f"203.0.113.{n}")
    locked = attempt(client, cast.base.username, cast.password, remote="192.0.2.50", forwarded="198.51.100.1")
    assert locked.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.50"}


def test_without_trusted_proxies_the_forwarded_header_is_ignored(cast, settings):
    settings.TRUSTED_PROXIES = []
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, cast.base.username, "sai-mat-khau", remote=PROXY, forwarded=f"203.0.113.{n}")
    assert attempt(client, cast.base.username, cast.password, remote=PROXY, forwarded="198.51.100.1").status_code == 429


def address(remote: str, forwarded: str | None = None) -> str:
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # Directly from a client: its own address, whatever it claims.
        ("192.0.2.50", "203.0.113.9", "192.0.2.50"),
        # Through the proxy: the address the proxy saw.
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
        # The client wrote a header of its own; the proxy appended the real address.
        ("127.0.0.1", "10.9.9.9, 203.0.113.9", "203.0.113.9"),
        # Two trusted hops (a load balancer in 10.0.0.0/8, then nginx on this machine).
        ("127.0.0.1", "203.0.113.9, 10.1.2.3", "203.0.113.9"),
        # Ports and IPv6 as proxies write them.
        ("127.0.0.1", "203.0.113.9:51234", "203.0.113.9"),
        ("127.0.0.1", "[2001:db8::7]:443", "2001:db8::7"),
        # Garbage in the header: the last trustworthy hop stands.
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", "203.0.113.9, junk, 10.1.2.3", "10.1.2.3"),
        # No header through the proxy.
        ("127.0.0.1", None, "127.0.0.1"),
    ],
)
def test_the_client_address_is_read_only_from_trusted_proxies(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    assert address(remote, forwarded) == expected


def test_another_header_can_be_named(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.TRUSTED_PROXY_HEADER = "X-Real-IP"
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "203.0.113.9"
