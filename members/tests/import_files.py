"""Member files for the import and export tests, in the 7-HSĐV layout of ``members.columns``, and
as the official form lays out its header on two rows (``birth_date_by_sex_file`` …)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from lib.tabular import write_csv, write_xlsx
from members.testing import spelled

HEADERS = [
    "STT",
    "Họ",
    "Tên đệm",
    "Tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Tôn giáo",
    "Số CCCD",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ đảng viên",
    "Mã chi bộ",
]


def person(n: int, cell: str = "cb-van-phong", **overrides: Any) -> dict[str, Any]:
    """The n-th test member: distinct CCCD and card number, full for years."""
    row = {
        "STT": n,
        "Họ": "Trần",
        "Tên đệm": "Thị",
        "Tên": f"Hoa{spelled(n)}",
        "Ngày sinh": dt.date(1975, 1, 1) + dt.timedelta(days=n % 3650),
        "Giới tính": "Nữ",
        "Dân tộc": "Kinh",
        "Tôn giáo": "Không",
        "Số CCCD": f"0241800{n:05d}",
        "Ngày vào Đảng": dt.date(2005, 3, 1),
        "Ngày chính thức": dt.date(2006, 3, 1),
        "Số thẻ đảng viên": f"T{n:06d}",
        "Mã chi bộ": cell,
    }
    row.update(overrides)
    return row


def xlsx(rows: list[dict[str, Any]], headers: list[str] | None = None) -> bytes:
    headers = headers or (list(rows[0]) if rows else HEADERS)
    return write_xlsx(headers, [[row.get(h) for h in headers] for row in rows])


def csv(rows: list[dict[str, Any]], headers: list[str] | None = None) -> bytes:
    headers = headers or (list(rows[0]) if rows else HEADERS)
    return write_csv(headers, [[row.get(h) for h in headers] for row in rows])


# --- two-row headers, as the 7-HSĐV form lays them out -----------------------------------------
# Row 5 names the groups, merged over their sub-columns (Excel keeps a merged cell's text in its
# first cell only); row 6 names the sub-columns; row 7 numbers the columns; the members follow
# from row 8, then the total and the signatures.

TWO_ROW_TITLE: list[list[Any]] = [
    ["ĐẢNG BỘ SỞ TÀI CHÍNH", None, None, None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"],
    ["CHI BỘ VĂN PHÒNG"],
    [],
    [None, "DANH SÁCH ĐẢNG VIÊN"],
]
TWO_ROW_FOOTER: list[list[Any]] = [
    [None, "Tổng số: 3 đảng viên"],
    [],
    [None, None, None, None, None, "Sở Tài chính, ngày 30 tháng 9 năm 2025"],
    [None, "NGƯỜI LẬP BIỂU", None, None, None, "T/M CHI ỦY"],
]

# The members every two-row file holds: (family, middle, given, sex, birth date, admitted, full, card).
TWO_ROW_MEMBERS: list[tuple[str, str, str, str, dt.datetime, dt.datetime, dt.datetime | None, str]] = [
    ("Trần", "Thị", "An", "Nữ", dt.datetime(1980, 3, 1), dt.datetime(2005, 3, 1), dt.datetime(2006, 3, 1), "79000001"),
    ("Lê", "Văn", "Bình", "Nam", dt.datetime(1978, 4, 2), dt.datetime(2004, 4, 2), dt.datetime(2005, 4, 2), "79000002"),
    ("Phạm", "Thị Thu", "Cúc", "Nữ", dt.datetime(1990, 5, 3), dt.datetime(2025, 1, 10), None, "79000003"),
]


def merged_xlsx(rows: list[list[Any]], merges: list[str]) -> bytes:
    """A sheet saved by Excel (openpyxl): ``rows`` from A1, each range of ``merges`` ("C5:D5") merged."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _numbers(width: int) -> list[str]:
    return [f"({n})" for n in range(1, width + 1)]


def _two_row_file(first: list[Any], second: list[Any], merges: list[str], rows: list[list[Any]]) -> bytes:
    body = [*TWO_ROW_TITLE, first, second, _numbers(len(first)), *rows, *TWO_ROW_FOOTER]
    return merged_xlsx(body, merges)


def _down(*columns: str) -> list[str]:
    """Columns whose header takes both rows (merged over rows 5 and 6)."""
    return [f"{c}5:{c}6" for c in columns]


def birth_date_by_sex_file(rows: list[list[Any]] | None = None) -> bytes:
    """ "Ngày sinh" over «Nam» and «Nữ»: the birth date written under one gives the sex."""
    first = ["STT", "Họ và tên", "Ngày sinh", None, "Quê quán", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ đảng viên", "Chi bộ"]
    second = [None, None, "Nam", "Nữ", None, None, None, None, None]
    if rows is None:
        rows = []
        for n, (family, middle, given, sex, born, admitted, full, card) in enumerate(TWO_ROW_MEMBERS, start=1):
            births = (born, None) if sex == "Nam" else (None, born)
            rows.append([n, f"{family} {middle} {given}", *births, "Bắc Ninh", admitted, full, card, "Chi bộ Văn phòng"])
    return _two_row_file(first, second, ["C5:D5", *_down("A", "B", "E", "F", "G", "H", "I")], rows)


def name_parts_file(*, parts: int = 3, members: list[Any] | None = None) -> bytes:
    """ "Họ và tên" over «Họ», «Đệm», «Tên» (``parts=3``) or over «Họ và tên đệm», «Tên» (``parts=2``);
    ``members`` like ``TWO_ROW_MEMBERS``."""
    subs = ["Họ", "Đệm", "Tên"] if parts == 3 else ["Họ và tên đệm", "Tên"]
    first = ["STT", "Họ và tên", *[None] * (parts - 1), "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Ngày chính thức", "Chi bộ"]
    second = [None, *subs, None, None, None, None, None]
    rows = []
    for n, (family, middle, given, sex, born, admitted, full, _card) in enumerate(members or TWO_ROW_MEMBERS, start=1):
        names = [family, middle, given] if parts == 3 else [f"{family} {middle}", given]
        rows.append([n, *names, born, sex, admitted, full, "Chi bộ Văn phòng"])
    last = "D" if parts == 3 else "C"
    after = "EFGHI" if parts == 3 else "DEFGH"
    return _two_row_file(first, second, [f"B5:{last}5", *_down("A", *after)], rows)


def party_dates_file() -> bytes:
    """ "Ngày vào Đảng" over «Dự bị» (the admission) and «Chính thức» (full membership)."""
    first = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", None, "Số thẻ đảng viên", "Chi bộ"]
    second = [None, None, None, None, "Dự bị", "Chính thức", None, None]
    rows = [
        [n, f"{family} {middle} {given}", born, sex, admitted, full, card, "Chi bộ Văn phòng"]
        for n, (family, middle, given, sex, born, admitted, full, card) in enumerate(TWO_ROW_MEMBERS, start=1)
    ]
    return _two_row_file(first, second, ["E5:F5", *_down("A", "B", "C", "D", "G", "H")], rows)


# Each member's education as the list writes it: (general, professional, political theory).
EDUCATION = [("12/12", "Cử nhân Kinh tế", "Trung cấp"), ("10/10", "Thạc sĩ", "Cao cấp"), ("12/12", "Đại học", "Không")]


def education_file() -> bytes:
    """ "Trình độ" over «Học vấn», «Chuyên môn», «Lý luận chính trị»."""
    first = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Trình độ", None, None, "Ngày vào Đảng", "Ngày chính thức", "Chi bộ"]
    second = [None, None, None, None, "Học vấn", "Chuyên môn", "Lý luận chính trị", None, None, None]
    rows = [
        [n, f"{family} {middle} {given}", born, sex, *EDUCATION[n - 1], admitted, full, "Chi bộ Văn phòng"]
        for n, (family, middle, given, sex, born, admitted, full, _card) in enumerate(TWO_ROW_MEMBERS, start=1)
    ]
    return _two_row_file(first, second, ["E5:G5", *_down("A", "B", "C", "D", "H", "I", "J")], rows)


def all_groups_file() -> bytes:
    """Every group at once: the sub-columns (row 6) then name more fields than the groups (row 5)."""
    first = ["STT", "Họ và tên", None, None, "Ngày sinh", None, "Trình độ", None, None, "Ngày vào Đảng", None, "Chi bộ"]
    second = [None, "Họ", "Đệm", "Tên", "Nam", "Nữ", "Học vấn", "Chuyên môn", "Lý luận chính trị", "Dự bị", "Chính thức", None]
    rows = []
    for n, (family, middle, given, sex, born, admitted, full, _card) in enumerate(TWO_ROW_MEMBERS, start=1):
        births = (born, None) if sex == "Nam" else (None, born)
        rows.append([n, family, middle, given, *births, *EDUCATION[n - 1], admitted, full, "Chi bộ Văn phòng"])
    return _two_row_file(first, second, ["B5:D5", "E5:F5", "G5:I5", "J5:K5", *_down("A", "L")], rows)


def data_under_header_file() -> bytes:
    """A one-row header whose first member, under it, reads like words a second header row holds:
    no number in «STT», short names, «Nam» under «Giới tính», «Dự bị» in «Ghi chú»."""
    header = ["STT", "Họ", "Tên đệm", "Tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Chi bộ", "Ghi chú"]
    rows: list[list[Any]] = [
        [None, "Lê", "Văn", "Nam", "Nam", dt.datetime(1990, 5, 3), dt.datetime(2025, 1, 10), None, "Chi bộ Văn phòng", "Dự bị"],
        [2, "Trần", "Thị", "An", "Nữ", dt.datetime(1980, 3, 1), dt.datetime(2005, 3, 1), dt.datetime(2006, 3, 1), "cb-van-phong"],
    ]
    return merged_xlsx([*TWO_ROW_TITLE, header, *rows], [])
