"""The member list's columns, defined once for every use: the page's table, the export
(.xlsx and .csv), the import template and the import.

``REGISTRY`` holds one ``MemberColumn`` per column of the 7-HSĐV list, in its order. Each
names its header and how a file writes and reads it (``file``, a ``lib.importer.Column``),
the value the list reads for it (``lookup``), and whether the page shows it, how the page
sorts it and whether it is personal data. Everything else is derived from it:
``EXPORT_COLUMNS`` (export and template), ``IMPORT_COLUMNS`` (what an import reads),
``PAGE_COLUMNS`` (the page's table, in the same order) and ``members.filters.SORTS``. So a
list exported from the page can be corrected in Excel and imported again, and the page
shows its columns under the same headers and in the same order as the file.

The 7-HSĐV list (14 columns: STT, full name, date of birth, sex, ethnicity, religion,
hometown, education, job and post, date admitted, date made full, card number, cell,
notes) is kept in its order; the name is split into family, middle and given name
(Vietnamese sorting is by given name), and the identity numbers, residence and phone of
the 2-HSĐV form are added where they belong.

Columns with ``imported=False`` are shown and exported but ignored by an import (the row
number, the cell's name, the status and the notes are not typed in: they follow from the
record). ``full_name`` ("Họ và tên") is not exported (the file has its three parts); the
page shows it, and the import accepts it for files that keep the name in one column, and
``family_middle_name`` ("Họ và tên đệm") for files that keep the family and middle names in one.

The headers are the official form's, in Vietnamese, in every file (an import matches
them); the page shows them translated (they are marked for the catalogs here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, F, Q, QuerySet, TextChoices, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Length
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from lib.importer import Choice, Code, Column, Date, ImportSpec, Spread, Text
from lib.text import fold
from members.models import Member, Sex, Status


class ListName(Text):
    """A name from a reference list (dân tộc, tôn giáo, trình độ), looked up by ``resolve``.

    Excel turns "9/12" typed in a cell into a date; such a date is read back as the
    day/month text it came from (both orders are tried by the lookup).
    """

    description = gettext_lazy("tên trong danh mục")

    def __init__(self, max_length: int | None = None, *, none: tuple[str, ...] = ()) -> None:
        super().__init__(max_length)
        self.none = frozenset(fold(word) for word in none)

    def __call__(self, value: Any) -> Any:  # the text, or None for a word meaning "none"
        if isinstance(value, dt.datetime | dt.date):
            return f"{value.day}/{value.month}"
        text = super().__call__(value)
        return None if self.none and fold(text) in self.none else text


# What a list says for "none" where the list has no such entry (political theory).
NONE_WORDS = ("Không", "Chưa", "Chưa có", "Chưa học", "Chưa qua đào tạo", "-", "x")


def _status_export(value: Any) -> Any:
    return str(Status(value).label) if value in Status.values else value


def _note_export(value: Any) -> str:
    return gettext("Sinh hoạt tạm thời tại %(cell)s") % {"cell": value} if value else ""


SEX = Choice(
    {Sex.MALE.value: "Nam", Sex.FEMALE.value: "Nữ"},
    aliases={"male": Sex.MALE.value, "female": Sex.FEMALE.value, "m": Sex.MALE.value, "f": Sex.FEMALE.value},
)

# Card numbers in numeric order: a shorter number first, numbers of one length as printed
# ("9" < "10" < "0123"; a leading zero is part of the printed number, so "0123" is a
# four-digit number). Indexed as such (members_member_card_order).
CARD_ORDER: tuple[Combinable, ...] = (Length("card_number"), F("card_number"))

Order = tuple[str | Combinable, ...]


@dataclass(frozen=True)
class MemberColumn:
    """One column of the member list, for the page, the export, the template and the import.

    ``file``: its header, parser, aliases and width in a file (``lib.importer``).
    ``lookup``: what the list reads for it (a ``values()`` lookup on Member); None when it is
    built otherwise (the row number; the full name, from its three parts).
    ``page``: the page's table shows it. ``sort``: its ``?sort=`` name on the page and in the
    API, ordered by ``order`` ("" when it does not sort). ``personal``: the CCCD and the phone,
    shown only where the reader may see them and never sorted (an order over hidden values
    would tell them apart). ``choices``: the page shows the choice's label.
    ``exported``: in the export and the template. ``imported``: read by an import.
    """

    file: Column
    lookup: str | None
    page: bool = False
    sort: str = ""
    order: Order = ()
    personal: bool = False
    choices: type[TextChoices] | None = None
    exported: bool = True
    imported: bool = True

    @property
    def key(self) -> str:
        return self.file.key

    @property
    def label(self) -> str:
        return self.file.label


def _then_name(*fields: str | Combinable) -> Order:
    # Ties fall back to the Vietnamese sort key and then the primary key, so pages never overlap.
    return (*fields, "sort_key", "pk")


REGISTRY: tuple[MemberColumn, ...] = (
    MemberColumn(
        Column(
            "stt", gettext_noop("STT"), Text(), aliases=("TT", "Số thứ tự"), width=6, help=gettext_lazy("số thứ tự; không nhập")
        ),
        None,
        imported=False,
    ),
    MemberColumn(
        Column(
            "full_name",
            gettext_noop("Họ và tên"),
            Text(max_length=140),
            aliases=("Họ tên", "Họ và tên khai sinh", "Họ và tên đảng viên", "Họ tên đảng viên"),
            width=26,
            help=gettext_lazy("chỉ khi không có các cột Họ, Tên đệm, Tên: chữ đầu là họ, chữ cuối là tên, giữa là tên đệm"),
        ),
        None,
        page=True,
        sort="name",
        order=("sort_key", "pk"),
        exported=False,
    ),
    MemberColumn(
        Column(
            "family_middle_name",
            gettext_noop("Họ và tên đệm"),
            Text(max_length=100),
            aliases=("Họ và chữ đệm", "Họ tên đệm", "Họ và đệm"),
            help=gettext_lazy("chỉ khi tệp không tách cột Họ và cột Tên đệm: chữ đầu là họ, các chữ sau là tên đệm"),
        ),
        None,
        exported=False,
    ),
    MemberColumn(Column("family_name", gettext_noop("Họ"), Text(max_length=40), aliases=("Họ đệm",), width=10), "family_name"),
    MemberColumn(
        Column("middle_name", gettext_noop("Tên đệm"), Text(max_length=60), aliases=("Chữ đệm", "Đệm"), width=12), "middle_name"
    ),
    MemberColumn(Column("given_name", gettext_noop("Tên"), Text(max_length=40), aliases=("Tên gọi",), width=10), "given_name"),
    MemberColumn(
        Column("other_names", gettext_noop("Tên gọi khác"), Text(max_length=120), aliases=("Bí danh",), width=14), "other_names"
    ),
    MemberColumn(
        Column(
            "birth_date",
            gettext_noop("Ngày sinh"),
            Date(),
            required=True,
            aliases=("Ngày tháng năm sinh", "Sinh ngày", "Ngày sinh (dd/mm/yyyy)"),
            width=12,
        ),
        "birth_date",
        page=True,
        sort="birth_date",
        order=_then_name("birth_date"),
    ),
    MemberColumn(
        Column("sex", gettext_noop("Giới tính"), SEX, required=True, aliases=("Nam/Nữ", "Nam nữ"), width=9),
        "sex",
        page=True,
        sort="sex",
        order=_then_name("sex"),
        choices=Sex,
    ),
    MemberColumn(Column("ethnicity", gettext_noop("Dân tộc"), ListName(), width=10), "ethnicity__name"),
    MemberColumn(Column("religion", gettext_noop("Tôn giáo"), ListName(), width=12), "religion__name"),
    MemberColumn(Column("hometown", gettext_noop("Quê quán"), Text(max_length=255), width=30), "hometown"),
    MemberColumn(
        Column(
            "residence",
            gettext_noop("Nơi ở hiện nay"),
            Text(max_length=255),
            aliases=("Nơi ở", "Nơi cư trú", "Chỗ ở hiện nay"),
            width=30,
        ),
        "residence",
    ),
    MemberColumn(
        Column(
            "national_id",
            gettext_noop("Số CCCD"),
            Code(digits=12),
            aliases=("CCCD", "Căn cước công dân", "Số căn cước", "Số định danh"),
            width=15,
            help=gettext_lazy("12 chữ số (để ô ở dạng văn bản để giữ số 0 đầu)"),
        ),
        "national_id",
        page=True,
        personal=True,
    ),
    MemberColumn(
        Column(
            "phone",
            gettext_noop("Điện thoại"),
            Code(max_length=20),
            aliases=("Số điện thoại", "SĐT", "ĐT"),
            width=13,
            help=gettext_lazy("số điện thoại (để ô ở dạng văn bản để giữ số 0 đầu)"),
        ),
        "phone",
        page=True,
        personal=True,
    ),
    MemberColumn(
        Column(
            "general_education",
            gettext_noop("Giáo dục phổ thông"),
            ListName(),
            aliases=(
                "GDPT",
                "Trình độ GDPT",
                "Trình độ văn hóa",
                "Văn hóa",
                "Trình độ học vấn",
                "Học vấn",
                "Giáo dục phổ thông",
                "Trình độ giáo dục phổ thông",
            ),
            width=10,
            help=gettext_lazy("ví dụ 12/12 (để ô ở dạng văn bản)"),
        ),
        "general_education__name",
    ),
    MemberColumn(
        Column(
            "professional_education",
            gettext_noop("Chuyên môn"),
            ListName(),
            aliases=(
                "Trình độ chuyên môn",
                "Chuyên môn nghiệp vụ",
                "Chuyên môn, nghiệp vụ",
                "Trình độ chuyên môn nghiệp vụ",
                "Trình độ chuyên môn, nghiệp vụ",
                "Chuyên môn đào tạo",
            ),
            width=12,
            help=gettext_lazy(
                "Chưa qua đào tạo, Sơ cấp, Trung cấp, Cao đẳng, Đại học, Thạc sĩ, Tiến sĩ; "
                "ghi đầy đủ như «Cử nhân Kinh tế» cũng được (giữ nguyên chữ đã ghi)"
            ),
        ),
        "professional_education__name",
    ),
    MemberColumn(
        Column(
            "political_theory",
            gettext_noop("Lý luận chính trị"),
            ListName(none=NONE_WORDS),
            aliases=("LLCT", "Trình độ lý luận chính trị", "Lý luận", "Trình độ LLCT", "Lý luận CT"),
            width=12,
            help=gettext_lazy("Sơ cấp, Trung cấp, Cao cấp, Cử nhân (ví dụ «Trung cấp LLCT»); để trống hoặc «Không» nếu chưa học"),
        ),
        "political_theory__name",
        page=True,
        sort="political_theory",
        order=_then_name("political_theory__sort_order"),
    ),
    MemberColumn(Column("job", gettext_noop("Nghề nghiệp"), Text(max_length=120), width=18), "job"),
    MemberColumn(
        Column("post", gettext_noop("Chức vụ"), Text(max_length=160), aliases=("Chức vụ đảng, chính quyền, đoàn thể",), width=18),
        "post",
    ),
    MemberColumn(
        Column(
            "host_unit",
            gettext_noop("Cơ quan, đơn vị công tác"),
            Text(max_length=255),
            aliases=("Cơ quan công tác", "Đơn vị công tác", "Nơi công tác"),
            width=24,
        ),
        "host_unit",
    ),
    MemberColumn(
        Column(
            "admitted_on",
            gettext_noop("Ngày vào Đảng"),
            Date(),
            required=True,
            aliases=(
                "Ngày kết nạp",
                "Ngày vào đảng CSVN",
                "Ngày tháng năm vào Đảng",
                "Ngày kết nạp Đảng",
                "Ngày vào Đảng dự bị",
                "Ngày kết nạp dự bị",
            ),
            width=12,
        ),
        "admitted_on",
        page=True,
        sort="admitted_on",
        order=_then_name("admitted_on"),
    ),
    MemberColumn(
        Column(
            "full_member_on",
            gettext_noop("Ngày chính thức"),
            Date(),
            aliases=(
                "Ngày công nhận chính thức",
                "Ngày chuyển chính thức",
                "Ngày tháng năm chính thức",
                "Ngày vào Đảng chính thức",
                "Ngày kết nạp chính thức",
            ),
            width=12,
            help=gettext_lazy("ngày dạng dd/mm/yyyy; để trống nếu còn là đảng viên dự bị"),
        ),
        "full_member_on",
        page=True,
        sort="full_member_on",
        order=_then_name("full_member_on"),
    ),
    MemberColumn(
        Column(
            "card_number",
            gettext_noop("Số thẻ đảng viên"),
            Code(max_length=20),
            aliases=("Số thẻ", "Số thẻ đảng", "Số thẻ ĐV"),
            width=14,
            help=gettext_lazy("như in trên thẻ (để ô ở dạng văn bản để giữ số 0 đầu)"),
        ),
        "card_number",
        page=True,
        sort="card_number",
        order=_then_name(*CARD_ORDER),
    ),
    MemberColumn(
        Column(
            "profile_number", gettext_noop("Số lý lịch"), Code(max_length=40), aliases=("Số LL", "Số lý lịch đảng viên"), width=10
        ),
        "profile_number",
    ),
    MemberColumn(
        Column(
            "organization",
            gettext_noop("Mã chi bộ"),
            Text(max_length=255),
            required=True,
            aliases=("Chi bộ", "Mã tổ chức", "Mã chi bộ sinh hoạt", "Chi bộ sinh hoạt", "Sinh hoạt tại chi bộ"),
            width=14,
            help=gettext_lazy(
                "mã của chi bộ (xem ở trang tổ chức đảng) hoặc tên như «Chi bộ Văn phòng», trong phạm vi bạn quản lý"
            ),
        ),
        "organization__code",
    ),
    MemberColumn(
        Column("organization_name", gettext_noop("Tên chi bộ"), Text(), width=26, help=gettext_lazy("chỉ để đọc; không nhập")),
        "organization__name",
        page=True,
        sort="cell",
        order=_then_name("organization__path"),
        imported=False,
    ),
    MemberColumn(
        Column(
            "status",
            gettext_noop("Trạng thái"),
            Text(),
            width=13,
            export=_status_export,
            help=gettext_lazy("chỉ để đọc; không nhập"),
        ),
        "status",
        page=True,
        sort="status",
        order=_then_name("status"),
        choices=Status,
        imported=False,
    ),
    MemberColumn(
        Column(
            "note", gettext_noop("Ghi chú"), Text(), width=20, export=_note_export, help=gettext_lazy("chỉ để đọc; không nhập")
        ),
        "temporary_organization__name",
        imported=False,
    ),
)

BY_KEY: Mapping[str, Column] = {c.key: c.file for c in REGISTRY}
# What an import reads: every column (the read-only ones too, so that a file exported from
# the list is read without a warning about unknown columns; their values are not written).
IMPORT_COLUMNS: tuple[Column, ...] = tuple(c.file for c in REGISTRY)
# What the export and the template write: every column but the import-only full name.
EXPORT_COLUMNS: tuple[Column, ...] = tuple(c.file for c in REGISTRY if c.exported)
# The page's table, in the file's order; the personal columns only for register keepers.
PAGE_COLUMNS: tuple[MemberColumn, ...] = tuple(c for c in REGISTRY if c.page)
# ?sort= name -> the fields it orders by (members.filters.SORTS).
SORT_ORDERS: Mapping[str, Order] = {c.sort: c.order for c in REGISTRY if c.sort}
PERSONAL_KEYS = frozenset(c.key for c in REGISTRY if c.personal)

# The 7-HSĐV form's two-row header: a birth date written under «Nam» or under «Nữ» of the
# "Ngày sinh" group gives the sex by its column; "Dự bị" and "Chính thức" under "Ngày vào
# Đảng" (matched as "Ngày vào Đảng dự bị", "Ngày vào Đảng chính thức") name its sub-columns.
BIRTH_DATE_BY_SEX = Spread("birth_date", "sex", {"Nam": Sex.MALE.value, "Nữ": Sex.FEMALE.value})
SUB_HEADERS = ("Dự bị", "Chính thức")

NAME_KEYS = ("family_name", "middle_name", "given_name")
LIST_KEYS = ("ethnicity", "religion", "general_education", "professional_education", "political_theory")
# The fields an import writes straight onto the record (the rest are checked or derived).
TEXT_KEYS = ("other_names", "hometown", "residence", "phone", "job", "post", "host_unit", "profile_number")
IDENTITY_KEYS = ("national_id", "card_number")

_EXPORTED = tuple(c for c in REGISTRY if c.exported and c.lookup)
_EXPORT_SPEC = ImportSpec(columns=EXPORT_COLUMNS, name="members")


def member_records(members: QuerySet[Member], *, personal_data: Q | None = None) -> Iterator[dict[str, Any]]:
    """One dict per member, keyed like ``REGISTRY``, in the order of the queryset ``members``.

    Reads only the exported columns' values (one query, streamed), so it suits a list of
    150,000. ``personal_data`` (``members.permissions.personal_data_q``) selects the members
    whose CCCD and phone the reader may see; the others have them blank. None shows them all.
    """
    lookups = [c.lookup for c in _EXPORTED if c.lookup is not None]
    keys = [c.key for c in _EXPORTED if c.lookup is not None]
    if personal_data is not None:
        visible = Case(When(personal_data, then=Value(True)), default=Value(False), output_field=BooleanField())
        members = members.annotate(personal_visible=visible)
        lookups.append("personal_visible")
        keys.append("personal_visible")
    for number, values in enumerate(members.values_list(*lookups).iterator(chunk_size=2000), start=1):
        record = dict(zip(keys, values, strict=True))
        if personal_data is not None and not record.pop("personal_visible"):
            for key in PERSONAL_KEYS:
                record[key] = None
        record["stt"] = number
        yield record


def export_row(record: Mapping[str, Any]) -> list[Any]:
    """A record's values in the order of ``EXPORT_COLUMNS``, as the file shows them."""
    return _EXPORT_SPEC.export_row(record)
