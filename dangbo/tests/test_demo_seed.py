"""The demonstration data set is deterministic: the same seed gives the same data."""

from __future__ import annotations

import hashlib

import pytest
from django.db import transaction

from dangbo.demo.build import build_demo
from members.models import Member
from orgs.models import CommitteeSeat, Organization

pytestmark = pytest.mark.django_db

SCALE = 0.05


def _digest() -> str:
    h = hashlib.sha256()
    for row in Organization.objects.order_by("path").values_list("path", "code", "name", "founded_on", "dissolved_on"):
        h.update(repr(row).encode())
    for row in Member.objects.order_by("national_id").values_list(
        "national_id", "family_name", "middle_name", "given_name", "birth_date"
    ):
        h.update(repr(row).encode())
    for row in CommitteeSeat.objects.order_by("term__organization__code", "term__name", "role", "holder_name").values_list(
        "term__organization__code", "term__name", "role", "holder_name"
    ):
        h.update(repr(row).encode())
    return h.hexdigest()


class _Undo(Exception):
    pass


def _digest_of_a_run(seed: int) -> str:
    """Build at ``seed``, take the digest, and roll the whole run back."""
    try:
        with transaction.atomic():
            build_demo(seed=seed, scale=SCALE)
            assert Member.objects.exists() and CommitteeSeat.objects.exists()
            raise _Undo(_digest())
    except _Undo as undo:
        return undo.args[0]


def test_the_same_seed_gives_the_same_data():
    first = _digest_of_a_run(2026)
    assert not Organization.objects.exists()
    assert _digest_of_a_run(2026) == first
