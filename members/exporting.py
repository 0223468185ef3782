"""Exporting a member list in the 7-HSĐV layout, as .xlsx or .csv, and the import template.

Both use ``members.columns`` (the columns of the page's table and of the import), so an
exported list can be corrected and imported again. Rows are streamed from one query:
a province's 150,000 members never sit in memory as model objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy

from lib.importer import ImportSpec, template_xlsx
from lib.tabular import iter_csv, write_xlsx
from members.columns import EXPORT_COLUMNS, export_row, member_records
from members.models import Member
from members.permissions import personal_data_q, register_roots

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
LIST_TITLE = gettext_lazy("DANH SÁCH ĐẢNG VIÊN (mẫu 7-HSĐV)")


def export_filename(extension: str, on: dt.date | None = None) -> str:
    return f"danh-sach-dang-vien-{(on or dt.date.today()):%Y%m%d}.{extension}"


def _rows(members: QuerySet[Member], user: Any) -> Iterator[list[Any]]:
    personal = None if user is None or register_roots(user) is None else personal_data_q(user)
    for record in member_records(members, personal_data=personal):
        yield export_row(record)


def members_export_xlsx(members: QuerySet[Member], *, user: Any, title: str | None = None) -> bytes:
    """The members of ``members`` (already scoped and filtered), in its order, as an .xlsx.

    The CCCD and phone are filled only where ``user`` may see them (``personal_data_q``);
    ``user=None`` is for callers with no reader, such as the benchmark.
    """
    return write_xlsx(
        EXPORT_COLUMNS,
        _rows(members, user),
        title=str(LIST_TITLE) if title is None else title,
        sheet_name=gettext("Danh sách"),
    )


def members_export_csv(members: QuerySet[Member], *, user: Any) -> Iterator[bytes]:
    """The same list as CSV (UTF-8 with BOM, dates dd/mm/yyyy), line by line for a streaming response."""
    return iter_csv(EXPORT_COLUMNS, _rows(members, user))


TEMPLATE_NOTES = (
    gettext_lazy("Mỗi dòng là một đảng viên. Dòng tiêu đề phải giữ tên cột; thứ tự các cột không quan trọng."),
    gettext_lazy(
        "Bắt buộc: Họ, Tên (hoặc một cột «Họ và tên»: chữ đầu là họ, chữ cuối là tên, ở giữa là tên đệm), "
        "Ngày sinh, Giới tính, Ngày vào Đảng, Mã chi bộ."
    ),
    gettext_lazy("Mã chi bộ là mã của chi bộ cơ sở hoặc chi bộ trực thuộc trong phạm vi bạn quản lý (xem ở trang tổ chức đảng)."),
    gettext_lazy(
        "Dòng có Số CCCD hoặc Số thẻ đảng viên đã có trong hồ sơ sẽ cập nhật hồ sơ đó (chỉ trong phạm vi bạn quản lý); "
        "ô để trống thì giữ nguyên thông tin đã có. Đổi chi bộ, ngày vào Đảng, công nhận chính thức làm ở hồ sơ đảng viên."
    ),
    gettext_lazy("Các dòng khác tạo hồ sơ mới: đảng viên dự bị từ Ngày vào Đảng, chính thức từ Ngày chính thức nếu có."),
    gettext_lazy("Các cột STT, Tên chi bộ, Trạng thái, Ghi chú chỉ để đọc (có trong tệp xuất ra); khi nhập chúng được bỏ qua."),
    gettext_lazy(
        "Số CCCD, số thẻ, số điện thoại, trình độ giáo dục phổ thông (12/12): nên để ô ở dạng văn bản (Text) để Excel "
        "không bỏ số 0 ở đầu hoặc đổi thành ngày."
    ),
    gettext_lazy(
        "Dân tộc, tôn giáo, trình độ chuyên môn, lý luận chính trị: ghi đúng tên trong danh mục "
        "(không phân biệt hoa thường, dấu)."
    ),
    gettext_lazy("Tệp lớn (trên vài nghìn dòng) được kiểm tra và ghi ở chế độ chạy nền; trang sẽ hiện thanh tiến độ."),
)

TEMPLATE_EXAMPLE: dict[str, Any] = {
    "stt": 1,
    "family_name": "Nguyễn",
    "middle_name": "Thị Thu",
    "given_name": "Hà",
    "birth_date": dt.date(1985, 3, 5),
    "sex": "Nữ",
    "ethnicity": "Kinh",
    "religion": "Không",
    "hometown": "Xã Tân Dĩnh, huyện Lạng Giang, tỉnh Bắc Giang",
    "residence": "Phường Trần Phú, thành phố Bắc Giang",
    "national_id": "024185001234",
    "phone": "0912345678",
    "general_education": "12/12",
    "professional_education": "Đại học",
    "political_theory": "Trung cấp",
    "job": "Công chức",
    "post": "Chuyên viên",
    "host_unit": "Sở Tài chính",
    "admitted_on": dt.date(2010, 6, 5),
    "full_member_on": dt.date(2011, 6, 5),
    "card_number": "24012345",
    "profile_number": "1234",
    "organization": "ma-chi-bo",
}


def members_import_template() -> bytes:
    """A blank 7-HSĐV list with one example row, and a «Hướng dẫn» sheet.

    The example row is data (an import reads it back), so it is not translated.
    """
    spec = ImportSpec(columns=EXPORT_COLUMNS, name="members")
    example = [str(v) if isinstance(v, str) else v for v in (TEMPLATE_EXAMPLE.get(c.key) for c in EXPORT_COLUMNS)]
    return template_xlsx(spec, title=gettext("Danh sách đảng viên (mẫu 7-HSĐV)"), notes=TEMPLATE_NOTES, example=example)
