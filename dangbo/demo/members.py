"""Demonstration party members, written in bulk with their history rows.

``create_members`` is the one place that makes Member rows for the demonstration, so a
later field (ethnicity, religion, status history…) is added here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from simple_history.utils import bulk_create_with_history

from lib.names import random_name
from lib.text import fold, full_name, name_sort_key
from members.initial_history import initial_history_of_all, write_initial_history
from members.models import (
    Ethnicity,
    GeneralEducation,
    Member,
    PoliticalTheory,
    ProfessionalEducation,
    Religion,
    Status,
)
from members.rules import party_age_origin
from orgs.models import Organization

DEMO_REASON = "Dữ liệu minh họa"

# Province codes that open a CCCD number (Thông tư 07/2016/TT-BCA, then 59/2021/TT-BCA):
# most members were born in the province (024), the others in its neighbours.
HOME_PROVINCE_CODE = "024"
OTHER_PROVINCE_CODES = ["001", "019", "020", "022", "027", "030", "033", "035", "036", "038"]


# Bắc Giang's districts and some of their communes (before the 2025 merger of communes).
PLACES: dict[str, list[str]] = {
    "thành phố Bắc Giang": ["phường Trần Phú", "phường Ngô Quyền", "phường Hoàng Văn Thụ", "xã Dĩnh Trì", "xã Song Mai"],
    "huyện Lạng Giang": ["xã Tân Dĩnh", "xã Thái Đào", "xã Nghĩa Hòa", "thị trấn Vôi", "xã Xương Lâm"],
    "huyện Yên Dũng": ["xã Tân Liễu", "xã Nham Sơn", "xã Đồng Phúc", "xã Tiến Dũng"],
    "huyện Việt Yên": ["xã Hồng Thái", "xã Tăng Tiến", "xã Quang Châu", "xã Vân Trung"],
    "huyện Hiệp Hòa": ["xã Đoan Bái", "xã Lương Phong", "xã Hoàng Vân", "thị trấn Thắng"],
    "huyện Tân Yên": ["xã Cao Thượng", "xã Ngọc Thiện", "xã Liên Chung", "thị trấn Cao Thượng"],
    "huyện Yên Thế": ["xã Bố Hạ", "xã Đồng Kỳ", "xã Tam Tiến", "thị trấn Cầu Gồ"],
    "huyện Lục Nam": ["xã Bảo Đài", "xã Cương Sơn", "xã Yên Sơn", "thị trấn Đồi Ngô"],
    "huyện Lục Ngạn": ["xã Biển Động", "xã Phượng Sơn", "xã Kiên Thành", "thị trấn Chũ"],
    "huyện Sơn Động": ["xã An Lập", "xã Cẩm Đàn", "xã Tuấn Đạo", "thị trấn An Châu"],
}
# Shares among the members of a provincial agency (Bắc Giang: Kinh, then Nùng, Tày, Sán Chay, Sán Dìu, Hoa).
ETHNICITY_SHARES = [("Kinh", 86), ("Nùng", 5), ("Tày", 4), ("Sán Chay", 2), ("Sán Dìu", 1.5), ("Hoa", 1), ("Dao", 0.5)]
RELIGION_SHARES = [("khong", 94), ("phat-giao", 4), ("cong-giao", 2)]
GENERAL_SHARES = [("12-12", 95), ("10-10", 5)]
PROFESSIONAL_SHARES = [("dai-hoc", 66), ("thac-si", 20), ("tien-si", 3), ("cao-dang", 5), ("trung-cap", 6)]
JOBS = {
    "co-quan-dang": "Công chức",
    "mat-tran-doan-the": "Công chức",
    "co-quan-nha-nuoc": "Công chức",
    "don-vi-su-nghiep": "Viên chức",
    "doanh-nghiep": "Người lao động",
}
# (post, share, political theory codes to draw from): leaders hold the higher degrees.
POSTS = [
    ("Giám đốc", 0.01, ["cao-cap", "cu-nhan"]),
    ("Phó Giám đốc", 0.03, ["cao-cap", "cao-cap", "cu-nhan"]),
    ("Trưởng phòng", 0.08, ["cao-cap", "trung-cap", "trung-cap"]),
    ("Phó Trưởng phòng", 0.12, ["trung-cap", "trung-cap", "cao-cap"]),
    ("Chuyên viên", 0.76, ["so-cap", "so-cap", "trung-cap", ""]),
]


@dataclass
class Lists:
    """The reference lists' rows by code (ethnicities by name), read once."""

    ethnicity: dict[str, Any]
    religion: dict[str, Any]
    general: dict[str, Any]
    professional: dict[str, Any]
    theory: dict[str, Any]

    @classmethod
    def load(cls) -> Lists:
        return cls(
            ethnicity={e.name: e for e in Ethnicity.objects.all()},
            religion={r.code: r for r in Religion.objects.all()},
            general={g.code: g for g in GeneralEducation.objects.all()},
            professional={p.code: p for p in ProfessionalEducation.objects.all()},
            theory={t.code: t for t in PoliticalTheory.objects.all()},
        )


def _draw(rng: random.Random, shares: Sequence[tuple[str, float]]) -> str:
    return rng.choices([k for k, _ in shares], [w for _, w in shares])[0]


def _sentence_case(place: str) -> str:
    """ "xã Nham Sơn" → "Xã Nham Sơn": the first letter up, the proper name untouched
    (``str.capitalize`` lowers the rest: "Xã nham sơn")."""
    return place[:1].upper() + place[1:]


def profile_details(rng: random.Random, lists: Lists, host_unit: str, sector: str | None) -> dict[str, Any]:
    """Ethnicity, religion, education, theory, places and work of one member, coherent with the unit."""
    post, _share, theories = rng.choices(POSTS, [p[1] for p in POSTS])[0]
    theory = rng.choice(theories)
    district = rng.choice(list(PLACES))
    home_district = district if rng.random() < 0.6 else rng.choice(list(PLACES))
    return {
        "ethnicity": lists.ethnicity.get(_draw(rng, ETHNICITY_SHARES)),
        "religion": lists.religion.get(_draw(rng, RELIGION_SHARES)),
        "general_education": lists.general.get(_draw(rng, GENERAL_SHARES)),
        "professional_education": lists.professional.get(_draw(rng, PROFESSIONAL_SHARES)),
        "political_theory": lists.theory.get(theory) if theory else None,
        "hometown": f"{_sentence_case(rng.choice(PLACES[home_district]))}, {home_district}, tỉnh Bắc Giang",
        "residence": f"{_sentence_case(rng.choice(PLACES[district]))}, {district}, tỉnh Bắc Giang",
        "job": JOBS.get(sector or "", "Công chức"),
        "post": post,
        "host_unit": host_unit,
    }


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

    Admissions spread over the years (about 150–250 a year since 2015 at scale 1, and a
    tenth of older members admitted in 1970–1995, whose badges fall due); those admitted
    in the last 12 months are probationary (a probationary period is 12 months, Điều lệ
    Đảng art. 5), a few a little longer (the cell has not met yet). Everyone was at least
    18 when admitted (Điều lệ Đảng art. 1). Deaths, removals, transfers and badges come
    afterwards through the services (``dangbo.demo.history``).
    """
    used_ids: set[str] = {nid for nid in Member.objects.values_list("national_id", flat=True) if nid}
    total = sum(q.count for q in quotas)
    cards = rng.sample(range(10_000_000, 100_000_000), total)
    lists = Lists.load()
    members: list[Member] = []
    for quota in quotas:
        if not quota.cell.is_cell:
            raise ValueError(f"Members belong to cells, not to «{quota.cell.name}».")
        unit = quota.cell.host_unit or _base_unit(quota.cell)
        sector = quota.cell.sector.code if quota.cell.sector is not None else None
        for _ in range(quota.count):
            member = _member(rng, quota.cell, today, used_ids, str(cards[len(members)]))
            for name, value in profile_details(rng, lists, unit, sector).items():
                setattr(member, name, value)
            member.profile_number = f"{len(members) + 1:05d}-{member.admitted_on.year}"
            members.append(member)
    created = bulk_create_with_history(members, Member, batch_size=500, default_change_reason=DEMO_REASON)
    # The status and cell history rows every new record starts with (members.initial_history).
    write_initial_history(initial_history_of_all(created), user_id=None, reason=DEMO_REASON)
    return created


def _base_unit(cell: Organization) -> str:
    parent = Organization.objects.get_parent(cell)
    return parent.host_unit if parent is not None else ""


def _admission(rng: random.Random, today: dt.date) -> tuple[dt.date, int]:
    """An admission date and the member's age then."""
    roll = rng.random()
    if roll < 0.10:  # older members: badges of 30 years and more
        admitted = dt.date(rng.randint(1970, 1995), 1, 1) + dt.timedelta(days=rng.randrange(365))
        return admitted, rng.randint(19, 30)
    if roll < 0.55:  # the yearly admissions since 2015, the latest still probationary
        start = dt.date(2015, 1, 1)
        return start + dt.timedelta(days=rng.randrange((today - start).days - 5)), rng.randint(22, 35)
    admitted = dt.date(rng.randint(1996, 2014), 1, 1) + dt.timedelta(days=rng.randrange(365))
    return admitted, rng.randint(20, 35)


def _member(rng: random.Random, cell: Organization, today: dt.date, used_ids: set[str], card: str) -> Member:
    name = random_name(rng, female_share=0.46)
    admitted, age_then = _admission(rng, today)
    birth = add_years(admitted, -age_then) - dt.timedelta(days=rng.randint(1, 364))
    probation_end = add_years(admitted, 1)
    # Still probationary: the 12 months have not passed, or (rarely) the cell has not met yet.
    late = probation_end <= today < probation_end + dt.timedelta(days=50) and rng.random() < 0.3
    if probation_end > today or late:
        status, full_on, since = Status.PROBATIONARY, None, admitted
    else:
        status, full_on, since = Status.FULL, probation_end, probation_end
    nid = national_id(rng, birth, name.sex, used_ids)
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
        search_text=fold(f"{full_name(name.family, name.middle, name.given)} {card}"),
    )
