"""Demonstration party members, written in bulk with their history rows.

``create_members`` is the one place that makes Member rows for the demonstration, so a
later field (ethnicity, religion, status history…) is added here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from simple_history.utils import bulk_create_with_history

from lib.names import random_name
from lib.text import fold, full_name, name_sort_key
from members.models import Member, Status
from members.rules import party_age_origin
from members.services import members_backfill_history
from orgs.models import Organization

# Province codes that open a CCCD number (Thông tư 07/2016/TT-BCA, then 59/2021/TT-BCA):
# most members were born in the province (024), the others in its neighbours.
HOME_PROVINCE_CODE = "024"
OTHER_PROVINCE_CODES = ["001", "019", "020", "022", "027", "030", "033", "035", "036", "038"]


@dataclass
class CellQuota:
    cell: Organization
    count: int


def add_years(date: dt.date, years: int) -> dt.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def national_id(rng: random.Random, birth: dt.date, sex: str, used: set[str]) -> str:
    """A 12-digit CCCD: province (3), century and sex (1), year of birth (2), serial (6)."""
    province = HOME_PROVINCE_CODE if rng.random() < 0.8 else rng.choice(OTHER_PROVINCE_CODES)
    century_sex = (0 if birth.year < 2000 else 2) + (1 if sex == "F" else 0)
    while True:
        value = f"{province}{century_sex}{birth.year % 100:02d}{rng.randrange(1_000_000):06d}"
        if value not in used:
            used.add(value)
            return value


def create_members(*, rng: random.Random, quotas: list[CellQuota], today: dt.date) -> list[Member]:
    """Create the members of each cell in ``quotas``, with history rows, in bulk.

    Most are full members; those admitted in the last 12 months are probationary (a
    probationary period is 12 months, Điều lệ Đảng art. 5); a few have died or moved
    away. Everyone was at least 18 when admitted (Điều lệ Đảng art. 1).
    """
    used_ids: set[str] = {nid for nid in Member.objects.values_list("national_id", flat=True) if nid}
    total = sum(q.count for q in quotas)
    cards = rng.sample(range(10_000_000, 100_000_000), total)
    members: list[Member] = []
    for quota in quotas:
        if not quota.cell.is_cell:
            raise ValueError(f"Members belong to cells, not to «{quota.cell.name}».")
        for _ in range(quota.count):
            members.append(_member(rng, quota.cell, today, used_ids, str(cards[len(members)])))
    created = bulk_create_with_history(members, Member, batch_size=500, default_change_reason="Dữ liệu minh họa")
    # The status and cell history rows the members app keeps for every member.
    # (prefetching the memberships spares the backfill one query a member)
    cells = [q.cell.pk for q in quotas]
    members_backfill_history(members=Member.objects.filter(organization_id__in=cells).prefetch_related("memberships"))
    return created


def _member(rng: random.Random, cell: Organization, today: dt.date, used_ids: set[str], card: str) -> Member:
    name = random_name(rng, female_share=0.46)
    roll = rng.random()
    if roll < 0.035:
        status = Status.PROBATIONARY
        age = rng.randint(22, 38)
        admitted = today - dt.timedelta(days=rng.randint(5, 360))
    else:
        status = Status.DECEASED if roll < 0.04 else Status.TRANSFERRED_OUT if roll < 0.055 else Status.FULL
        age = rng.randint(25, 60)
        age_admitted = rng.randint(19, min(age - 1, 40))
        admitted = add_years(today, -(age - age_admitted)) - dt.timedelta(days=rng.randint(0, 364))
    birth = add_years(today, -age) - dt.timedelta(days=rng.randint(0, 364))
    admitted = max(admitted, add_years(birth, 18) + dt.timedelta(days=1))
    full_on = None if status == Status.PROBATIONARY else add_years(admitted, 1)
    if full_on and full_on > today:  # never a full member before 12 months have passed
        admitted = add_years(today, -1) - dt.timedelta(days=rng.randint(1, 200))
        full_on = add_years(admitted, 1)
    nid = national_id(rng, birth, name.sex, used_ids)
    since = None
    if status in (Status.DECEASED, Status.TRANSFERRED_OUT):
        assert full_on is not None
        since = full_on + dt.timedelta(days=rng.randint(30, max((today - full_on).days, 31)))
        since = min(since, today)
    return Member(
        family_name=name.family,
        middle_name=name.middle,
        given_name=name.given,
        sex=name.sex,
        birth_date=birth,
        national_id=nid,
        organization=cell,
        status=status,
        status_since=since,
        admitted_on=admitted,
        full_member_on=full_on,
        card_number=card,
        # bulk_create skips Member.save, which fills these three.
        party_age_from=party_age_origin(admitted, 0),
        sort_key=name_sort_key(name.family, name.middle, name.given),
        search_text=fold(f"{full_name(name.family, name.middle, name.given)} {nid} {card}"),
    )
