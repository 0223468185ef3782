"""Old Excel 97-2003 (.xls) files are read like .xlsx, and broken ones are refused in Vietnamese."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys

import pytest
import xlwt
from openpyxl import Workbook

from lib.legacy_text import convert_column
from lib.tabular import ACCEPTED_SUFFIXES, XLS_SUFFIXES, TabularError, read_rows

# A member list as a cell secretary keeps it: a title block, the header, the row of column
# numbers, members with dates typed as Excel dates and as text, numbers, Vietnamese text
# (one name in TCVN3, as typed in the ".VnTime" font), a blank row and the total.
CELLS = [
    (0, 0, "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH"),
    (1, 2, "DANH SÁCH ĐẢNG VIÊN"),
    (2, 2, "Tính đến ngày 30/11/2026"),
    (4, 0, "STT"),
    (4, 1, "Họ và tên"),
    (4, 2, "Ngày, tháng, năm sinh"),
    (4, 3, "Ngày vào Đảng"),
    (4, 4, "Số CCCD"),
    (4, 5, "Hệ số lương"),
    (4, 6, "Quê quán"),
    *((5, column, f"({column + 1})") for column in range(7)),
    (6, 0, 1),
    (6, 1, "Nguyễn Văn Đức"),
    (6, 2, dt.date(1980, 3, 5)),
    (6, 3, "19/05/2005"),
    (6, 4, 1080012345),
    (6, 5, 3.66),
    (6, 6, "Quảng Ngãi"),
    (7, 0, 2),
    (7, 1, "TrÇn ThÞ Thu Hµ"),
    (7, 2, "01/02/1990"),
    (7, 3, dt.datetime(2015, 9, 2, 8, 30)),
    (7, 4, "001190012345"),
    (7, 5, 2.34),
    (7, 6, "Hà Nội"),
    (9, 1, "Tổng số: 2 đảng viên"),
]

EXPECTED = [
    (1, ["ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH"]),
    (2, [None, None, "DANH SÁCH ĐẢNG VIÊN"]),
    (3, [None, None, "Tính đến ngày 30/11/2026"]),
    (5, ["STT", "Họ và tên", "Ngày, tháng, năm sinh", "Ngày vào Đảng", "Số CCCD", "Hệ số lương", "Quê quán"]),
    (6, ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"]),
    (7, [1, "Nguyễn Văn Đức", dt.datetime(1980, 3, 5), "19/05/2005", 1080012345, 3.66, "Quảng Ngãi"]),
    (8, [2, "TrÇn ThÞ Thu Hµ", "01/02/1990", dt.datetime(2015, 9, 2, 8, 30), "001190012345", 2.34, "Hà Nội"]),
    (10, [None, "Tổng số: 2 đảng viên"]),
]


def _xls(cells=CELLS, sheet="7-HSĐV", extra_sheets=()) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    datetime_style = xlwt.easyxf(num_format_str="dd/mm/yyyy hh:mm")
    for name in (sheet, *extra_sheets):
        ws = book.add_sheet(name)
        for row, column, value in cells:
            if isinstance(value, dt.datetime):
                ws.write(row, column, value, datetime_style)
            elif isinstance(value, dt.date):
                ws.write(row, column, value, date_style)
            else:
                ws.write(row, column, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx(cells=CELLS) -> bytes:
    book = Workbook()
    ws = book.active
    for row, column, value in cells:
        ws.cell(row + 1, column + 1, value)
        if isinstance(value, dt.date):
            ws.cell(row + 1, column + 1).number_format = "dd/mm/yyyy"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xls_reads_the_same_values_as_the_same_xlsx():
    data = _xls()
    assert data.startswith(b"\xd0\xcf\x11\xe0")  # a real Excel 97-2003 file

    from_xls = read_rows(data, "danh sach.xls")
    rows = list(from_xls)

    assert from_xls.kind == "xls"
    assert rows == EXPECTED
    assert rows == list(read_rows(_xlsx(), "danh sach.xlsx"))
    assert isinstance(rows[5][1][4], int)


def test_legacy_text_in_an_xls_comes_through_for_conversion():
    names = [values[1] for _, values in list(read_rows(_xls(), "ds.xls"))[5:7]]

    conversion = convert_column(names)

    assert conversion.encoding == "TCVN3"
    assert conversion.values == ["Nguyễn Văn Đức", "Trần Thị Thu Hà"]


def test_xls_is_an_accepted_suffix_and_names_are_case_blind():
    assert ".xls" in XLS_SUFFIXES
    assert {".xlsx", ".xls", ".csv"} <= set(ACCEPTED_SUFFIXES)

    assert list(read_rows(_xls(), "DANH SACH.XLS")) == EXPECTED


def test_it_reads_a_named_sheet_of_an_xls_and_refuses_a_missing_one():
    data = _xls([(1, 0, "Lê Thị Hoa")], sheet="Trang 1", extra_sheets=["7-HSĐV"])

    assert list(read_rows(data, "ds.xls", sheet="7-HSĐV")) == [(2, ["Lê Thị Hoa"])]
    with pytest.raises(TabularError, match="không có trang tính «Khác»"):
        read_rows(data, "ds.xls", sheet="Khác")


def test_an_xls_with_an_empty_sheet_has_no_rows():
    with pytest.raises(TabularError, match="không có dòng nào có dữ liệu"):
        read_rows(_xls([]), "ds.xls")


def test_an_xls_renamed_xlsx_and_an_xlsx_renamed_xls_are_read_by_their_content():
    assert list(read_rows(_xls(), "ds.xlsx")) == EXPECTED
    assert list(read_rows(_xlsx(), "ds.xls")) == EXPECTED


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[:512],
        lambda data: data[:8] + b"\x00" * (len(data) - 8),
        lambda data: data[:1024] + bytes(255 - b for b in data[1024:]),
    ],
    ids=["cut in half", "header only", "zeroed", "inverted body"],
)
def test_a_corrupt_xls_is_refused_with_a_vietnamese_message(damage):
    with pytest.raises(TabularError) as caught:
        read_rows(damage(_xls()), "danh sach.xls")

    message = str(caught.value)
    assert message.startswith("Tệp «danh sach.xls» không phải là bảng tính Excel 97-2003 (.xls) hợp lệ")
    assert "lưu lại dưới dạng .xlsx" in message


# One byte changed in this workbook's records makes calamine ask for ~500 GB: Rust aborts
# the whole process on that, so the .xls is decoded in a child process.
_ABORTING_OFFSET = 5439


def _aborting_xls() -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("A")
    for row in range(50):
        ws.write(row, 0, f"Nguyễn Văn {row}")
        ws.write(row, 1, row * 1.5)
        ws.write(row, 2, dt.date(1980, 1, 1), xlwt.easyxf(num_format_str="dd/mm/yyyy"))  # a style per cell
    out = io.BytesIO()
    book.save(out)
    data = bytearray(out.getvalue())
    data[_ABORTING_OFFSET] = 0xFF
    return bytes(data)


def test_an_xls_that_would_abort_the_process_is_refused_and_the_process_lives():
    data = _aborting_xls()
    reading_in_process = (
        "import io, sys\n"
        "from python_calamine import CalamineWorkbook\n"
        "book = CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))\n"
        "book.get_sheet_by_name(book.sheet_names[0])\n"
    )
    direct = subprocess.run([sys.executable, "-c", reading_in_process], input=data, capture_output=True, check=False)
    assert direct.returncode < 0  # killed by a signal (SIGABRT): what would happen to the server

    with pytest.raises(TabularError, match=r"\(\.xls\) hợp lệ, đã bị hỏng"):
        read_rows(data, "ds.xls")


def test_a_password_protected_xlsx_is_named_as_such():
    # A password-protected .xlsx is an OLE container holding an "EncryptionInfo" stream.
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 200

    with pytest.raises(TabularError, match="có đặt mật khẩu nên chưa đọc được"):
        read_rows(data, "ds.xlsx")


def test_a_web_page_saved_as_xls_is_named_as_such():
    data = b"<html><body><table><tr><td>H\xc3\xb3 v\xc3\xa0 t\xc3\xaan</td></tr></table></body></html>"

    with pytest.raises(TabularError, match="trang web"):
        read_rows(data, "ds.xls")


def test_an_xls_named_csv_is_told_to_be_renamed_xls():
    with pytest.raises(TabularError, match=r"đổi đuôi tệp thành \.xls\."):
        read_rows(_xls(), "ds.csv")
