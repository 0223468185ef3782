"""Review rounds for tests and examples, opened through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from orgs.models import Organization
from reviews.models import ReviewRound
from reviews.services import round_open


def open_round(organization: Organization, year: int, *, user: Any = None, regime: str = "") -> ReviewRound:
    """The round of ``year`` over ``organization``'s subtree, with December deadlines and the
    decision in January of the next year."""
    return round_open(
        organization=organization,
        year=year,
        opens_on=dt.date(year, 12, 1),
        self_deadline=dt.date(year, 12, 15),
        appraisal_deadline=dt.date(year, 12, 25),
        decision_deadline=dt.date(year + 1, 1, 31),
        regime=regime,
        user=user,
    )
