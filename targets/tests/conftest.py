"""The members and the 2025 review decisions the target tests count by hand."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from members.testing import add_member
from reviews.regimes.base import Rating
from reviews.tests.test_report import open_round, rate_member, rate_organization


@pytest.fixture
def admissions(cast):
    """Admissions in the bloc: 2021 office cell (aged 30 that day: youth), 2022 budget cell
    (aged 31: not youth), 2023 newspaper (aged 25: youth); one admitted in 2019, before the term."""
    tree = cast.tree
    return SimpleNamespace(
        early=add_member(tree.office_cell, given_name="Sớm", birth_date=dt.date(1980, 1, 1), admitted_on=dt.date(2019, 6, 1)),
        ba=add_member(tree.office_cell, given_name="Ba", birth_date=dt.date(1991, 3, 10), admitted_on=dt.date(2021, 3, 9)),
        bon=add_member(tree.budget_cell, given_name="Bốn", birth_date=dt.date(1991, 3, 10), admitted_on=dt.date(2022, 3, 10)),
        nam=add_member(tree.newspaper, given_name="Năm", birth_date=dt.date(1998, 1, 1), admitted_on=dt.date(2023, 5, 5)),
    )


@pytest.fixture
def decided_2025(cast):
    """Members: Đức complete, An good (office cell); Bình not complete, Hoa good (budget
    cell); Lan excellent (newspaper). Bases: finance good, newspaper excellent. Cells:
    office good, budget complete."""
    from discipline.services import discipline_record
    from members.tests._people import add_people

    people = add_people(cast.tree)
    round = open_round(cast, 2025)
    discipline_record(member=people.binh, form="reprimand", decided_on=dt.date(2025, 5, 5), decision_number="03-QĐ/UBKT")
    rate_member(cast, round, people.duc, Rating.COMPLETE)
    rate_member(cast, round, people.an, Rating.GOOD)
    rate_member(cast, round, people.binh, Rating.EXCELLENT)  # the discipline caps it: not complete
    rate_member(cast, round, people.hoa, Rating.GOOD)
    rate_member(cast, round, people.lan, Rating.EXCELLENT)
    rate_organization(cast, round, cast.tree.finance, Rating.GOOD)
    rate_organization(cast, round, cast.tree.newspaper, Rating.EXCELLENT)
    rate_organization(cast, round, cast.tree.office_cell, Rating.GOOD)
    rate_organization(cast, round, cast.tree.budget_cell, Rating.COMPLETE)
    return people
