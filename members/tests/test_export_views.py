"""The exports of the member list: the page's filters, the user's scope, the 7-HSĐV columns."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from members.columns import EXPORT_COLUMNS
from members.importing import MEMBER_KEY, members_import, members_parse
from members.testing import add_member


def _sheet(response) -> list[tuple]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(content), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def _members(cast):
    tree = cast.tree
    return {
        "an": add_member(tree.office_cell, given_name="An", national_id="024180000001", card_number="T1"),
        "binh": add_member(tree.budget_cell, given_name="Bình", sex="F", birth_date=dt.date(1990, 2, 3), card_number="T2"),
        "cuong": add_member(tree.newspaper, given_name="Cường", card_number="T3"),
    }


def test_it_exports_the_filtered_list_as_xlsx_in_the_7_hsdv_layout(client, cast):
    _members(cast)
    client.force_login(cast.upper)
    response = client.get(reverse("members:member_export_xlsx") + "?organization=so-tai-chinh")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="danh-sach-dang-vien-')
    rows = _sheet(response)
    assert rows[0][0] == "DANH SÁCH ĐẢNG VIÊN (mẫu 7-HSĐV)"
    header = list(rows[2])
    assert header == [c.label for c in EXPORT_COLUMNS]
    data = [dict(zip(header, row, strict=False)) for row in rows[3:]]
    assert [d["Tên"] for d in data] == ["An", "Bình"]  # sorted by given name; the newspaper's cell is filtered out
    assert [d["STT"] for d in data] == [1, 2]
    binh = data[1]
    assert binh["Ngày sinh"] == dt.datetime(1990, 2, 3) and binh["Giới tính"] == "Nữ"
    assert binh["Mã chi bộ"] == "cb-ngan-sach" and binh["Tên chi bộ"] == "Chi bộ Ngân sách"
    assert binh["Trạng thái"] == "Chính thức" and binh["Số thẻ đảng viên"] == "T2"


def test_it_exports_only_what_the_user_may_read(client, cast):
    _members(cast)
    client.force_login(cast.cell)
    names = [row[3] for row in _sheet(client.get(reverse("members:member_export_xlsx")))[3:]]
    assert names == ["An"]
    client.force_login(cast.outsider)
    assert _sheet(client.get(reverse("members:member_export_xlsx")))[3:] == []


def test_it_exports_csv_with_a_bom_and_dates_as_dd_mm_yyyy(client, cast):
    _members(cast)
    client.force_login(cast.upper)
    response = client.get(reverse("members:member_export_csv") + "?q=binh")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content)
    assert text.startswith(b"\xef\xbb\xbf")
    lines = text.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:5] == ["STT", "Họ", "Tên đệm", "Tên", "Tên gọi khác"]
    assert len(lines) == 2 and "03/02/1990" in lines[1] and "Bình" in lines[1]


def test_an_exported_list_imports_again_as_updates_without_errors(client, cast):
    members = _members(cast)
    client.force_login(cast.upper)
    response = client.get(reverse("members:member_export_xlsx"))
    result = members_parse(response.content, "xuat.xlsx", user=cast.upper)
    assert result.ok, result.messages()
    assert sorted(row[MEMBER_KEY] for row in result.rows) == sorted(m.pk for m in members.values())
    summary = members_import(parsed=result, user=cast.upper)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, cast):
    response = client.get(reverse("members:member_export_csv"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
