"""The provincial agencies of the demonstration: names, sectors and sizes.

Modelled on the Bắc Giang bloc of seed 004 (77 base organizations, about 4,500 members
in 2020). Central agencies with their own vertical party line (treasury, tax, customs,
police, army) are left out. ``size`` is a relative weight for the number of members,
``goes_to`` the committee the base organization joined in the 2025 restructuring
("dang": Đảng bộ các cơ quan Đảng tỉnh; "ubnd": Đảng bộ Ủy ban nhân dân tỉnh).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PROVINCE_NAME = "Bắc Giang"

# Sector → the 2025 committee its base organizations went to (Hướng dẫn 31-HD/BTCTW:
# party agencies, the Fatherland Front and mass organizations to the party agencies'
# committee; state agencies, public service units and enterprises to the UBND's).
SECTOR_DESTINATION = {
    "co-quan-dang": "dang",
    "mat-tran-doan-the": "dang",
    "co-quan-nha-nuoc": "ubnd",
    "don-vi-su-nghiep": "ubnd",
    "doanh-nghiep": "ubnd",
}


@dataclass(frozen=True)
class Agency:
    """A host unit and its base party organization.

    ``committee``: a Đảng bộ cơ sở with attached cells (else a Chi bộ cơ sở).
    ``cells``: the attached cells' names (without "Chi bộ"); drawn from a pool when empty.
    ``goes_to``: overrides the sector's 2025 destination (the newspaper and the political
    school serve the provincial committee although they are public service units).
    """

    key: str
    unit: str
    sector: str
    committee: bool = False
    size: int = 15
    cells: tuple[str, ...] = ()
    pool: str = "department"
    founded: dt.date | None = None
    goes_to: str = ""
    core: bool = False

    @property
    def destination(self) -> str:
        return self.goes_to or SECTOR_DESTINATION[self.sector]

    @property
    def org_name(self) -> str:
        return f"{'Đảng bộ' if self.committee else 'Chi bộ'} {self.unit}"


def _a(key: str, unit: str, sector: str, **kwargs) -> Agency:
    return Agency(key=key, unit=unit, sector=sector, **kwargs)


P, M, S, U, E = "co-quan-dang", "mat-tran-doan-the", "co-quan-nha-nuoc", "don-vi-su-nghiep", "doanh-nghiep"

# The bloc of the provincial agencies as it stood in 2020. ``core`` units take part in
# the recorded changes (split, rename, 2025 merges) and are kept at every scale.
BLOC_AGENCIES: list[Agency] = [
    # Party agencies
    _a("ban-to-chuc", "Ban Tổ chức Tỉnh ủy", P, size=22, core=True),
    _a("ban-tuyen-giao", "Ban Tuyên giáo Tỉnh ủy", P, size=20, core=True),
    _a("ban-dan-van", "Ban Dân vận Tỉnh ủy", P, size=14, core=True),
    _a("ban-noi-chinh", "Ban Nội chính Tỉnh ủy", P, size=13),
    _a("ubkt-tinh-uy", "Cơ quan Ủy ban Kiểm tra Tỉnh ủy", P, size=22),
    _a(
        "van-phong-tinh-uy",
        "Văn phòng Tỉnh ủy",
        P,
        committee=True,
        size=70,
        cells=("Phòng Tổng hợp", "Phòng Hành chính – Lưu trữ", "Phòng Quản trị – Tài vụ", "Nhà khách Tỉnh ủy"),
        core=True,
    ),
    _a(
        "bao-tinh",
        f"Báo {PROVINCE_NAME}",
        U,
        committee=True,
        size=55,
        pool="media",
        goes_to="dang",
        core=True,
    ),
    _a(
        "truong-chinh-tri",
        "Trường Chính trị tỉnh",
        U,
        committee=True,
        size=50,
        pool="school",
        goes_to="dang",
    ),
    # The Fatherland Front and mass organizations
    _a("ubmttq", "Cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", M, size=20, core=True),
    _a("hoi-nong-dan", "Cơ quan Hội Nông dân tỉnh", M, size=18),
    _a("hoi-phu-nu", "Cơ quan Hội Liên hiệp Phụ nữ tỉnh", M, size=18),
    _a("tinh-doan", "Cơ quan Tỉnh đoàn", M, size=20),
    _a("lien-doan-lao-dong", "Cơ quan Liên đoàn Lao động tỉnh", M, size=24),
    _a("hoi-cuu-chien-binh", "Cơ quan Hội Cựu chiến binh tỉnh", M, size=12),
    _a("lien-minh-htx", "Liên minh Hợp tác xã tỉnh", M, size=12),
    _a("lien-hiep-hoi-khkt", "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", M, size=9),
    _a("hoi-chu-thap-do", "Hội Chữ thập đỏ tỉnh", M, size=9),
    _a("hoi-van-hoc-nghe-thuat", "Hội Văn học Nghệ thuật tỉnh", M, size=8),
    _a("hoi-nha-bao", "Hội Nhà báo tỉnh", M, size=6),
    # Elected bodies, courts and prosecution
    _a("vp-doan-dbqh-hdnd", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", S, size=22, goes_to="dang", core=True),
    _a(
        "vp-ubnd",
        "Văn phòng Ủy ban nhân dân tỉnh",
        S,
        committee=True,
        size=75,
        cells=("Phòng Tổng hợp", "Phòng Kinh tế ngành", "Phòng Hành chính – Tổ chức", "Trung tâm Thông tin", "Nhà khách tỉnh"),
        core=True,
    ),
    _a("toa-an", "Tòa án nhân dân tỉnh", S, committee=True, size=60, pool="court", goes_to="dang"),
    _a("vien-kiem-sat", "Viện Kiểm sát nhân dân tỉnh", S, committee=True, size=55, pool="court", goes_to="dang"),
    # Departments (sở) and equivalent agencies of the provincial People's Committee
    _a("so-noi-vu", "Sở Nội vụ", S, committee=True, size=60, core=True),
    _a("so-tu-phap", "Sở Tư pháp", S, committee=True, size=40),
    _a("so-ke-hoach-dau-tu", "Sở Kế hoạch và Đầu tư", S, committee=True, size=55, core=True),
    _a("so-tai-chinh", "Sở Tài chính", S, committee=True, size=65, core=True),
    _a("so-cong-thuong", "Sở Công Thương", S, committee=True, size=60),
    _a("so-nong-nghiep", "Sở Nông nghiệp và Phát triển nông thôn", S, committee=True, size=160, core=True),
    _a("so-giao-thong", "Sở Giao thông vận tải", S, committee=True, size=90, core=True),
    _a("so-xay-dung", "Sở Xây dựng", S, committee=True, size=55, core=True),
    _a("so-tai-nguyen", "Sở Tài nguyên và Môi trường", S, committee=True, size=85, core=True),
    _a("so-thong-tin", "Sở Thông tin và Truyền thông", S, size=24, core=True),
    _a("so-lao-dong", "Sở Lao động – Thương binh và Xã hội", S, committee=True, size=90, core=True),
    _a("so-van-hoa", "Sở Văn hóa, Thể thao và Du lịch", S, committee=True, size=110, core=True),
    _a("so-khoa-hoc", "Sở Khoa học và Công nghệ", S, committee=True, size=40, core=True),
    _a("so-giao-duc", "Sở Giáo dục và Đào tạo", S, committee=True, size=70),
    _a("so-y-te", "Sở Y tế", S, committee=True, size=75),
    _a("so-ngoai-vu", "Sở Ngoại vụ", S, size=14, founded=dt.date(2005, 3, 1)),
    _a("thanh-tra-tinh", "Thanh tra tỉnh", S, size=25),
    _a("ban-dan-toc", "Ban Dân tộc tỉnh", S, size=16),
    _a("ban-ql-kcn", "Ban Quản lý các khu công nghiệp tỉnh", S, size=28, founded=dt.date(2003, 6, 1)),
    _a("cuc-thads", "Cục Thi hành án dân sự tỉnh", S, committee=True, size=40, pool="court"),
    # Public service units
    _a("dai-ptth", "Đài Phát thanh và Truyền hình tỉnh", U, committee=True, size=70, pool="media"),
    _a("bv-da-khoa", "Bệnh viện Đa khoa tỉnh", U, committee=True, size=260, pool="hospital"),
    _a("bv-san-nhi", "Bệnh viện Sản – Nhi tỉnh", U, committee=True, size=120, pool="hospital"),
    _a("bv-y-hoc-co-truyen", "Bệnh viện Y học cổ truyền tỉnh", U, committee=True, size=60, pool="hospital"),
    _a("bv-phoi", "Bệnh viện Phổi tỉnh", U, committee=True, size=45, pool="hospital"),
    _a("bv-tam-than", "Bệnh viện Tâm thần tỉnh", U, size=25),
    _a("bv-ung-buou", "Bệnh viện Ung bướu tỉnh", U, committee=True, size=50, pool="hospital", founded=dt.date(2014, 4, 1)),
    _a("cdc", "Trung tâm Kiểm soát bệnh tật tỉnh", U, committee=True, size=55, founded=dt.date(2018, 9, 1)),
    _a("cd-ngo-gia-tu", "Trường Cao đẳng Ngô Gia Tự", U, committee=True, size=90, pool="school"),
    _a("cd-ky-thuat", "Trường Cao đẳng Kỹ thuật Công nghiệp", U, committee=True, size=60, pool="school"),
    _a("cd-y-te", "Trường Cao đẳng Y tế tỉnh", U, committee=True, size=45, pool="school"),
    _a("dh-nong-lam", f"Trường Đại học Nông – Lâm {PROVINCE_NAME}", U, committee=True, size=150, pool="school"),
    _a("trung-cap-van-hoa", "Trường Trung cấp Văn hóa, Thể thao và Du lịch", U, size=20),
    _a("thpt-chuyen", f"Trường THPT Chuyên {PROVINCE_NAME}", U, size=35),
    _a("quy-dau-tu", "Quỹ Đầu tư phát triển tỉnh", U, size=12, founded=dt.date(2009, 7, 1)),
    _a("ban-qlda-dan-dung", "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh", U, size=30),
    _a("ban-qlda-giao-thong", "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông, nông nghiệp tỉnh", U, size=28),
    _a("trung-tam-hcc", "Trung tâm Phục vụ hành chính công tỉnh", U, size=14, founded=dt.date(2019, 1, 2)),
    _a("bao-tang", "Bảo tàng tỉnh", U, size=12),
    _a("thu-vien", "Thư viện tỉnh", U, size=11),
    _a("trung-tam-van-hoa", "Trung tâm Văn hóa – Điện ảnh tỉnh", U, size=14),
    _a("doan-nghe-thuat", "Nhà hát Chèo tỉnh", U, size=15),
    _a("xuc-tien-dau-tu", "Trung tâm Xúc tiến đầu tư tỉnh", U, size=10),
    _a("cntt-truyen-thong", "Trung tâm Công nghệ thông tin và Truyền thông tỉnh", U, size=12),
    _a("bao-tro-xa-hoi", "Trung tâm Bảo trợ xã hội tỉnh", U, size=14),
    _a("cai-nghien", "Cơ sở Cai nghiện ma túy tỉnh", U, size=16),
    _a("dich-vu-viec-lam", "Trung tâm Dịch vụ việc làm tỉnh", U, size=12),
    _a("khuyen-nong", "Trung tâm Khuyến nông tỉnh", U, size=15),
    _a("quan-trac-moi-truong", "Trung tâm Quan trắc tài nguyên và môi trường tỉnh", U, size=12),
    _a("dang-ky-dat-dai", "Văn phòng Đăng ký đất đai tỉnh", U, committee=True, size=60),
    _a("kiem-dinh-xay-dung", "Trung tâm Kiểm định chất lượng công trình xây dựng", U, size=12),
    _a("dang-kiem", "Trung tâm Đăng kiểm xe cơ giới tỉnh", U, size=10),
    _a("di-tich-yen-the", "Ban Quản lý Khu di tích lịch sử Khởi nghĩa Yên Thế", U, size=9),
    _a("nuoc-sach-nong-thon", "Trung tâm Nước sạch và Vệ sinh môi trường nông thôn tỉnh", U, size=12),
]

# The bloc of the provincial enterprises (Đảng bộ Khối doanh nghiệp tỉnh).
ENTERPRISES: list[Agency] = [
    _a("dien-luc", f"Công ty Điện lực {PROVINCE_NAME}", E, committee=True, size=120, pool="enterprise", core=True),
    _a(
        "thuy-loi-bac",
        "Công ty TNHH một thành viên Khai thác công trình thủy lợi Bắc Sông Thương",
        E,
        committee=True,
        size=70,
        pool="enterprise",
    ),
    _a("thuy-loi-nam", "Công ty TNHH một thành viên Khai thác công trình thủy lợi Nam Sông Thương", E, size=30),
    _a("nuoc-sach", f"Công ty Cổ phần Nước sạch {PROVINCE_NAME}", E, committee=True, size=45, pool="enterprise"),
    _a("xo-so", f"Công ty TNHH một thành viên Xổ số kiến thiết {PROVINCE_NAME}", E, size=12),
    _a(
        "agribank",
        f"Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh {PROVINCE_NAME}",
        E,
        committee=True,
        size=110,
        pool="bank",
    ),
    _a("moi-truong-do-thi", f"Công ty Cổ phần Môi trường và Dịch vụ đô thị {PROVINCE_NAME}", E, size=20),
    _a("xe-khach", f"Công ty Cổ phần Xe khách {PROVINCE_NAME}", E, size=10),
]

# Attached cells (chi bộ trực thuộc) by kind of host unit, drawn when an agency names none.
CELL_POOLS: dict[str, list[str]] = {
    "department": [
        "Văn phòng",
        "Thanh tra",
        "Phòng Kế hoạch – Tài chính",
        "Phòng Tổ chức cán bộ",
        "Phòng Quản lý ngành",
        "Phòng Pháp chế",
        "Chi cục trực thuộc",
        "Trung tâm trực thuộc",
        "Phòng Nghiệp vụ",
    ],
    "media": [
        "Ban Thời sự",
        "Ban Biên tập",
        "Phòng Kỹ thuật",
        "Phòng Hành chính – Trị sự",
        "Ban Điện tử",
        "Phóng viên thường trú",
    ],
    "school": [
        "Khoa Lý luận cơ sở",
        "Khoa Xây dựng Đảng",
        "Phòng Đào tạo",
        "Phòng Hành chính – Tổ chức",
        "Khoa Cơ bản",
        "Khoa Chuyên ngành",
    ],
    "hospital": ["Khối Nội", "Khối Ngoại", "Khối Cận lâm sàng", "Khối Phòng chức năng", "Khoa Khám bệnh", "Khoa Hồi sức cấp cứu"],
    "court": ["Văn phòng", "Phòng Nghiệp vụ 1", "Phòng Nghiệp vụ 2", "Phòng Kiểm tra", "Phòng Tổ chức – Cán bộ"],
    "enterprise": ["Văn phòng Công ty", "Phòng Kỹ thuật", "Phòng Kinh doanh", "Xí nghiệp số 1", "Xí nghiệp số 2", "Đội Sản xuất"],
    "bank": ["Văn phòng", "Phòng Khách hàng", "Phòng Kế toán – Ngân quỹ", "Phòng giao dịch số 1", "Phòng giao dịch số 2"],
}

# Units added past the list when the scale asks for more base organizations than it has.
EXTRA_UNITS: list[tuple[str, str]] = [
    ("Trung tâm Y tế khu vực", U),
    ("Trường Trung học phổ thông khu vực", U),
    ("Ban Quản lý rừng phòng hộ khu vực", U),
    ("Chi cục trực thuộc Sở số", S),
]


# ---------------------------------------------------------------------------------------
# The recorded changes (all dates are in the past; the services refuse future dates).

PROVINCE_FOUNDED = dt.date(1997, 1, 1)  # Bắc Giang re-established from Hà Bắc.
BLOC_FOUNDED = dt.date(1997, 3, 1)
ENTERPRISE_BLOC_FOUNDED = dt.date(2007, 9, 1)

# 2008: the Sở Văn hóa – Thông tin was split into the Sở Văn hóa, Thể thao và Du lịch and
# the Sở Thông tin và Truyền thông (Nghị định 13/2008/NĐ-CP on the provincial departments).
SPLIT_ON = dt.date(2008, 4, 1)
SPLIT_SOURCE_UNIT = "Sở Văn hóa – Thông tin"

# 2017: the offices of the People's Council and the National Assembly delegation merged
# into one office; the cell took its new name.
RENAME_ON = dt.date(2017, 1, 1)
RENAME_OLD_UNIT = "Văn phòng Hội đồng nhân dân tỉnh"

# The bloc committees ended and the two new committees took their base organizations
# (Kết luận 121-KL/TW, 24/01/2025; Hướng dẫn 31-HD/BTCTW). The date is the founding
# decision of the new committees.
RESTRUCTURE_ON = dt.date(2025, 2, 1)
RESTRUCTURE_DECISION = "QĐ-TU/2025"

# 01/03/2025: departments merged (Nghị định 45/2025/NĐ-CP on the provincial departments).
MERGES_ON = dt.date(2025, 3, 1)
# (sources, target key or None for a new organization, new unit name or "" to keep).
DEPARTMENT_MERGES: list[tuple[tuple[str, ...], str | None, str]] = [
    (("so-ke-hoach-dau-tu",), "so-tai-chinh", ""),
    (("so-giao-thong",), "so-xay-dung", ""),
    (("so-thong-tin",), "so-khoa-hoc", ""),
    (("so-lao-dong",), "so-noi-vu", ""),
    (("so-nong-nghiep", "so-tai-nguyen"), None, "Sở Nông nghiệp và Môi trường"),
    (("ban-dan-van",), "ban-tuyen-giao", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
]

NEW_COMMITTEES = {
    "dang": ("dang-bo-cac-co-quan-dang", "Đảng bộ các cơ quan Đảng tỉnh", "ĐB CQĐ tỉnh"),
    "ubnd": ("dang-bo-ubnd-tinh", "Đảng bộ Ủy ban nhân dân tỉnh", "ĐB UBND tỉnh"),
}

# Terms of office: (name, congress year, the bloc's congress number).
TERMS = [("2015–2020", 2015, "XVII"), ("2020–2025", 2020, "XVIII"), ("2025–2030", 2025, "")]
# Seed 004: the bloc's 18th congress opened on 20/8/2020.
BLOC_CONGRESS_2020 = dt.date(2020, 8, 20)
BLOC_CONGRESS_2015 = dt.date(2015, 8, 14)
NEW_COMMITTEES_CONGRESS = dt.date(2025, 8, 12)
