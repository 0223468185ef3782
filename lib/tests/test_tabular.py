"""Reading and writing .xlsx and .csv: numbering, encodings, refusals, round trips."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import unicodedata
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from lib.tabular import TabularError, iter_csv, read_rows, write_csv, write_xlsx


def _xlsx(build) -> bytes:
    wb = Workbook()
    build(wb.active)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_it_reads_xlsx_values_with_excel_row_numbers_and_skips_empty_rows():
    def build(ws):
        ws.append(["Họ và tên", "Ngày sinh", "Số", "Đúng"])
        ws.append(["Nguyễn Văn Đức", dt.date(1980, 3, 5), 12, True])
        ws["A4"] = "Trần Thị Bình"
        ws["C4"] = 3.5
        ws["D5"] = "chỉ cột D"

    rows = list(read_rows(_xlsx(build), "ds.xlsx"))

    assert [number for number, _ in rows] == [1, 2, 4, 5]
    assert rows[1][1] == ["Nguyễn Văn Đức", dt.datetime(1980, 3, 5), 12, True]
    assert rows[2][1][:3] == ["Trần Thị Bình", None, 3.5]
    assert rows[3][1] == [None, None, None, "chỉ cột D"]


def _trim(values):
    values = list(values)
    while values and values[-1] is None:
        values.pop()
    return values


def test_it_reads_what_openpyxl_reads_for_shared_strings_formulas_and_dates():
    def build(ws):
        ws.append(["a", "b", "c"])
        ws.append(["Đảng viên", "=1+1", 44000])
        ws["D2"] = dt.datetime(2020, 1, 2, 3, 4)

    data = _xlsx(build)
    # Re-save through openpyxl's normal mode, which writes shared strings as Excel does.
    wb = load_workbook(io.BytesIO(data))
    out = io.BytesIO()
    wb.save(out)

    ours = [_trim(values) for _, values in read_rows(out.getvalue(), "x.xlsx")]
    theirs = [_trim(r) for r in load_workbook(io.BytesIO(out.getvalue()), read_only=True, data_only=True).active.values]

    assert ours == theirs
    assert ours[1][0] == "Đảng viên"
    assert ours[1][1] is None  # a formula never calculated has no cached value
    assert ours[1][3] == dt.datetime(2020, 1, 2, 3, 4)


def test_it_reads_utf8_csv_with_a_bom_and_semicolons():
    data = codecs.BOM_UTF8 + "Họ và tên;Ngày sinh\r\nNguyễn Văn Đức;05/03/1980\r\n\r\nLê Thị Hoa;1/2/1990\r\n".encode()

    rows = list(read_rows(data, "ds.csv"))

    assert rows == [(1, ["Họ và tên", "Ngày sinh"]), (2, ["Nguyễn Văn Đức", "05/03/1980"]), (4, ["Lê Thị Hoa", "1/2/1990"])]


def test_it_reads_csv_without_a_bom_with_commas_and_quoted_commas():
    data = 'Họ và tên,Nơi ở\n"Nguyễn Văn Đức","Số 5, ngõ 12"\n'.encode()

    assert list(read_rows(data, "ds.csv"))[1] == (2, ["Nguyễn Văn Đức", "Số 5, ngõ 12"])


def _cp1258(text: str) -> bytes:
    """Encode as Windows does: letters it has whole, others as a base letter plus a tone mark."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            out += (unicodedata.normalize("NFC", parts[:-1]) + parts[-1]).encode("cp1258")
    return out


def test_it_falls_back_to_windows_1258_and_normalizes_vietnamese():
    data = _cp1258("Họ và tên\nNguyễn Văn Đức\n")
    assert data.decode("cp1258") != "Họ và tên\nNguyễn Văn Đức\n"  # tones are combining marks there

    rows = list(read_rows(data, "ds.csv"))

    assert rows[1][1] == ["Nguyễn Văn Đức"]


def test_it_reads_utf16_csv_with_tabs():
    data = "Họ và tên\tSố\nNguyễn Văn Đức\t3\n".encode("utf-16")

    assert list(read_rows(data, "ds.csv"))[1] == (2, ["Nguyễn Văn Đức", "3"])


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"", "ds.xlsx", "rỗng"),
        (b"   \n", "ds.csv", "rỗng"),
        (b"\n\n,,\n", "ds.csv", "không có dòng"),
        (b"this is not a zip at all", "ds.xlsx", "không phải là bảng tính"),
        (b"PK\x03\x04garbage", "ds.xlsx", "không phải là bảng tính"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "ds.csv", "không phải là tệp CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "ds.xls", ".xls"),
        (b"Ho ten\nA\n", "ds.pdf", "Chỉ nhận tệp"),
    ],
)
def test_it_refuses_what_is_not_a_spreadsheet_in_vietnamese(data, filename, words):
    with pytest.raises(TabularError) as caught:
        read_rows(data, filename)

    assert words in str(caught.value)


def test_it_refuses_a_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "xin chào")

    with pytest.raises(TabularError, match="không phải là bảng tính"):
        read_rows(out.getvalue(), "ds.xlsx")


def test_it_refuses_an_xlsx_whose_sheets_are_all_empty():
    with pytest.raises(TabularError, match="không có dòng"):
        read_rows(_xlsx(lambda ws: None), "ds.xlsx")


def test_write_xlsx_makes_a_bold_frozen_header_and_real_dates():
    data = write_xlsx(
        ["Họ và tên", "Ngày sinh"], [["Nguyễn Văn Đức", dt.date(1980, 3, 5)]], title="DANH SÁCH ĐẢNG VIÊN", sheet_name="7-HSĐV"
    )

    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws.title == "7-HSĐV"
    assert ws["A1"].value == "DANH SÁCH ĐẢNG VIÊN"
    assert ws["A3"].value == "Họ và tên"
    assert ws["A3"].font.b
    assert ws.freeze_panes == "A4"
    assert ws["B4"].value == dt.datetime(1980, 3, 5)
    assert ws["B4"].number_format.lower() == "dd/mm/yyyy"
    assert ws["B4"].is_date
    assert ws.column_dimensions["A"].width >= 10


def test_write_xlsx_keeps_text_starting_with_equals_as_text():
    data = write_xlsx(["Ghi chú"], [['=HYPERLINK("http://x")']])

    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].value == '=HYPERLINK("http://x")'
    assert ws["A2"].data_type == "s"


def test_an_exported_xlsx_reads_back_the_same():
    rows = [["Nguyễn Văn Đức", dt.date(1980, 3, 5), 3], ["Lê Thị Hoa", None, 0]]
    data = write_xlsx(["Họ và tên", "Ngày sinh", "Số con"], rows, title="Danh sách")

    read = list(read_rows(data, "ds.xlsx"))

    assert read[0] == (1, ["Danh sách"])
    assert read[1] == (3, ["Họ và tên", "Ngày sinh", "Số con"])
    assert read[2] == (4, ["Nguyễn Văn Đức", dt.datetime(1980, 3, 5), 3])
    assert read[3] == (5, ["Lê Thị Hoa", None, 0])


def test_an_exported_csv_has_a_bom_dd_mm_yyyy_dates_and_reads_back():
    data = write_csv(["Họ và tên", "Ngày sinh"], [["Nguyễn Văn Đức", dt.date(1980, 3, 5)], ["=cmd", None]])

    assert data.startswith(codecs.BOM_UTF8)
    assert b"\r\n'=cmd," in data  # guarded in the file (lib/tests/test_csv_formula_guard.py)
    assert list(read_rows(data, "ds.csv")) == [
        (1, ["Họ và tên", "Ngày sinh"]),
        (2, ["Nguyễn Văn Đức", "05/03/1980"]),
        (3, ["=cmd", ""]),
    ]


def test_iter_csv_streams_in_chunks():
    chunks = list(iter_csv(["Số"], ([i] for i in range(2500))))

    assert len(chunks) == 4  # header, then batches of 1,000 rows
    assert b"".join(chunks).count(b"\r\n") == 2501


def test_write_xlsx_escapes_markup_drops_control_characters_and_keeps_times():
    rows = [['A & B <c> "d"', "x\x01y", dt.datetime(2024, 1, 2, 8, 30), 2.5, False]]
    data = write_xlsx(["Văn bản", "Điều khiển", "Lúc", "Số", "Đúng"], rows, sheet_name="Danh/sách?")

    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "Danhsách"
    assert [c.value for c in ws[2]] == ['A & B <c> "d"', "xy", dt.datetime(2024, 1, 2, 8, 30), 2.5, False]


def test_write_xlsx_adds_extra_sheets_after_the_list():
    data = write_xlsx(["Họ và tên"], [], extra_sheets=[("Hướng dẫn", [["Cột", "Cách ghi"], ["Họ và tên", "chữ"]])])

    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Danh sách", "Hướng dẫn"]
    assert [[c.value for c in row] for row in wb["Hướng dẫn"].iter_rows()] == [["Cột", "Cách ghi"], ["Họ và tên", "chữ"]]
    assert [c.value for c in wb["Danh sách"][1]] == ["Họ và tên"]


def test_it_numbers_rows_and_columns_as_excel_does_when_the_sheet_starts_below_and_right():
    def build(ws):
        ws["C3"] = "DANH SÁCH ĐẢNG VIÊN"
        ws["B5"] = "Họ và tên"
        ws["C5"] = "Số CCCD"
        ws["B6"] = "Nguyễn Văn Đức"
        ws["C6"] = 12345678901  # a CCCD typed as a number: Excel drops its leading zero
        ws["D6"] = dt.date(1980, 3, 5)

    rows = list(read_rows(_xlsx(build), "ds.xlsx"))

    assert rows == [
        (3, [None, None, "DANH SÁCH ĐẢNG VIÊN"]),
        (5, [None, "Họ và tên", "Số CCCD"]),
        (6, [None, "Nguyễn Văn Đức", 12345678901, dt.datetime(1980, 3, 5)]),
    ]
    assert isinstance(rows[2][1][2], int)


def test_it_reads_a_named_sheet_and_refuses_a_missing_one():
    wb = Workbook()
    wb.active["A1"] = "đầu"
    wb.create_sheet("7-HSĐV")["A2"] = "Lê Thị Hoa"
    out = io.BytesIO()
    wb.save(out)

    assert list(read_rows(out.getvalue(), "ds.xlsx", sheet="7-HSĐV")) == [(2, ["Lê Thị Hoa"])]
    with pytest.raises(TabularError, match="không có trang tính «Khác»"):
        read_rows(out.getvalue(), "ds.xlsx", sheet="Khác")


def test_it_refuses_a_workbook_whose_sheet_is_broken():
    data = _xlsx(lambda ws: ws.append(["a", "b"]))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]
            dst.writestr(item, body)

    with pytest.raises(TabularError, match="hỏng"):
        list(read_rows(out.getvalue(), "ds.xlsx"))
