"""The demonstration's congress-resolution targets, through ``targets.services``.

- The province's 2020–2025 resolution with an admissions target, allocated by the
  provincial standing committee to the two blocs (seed 000: "vượt 1,3% so chỉ tiêu Ban
  Thường vụ Tỉnh ủy phân bổ");
- the bloc's 2020–2025 resolution (congress of 20/8/2020, seed 004) with the targets of
  seed 000: members good or better, of them excellent; base organizations excellent and
  good or better; working rules; cells meeting the cell-meeting quality requirements;
  inspection plans and members inspected by 2025; admissions over the term;
- the 2025–2030 resolutions of the two committees that took the blocs' base organizations
  in 2025, with the targets of seed 003.

Targets the system does not measure yet (cell meetings and inspection come with later
capabilities; political tasks, working rules and the cultural standard are measured
outside it) are entered by hand, year by year, by a demonstration login, as a user would.
Counts scale with the data set (800 admissions at scale 1, the seed's figure); the rates
are the seeds'. The hand-entered values make some targets met and some missed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from accounts.models import User
from dangbo.demo import agencies as data
from lib.numbers import format_number
from orgs.models import Organization
from targets.models import Comparison, Period, Resolution, Target, TargetScope, Unit
from targets.services import allocation_set, manual_value_set, resolution_create, target_create

PROVINCE_CODE = "tinh-bac-giang"
BLOC_CODE = "khoi-cac-co-quan-tinh"
BUSINESS_CODE = "khoi-doanh-nghiep-tinh"
ADMIN = "quantri"
BOARD_LOGIN = "bantochuc"  # the organization board of the UBND committee
PROVINCE_CONGRESS_2020 = dt.date(2020, 10, 16)  # Đại hội đại biểu Đảng bộ tỉnh Bắc Giang lần thứ XIX
HAND_NOTE = "Tổng hợp từ báo cáo của các tổ chức cơ sở đảng."
LATER_NOTE = "Tổng hợp từ báo cáo của các tổ chức cơ sở đảng (nhập tay đến khi hệ thống theo dõi được)."

# Seed 000: 929 admitted against the resolution's target and 1,3% above the standing
# committee's allocation; the demonstration allocates more than the bloc's own 800.
ADMITTED_BLOC = 800
ADMITTED_ALLOCATED_BLOC = 850
ADMITTED_ALLOCATED_BUSINESS = 250


@dataclass(frozen=True)
class Spec:
    wording: str
    indicator: str  # "" : entered by hand
    comparison: str
    threshold: Decimal
    unit: str
    period: str = Period.EACH_YEAR
    year: int | None = None
    scope: str = TargetScope.SUBTREE
    values: tuple[tuple[int, str], ...] = ()  # (year, value) entered by hand
    later: bool = False  # measured by a later capability; entered by hand until then
    child: bool = False  # "trong đó": under the target before it


BLOC_2020 = [
    Spec(
        "Hằng năm có hơn 95% đảng viên hoàn thành tốt nhiệm vụ",
        "reviews.members_good",
        Comparison.GT,
        Decimal(95),
        Unit.PERCENT,
    ),
    Spec(
        "Trong đó có 20% đảng viên hoàn thành xuất sắc nhiệm vụ",
        "reviews.members_excellent",
        Comparison.GE,
        Decimal(20),
        Unit.PERCENT,
        child=True,
    ),
    Spec(
        "Có 20% tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ",
        "reviews.bases_excellent",
        Comparison.GE,
        Decimal(20),
        Unit.PERCENT,
    ),
    Spec(
        "Ít nhất 75% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ",
        "reviews.bases_good",
        Comparison.GE,
        Decimal(75),
        Unit.PERCENT,
    ),
    Spec(
        "100% tổ chức đảng xây dựng quy chế hoạt động nhiệm kỳ 2020 - 2025",
        "",
        Comparison.GE,
        Decimal(100),
        Unit.PERCENT,
        Period.BY_YEAR,
        2021,
        values=((2020, "87.5"), (2021, "100")),
    ),
    Spec(
        "Có ít nhất 90% chi bộ thuộc đảng ủy cơ sở đạt các yêu cầu cơ bản về nâng cao chất lượng sinh hoạt chi bộ",
        "",
        Comparison.GE,
        Decimal(90),
        Unit.PERCENT,
        scope=TargetScope.CELLS_ONLY,
        values=((2020, "86.4"), (2021, "88.9"), (2022, "91.2"), (2023, "92.5"), (2024, "93.8")),
        later=True,
    ),
    Spec(
        "Đến năm 2025 có 100% cấp ủy cơ sở thực hiện tốt chương trình, kế hoạch kiểm tra, giám sát",
        "",
        Comparison.GE,
        Decimal(100),
        Unit.PERCENT,
        Period.BY_YEAR,
        2025,
        values=((2021, "91.3"), (2022, "95.7"), (2023, "97.8"), (2024, "100"), (2025, "100")),
        later=True,
    ),
    Spec(
        "Đến năm 2025 hơn 50% tổng số đảng viên được kiểm tra từ cơ sở đảng",
        "",
        Comparison.GT,
        Decimal(50),
        Unit.PERCENT,
        Period.BY_YEAR,
        2025,
        values=((2021, "13.6"), (2022, "26.1"), (2023, "37.9"), (2024, "47.2"), (2025, "48.5")),
        later=True,
    ),
]

SUCCESSORS_2025 = [
    Spec(
        "95% trở lên cơ quan, đơn vị hoàn thành tốt nhiệm vụ chính trị",
        "",
        Comparison.GE,
        Decimal(95),
        Unit.PERCENT,
    ),
    Spec(
        "90% trở lên các chi bộ, đảng bộ cơ sở đạt hoàn thành tốt nhiệm vụ",
        "reviews.bases_good",
        Comparison.GE,
        Decimal(90),
        Unit.PERCENT,
    ),
    Spec(
        "95% trở lên đảng viên hoàn thành tốt nhiệm vụ",
        "reviews.members_good",
        Comparison.GE,
        Decimal(95),
        Unit.PERCENT,
    ),
    Spec(
        "90% trở lên số cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa",
        "",
        Comparison.GE,
        Decimal(90),
        Unit.PERCENT,
    ),
    Spec(
        "Kết nạp đảng viên mới đạt từ 3% trở lên so với tổng số đảng viên trong Đảng bộ đầu nhiệm kỳ",
        "members.admitted_share",
        Comparison.GE,
        Decimal(3),
        Unit.PERCENT,
        Period.TERM,
    ),
]

# The 2025 values entered by hand for each successor committee (political tasks, cultural standard).
SUCCESSOR_VALUES = {
    "dang": ("93.8", "92.1"),  # political tasks below 95%: missed
    "ubnd": ("96.3", "90.6"),
}


def _count(value: int, scale: float) -> int:
    return max(1, round(value * scale))


def _add(resolution: Resolution, specs: list[Spec], *, user: User, enterer: User, today: dt.date) -> list[Target]:
    """Create ``specs`` in order (a child under the target before it) and enter the values
    of the years already over."""
    made: list[Target] = []
    parent: Target | None = None
    for spec in specs:
        target = target_create(
            resolution=resolution,
            wording=spec.wording,
            indicator_code=spec.indicator,
            comparison=spec.comparison,
            threshold=spec.threshold,
            unit=spec.unit,
            period=spec.period,
            period_year=spec.year,
            scope=spec.scope,
            parent=parent if spec.child else None,
            user=user,
        )
        if not spec.child:
            parent = target
        for year, value in spec.values:
            if year >= today.year:
                continue
            manual_value_set(
                target=target,
                organization=resolution.organization,
                year=year,
                value=Decimal(value),
                note=LATER_NOTE if spec.later else HAND_NOTE,
                user=enterer,
            )
        made.append(target)
    return made


def add_targets(*, today: dt.date, scale: float) -> list[Resolution]:
    """Write the resolutions of the module's docstring; the years after ``today`` get no values."""
    admin = User.objects.get(username=ADMIN)
    board = User.objects.filter(username=BOARD_LOGIN).first() or admin
    province = Organization.objects.get(code=PROVINCE_CODE)
    bloc = Organization.objects.get(code=BLOC_CODE)
    business = Organization.objects.get(code=BUSINESS_CODE)
    made = []

    provincial = resolution_create(
        organization=province,
        term_name="2020–2025",
        start_year=2020,
        end_year=2025,
        congress_name=f"Đại hội đại biểu Đảng bộ tỉnh {data.PROVINCE_NAME}",
        congress_number="XIX",
        adopted_on=PROVINCE_CONGRESS_2020,
        user=admin,
    )
    allocated = {bloc: _count(ADMITTED_ALLOCATED_BLOC, scale), business: _count(ADMITTED_ALLOCATED_BUSINESS, scale)}
    admissions = target_create(
        resolution=provincial,
        wording=f"Cả nhiệm kỳ kết nạp từ {format_number(sum(allocated.values()))} đảng viên trở lên",
        indicator_code="members.admitted",
        comparison=Comparison.GE,
        threshold=Decimal(sum(allocated.values())),
        unit=Unit.COUNT,
        period=Period.TERM,
        user=admin,
    )
    for organization, threshold in allocated.items():
        allocation_set(
            target=admissions,
            organization=organization,
            threshold=Decimal(threshold),
            allocated_by="Ban Thường vụ Tỉnh ủy",
            user=admin,
        )
    made.append(provincial)

    own = _count(ADMITTED_BLOC, scale)
    bloc_specs = [
        *BLOC_2020,
        Spec(
            f"Cuối nhiệm kỳ đạt chỉ tiêu kết nạp hơn {format_number(own)} đảng viên",
            "members.admitted",
            Comparison.GT,
            Decimal(own),
            Unit.COUNT,
            Period.TERM,
        ),
    ]
    bloc_resolution = resolution_create(
        organization=bloc,
        term_name=data.TERMS[1][0],
        start_year=2020,
        end_year=2025,
        congress_name="Đại hội đại biểu Đảng bộ Khối các cơ quan tỉnh",
        congress_number=data.TERMS[1][2],
        adopted_on=data.BLOC_CONGRESS_2020,
        user=admin,
    )
    _add(bloc_resolution, bloc_specs, user=admin, enterer=admin, today=today)
    made.append(bloc_resolution)

    for key, (code, _name, _short) in data.NEW_COMMITTEES.items():
        committee = Organization.objects.get(code=code)
        resolution = resolution_create(
            organization=committee,
            term_name=data.TERMS[2][0],
            start_year=2025,
            end_year=2030,
            congress_name=f"Đại hội đại biểu {committee.name}",
            congress_number="I",
            adopted_on=data.NEW_COMMITTEES_CONGRESS,
            user=admin,
        )
        enterer = board if key == "ubnd" else admin
        political, culture = SUCCESSOR_VALUES[key]
        hand = {0: political, 3: culture}  # the hand-entered targets' 2025 values
        specs = [replace(s, values=((2025, hand[i]),)) if i in hand else s for i, s in enumerate(SUCCESSORS_2025)]
        _add(resolution, specs, user=admin, enterer=enterer, today=today)
        made.append(resolution)
    return made
