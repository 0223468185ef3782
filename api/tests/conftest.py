"""API test helpers: a client that sends a personal token of a cast member."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import ApiToken


class TokenClient(Client):
    def __init__(self, key: str, **kwargs) -> None:
        super().__init__(headers={"Authorization": f"Bearer {key}"}, **kwargs)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The cast has seven users; Argon2 would spend seconds on each test's setup.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_as(cast):
    """``api_as("base")``: a test client authenticated by a fresh token of ``cast.base``."""

    def make(who: str) -> TokenClient:
        _, key = ApiToken.issue(user=getattr(cast, who), name=f"test {who}")
        return TokenClient(key)

    return make
