"""Members for tests and examples, recorded through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from members import rules
from members.models import Member
from members.services import member_create
from orgs.models import Organization

_UNSET: Any = object()


def spelled(number: int | str) -> str:
    """``number`` with each digit as a letter (0 → a, 1 → b, …): test names told apart by a
    number, since a name holds no digit (``lib.names.person_name_error``). Same width, same order."""
    return "".join(chr(ord("a") + int(d)) for d in str(number))


def add_member(
    organization: Organization,
    *,
    family_name: str = "Nguyễn",
    middle_name: str = "Văn",
    given_name: str = "An",
    sex: str = "M",
    birth_date: dt.date = dt.date(1980, 5, 1),
    admitted_on: dt.date = dt.date(2010, 3, 15),
    full_member_on: dt.date | None = _UNSET,
    **kwargs: Any,
) -> Member:
    """A member of ``organization``; full 12 months after admission unless ``full_member_on`` says otherwise."""
    if full_member_on is _UNSET:
        full_member_on = rules.add_months(admitted_on, rules.PROBATION_MONTHS)
    result = member_create(
        organization=organization,
        family_name=family_name,
        middle_name=middle_name,
        given_name=given_name,
        sex=sex,
        birth_date=birth_date,
        admitted_on=admitted_on,
        full_member_on=full_member_on,
        **kwargs,
    )
    assert result.member is not None
    return result.member
