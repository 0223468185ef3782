"""Fast password hashing for these tests.

Argon2 with Django's default cost takes a large share of a second on a small machine, and
the cast alone hashes seven passwords per test. These tests keep Argon2 (the same
algorithm and code path; the hash still starts with "argon2") with a minimal cost.
``test_login`` checks that the real settings use the full-cost hasher.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1


@pytest.fixture(autouse=True)
def _fast_argon2(settings):
    settings.PASSWORD_HASHERS = ["accounts.tests.conftest.FastArgon2PasswordHasher"]
