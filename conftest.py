"""The fixed cast every test uses: a small organization tree and one user per role.

Tree (as built by ``orgs.testing.build_small_tree``)::

    Tỉnh ủy Bắc Giang (province)
    ├── Đảng bộ Khối các cơ quan tỉnh (upper)            <- upper official, viewer
    │   ├── Đảng bộ Sở Tài chính (base committee)         <- base secretary
    │   │   ├── Chi bộ Văn phòng (cell)                   <- cell secretary, member
    │   │   └── Chi bộ Ngân sách (cell)
    │   └── Chi bộ Báo Bắc Giang (base cell)
    └── Đảng bộ Khối doanh nghiệp tỉnh (upper)
        └── Đảng bộ Công ty Điện lực (base committee)    <- outsider
"""

from __future__ import annotations

import importlib
import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is the production hasher (checked in dangbo/tests/test_settings.py); tests that
    create a few users each would spend seconds hashing, so they use a fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tree(db):
    from orgs.testing import build_small_tree

    return build_small_tree()


@pytest.fixture
def cast(tree):
    from accounts.testing import build_cast

    return build_cast(tree)


@pytest.fixture
def lists_loaded(transactional_db):
    """The member reference lists (ethnicities, education, …), which a transactional test
    finds flushed by any earlier one; loaded again by their own data migration's function.

    (``serialized_rollback`` would restore them but collides with the content types that
    Django recreates after an earlier flush.)"""
    from django.apps import apps

    importlib.import_module("members.migrations.0002_load_lists").load(apps, None)
