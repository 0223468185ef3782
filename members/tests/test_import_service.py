"""members_parse and members_import: every row checked, then all rows written or none."""

from __future__ import annotations

import datetime as dt

import pytest

from lib.importer import ImportRefused
from members.importing import MEMBER_KEY, members_import, members_parse, split_full_name
from members.models import CellMembership, Ethnicity, Member, Status, StatusChange
from members.testing import add_member
from members.tests.import_files import csv, person, xlsx


def _count() -> tuple[int, int, int]:
    return Member.objects.count(), StatusChange.objects.count(), CellMembership.objects.count()


def _refused(cast, data: bytes, filename: str = "ds.xlsx", user=None) -> list[str]:
    """Parse and try to write; assert nothing changed; return the messages."""
    before = _count()
    result = members_parse(data, filename, user=user or cast.upper)
    assert not result.ok
    with pytest.raises(ImportRefused):
        members_import(parsed=result, user=user or cast.upper)
    assert _count() == before
    return result.messages()


def test_it_creates_members_with_status_history_and_cell(cast):
    rows = [person(1), person(2, cell="cb-ngan-sach", **{"Ngày chính thức": None})]
    result = members_parse(xlsx(rows), "ds.xlsx", user=cast.upper)
    assert result.ok, result.messages()
    summary = members_import(parsed=result, user=cast.upper)
    assert (summary.created, summary.updated) == (2, 0)
    full = Member.objects.get(national_id="024180000001")
    assert full.full_name == "Trần Thị Hoab"
    assert full.status == Status.FULL and full.full_member_on == dt.date(2006, 3, 1)
    assert full.organization == cast.tree.office_cell
    assert full.ethnicity.name == "Kinh" and full.sex == "F"
    assert full.sort_key and "tran thi hoab" in full.search_text and full.party_age_from == dt.date(2005, 3, 1)
    assert [s.status for s in full.status_changes.order_by("effective_on")] == [Status.PROBATIONARY, Status.FULL]
    membership = full.memberships.get()
    assert membership.organization == cast.tree.office_cell and membership.ended_on is None
    record = full.history.get()
    assert record.history_type == "+" and record.history_user == cast.upper
    assert record.history_change_reason.startswith("Nhập từ tệp")
    probationary = Member.objects.get(card_number="T000002")
    assert probationary.status == Status.PROBATIONARY and probationary.status_since == dt.date(2005, 3, 1)
    assert probationary.status_changes.get().history.exists()


def test_it_reads_csv_with_one_full_name_column_and_dates_written_as_text(cast):
    rows = [
        {
            "Họ và tên": "Nguyễn Thị Thu Hà",
            "Ngày sinh": "5/3/1985",
            "Giới tính": "nu",
            "Ngày vào Đảng": "2010-06-05",
            "Mã chi bộ": "CB-VAN-PHONG",
        },
        {
            "Họ và tên": "Lê An",
            "Ngày sinh": "05.03.1986",
            "Giới tính": "Nam",
            "Ngày vào Đảng": "05/06/2011",
            "Mã chi bộ": "cb-van-phong",
        },
    ]
    result = members_parse(csv(rows), "ds.csv", user=cast.base)
    assert result.ok, result.messages()
    members_import(parsed=result, user=cast.base)
    ha = Member.objects.get(given_name="Hà")
    assert (ha.family_name, ha.middle_name, ha.birth_date) == ("Nguyễn", "Thị Thu", dt.date(1985, 3, 5))
    assert ha.admitted_on == dt.date(2010, 6, 5) and ha.status == Status.PROBATIONARY
    an = Member.objects.get(given_name="An")
    assert (an.family_name, an.middle_name, an.sex) == ("Lê", "", "M")


def test_it_splits_a_full_name_first_word_family_last_word_given():
    assert split_full_name("Nguyễn Thị Thu Hà") == ("Nguyễn", "Thị Thu", "Hà")
    assert split_full_name("Lê An") == ("Lê", "", "An")


def test_it_matches_headers_regardless_of_case_and_diacritics_and_reads_excel_serial_dates(cast):
    row = {
        "ho": "Phạm",
        "TEN DEM": "Văn",
        "tên": "Bình",
        "NGAY SINH": 29221,
        "gioi tinh": "NAM",
        "ngay vao dang": dt.datetime(2001, 5, 19),
        "ma chi bo": "bao-bg",
        "so cccd": 24080000777,
    }
    result = members_parse(xlsx([row]), "ds.xlsx", user=cast.upper)
    assert result.ok, result.messages()
    members_import(parsed=result, user=cast.upper)
    member = Member.objects.get(given_name="Bình")
    assert member.birth_date == dt.date(1980, 1, 1)  # Excel serial 29221
    assert member.admitted_on == dt.date(2001, 5, 19)
    assert member.national_id == "024080000777"  # the leading zero Excel dropped is restored


def test_it_updates_a_member_found_by_cccd_inside_the_scope_and_keeps_empty_cells(cast):
    member = add_member(cast.tree.office_cell, national_id="024180000001", card_number="T000001", hometown="Bắc Ninh")
    row = person(1, **{"Tên": "Hoa", "Số thẻ đảng viên": None})
    row["Nghề nghiệp"] = "Kế toán"
    row["Ngày sinh"] = member.birth_date
    row["Ngày vào Đảng"], row["Ngày chính thức"] = member.admitted_on, member.full_member_on
    result = members_parse(xlsx([row]), "ds.xlsx", user=cast.cell)
    assert result.ok, result.messages()
    assert result.rows[0][MEMBER_KEY] == member.pk
    summary = members_import(parsed=result, user=cast.cell)
    assert (summary.created, summary.updated) == (0, 1)
    member.refresh_from_db()
    assert (member.family_name, member.given_name, member.job) == ("Trần", "Hoa", "Kế toán")
    assert member.hometown == "Bắc Ninh" and member.card_number == "T000001"  # empty cells keep what is on record
    assert member.search_text.startswith("tran thi hoa ")
    latest = member.history.first()
    assert latest.history_type == "~" and latest.history_user == cast.cell
    assert Member.objects.count() == 1


def test_it_updates_a_member_found_by_card_number(cast):
    member = add_member(cast.tree.budget_cell, card_number="T000009")
    row = person(
        9,
        cell="cb-ngan-sach",
        **{"Ngày sinh": member.birth_date, "Ngày vào Đảng": member.admitted_on, "Ngày chính thức": member.full_member_on},
    )
    result = members_parse(xlsx([row]), "ds.xlsx", user=cast.base)
    assert result.ok, result.messages()
    members_import(parsed=result, user=cast.base)
    member.refresh_from_db()
    assert member.national_id == "024180000009"


def test_it_refuses_every_row_when_one_date_is_bad(cast):
    rows = [person(1), person(2, **{"Ngày sinh": "31/02/1980"}), person(3, **{"Ngày vào Đảng": "hôm qua"})]
    messages = _refused(cast, xlsx(rows))
    assert "Dòng 3, cột Ngày sinh: ngày không hợp lệ «31/02/1980» (dạng dd/mm/yyyy)" in messages
    assert any(m.startswith("Dòng 4, cột Ngày vào Đảng: ngày không hợp lệ") for m in messages)
    assert Member.objects.count() == 0


def test_it_refuses_an_admission_before_eighteen_with_the_party_rule(cast):
    messages = _refused(cast, xlsx([person(1, **{"Ngày vào Đảng": dt.date(1990, 1, 1)})]))
    assert messages[0].startswith("Dòng 2, cột Ngày vào Đảng: Người được kết nạp phải đủ 18 tuổi")


def test_it_refuses_a_cccd_repeated_inside_the_file(cast):
    rows = [person(1), person(2, **{"Số CCCD": "024180000001"})]
    messages = _refused(cast, xlsx(rows))
    assert messages == ["Dòng 3, cột Số CCCD: «024180000001» trùng với dòng 2 trong tệp"]


def test_it_refuses_a_cccd_on_record_outside_the_importers_scope_without_naming_the_member(cast):
    add_member(cast.tree.newspaper, family_name="Bí", middle_name="Mật", given_name="Người", national_id="024180000001")
    messages = _refused(cast, xlsx([person(1, **{"Số thẻ đảng viên": None})]), user=cast.base)
    assert messages == [
        "Dòng 2, cột Số CCCD: Số CCCD «024180000001» đã có trong hồ sơ một đảng viên ngoài phạm vi bạn quản lý; "
        "không thể cập nhật"
    ]
    assert "Người" not in messages[0] and "Báo" not in messages[0]
    assert Member.objects.get(national_id="024180000001").given_name == "Người"


def test_it_refuses_a_row_whose_cccd_and_card_belong_to_two_members(cast):
    add_member(cast.tree.office_cell, national_id="024180000001")
    add_member(cast.tree.office_cell, given_name="Bình", birth_date=dt.date(1981, 1, 1), card_number="T000001")
    messages = _refused(cast, xlsx([person(1)]))
    assert messages == ["Dòng 2, cột Số thẻ đảng viên: số CCCD và số thẻ đảng viên của dòng này thuộc hai hồ sơ khác nhau"]


def test_it_refuses_to_move_a_member_to_another_cell_through_an_import(cast):
    member = add_member(cast.tree.office_cell, national_id="024180000001")
    row = person(
        1,
        cell="cb-ngan-sach",
        **{"Ngày sinh": member.birth_date, "Ngày vào Đảng": member.admitted_on, "Ngày chính thức": member.full_member_on},
    )
    messages = _refused(cast, xlsx([row]))
    assert messages[0].startswith("Dòng 2, cột Mã chi bộ: đảng viên có số cccd này đang sinh hoạt tại chi bộ «cb-van-phong»")


def test_it_refuses_an_unknown_cell(cast):
    messages = _refused(cast, xlsx([person(1, cell="khong-co")]))
    assert messages == ["Dòng 2, cột Mã chi bộ: không tìm thấy «khong-co» (hoặc nằm ngoài phạm vi bạn quản lý)"]


def test_it_refuses_a_cell_outside_the_importers_scope_as_if_unknown(cast):
    messages = _refused(cast, xlsx([person(1, cell="bao-bg")]), user=cast.base)
    assert messages == ["Dòng 2, cột Mã chi bộ: không tìm thấy «bao-bg» (hoặc nằm ngoài phạm vi bạn quản lý)"]


def test_it_refuses_an_organization_that_is_not_a_cell(cast):
    messages = _refused(cast, xlsx([person(1, cell="so-tai-chinh")]))
    assert messages[0].startswith("Dòng 2, cột Mã chi bộ: «so-tai-chinh» là Đảng bộ Sở Tài chính, không phải chi bộ")


def test_it_refuses_a_file_missing_a_required_column(cast):
    row = person(1)
    del row["Ngày sinh"]
    assert _refused(cast, xlsx([row])) == ["Thiếu cột bắt buộc: Ngày sinh."]


def test_it_refuses_a_file_without_any_name_column(cast):
    row = person(1)
    for key in ("Họ", "Tên đệm", "Tên"):
        del row[key]
    assert _refused(cast, xlsx([row])) == ["Thiếu cột bắt buộc: Họ và tên (hoặc ba cột Họ, Tên đệm, Tên)."]


def test_it_ignores_extra_columns_and_says_so(cast):
    row = person(1, **{"Sở thích": "Đọc sách"})
    result = members_parse(xlsx([row]), "ds.xlsx", user=cast.upper)
    assert result.ok
    assert result.warnings == ["Bỏ qua các cột không dùng: «Sở thích»."]
    assert Member.objects.count() == 0  # nothing is written before the import is confirmed


def test_it_refuses_an_empty_file(cast):
    assert _refused(cast, b"", "ds.xlsx") == ["Tệp rỗng: không có dữ liệu nào."]
    assert _refused(cast, xlsx([], headers=["Họ", "Tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Mã chi bộ"])) == [
        "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."
    ]


def test_it_refuses_a_file_that_is_not_a_spreadsheet(cast):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    assert _refused(cast, png, "anh.xlsx") == ["Tệp «anh.xlsx» không phải là bảng tính Excel (.xlsx) hợp lệ."]
    assert _refused(cast, b"%PDF-1.7 ...", "van-ban.pdf")[0].startswith("Chỉ nhận tệp Excel (.xlsx, .xls) hoặc CSV (.csv)")


def test_it_refuses_a_value_missing_from_a_reference_list(cast):
    messages = _refused(cast, xlsx([person(1, **{"Dân tộc": "Sao Hỏa"})]))
    accepted = "; ".join(Ethnicity.objects.values_list("name", flat=True))
    assert accepted.startswith("Kinh; Tày; Thái") and accepted.count(";") == 53  # the 54 groups
    assert messages == [f"Dòng 2, cột Dân tộc: «Sao Hỏa» không có trong danh mục dân tộc; các giá trị được nhận: {accepted}"]


def test_it_derives_the_same_search_text_and_sort_key_as_a_save(cast):
    row = person(1, **{"Tên gọi khác": "Út  Hoa", "Số thẻ đảng viên": "AB-12"})
    result = members_parse(xlsx([row]), "ds.xlsx", user=cast.upper)
    members_import(parsed=result, user=cast.upper)
    member = Member.objects.get(national_id="024180000001")
    imported = (member.search_text, member.sort_key, member.party_age_from)
    member.save()
    member.refresh_from_db()
    assert imported == (member.search_text, member.sort_key, member.party_age_from)
