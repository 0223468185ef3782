"""Fixtures of the member register's tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def immediate_tasks(settings, tmp_path):
    """Uploads stored under a temporary folder, and background tasks run at once in the request."""
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
