"""A small, fixed organization tree for tests and examples. Built through the services."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from orgs.models import Level, OrgKind, Sector
from orgs.services import NewOrgSpec, organization_found

FOUNDED = dt.date(2015, 1, 5)


def ensure_kinds() -> dict[str, OrgKind]:
    """One kind per level, plus the dated kinds of the 2025 restructuring."""
    specs = [
        ("trung-uong", "Trung ương", Level.CENTRAL, None, None),
        ("tinh", "Đảng bộ tỉnh", Level.PROVINCE, None, None),
        ("khoi", "Đảng bộ Khối", Level.UPPER, None, dt.date(2025, 7, 1)),
        ("cap-tren-2025", "Đảng bộ cấp trên cơ sở (từ 2025)", Level.UPPER, dt.date(2025, 1, 1), None),
        ("dang-bo-co-so", "Đảng bộ cơ sở", Level.BASE_COMMITTEE, None, None),
        ("chi-bo-co-so", "Chi bộ cơ sở", Level.BASE_CELL, None, None),
        ("dang-bo-bo-phan", "Đảng bộ bộ phận", Level.PARTIAL_COMMITTEE, None, None),
        ("chi-bo", "Chi bộ trực thuộc", Level.CELL, None, None),
    ]
    kinds = {}
    for code, name, level, start, end in specs:
        kinds[code], _ = OrgKind.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "valid_from": start, "valid_to": end}
        )
    return kinds


def ensure_sectors() -> dict[str, Sector]:
    specs = [
        ("co-quan-dang", "Cơ quan Đảng"),
        ("co-quan-nha-nuoc", "Cơ quan nhà nước"),
        ("mat-tran-doan-the", "Mặt trận Tổ quốc và đoàn thể"),
        ("don-vi-su-nghiep", "Đơn vị sự nghiệp"),
        ("doanh-nghiep", "Doanh nghiệp"),
        ("luc-luong-vu-trang", "Lực lượng vũ trang"),
    ]
    return {code: Sector.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in specs}


def build_small_tree() -> SimpleNamespace:
    kinds = ensure_kinds()
    sectors = ensure_sectors()

    def found(parent, code, name, kind, sector=None, short=""):
        spec = NewOrgSpec(code=code, name=name, kind=kinds[kind], sector=sector and sectors[sector], short_name=short)
        return organization_found(parent=parent, spec=spec, effective_on=FOUNDED, decision_no=f"QĐ-{code}").organization

    province = found(None, "tinh-bg", "Tỉnh ủy Bắc Giang", "tinh")
    bloc = found(province, "khoi-cq", "Đảng bộ Khối các cơ quan tỉnh", "khoi", short="ĐBK CCQ")
    finance = found(bloc, "so-tai-chinh", "Đảng bộ Sở Tài chính", "dang-bo-co-so", "co-quan-nha-nuoc")
    office_cell = found(finance, "cb-van-phong", "Chi bộ Văn phòng", "chi-bo", "co-quan-nha-nuoc")
    budget_cell = found(finance, "cb-ngan-sach", "Chi bộ Ngân sách", "chi-bo", "co-quan-nha-nuoc")
    newspaper = found(bloc, "bao-bg", "Chi bộ Báo Bắc Giang", "chi-bo-co-so", "don-vi-su-nghiep")
    business = found(province, "khoi-dn", "Đảng bộ Khối doanh nghiệp tỉnh", "khoi")
    power = found(business, "dien-luc", "Đảng bộ Công ty Điện lực", "dang-bo-co-so", "doanh-nghiep")
    return SimpleNamespace(
        kinds=kinds,
        sectors=sectors,
        province=province,
        bloc=bloc,
        finance=finance,
        office_cell=office_cell,
        budget_cell=budget_cell,
        newspaper=newspaper,
        business=business,
        power=power,
    )


def found_same_named_cell(tree: SimpleNamespace) -> SimpleNamespace:
    """A second «Chi bộ Văn phòng», under another base committee of the bloc («Đảng bộ Sở
    Xây dựng»): the two cells can only be told apart by their parents."""
    kinds, sectors = tree.kinds, tree.sectors
    spec = NewOrgSpec(
        code="so-xay-dung", name="Đảng bộ Sở Xây dựng", kind=kinds["dang-bo-co-so"], sector=sectors["co-quan-nha-nuoc"]
    )
    construction = organization_found(parent=tree.bloc, spec=spec, effective_on=FOUNDED).organization
    spec = NewOrgSpec(code="xd-van-phong", name="Chi bộ Văn phòng", kind=kinds["chi-bo"], sector=sectors["co-quan-nha-nuoc"])
    cell = organization_found(parent=construction, spec=spec, effective_on=FOUNDED).organization
    return SimpleNamespace(committee=construction, cell=cell)
