"""Member files for the import and export tests, in the 7-HSĐV layout of ``members.columns``."""

from __future__ import annotations

import datetime as dt
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
