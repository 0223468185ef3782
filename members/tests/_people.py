"""Members of the small test tree for the page tests, recorded through the services."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from members.testing import add_member


def add_people(tree: SimpleNamespace) -> SimpleNamespace:
    """Four members in the finance committee's cells and one in the newspaper cell."""
    return SimpleNamespace(
        duc=add_member(tree.office_cell, family_name="Nguyễn", middle_name="Văn", given_name="Đức", card_number="TH-0001"),
        an=add_member(
            tree.office_cell,
            family_name="Trần",
            middle_name="Văn",
            given_name="An",
            birth_date=dt.date(1999, 4, 2),
            admitted_on=dt.date(2020, 5, 19),
        ),
        binh=add_member(tree.budget_cell, family_name="Nguyễn", middle_name="Văn", given_name="Bình", sex="M"),
        hoa=add_member(
            tree.budget_cell,
            family_name="Lê",
            middle_name="Thị",
            given_name="Hoa",
            sex="F",
            birth_date=dt.date(1985, 9, 2),
            admitted_on=dt.date(2024, 11, 3),
            full_member_on=None,
        ),
        lan=add_member(tree.newspaper, family_name="Phạm", middle_name="Thị", given_name="Lan", sex="F"),
    )
