"""The member list in the 7-HSĐV layout: one set of column definitions for every use.

The export (.xlsx and .csv), the import template, the import itself and the page's
table all read ``COLUMNS``, so a list exported from the page can be corrected in Excel
and imported again. The 7-HSĐV list (14 columns: STT, full name, date of birth, sex,
ethnicity, religion, hometown, education, job and post, date admitted, date made full,
card number, cell, notes) is kept in its order; the name is split into family, middle
and given name (Vietnamese sorting is by given name), and the identity numbers,
residence and phone of the 2-HSĐV form are added where they belong.

Columns marked ``READ_ONLY`` are shown and exported but ignored by an import (the row
number, the cell's name, the status and the notes are not typed in: they follow from
the record). ``full_name`` ("Họ và tên") is accepted by the import only, for files that
keep the name in one column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from lib.importer import Choice, Code, Column, Date, Text
from members.models import Member, Sex, Status


class ListName(Text):
    """A name from a reference list (dân tộc, tôn giáo, trình độ), looked up by ``resolve``.

    Excel turns "9/12" typed in a cell into a date; such a date is read back as the
    day/month text it came from (both orders are tried by the lookup).
    """

    description = "tên trong danh mục"

    def __call__(self, value: Any) -> str:
        if isinstance(value, dt.datetime | dt.date):
            return f"{value.day}/{value.month}"
        return super().__call__(value)


def _status_export(value: Any) -> Any:
    return str(Status(value).label) if value in Status.values else value


SEX = Choice(
    {Sex.MALE.value: "Nam", Sex.FEMALE.value: "Nữ"},
    aliases={"male": Sex.MALE.value, "female": Sex.FEMALE.value, "m": Sex.MALE.value, "f": Sex.FEMALE.value},
)

# key -> the model field it fills (None: not written by an import)
COLUMNS: tuple[Column, ...] = (
    Column("stt", "STT", Text(), aliases=("TT", "Số thứ tự"), width=6, help="số thứ tự; không nhập"),
    Column(
        "full_name",
        "Họ và tên",
        Text(max_length=140),
        aliases=("Họ tên",),
        width=26,
        help="chỉ khi không có các cột Họ, Tên đệm, Tên: chữ đầu là họ, chữ cuối là tên, giữa là tên đệm",
    ),
    Column("family_name", "Họ", Text(max_length=40), aliases=("Họ đệm",), width=10),
    Column("middle_name", "Tên đệm", Text(max_length=60), aliases=("Chữ đệm", "Đệm"), width=12),
    Column("given_name", "Tên", Text(max_length=40), aliases=("Tên gọi",), width=10),
    Column("other_names", "Tên gọi khác", Text(max_length=120), aliases=("Bí danh",), width=14),
    Column("birth_date", "Ngày sinh", Date(), required=True, aliases=("Ngày tháng năm sinh", "Sinh ngày"), width=12),
    Column("sex", "Giới tính", SEX, required=True, aliases=("Nam/Nữ", "Nam nữ"), width=9),
    Column("ethnicity", "Dân tộc", ListName(), width=10),
    Column("religion", "Tôn giáo", ListName(), width=12),
    Column("hometown", "Quê quán", Text(max_length=255), width=30),
    Column("residence", "Nơi ở hiện nay", Text(max_length=255), aliases=("Nơi ở", "Nơi cư trú", "Chỗ ở hiện nay"), width=30),
    Column(
        "national_id",
        "Số CCCD",
        Code(digits=12),
        aliases=("CCCD", "Căn cước công dân", "Số căn cước", "Số định danh"),
        width=15,
        help="12 chữ số (để ô ở dạng văn bản để giữ số 0 đầu)",
    ),
    Column(
        "phone",
        "Điện thoại",
        Code(max_length=20),
        aliases=("Số điện thoại", "SĐT", "ĐT"),
        width=13,
        help="số điện thoại (để ô ở dạng văn bản để giữ số 0 đầu)",
    ),
    Column(
        "general_education",
        "Giáo dục phổ thông",
        ListName(),
        aliases=("GDPT", "Trình độ GDPT", "Trình độ văn hóa", "Văn hóa"),
        width=10,
        help="ví dụ 12/12 (để ô ở dạng văn bản)",
    ),
    Column(
        "professional_education",
        "Chuyên môn",
        ListName(),
        aliases=("Trình độ chuyên môn", "Chuyên môn nghiệp vụ", "Chuyên môn, nghiệp vụ"),
        width=12,
        help="Chưa qua đào tạo, Sơ cấp, Trung cấp, Cao đẳng, Đại học, Thạc sĩ, Tiến sĩ",
    ),
    Column(
        "political_theory",
        "Lý luận chính trị",
        ListName(),
        aliases=("LLCT", "Trình độ lý luận chính trị", "Lý luận"),
        width=12,
        help="Sơ cấp, Trung cấp, Cao cấp, Cử nhân",
    ),
    Column("job", "Nghề nghiệp", Text(max_length=120), width=18),
    Column("post", "Chức vụ", Text(max_length=160), aliases=("Chức vụ đảng, chính quyền, đoàn thể",), width=18),
    Column(
        "host_unit",
        "Cơ quan, đơn vị công tác",
        Text(max_length=255),
        aliases=("Cơ quan công tác", "Đơn vị công tác", "Nơi công tác"),
        width=24,
    ),
    Column("admitted_on", "Ngày vào Đảng", Date(), required=True, aliases=("Ngày kết nạp", "Ngày vào đảng CSVN"), width=12),
    Column(
        "full_member_on",
        "Ngày chính thức",
        Date(),
        aliases=("Ngày công nhận chính thức", "Ngày chuyển chính thức"),
        width=12,
        help="ngày dạng dd/mm/yyyy; để trống nếu còn là đảng viên dự bị",
    ),
    Column(
        "card_number",
        "Số thẻ đảng viên",
        Code(max_length=20),
        aliases=("Số thẻ", "Số thẻ đảng"),
        width=14,
        help="như in trên thẻ (để ô ở dạng văn bản để giữ số 0 đầu)",
    ),
    Column("profile_number", "Số lý lịch", Code(max_length=40), aliases=("Số LL", "Số lý lịch đảng viên"), width=10),
    Column(
        "organization",
        "Mã chi bộ",
        Code(max_length=40),
        required=True,
        aliases=("Chi bộ", "Mã tổ chức", "Mã chi bộ sinh hoạt"),
        width=14,
        help="mã của chi bộ (xem ở trang tổ chức đảng), trong phạm vi bạn quản lý",
    ),
    Column("organization_name", "Tên chi bộ", Text(), width=26, help="chỉ để đọc; không nhập"),
    Column("status", "Trạng thái", Text(), width=13, export=_status_export, help="chỉ để đọc; không nhập"),
    Column("note", "Ghi chú", Text(), width=20, help="chỉ để đọc; không nhập"),
)

BY_KEY: Mapping[str, Column] = {c.key: c for c in COLUMNS}
READ_ONLY = frozenset({"stt", "organization_name", "status", "note"})
IMPORT_ONLY = frozenset({"full_name"})
NAME_KEYS = ("family_name", "middle_name", "given_name")
LIST_KEYS = ("ethnicity", "religion", "general_education", "professional_education", "political_theory")
DATE_KEYS = ("birth_date", "admitted_on", "full_member_on")
# The fields an import writes straight onto the record (the rest are checked or derived).
TEXT_KEYS = ("other_names", "hometown", "residence", "phone", "job", "post", "host_unit", "profile_number")
IDENTITY_KEYS = ("national_id", "card_number")

# What export, template and the page's table show: every column but the import-only ones.
EXPORT_COLUMNS: tuple[Column, ...] = tuple(c for c in COLUMNS if c.key not in IMPORT_ONLY)

# Values read for each exported member; "stt" is counted, the rest come from here.
_FIELDS: dict[str, str] = {
    "family_name": "family_name",
    "middle_name": "middle_name",
    "given_name": "given_name",
    "other_names": "other_names",
    "birth_date": "birth_date",
    "sex": "sex",
    "ethnicity": "ethnicity__name",
    "religion": "religion__name",
    "hometown": "hometown",
    "residence": "residence",
    "national_id": "national_id",
    "phone": "phone",
    "general_education": "general_education__name",
    "professional_education": "professional_education__name",
    "political_theory": "political_theory__name",
    "job": "job",
    "post": "post",
    "host_unit": "host_unit",
    "admitted_on": "admitted_on",
    "full_member_on": "full_member_on",
    "card_number": "card_number",
    "profile_number": "profile_number",
    "organization": "organization__code",
    "organization_name": "organization__name",
    "status": "status",
    "note": "temporary_organization__name",
}


def member_records(members: QuerySet[Member], *, personal_data: Q | None = None) -> Iterator[dict[str, Any]]:
    """One dict per member, keyed like ``COLUMNS``, in the order of the queryset ``members``.

    Reads only the columns' values (one query, streamed), so it suits a list of 150,000.
    ``personal_data`` (``members.permissions.personal_data_q``) selects the members whose
    CCCD and phone the reader may see; the others have them blank. None shows them all.
    """
    lookups = list(_FIELDS.values())
    keys = list(_FIELDS)
    if personal_data is not None:
        visible = Case(When(personal_data, then=Value(True)), default=Value(False), output_field=BooleanField())
        members = members.annotate(personal_visible=visible)
        lookups.append("personal_visible")
        keys.append("personal_visible")
    for number, values in enumerate(members.values_list(*lookups).iterator(chunk_size=2000), start=1):
        record = dict(zip(keys, values, strict=True))
        if personal_data is not None and not record.pop("personal_visible"):
            record["national_id"] = record["phone"] = None
        record["stt"] = number
        temporary = record["note"]
        record["note"] = f"Sinh hoạt tạm thời tại {temporary}" if temporary else ""
        record["sex"] = SEX.labels.get(record["sex"], record["sex"])
        yield record


def export_row(record: Mapping[str, Any]) -> list[Any]:
    """A record's values in the order of ``EXPORT_COLUMNS``, as the list shows them."""
    out = []
    for column in EXPORT_COLUMNS:
        value = record.get(column.key)
        if column.export is not None:
            value = column.export(value)
        out.append(value)
    return out
