"""Member lists as secretaries keep them: a title block, a row of column numbers, blank and
total rows, signatures under the table, headers in their own words, cells named rather
than coded, education written out, and dangbo's own export imported back.

Every file is built here with openpyxl, as Excel would save it.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from lib.importer import ImportRefused, header_signature
from members.exporting import members_export_xlsx
from members.importing import MEMBER_KEY, UNCHANGED_KEY, members_import, members_parse
from members.models import (
    CellMembership,
    GeneralEducation,
    ImportColumnMapping,
    ImportJob,
    ImportJobStatus,
    Member,
    PoliticalTheory,
    ProfessionalEducation,
    Status,
    StatusChange,
)
from members.services import member_change_status, member_transfer_out
from members.testing import add_member
from members.tests import import_files
from orgs.testing import found_same_named_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TITLE = [
    ["ĐẢNG BỘ SỞ TÀI CHÍNH", None, None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"],
    ["CHI BỘ VĂN PHÒNG"],
    [],
    [None, None, "DANH SÁCH ĐẢNG VIÊN"],
    [None, None, "Tính đến ngày 30/9/2025"],
]
HEADER = [
    "STT",
    "Họ và tên",
    "Ngày, tháng, năm sinh",
    "Giới tính",
    "Dân tộc",
    "Trình độ học vấn",
    "Chuyên môn nghiệp vụ",
    "Lý luận chính trị",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ đảng viên",
    "Chi bộ",
    "Ghi chú",
]
NUMBERS = [f"({n})" for n in range(1, len(HEADER) + 1)]
FOOTER = [
    [None, "Tổng số: 4 đảng viên"],
    [],
    [None, None, None, None, None, None, None, None, "Sở Tài chính, ngày 30 tháng 9 năm 2025"],
    [None, "NGƯỜI LẬP BIỂU", None, None, None, None, None, None, "T/M CHI ỦY"],
    [None, None, None, None, None, None, None, None, "BÍ THƯ"],
    [None, "Lê Thị Mai", None, None, None, None, None, None, "Nguyễn Văn Hùng"],
]


GIVEN = {1: "An", 2: "Bình", 3: "Cúc", 4: "Dung"}


def member_row(n: int, **values: Any) -> list[Any]:
    row = {
        "STT": n,
        "Họ và tên": f"Trần Thị {GIVEN[n]}",
        "Ngày, tháng, năm sinh": f"0{n}/03/1980",
        "Giới tính": "Nữ",
        "Dân tộc": "Kinh",
        "Trình độ học vấn": "12/12",
        "Chuyên môn nghiệp vụ": "Đại học",
        "Lý luận chính trị": "Sơ cấp",
        "Ngày vào Đảng": dt.datetime(2005, 3, n),
        "Ngày chính thức": dt.datetime(2006, 3, n),
        "Số thẻ đảng viên": f"79{n:06d}",
        "Chi bộ": "Chi bộ Văn phòng",
        "Ghi chú": None,
    }
    row.update(values)
    return [row[h] for h in HEADER]


def workbook(*rows: Any) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def messy_file(*members: list[Any]) -> bytes:
    """The title block, the header, the column numbers, the members with a copied blank row
    (only its number left) after the second, the total and the signatures."""
    body: list[list[Any]] = [*members[:2], [len(members[:2]) + 1], *members[2:]]
    return workbook(*TITLE, HEADER, NUMBERS, *body, *FOOTER)


def _counts() -> tuple[int, int, int]:
    return Member.objects.count(), StatusChange.objects.count(), CellMembership.objects.count()


def _refused(cast, data: bytes, user=None) -> list[str]:
    before = _counts()
    result = members_parse(data, "ds.xlsx", user=user or cast.base)
    assert not result.ok
    with pytest.raises(ImportRefused):
        members_import(parsed=result, user=user or cast.base)
    assert _counts() == before
    return result.messages()


# --- the shape of the file ----------------------------------------------------------------


def test_it_reads_a_list_kept_by_hand_and_lists_each_row_it_leaves_out(cast):
    data = messy_file(
        member_row(1),
        member_row(2, **{"Chi bộ": "chi bo van phong"}),
        member_row(3, **{"Chi bộ": "CHI BỘ NGÂN SÁCH"}),
        member_row(4, **{"Chi bộ": "cb-ngan-sach"}),
    )

    result = members_parse(data, "ds.xlsx", user=cast.base)

    assert result.ok, result.messages()
    assert result.header_row == 6
    assert [r["_row"] for r in result.rows] == [8, 9, 11, 12]
    assert result.skipped == [
        (7, "dòng đánh số thứ tự các cột"),
        (10, "dòng trống"),
        (13, "dòng tổng cộng «Tổng số: 4 đảng viên»"),
        (14, "dòng trống"),
        (15, "dòng ngày tháng, chữ ký «Sở Tài chính, ngày 30 tháng 9 năm 2025»"),
        (16, "dòng ngày tháng, chữ ký «NGƯỜI LẬP BIỂU T/M CHI ỦY»"),
        (17, "dòng ngày tháng, chữ ký «BÍ THƯ»"),
        (18, "dòng dưới bảng, sau dòng tổng cộng hoặc chữ ký «Lê Thị Mai Nguyễn Văn Hùng»"),
    ]
    assert result.total == 4
    # Every column of the file is shown beside its field; "Ghi chú" is read, never written.
    assert [(h.name, h.key) for h in result.headers] == [
        ("STT", "stt"),
        ("Họ và tên", "full_name"),
        ("Ngày, tháng, năm sinh", "birth_date"),
        ("Giới tính", "sex"),
        ("Dân tộc", "ethnicity"),
        ("Trình độ học vấn", "general_education"),
        ("Chuyên môn nghiệp vụ", "professional_education"),
        ("Lý luận chính trị", "political_theory"),
        ("Ngày vào Đảng", "admitted_on"),
        ("Ngày chính thức", "full_member_on"),
        ("Số thẻ đảng viên", "card_number"),
        ("Chi bộ", "organization"),
        ("Ghi chú", "note"),
    ]

    summary = members_import(parsed=result, user=cast.base)

    assert (summary.created, summary.updated) == (4, 0)
    cells = dict(Member.objects.values_list("card_number", "organization__code"))
    assert cells == {
        "79000001": "cb-van-phong",
        "79000002": "cb-van-phong",
        "79000003": "cb-ngan-sach",
        "79000004": "cb-ngan-sach",
    }
    an = Member.objects.get(card_number="79000001")
    assert (an.family_name, an.middle_name, an.given_name, an.birth_date) == ("Trần", "Thị", "An", dt.date(1980, 3, 1))


def test_the_upload_page_shows_the_rows_left_out_and_the_columns(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.base)
    upload = SimpleUploadedFile("ds.xlsx", messy_file(member_row(1), member_row(2), member_row(3)), content_type=XLSX)
    client.post(reverse("members:member_import"), {"file": upload})
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.PARSED and job.new_count == 3

    page = client.get(reverse("members:importjob_detail", args=[job.pk])).content.decode()

    assert "Dòng 7: dòng đánh số thứ tự các cột" in page
    assert "Dòng 12: dòng tổng cộng «Tổng số: 4 đảng viên»" in page
    assert 'data-header="Ngày, tháng, năm sinh"' in page and 'data-header="Ghi chú"' in page
    assert "Tệp có 3 dòng hợp lệ: 3 đảng viên mới, 0 dòng sẽ cập nhật hồ sơ đã có, 0 dòng không thay đổi." in page


def test_it_reports_every_problem_of_a_row_in_one_pass_and_writes_nothing(cast):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    bad = member_row(
        2,
        **{
            "Họ và tên": "Trần Thị B0nh",
            "Ngày, tháng, năm sinh": "31/02/1980",
            "Chi bộ": None,
            "Ngày vào Đảng": tomorrow.strftime("%d/%m/%Y"),
            "Ngày chính thức": None,
        },
    )

    messages = _refused(cast, messy_file(member_row(1), bad))

    assert messages == [
        "Dòng 9, cột Ngày sinh: ngày không hợp lệ «31/02/1980» (dạng dd/mm/yyyy)",
        "Dòng 9, cột Mã chi bộ: không được để trống",
        "Dòng 9, cột Họ và tên: Tên người chỉ gồm chữ cái (có dấu tiếng Việt), dấu cách và các dấu ' - . "
        "trong một từ; không được có «0».",
        f"Dòng 9, cột Ngày vào Đảng: Ngày vào Đảng ({tomorrow:%d/%m/%Y}) không được sau ngày hôm nay.",
    ]


# --- headers in their own words -------------------------------------------------------------

RENAMED = ["TT", "Họ và tên", "Sinh ngày", "Nam/Nữ", "Kết nạp ngày", "Đơn vị sinh hoạt"]


def renamed_file(*cells: str) -> bytes:
    rows = [
        [n, f"Phạm Văn {given}", f"1{n}/05/1985", "Nam", f"0{n}/02/2012", cell]
        for n, (given, cell) in enumerate(zip(("Bình", "Cường", "Dũng"), cells, strict=False), start=1)
    ]
    return workbook(["DANH SÁCH ĐẢNG VIÊN"], RENAMED, *rows)


def test_a_column_mapped_by_hand_is_used_and_remembered_for_the_next_file(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.base)
    data = renamed_file("Chi bộ Văn phòng", "Chi bộ Ngân sách")
    client.post(reverse("members:member_import"), {"file": SimpleUploadedFile("a.xlsx", data, content_type=XLSX)})
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.INVALID
    assert job.errors == ["Thiếu cột bắt buộc: Ngày vào Đảng, Mã chi bộ."]
    assert [(h["name"], h["key"]) for h in job.headers] == [
        ("TT", "stt"),
        ("Họ và tên", "full_name"),
        ("Sinh ngày", "birth_date"),
        ("Nam/Nữ", "sex"),
        ("Kết nạp ngày", ""),
        ("Đơn vị sinh hoạt", ""),
    ]
    page = client.get(reverse("members:importjob_detail", args=[job.pk])).content.decode()
    assert "— không dùng —" in page and 'data-header="Đơn vị sinh hoạt"' in page

    chosen = {
        "map-0": "stt",
        "map-1": "full_name",
        "map-2": "birth_date",
        "map-3": "sex",
        "map-4": "admitted_on",
        "map-5": "organization",
    }
    response = client.post(reverse("members:importjob_decide", args=[job.pk]), {"step": "mapping", **chosen})

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJobStatus.PARSED, job.errors
    assert job.new_count == 2 and job.decisions["mapping"]["Đơn vị sinh hoạt"] == "organization"
    saved = ImportColumnMapping.objects.get(user=cast.base)
    assert saved.signature == header_signature(RENAMED)

    # The next file with the same headers (in other case and marks) is mapped the same way.
    again = renamed_file("Chi bộ Văn phòng")
    client.post(reverse("members:member_import"), {"file": SimpleUploadedFile("b.xlsx", again, content_type=XLSX)})
    second = ImportJob.objects.latest("pk")
    assert second.status == ImportJobStatus.PARSED and second.new_count == 1
    assert second.notes[0] == "Các cột được ghép theo cách bạn đã chọn lần trước cho tệp có cùng dòng tiêu đề."
    # Someone else's upload of the same headers is not.
    client.force_login(cast.upper)
    client.post(reverse("members:member_import"), {"file": SimpleUploadedFile("c.xlsx", again, content_type=XLSX)})
    assert ImportJob.objects.latest("pk").status == ImportJobStatus.INVALID

    client.force_login(cast.base)
    client.post(reverse("members:importjob_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert sorted(Member.objects.values_list("given_name", "organization__code", "admitted_on")) == [
        ("Bình", "cb-van-phong", dt.date(2012, 2, 1)),
        ("Cường", "cb-ngan-sach", dt.date(2012, 2, 2)),
    ]


def test_a_mapping_to_a_field_that_does_not_exist_is_refused(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.base)
    client.post(reverse("members:member_import"), {"file": SimpleUploadedFile("a.xlsx", renamed_file("x"), content_type=XLSX)})
    job = ImportJob.objects.get()

    client.post(reverse("members:importjob_decide", args=[job.pk]), {"step": "mapping", "map-4": "is_superuser"})

    job.refresh_from_db()
    assert job.decisions == {} and not ImportColumnMapping.objects.exists()


# --- cells named as people name them --------------------------------------------------------


def test_an_ambiguous_cell_name_is_asked_with_each_cells_parent_then_answered(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    other = found_same_named_cell(cast.tree)
    client.force_login(cast.upper)
    data = messy_file(member_row(1), member_row(2, **{"Chi bộ": "Chi bo Van phong"}), member_row(3, **{"Chi bộ": "bao-bg"}))
    client.post(reverse("members:member_import"), {"file": SimpleUploadedFile("ds.xlsx", data, content_type=XLSX)})
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.PARSED and job.waiting_count == 2 and job.new_count == 1
    (question,) = job.questions
    assert question["rows"] == [8, 9] and not question["answered"]
    assert question["options"] == [
        [str(cast.tree.office_cell.pk), "Chi bộ Văn phòng — Đảng bộ Sở Tài chính"],
        [str(other.cell.pk), "Chi bộ Văn phòng — Đảng bộ Sở Xây dựng"],
    ]
    page = client.get(reverse("members:importjob_detail", args=[job.pk])).content.decode()
    assert "Có 2 chi bộ tên «Chi bộ Văn phòng» trong phạm vi bạn quản lý" in page
    assert 'data-testid="confirm"' not in page

    client.post(reverse("members:importjob_confirm", args=[job.pk]))  # refused while unanswered
    assert not Member.objects.exists()

    client.post(reverse("members:importjob_decide", args=[job.pk]), {"step": "answers", "q-0": str(other.cell.pk)})
    job.refresh_from_db()
    assert job.questions[0]["answered"] and job.waiting_count == 0 and job.new_count == 3
    client.post(reverse("members:importjob_confirm", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert sorted(Member.objects.values_list("card_number", "organization__code")) == [
        ("79000001", "xd-van-phong"),
        ("79000002", "xd-van-phong"),
        ("79000003", "bao-bg"),
    ]


def test_a_cell_name_outside_the_importers_scope_is_not_found(cast):
    messages = _refused(cast, messy_file(member_row(1, **{"Chi bộ": "Chi bộ Báo Bắc Giang"})))

    assert messages == ["Dòng 8, cột Mã chi bộ: không tìm thấy «Chi bộ Báo Bắc Giang» (hoặc nằm ngoài phạm vi bạn quản lý)"]


# --- values outside a list ------------------------------------------------------------------


def test_education_written_out_is_matched_to_the_lists_and_the_text_kept(cast):
    rows = [
        member_row(
            1, **{"Trình độ học vấn": "12/12", "Chuyên môn nghiệp vụ": "Cử nhân Kinh tế", "Lý luận chính trị": "Trung cấp LLCT"}
        ),
        member_row(
            2,
            **{
                "Trình độ học vấn": "10/10",
                "Chuyên môn nghiệp vụ": "Thạc sĩ Quản lý kinh tế",
                "Lý luận chính trị": "Cao cấp lý luận chính trị",
            },
        ),
        member_row(3, **{"Trình độ học vấn": "9/12", "Chuyên môn nghiệp vụ": "Kỹ sư xây dựng", "Lý luận chính trị": "Không"}),
        member_row(
            4,
            **{
                "Trình độ học vấn": "Tốt nghiệp THPT",
                "Chuyên môn nghiệp vụ": "trung cap ke toan",
                "Lý luận chính trị": "Trung cấp lý luận chính trị",
            },
        ),
    ]

    result = members_parse(messy_file(*rows), "ds.xlsx", user=cast.base)
    assert result.ok, result.messages()
    members_import(parsed=result, user=cast.base)

    got = {
        m.card_number: (
            m.general_education.name,
            m.professional_education.name,
            m.professional_education_text,
            m.political_theory.name if m.political_theory else None,
        )
        for m in Member.objects.select_related("general_education", "professional_education", "political_theory")
    }
    assert got == {
        "79000001": ("12/12", "Đại học", "Cử nhân Kinh tế", "Trung cấp"),
        "79000002": ("10/10", "Thạc sĩ", "Thạc sĩ Quản lý kinh tế", "Cao cấp"),
        "79000003": ("9/12", "Đại học", "Kỹ sư xây dựng", None),
        "79000004": ("12/12", "Trung cấp", "trung cap ke toan", "Trung cấp"),
    }
    record = Member.objects.get(card_number="79000001").history.get()
    assert record.professional_education_text == "Cử nhân Kinh tế"  # kept in the record's history too


def test_an_education_value_that_belongs_nowhere_names_the_accepted_values(cast):
    messages = _refused(cast, messy_file(member_row(1, **{"Chuyên môn nghiệp vụ": "Giỏi việc", "Lý luận chính trị": "Khá"})))

    professional = "; ".join(ProfessionalEducation.objects.values_list("name", flat=True))
    theory = "; ".join(PoliticalTheory.objects.values_list("name", flat=True))
    assert professional == "Chưa qua đào tạo; Sơ cấp; Trung cấp; Cao đẳng; Đại học; Thạc sĩ; Tiến sĩ"
    assert GeneralEducation.objects.count() == 12
    assert messages == [
        f"Dòng 8, cột Chuyên môn: «Giỏi việc» không có trong danh mục chuyên môn; các giá trị được nhận: {professional}",
        f"Dòng 8, cột Lý luận chính trị: «Khá» không có trong danh mục lý luận chính trị; các giá trị được nhận: {theory}",
    ]


# --- the round trip ---------------------------------------------------------------------------


@pytest.fixture
def register(cast):
    """The office cell's members in every state a list may show: in the party, transferred
    out, deceased, removed, and one recorded without CCCD nor card number."""
    cell = cast.tree.office_cell
    members = {
        "full": add_member(cell, given_name="An", national_id="024180000101", card_number="79000101", hometown="Bắc Ninh"),
        "probationary": add_member(
            cell, given_name="Bình", national_id="024180000102", admitted_on=dt.date(2025, 1, 10), full_member_on=None
        ),
        "bare": add_member(cell, given_name="Cường", birth_date=dt.date(1979, 2, 3)),
        "moved": add_member(cell, given_name="Dũng", card_number="79000104"),
        "dead": add_member(cell, given_name="Giang", national_id="024180000105"),
        "removed": add_member(cell, given_name="Hải", national_id="024180000106"),
    }
    Member.objects.filter(pk=members["full"].pk).update(professional_education_text="Cử nhân Kinh tế")
    member_transfer_out(
        member=members["moved"], destination="Đảng bộ tỉnh Lạng Sơn", letter_no="12-GGT", letter_on=dt.date(2024, 5, 6)
    )
    member_change_status(member=members["dead"], status=Status.DECEASED, effective_on=dt.date(2024, 8, 1))
    member_change_status(member=members["removed"], status=Status.REMOVED, effective_on=dt.date(2023, 2, 1))
    return members


def _export(cast) -> bytes:
    return members_export_xlsx(Member.objects.for_user(cast.base).order_by("sort_key", "pk"), user=cast.base)


def test_the_export_imports_back_unchanged_whatever_the_status(cast, register):
    statuses = set(Member.objects.values_list("status", flat=True))
    assert statuses == {Status.FULL, Status.PROBATIONARY, Status.TRANSFERRED_OUT, Status.DECEASED, Status.REMOVED}
    before = (_counts(), Member.history.count())

    result = members_parse(_export(cast), "danh-sach.xlsx", user=cast.base)

    assert result.ok, result.messages()
    assert not result.questions and not result.skipped
    assert len(result.rows) == 6
    assert all(row[MEMBER_KEY] and row.get(UNCHANGED_KEY) for row in result.rows)
    assert {row[MEMBER_KEY] for row in result.rows} == {m.pk for m in register.values()}
    summary = members_import(parsed=result, user=cast.base)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 6)
    assert (_counts(), Member.history.count()) == before


def test_the_preview_of_an_export_says_unchanged(client, cast, register, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.base)
    upload = SimpleUploadedFile("danh-sach.xlsx", _export(cast), content_type=XLSX)
    client.post(reverse("members:member_import"), {"file": upload})
    job = ImportJob.objects.get()
    assert (job.status, job.new_count, job.update_count, job.unchanged_count) == (ImportJobStatus.PARSED, 0, 0, 6)

    page = client.get(reverse("members:importjob_detail", args=[job.pk])).content.decode()

    assert page.count('data-kind="unchanged"') == 6 and "Sẽ cập nhật" not in page
    assert "0 dòng sẽ cập nhật hồ sơ đã có, 6 dòng không thay đổi" in page
    client.post(reverse("members:importjob_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.new_count, job.update_count, job.unchanged_count) == (ImportJobStatus.DONE, 0, 0, 6)


def test_a_change_to_a_member_who_left_is_still_refused(cast, register):
    result = members_parse(_export(cast), "danh-sach.xlsx", user=cast.base)
    assert result.ok
    data = io.BytesIO(_export(cast))
    from openpyxl import load_workbook

    book = load_workbook(data)
    sheet = book.active
    header = [c.value for c in sheet[3]]
    for row in sheet.iter_rows(min_row=4):
        if row[header.index("Tên")].value == "Dũng":
            row[header.index("Quê quán")].value = "Lạng Sơn"
    out = io.BytesIO()
    book.save(out)

    messages = _refused(cast, out.getvalue())

    assert len(messages) == 1
    assert messages[0].endswith(
        "Số thẻ đảng viên «79000104» thuộc hồ sơ đang ở trạng thái «Đã chuyển đi»; không cập nhật qua tệp nhập"
    )


# --- legacy font encodings ------------------------------------------------------------------

LEGACY = {
    "TCVN3": [("NguyÔn V¨n §øc", "Chi bé V¨n phßng"), ("TrÇn ThÞ Hoa", "Chi bé V¨n phßng")],
    "VNI": [("Nguyeãn Vaên Ñöùc", "Chi boä Vaên phoøng"), ("Traàn Thò Hoa", "Chi boä Vaên phoøng")],
}


@pytest.mark.parametrize("encoding", ["TCVN3", "VNI"])
def test_names_typed_in_a_legacy_font_are_converted_shown_and_found_without_marks(client, cast, settings, tmp_path, encoding):
    settings.MEDIA_ROOT = tmp_path
    rows = [member_row(n, **{"Họ và tên": name, "Chi bộ": cell}) for n, (name, cell) in enumerate(LEGACY[encoding], start=1)]
    client.force_login(cast.base)
    upload = SimpleUploadedFile("ds.xlsx", messy_file(*rows), content_type=XLSX)
    client.post(reverse("members:member_import"), {"file": upload})
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.PARSED, job.errors
    assert job.notes == [
        f"Cột «Họ và tên»: đã chuyển từ mã {encoding} sang Unicode",
        f"Cột «Chi bộ»: đã chuyển từ mã {encoding} sang Unicode",
    ]
    page = client.get(reverse("members:importjob_detail", args=[job.pk])).content.decode()
    assert "Nguyễn Văn Đức" in page and "Chi bộ Văn phòng (cb-van-phong)" in page

    client.post(reverse("members:importjob_confirm", args=[job.pk]))

    assert sorted(Member.objects.values_list("family_name", "middle_name", "given_name")) == [
        ("Nguyễn", "Văn", "Đức"),
        ("Trần", "Thị", "Hoa"),
    ]
    listed = client.get(reverse("members:member_list"), {"q": "nguyen van duc"}).content.decode()
    assert "Nguyễn Văn Đức" in listed and "Trần Thị Hoa" not in listed


def test_a_column_mixing_legacy_and_unicode_text_is_refused_and_nothing_written(cast):
    rows = [member_row(1, **{"Họ và tên": "NguyÔn V¨n §øc"}), member_row(2, **{"Họ và tên": "Trần Thị Hoa"})]

    messages = _refused(cast, messy_file(*rows))

    assert len(messages) == 1 and messages[0].startswith("Dòng 8, cột Họ và tên: cột lẫn hai kiểu chữ")
    assert "«NguyÔn V¨n §øc», đọc ra «Nguyễn Văn Đức»" in messages[0]


def test_an_excel_97_2003_file_is_read_like_an_xlsx(client, cast, settings, tmp_path):
    import xlwt

    settings.MEDIA_ROOT = tmp_path
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Danh sách")
    dates = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    rows = [*TITLE, HEADER, NUMBERS, member_row(1), member_row(2), *FOOTER]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value, dates) if isinstance(value, dt.datetime) else sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    client.force_login(cast.base)

    client.post(
        reverse("members:member_import"),
        {"file": SimpleUploadedFile("ds.xls", out.getvalue(), content_type="application/vnd.ms-excel")},
    )

    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.PARSED, job.errors
    assert (job.new_count, len(job.skipped)) == (2, 7)
    client.post(reverse("members:importjob_confirm", args=[job.pk]))
    assert sorted(Member.objects.values_list("given_name", "admitted_on")) == [
        ("An", dt.date(2005, 3, 1)),
        ("Bình", dt.date(2005, 3, 2)),
    ]


# --- two-row headers ----------------------------------------------------------------------------

REGISTER = [
    ("Lê", "Văn", "Bình", "M", dt.date(1978, 4, 2), dt.date(2004, 4, 2), dt.date(2005, 4, 2)),
    ("Phạm", "Thị Thu", "Cúc", "F", dt.date(1990, 5, 3), dt.date(2025, 1, 10), None),
    ("Trần", "Thị", "An", "F", dt.date(1980, 3, 1), dt.date(2005, 3, 1), dt.date(2006, 3, 1)),
]
COMMON = [("STT", "stt"), ("Chi bộ", "organization")]


@pytest.mark.parametrize(
    ("build", "headers"),
    [
        (
            import_files.birth_date_by_sex_file,
            [
                ("Họ và tên", "full_name"),
                ("Ngày sinh / Nam", "birth_date"),
                ("Ngày sinh / Nữ", "birth_date"),
                ("Quê quán", "hometown"),
                ("Ngày vào Đảng", "admitted_on"),
                ("Ngày chính thức", "full_member_on"),
                ("Số thẻ đảng viên", "card_number"),
            ],
        ),
        (
            import_files.name_parts_file,
            [
                ("Họ và tên / Họ", "family_name"),
                ("Họ và tên / Đệm", "middle_name"),
                ("Họ và tên / Tên", "given_name"),
                ("Ngày sinh", "birth_date"),
                ("Giới tính", "sex"),
                ("Ngày vào Đảng", "admitted_on"),
                ("Ngày chính thức", "full_member_on"),
            ],
        ),
        (
            lambda: import_files.name_parts_file(parts=2),
            [
                ("Họ và tên / Họ và tên đệm", "family_middle_name"),
                ("Họ và tên / Tên", "given_name"),
                ("Ngày sinh", "birth_date"),
                ("Giới tính", "sex"),
                ("Ngày vào Đảng", "admitted_on"),
                ("Ngày chính thức", "full_member_on"),
            ],
        ),
        (
            import_files.party_dates_file,
            [
                ("Họ và tên", "full_name"),
                ("Ngày sinh", "birth_date"),
                ("Giới tính", "sex"),
                ("Ngày vào Đảng / Dự bị", "admitted_on"),
                ("Ngày vào Đảng / Chính thức", "full_member_on"),
                ("Số thẻ đảng viên", "card_number"),
            ],
        ),
        (
            import_files.education_file,
            [
                ("Họ và tên", "full_name"),
                ("Ngày sinh", "birth_date"),
                ("Giới tính", "sex"),
                ("Trình độ / Học vấn", "general_education"),
                ("Trình độ / Chuyên môn", "professional_education"),
                ("Trình độ / Lý luận chính trị", "political_theory"),
                ("Ngày vào Đảng", "admitted_on"),
                ("Ngày chính thức", "full_member_on"),
            ],
        ),
        (
            import_files.all_groups_file,
            [
                ("Họ và tên / Họ", "family_name"),
                ("Họ và tên / Đệm", "middle_name"),
                ("Họ và tên / Tên", "given_name"),
                ("Ngày sinh / Nam", "birth_date"),
                ("Ngày sinh / Nữ", "birth_date"),
                ("Trình độ / Học vấn", "general_education"),
                ("Trình độ / Chuyên môn", "professional_education"),
                ("Trình độ / Lý luận chính trị", "political_theory"),
                ("Ngày vào Đảng / Dự bị", "admitted_on"),
                ("Ngày vào Đảng / Chính thức", "full_member_on"),
            ],
        ),
    ],
    ids=["birth-date-by-sex", "name-in-three", "name-in-two", "party-dates", "education", "all-groups"],
)
def test_a_header_on_two_rows_is_read_as_one_and_its_members_recorded(cast, build, headers):
    result = members_parse(build(), "ds.xlsx", user=cast.base)

    assert result.ok, result.messages()
    assert result.header_row == 6
    assert [(h.name, h.key) for h in result.headers] == [COMMON[0], *headers, COMMON[1]]
    assert [r["_row"] for r in result.rows] == [8, 9, 10]
    assert result.skipped[0] == (7, "dòng đánh số thứ tự các cột")
    assert [reason for _row, reason in result.skipped[1:]][:1] == ["dòng tổng cộng «Tổng số: 3 đảng viên»"]

    summary = members_import(parsed=result, user=cast.base)

    assert (summary.created, summary.updated) == (3, 0)
    fields = ("family_name", "middle_name", "given_name", "sex", "birth_date", "admitted_on", "full_member_on")
    assert sorted(Member.objects.values_list(*fields)) == REGISTER
    assert set(Member.objects.values_list("organization__code", flat=True)) == {"cb-van-phong"}
    assert dict(Member.objects.values_list("given_name", "status")) == {
        "An": Status.FULL,
        "Bình": Status.FULL,
        "Cúc": Status.PROBATIONARY,
    }


@pytest.mark.parametrize("build", [import_files.education_file, import_files.all_groups_file])
def test_education_under_a_trinh_do_group_reaches_each_list(cast, build):
    result = members_parse(build(), "ds.xlsx", user=cast.base)
    assert result.ok, result.messages()
    members_import(parsed=result, user=cast.base)

    got = {
        m.given_name: (
            m.general_education.name,
            m.professional_education.name,
            m.professional_education_text,
            m.political_theory.name if m.political_theory else None,
        )
        for m in Member.objects.select_related("general_education", "professional_education", "political_theory")
    }
    assert got == {
        "An": ("12/12", "Đại học", "Cử nhân Kinh tế", "Trung cấp"),
        "Bình": ("10/10", "Thạc sĩ", "", "Cao cấp"),  # the list's own name: no text kept beside it
        "Cúc": ("12/12", "Đại học", "", None),
    }


def test_a_name_error_in_the_family_and_middle_names_column_names_that_column(cast):
    bad = ("Tr4n", "Thị", "An", *import_files.TWO_ROW_MEMBERS[0][3:])

    messages = _refused(cast, import_files.name_parts_file(parts=2, members=[bad]))

    assert len(messages) == 1 and messages[0].startswith("Dòng 8, cột Họ và tên đệm: Tên người chỉ gồm chữ cái")


def test_the_sex_of_a_birth_date_under_nam_and_nu_says_so(cast):
    result = members_parse(import_files.birth_date_by_sex_file(), "ds.xlsx", user=cast.base)

    assert result.notes == [
        "Các cột «Ngày sinh / Nam», «Ngày sinh / Nữ»: đọc «Ngày sinh» ở cột có ghi, «Giới tính» theo tên của cột đó."
    ]
    assert [(r["given_name"], r["sex"]) for r in result.rows] == [("An", "F"), ("Bình", "M"), ("Cúc", "F")]


def test_a_birth_date_under_both_nam_and_nu_or_under_neither_is_refused(cast):
    day, admitted, full, cell = dt.datetime(1985, 6, 7), dt.datetime(2005, 3, 1), dt.datetime(2006, 3, 1), "Chi bộ Văn phòng"
    rows = [
        [1, "Trần Thị An", None, day, "Bắc Ninh", admitted, full, "79000001", cell],
        [2, "Lê Văn Bình", day, day, "Bắc Ninh", admitted, full, "79000002", cell],
        [3, "Phạm Thị Cúc", None, None, "Bắc Ninh", admitted, full, "79000003", cell],
        [4, "Đỗ Văn Dũng", "31/02/1980", None, "Bắc Ninh", admitted, full, "79000004", cell],
    ]

    messages = _refused(cast, import_files.birth_date_by_sex_file(rows))

    assert messages == [
        "Dòng 9, cột Ngày sinh: có giá trị ở 2 cột «Ngày sinh / Nam», «Ngày sinh / Nữ»; "
        "chỉ ghi ở một cột, cột được ghi cho biết «Giới tính»",
        "Dòng 10, cột Ngày sinh: không được để trống: ghi ở một trong các cột «Ngày sinh / Nam», «Ngày sinh / Nữ», "
        "cột được ghi cho biết «Giới tính»",
        "Dòng 11, cột Ngày sinh / Nam: ngày không hợp lệ «31/02/1980» (dạng dd/mm/yyyy)",
    ]


def test_the_mapping_step_shows_each_column_under_its_group(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.base)
    upload = SimpleUploadedFile("ds.xlsx", import_files.all_groups_file(), content_type=XLSX)
    client.post(reverse("members:member_import"), {"file": upload})
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.PARSED and job.new_count == 3, job.errors
    assert [(h["name"], h["label"]) for h in job.headers][8:11] == [
        ("Trình độ / Lý luận chính trị", "Lý luận chính trị"),
        ("Ngày vào Đảng / Dự bị", "Ngày vào Đảng"),
        ("Ngày vào Đảng / Chính thức", "Ngày chính thức"),
    ]

    page = client.get(reverse("members:importjob_detail", args=[job.pk])).content.decode()

    assert 'data-header="Ngày vào Đảng / Chính thức"' in page and 'data-header="Ngày sinh / Nữ"' in page
    assert "Dòng 7: dòng đánh số thứ tự các cột" in page

    # A column mapped by hand keeps its combined name.
    client.post(reverse("members:importjob_decide", args=[job.pk]), {"step": "mapping", "map-9": ""})
    job.refresh_from_db()
    assert job.decisions["mapping"] == {"Ngày vào Đảng / Dự bị": ""}
    assert job.errors == ["Thiếu cột bắt buộc: Ngày vào Đảng."]


def test_a_first_member_that_reads_like_header_words_stays_a_member(cast):
    result = members_parse(import_files.data_under_header_file(), "ds.xlsx", user=cast.base)

    assert result.ok, result.messages()
    assert result.header_row == 5
    assert [h.name for h in result.headers][:5] == ["STT", "Họ", "Tên đệm", "Tên", "Giới tính"]
    assert [r["_row"] for r in result.rows] == [6, 7]
    members_import(parsed=result, user=cast.base)
    assert sorted(Member.objects.values_list("family_name", "middle_name", "given_name", "sex")) == [
        ("Lê", "Văn", "Nam", "M"),
        ("Trần", "Thị", "An", "F"),
    ]
