"""The import engine on a toy layout: header matching, cell parsers, every error class, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from django.contrib.auth.models import Group
from openpyxl import Workbook, load_workbook

from lib import importer
from lib.importer import (
    ROW_KEY,
    Choice,
    Code,
    Column,
    Date,
    ImportRefused,
    ImportSpec,
    Integer,
    RowError,
    Spread,
    Text,
    Unresolved,
    apply_all_or_nothing,
    parse,
    template_xlsx,
    unique_within_file,
)
from lib.tabular import write_csv, write_xlsx

CELLS = {"CB01": "Chi bộ Văn phòng", "CB02": "Chi bộ Ngân sách", "CB09": "Chi bộ Điện lực"}


class Importer:
    """The context a real import passes: who imports, what they may touch, what exists."""

    def __init__(self, scope=("CB01", "CB02"), existing=()):
        self.scope = set(scope)
        self.existing = set(existing)
        self.resolve_calls: list[set[str]] = []


def resolve_cell(codes, context):
    context.resolve_calls.append(set(codes))
    found = {}
    for code in codes:
        if code in context.scope:
            found[code] = CELLS[code]
        elif code in CELLS:
            found[code] = Unresolved(f"«{code}» nằm ngoài phạm vi bạn quản lý")
    return found


def against_database(rows, context):
    for row in rows:
        if row.get("cccd") in context.existing:
            yield RowError(row[ROW_KEY], "Số CCCD", f"«{row['cccd']}» đã có trong cơ sở dữ liệu")


def admitted_after_birth(row, context):
    if row.get("admitted") and row["admitted"] <= row["birth"]:
        yield ("admitted", "phải sau ngày sinh")


SPEC = ImportSpec(
    columns=[
        Column("name", "Họ và tên", Text(max_length=40), aliases=("Họ tên",), required=True),
        Column("birth", "Ngày sinh", Date(), required=True),
        Column("cccd", "Số CCCD", Code(digits=12), aliases=("Căn cước công dân", "CCCD")),
        Column("sex", "Giới tính", Choice({"M": "Nam", "F": "Nữ"})),
        Column("cell", "Chi bộ", Code(), resolve=resolve_cell),
        Column("admitted", "Ngày vào Đảng", Date()),
        Column("children", "Số con", Integer(0, 30)),
    ],
    check_row=admitted_after_birth,
    check_rows=[unique_within_file("cccd", "Số CCCD"), against_database],
)

HEADER = ["Họ và tên", "Ngày sinh", "Số CCCD", "Giới tính", "Chi bộ", "Ngày vào Đảng", "Số con"]
GOOD = ["Nguyễn Văn Đức", "05/03/1980", "001080012345", "Nam", "CB01", "03/02/2005", "2"]


def xlsx(*rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run(data, filename="ds.xlsx", context=None, spec=SPEC, **kwargs):
    return parse(data, filename, spec, context or Importer(), **kwargs)


def messages(result):
    return [str(e) for e in result.errors]


# --- reading good files -------------------------------------------------------------------


def test_it_parses_clean_values_with_row_numbers():
    result = run(xlsx(HEADER, GOOD))

    assert result.ok, result.messages()
    assert result.total == 1
    assert result.rows == [
        {
            ROW_KEY: 2,
            "name": "Nguyễn Văn Đức",
            "birth": dt.date(1980, 3, 5),
            "cccd": "001080012345",
            "sex": "M",
            "cell": "Chi bộ Văn phòng",
            "admitted": dt.date(2005, 2, 3),
            "children": 2,
        }
    ]


def test_it_matches_headers_regardless_of_case_diacritics_spacing_and_aliases():
    header = ["HỌ TÊN", " ngay  sinh ", "can cuoc cong dan", "GIOI TINH:", "chi bo", "Ngày vào đảng", "so con"]

    result = run(xlsx(header, GOOD))

    assert result.ok, result.messages()
    assert result.rows[0]["cccd"] == "001080012345"
    assert result.rows[0]["admitted"] == dt.date(2005, 2, 3)


def test_it_reads_the_same_layout_from_csv_with_semicolons():
    data = write_csv(HEADER, [GOOD]).replace(b",", b";")

    result = run(data, "ds.csv")

    assert result.ok, result.messages()
    assert result.rows[0]["name"] == "Nguyễn Văn Đức"


def test_it_finds_the_header_under_a_title_as_in_an_exported_list():
    data = write_xlsx(SPEC.columns, [GOOD], title="DANH SÁCH ĐẢNG VIÊN")

    result = run(data)

    assert result.ok, result.messages()
    assert result.header_row == 3
    assert result.rows[0][ROW_KEY] == 4


@pytest.mark.parametrize(
    "cell",
    [
        *["05/03/1980", "5/3/1980", "05-03-1980", "5.3.1980", "1980-03-05", "1980-03-05 00:00:00"],
        *[29285, 29285.0, dt.datetime(1980, 3, 5)],
    ],
)
def test_it_reads_dates_as_text_excel_serials_and_date_cells(cell):
    result = run(xlsx(HEADER, ["A", cell]))

    assert result.ok, result.messages()
    assert result.rows[0]["birth"] == dt.date(1980, 3, 5)


def test_it_restores_leading_zeros_excel_dropped_from_a_cccd_typed_as_a_number():
    result = run(xlsx(HEADER, ["A", "05/03/1980", 1080012345]))

    assert result.rows[0]["cccd"] == "001080012345"


def test_it_normalizes_decomposed_vietnamese_and_folds_choices():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Đức")

    result = run(xlsx(HEADER, [decomposed, "05/03/1980", None, "nu"]))

    assert result.rows[0]["name"] == "Nguyễn Văn Đức"
    assert result.rows[0]["sex"] == "F"


def test_it_ignores_extra_columns_with_a_warning():
    result = run(xlsx([*HEADER, "Ghi chú", "Điện thoại"], [*GOOD, "x", "0912"]))

    assert result.ok
    assert result.warnings == ["Bỏ qua các cột không dùng: «Ghi chú», «Điện thoại»."]


def test_it_reports_progress_as_rows_are_read(monkeypatch):
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 2)
    calls = []

    result = run(xlsx(HEADER, *[GOOD[:2]] * 5), progress=lambda done, estimate: calls.append((done, estimate)))

    assert result.total == 5
    assert calls[:2] == [(2, 5), (4, 5)]  # the sheet declares its size, less the header
    assert calls[-1] == (5, 5)


# --- every error class --------------------------------------------------------------------


def test_it_names_row_and_column_of_an_impossible_date():
    result = run(xlsx(HEADER, GOOD, ["B", "31/02/1990"]))

    assert messages(result) == ["Dòng 3, cột Ngày sinh: ngày không hợp lệ «31/02/1990» (dạng dd/mm/yyyy)"]
    assert result.rows == [] or all(r[ROW_KEY] != 3 for r in result.rows)


@pytest.mark.parametrize("cell", ["1990", "hôm qua", "5/3/80", "13/13/1990", True])
def test_it_refuses_what_is_not_a_date(cell):
    result = run(xlsx(HEADER, ["B", cell]))

    assert not result.ok
    assert str(result.errors[0]).startswith("Dòng 2, cột Ngày sinh: ")


def test_it_reports_one_error_naming_every_missing_required_column():
    result = run(xlsx(["Số CCCD", "Giới tính"], ["001080012345", "Nam"]))

    assert messages(result) == ["Thiếu cột bắt buộc: Họ và tên, Ngày sinh."]
    assert result.rows == []


def test_it_refuses_a_column_given_twice():
    result = run(xlsx([*HEADER, "Ho ten"], GOOD))

    assert messages(result) == ["Dòng 1, cột Họ và tên: cột này xuất hiện hai lần trong dòng tiêu đề"]


def test_it_refuses_a_file_with_no_recognisable_header():
    result = run(xlsx(["a", "b"], ["1", "2"]))

    assert messages(result)[0].startswith("Không tìm thấy dòng tiêu đề")


@pytest.mark.parametrize(("data", "filename"), [(b"", "ds.xlsx"), (b"", "ds.csv")])
def test_it_refuses_an_empty_file(data, filename):
    result = run(data, filename)

    assert messages(result) == ["Tệp rỗng: không có dữ liệu nào."]


def test_it_refuses_a_file_with_only_the_header():
    result = run(xlsx(HEADER))

    assert messages(result) == ["Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."]


NOT_SPREADSHEETS = [(b"%PDF-1.7 binary", "ds.xlsx"), (b"\x00\x01\x02\x03", "ds.csv"), (b"x", "anh.png")]


@pytest.mark.parametrize(("data", "filename"), NOT_SPREADSHEETS)
def test_it_refuses_a_file_that_is_not_a_spreadsheet_without_raising(data, filename):
    result = run(data, filename)

    assert not result.ok
    assert result.errors[0].row is None
    assert "bảng tính" in str(result.errors[0]) or "CSV" in str(result.errors[0])


def test_it_reports_a_blank_required_cell_a_too_long_text_and_a_bad_choice_in_one_pass():
    rows = [
        ["", "05/03/1980"],
        ["X" * 41, "05/03/1980", None, "khác"],
        ["C", "05/03/1980", "12345", None, None, None, "-1"],
    ]

    result = run(xlsx(HEADER, *rows))

    assert result.messages() == [
        "Dòng 2, cột Họ và tên: không được để trống",
        "Dòng 3, cột Họ và tên: dài 41 ký tự, tối đa 40 ký tự",
        "Dòng 3, cột Giới tính: giá trị «khác» không có trong danh sách (Nam; Nữ)",
        "Dòng 4, cột Số CCCD: «12345» phải gồm đúng 12 chữ số",
        "Dòng 4, cột Số con: phải từ 0 trở lên (đang là -1)",
    ]


def test_a_bad_value_repeated_on_many_rows_is_reported_on_each_row():
    # Values are parsed once per column and reused: a refused value must be refused every time.
    rows = [["A", "31/02/1980", None, "khác"] for _ in range(3)]

    result = run(xlsx(HEADER, *rows))

    assert result.messages() == [
        f"Dòng {n}, cột {label}"
        + (
            ": ngày không hợp lệ «31/02/1980» (dạng dd/mm/yyyy)"
            if label == "Ngày sinh"
            else ": giá trị «khác» không có trong danh sách (Nam; Nữ)"
        )
        for n in (2, 3, 4)
        for label in ("Ngày sinh", "Giới tính")
    ]


def test_the_same_text_in_two_columns_is_parsed_by_each_column():
    row = ["05/03/1980", "05/03/1980", None, None, None, "03/02/2005"]

    result = run(xlsx(HEADER, row, ["Lê Hoa", "05/03/1980"]))

    assert result.ok, result.messages()
    assert [r["name"] for r in result.rows] == ["05/03/1980", "Lê Hoa"]
    assert [r["birth"] for r in result.rows] == [dt.date(1980, 3, 5)] * 2


def test_values_past_the_remembered_ones_still_parse(monkeypatch):
    monkeypatch.setattr(importer, "VALUE_CACHE_SIZE", 2)
    names = ["An", "Bình", "Chi", "An", "Dũng", "Chi"]

    result = run(xlsx(HEADER, *[[name, f"0{i + 1}/01/1990"] for i, name in enumerate(names)]))

    assert result.ok, result.messages()
    assert [r["name"] for r in result.rows] == names
    assert [r["birth"].day for r in result.rows] == [1, 2, 3, 4, 5, 6]


def test_an_empty_cell_has_no_key_and_reads_as_none():
    result = run(xlsx(HEADER, ["Lê Hoa", "05/03/1980", None, None, "CB01"]))

    assert result.ok, result.messages()
    assert result.rows == [{ROW_KEY: 2, "name": "Lê Hoa", "birth": dt.date(1980, 3, 5), "cell": "Chi bộ Văn phòng"}]
    assert result.rows[0].get("admitted") is None


def test_on_header_learns_the_file_columns_before_the_rows():
    learnt = []
    spec = ImportSpec(columns=SPEC.columns, on_header=lambda columns, context: learnt.append(list(columns)))

    run(xlsx(["Chi bộ", "Ngày sinh", "Họ và tên"], ["CB01", "05/03/1980", "Lê Hoa"]), spec=spec)

    assert learnt == [["cell", "birth", "name"]]


def test_it_reports_a_cccd_repeated_inside_the_file():
    other = ["Lê Thị Hoa", "01/01/1990", "001080012345"]

    result = run(xlsx(HEADER, GOOD, ["B", "01/01/1991", "001090000001"], other))

    assert messages(result) == ["Dòng 4, cột Số CCCD: «001080012345» trùng với dòng 2 trong tệp"]


def test_it_reports_a_cccd_already_in_the_database_through_the_cross_row_hook():
    result = run(xlsx(HEADER, GOOD), context=Importer(existing={"001080012345"}))

    assert messages(result) == ["Dòng 2, cột Số CCCD: «001080012345» đã có trong cơ sở dữ liệu"]


def test_it_resolves_each_column_once_for_all_codes_and_names_unknown_and_out_of_scope_ones():
    context = Importer()
    rows = [[f"N{i}", "01/01/1990", None, None, code] for i, code in enumerate(["CB01", "CB02", "CB01", "CB77", "CB09"])]

    result = run(xlsx(HEADER, *rows), context=context)

    assert context.resolve_calls == [{"CB01", "CB02", "CB77", "CB09"}]
    assert messages(result) == [
        "Dòng 5, cột Chi bộ: không tìm thấy «CB77» (hoặc nằm ngoài phạm vi bạn quản lý)",
        "Dòng 6, cột Chi bộ: «CB09» nằm ngoài phạm vi bạn quản lý",
    ]


def test_a_row_with_a_bad_date_and_an_unknown_code_gets_both_errors():
    result = run(xlsx(HEADER, ["A", "32/01/1990", None, None, "CB77"]))

    assert result.messages() == [
        "Dòng 2, cột Ngày sinh: ngày không hợp lệ «32/01/1990» (dạng dd/mm/yyyy)",
        "Dòng 2, cột Chi bộ: không tìm thấy «CB77» (hoặc nằm ngoài phạm vi bạn quản lý)",
    ]


def test_the_row_hook_reports_under_the_column_it_names():
    result = run(xlsx(HEADER, ["A", "05/03/1980", None, None, None, "01/01/1970"]))

    assert messages(result) == ["Dòng 2, cột Ngày vào Đảng: phải sau ngày sinh"]


def test_it_keeps_the_first_thousand_errors_and_counts_the_rest(monkeypatch):
    monkeypatch.setattr(importer, "MAX_REPORTED_ERRORS", 3)

    result = run(xlsx(HEADER, *[["A", "x"]] * 5))

    assert result.error_count == 5
    assert len(result.errors) == 3
    assert result.messages()[-1] == "… và 2 lỗi khác."


# --- writing ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_apply_all_or_nothing_refuses_a_result_with_errors_and_writes_nothing():
    result = run(xlsx(HEADER, GOOD, ["B", "31/02/1990"]))
    written = []

    with pytest.raises(ImportRefused, match="1 lỗi"):
        apply_all_or_nothing(result, written.extend)

    assert written == []


@pytest.mark.django_db
def test_apply_all_or_nothing_writes_every_row_in_one_transaction():
    result = run(xlsx(HEADER, GOOD, ["Lê Thị Hoa", "01/01/1990"]))

    count = apply_all_or_nothing(result, lambda rows: len(Group.objects.bulk_create(Group(name=r["name"]) for r in rows)))

    assert count == 2
    assert set(Group.objects.values_list("name", flat=True)) == {"Nguyễn Văn Đức", "Lê Thị Hoa"}


@pytest.mark.django_db
def test_apply_all_or_nothing_rolls_back_when_the_writer_fails_half_way():
    result = run(xlsx(HEADER, GOOD, ["Lê Thị Hoa", "01/01/1990"]))

    def writer(rows):
        Group.objects.create(name=rows[0]["name"])
        raise RuntimeError("hỏng giữa chừng")

    with pytest.raises(RuntimeError):
        apply_all_or_nothing(result, writer)

    assert not Group.objects.exists()


# --- template and export ------------------------------------------------------------------


def test_the_template_has_the_header_an_example_and_instructions_and_imports_back():
    data = template_xlsx(SPEC, title="Mẫu nhập đảng viên", notes=["Mỗi dòng là một đảng viên."], example=GOOD)

    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Danh sách", "Hướng dẫn"]
    assert [c.value for c in wb["Danh sách"][1]] == HEADER
    guide = [row[0] for row in wb["Hướng dẫn"].values]
    assert "Họ và tên (bắt buộc)" in guide
    assert any("dd/mm/yyyy" in (row[1] or "") for row in wb["Hướng dẫn"].values)
    assert run(data).ok


def test_export_row_shows_choice_labels_in_column_order():
    record = {"name": "Nguyễn Văn Đức", "sex": "F", "birth": dt.date(1980, 3, 5)}

    assert SPEC.export_row(record) == ["Nguyễn Văn Đức", dt.date(1980, 3, 5), None, "Nữ", None, None, None]


def test_parsers_can_be_used_alone():
    assert Text()("  Nguyễn   Văn  ") == "Nguyễn Văn"
    assert Integer()(3.0) == 3
    assert Code(pattern=r"[A-Z]{2}\d+", hint="hai chữ cái rồi số")("CB01") == "CB01"
    with pytest.raises(importer.CellError, match="sai dạng"):
        Code(pattern=r"[A-Z]{2}\d+", hint="hai chữ cái rồi số")("01")
    with pytest.raises(importer.CellError, match="ngoài khoảng"):
        Date()("01/01/1850")


# --- files as people keep them ------------------------------------------------------------


def test_it_leaves_out_rows_that_are_not_records_and_says_why():
    rows = [
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        GOOD,
        [3],
        ["Cộng: 1 người"],
        ["Hà Nội, ngày 5 tháng 3 năm 2025"],
        ["Nguyễn Văn Hùng"],
    ]

    result = run(xlsx(["DANH SÁCH"], HEADER, *rows))

    assert result.ok, result.messages()
    assert [r[ROW_KEY] for r in result.rows] == [4]
    assert result.total == 1
    assert result.skipped == [
        (3, "dòng đánh số thứ tự các cột"),
        (5, "dòng trống"),
        (6, "dòng tổng cộng «Cộng: 1 người»"),
        (7, "dòng ngày tháng, chữ ký «Hà Nội, ngày 5 tháng 3 năm 2025»"),
        (8, "dòng dưới bảng, sau dòng tổng cộng hoặc chữ ký «Nguyễn Văn Hùng»"),
    ]


def test_a_record_with_mistakes_is_not_taken_for_a_footer():
    result = run(xlsx(HEADER, GOOD, ["Trần Văn Nam", "31/02/1990"]))

    assert messages(result) == ["Dòng 3, cột Ngày sinh: ngày không hợp lệ «31/02/1990» (dạng dd/mm/yyyy)"]
    assert result.skipped == []


def test_a_column_mapped_by_the_user_overrides_the_match_by_name_and_every_column_is_listed():
    header = ["Họ và tên", "Sinh ngày", "Ngày sinh cũ", "Ghi chú"]
    data = xlsx(header, ["Nguyễn Văn Đức", "05/03/1980", "bỏ", "x"])

    unmapped = run(data)
    mapped = run(data, mapping={"Sinh ngày": "birth", "Ngày sinh cũ": ""})

    assert messages(unmapped) == ["Thiếu cột bắt buộc: Ngày sinh."]
    assert [(h.name, h.key, h.auto) for h in unmapped.headers] == [
        ("Họ và tên", "name", "name"),
        ("Sinh ngày", None, None),
        ("Ngày sinh cũ", None, None),
        ("Ghi chú", None, None),
    ]
    assert mapped.ok and mapped.rows[0]["birth"] == dt.date(1980, 3, 5)
    assert [(h.name, h.key, h.mapped) for h in mapped.headers][1:3] == [
        ("Sinh ngày", "birth", True),
        ("Ngày sinh cũ", None, True),
    ]
    assert mapped.header_signature == unmapped.header_signature == importer.header_signature(header)
    assert importer.header_signature(["HỌ VÀ TÊN", "sinh ngay", "Ngày sinh cũ", "Ghi chú"]) == mapped.header_signature
    assert mapped.warnings == ["Bỏ qua các cột không dùng: «Ngày sinh cũ», «Ghi chú»."]


def test_two_file_columns_mapped_to_one_field_are_refused():
    result = run(xlsx([*HEADER, "Sinh ngày"], [*GOOD, "05/03/1980"]), mapping={"Sinh ngày": "birth"})

    assert messages(result) == ["Dòng 1, cột Ngày sinh: cột này được ghép với hai cột của tệp: «Ngày sinh» và «Sinh ngày»"]


def test_a_resolve_hook_may_ask_and_the_rows_wait_for_the_answer():
    question = importer.Question(kind="cell", key="cell:cb", prompt="Chi bộ nào?", options=[("CB01", "Văn phòng")], rows=[])

    def ask(codes, context):
        return {code: importer.Ask(question, context.answer) for code in codes}

    spec = ImportSpec(columns=[*SPEC.columns[:4], Column("cell", "Chi bộ", Code(), resolve=ask)])
    context = Importer()
    context.answer = None
    waiting = run(xlsx(HEADER[:5], GOOD[:5], GOOD[:5]), spec=spec, context=context)
    context.answer = "Văn phòng"
    answered = run(xlsx(HEADER[:5], GOOD[:5]), spec=spec, context=context)

    assert waiting.ok and [q.rows for q in waiting.questions] == [[2, 3]]
    assert "cell" not in waiting.rows[0] and waiting.unanswered == waiting.questions
    assert answered.rows[0]["cell"] == "Văn phòng"
    assert question.answered_from({"cell:cb": {"value": "CB01"}}).answered


def test_a_check_may_leave_a_row_out_with_its_reason():
    def skip_second(rows, context):
        rows[1][importer.SKIP_KEY] = "trùng với dòng 2"
        return ()

    spec = ImportSpec(columns=SPEC.columns, check_rows=[skip_second])

    result = run(xlsx(HEADER, GOOD, GOOD), spec=spec)

    assert [r[ROW_KEY] for r in result.rows] == [2] and result.skipped == [(3, "trùng với dòng 2")]


def test_the_row_check_sees_a_row_with_a_bad_cell_when_the_spec_asks():
    seen = []

    def check(row, context):
        seen.append((row[ROW_KEY], sorted(k for k in row if not k.startswith("_")), row.get(importer.FAILED_KEY)))
        yield ("name", "tên lạ")

    spec = ImportSpec(columns=SPEC.columns, check_row=check, check_partial_rows=True)

    result = run(xlsx(HEADER, ["X", "31/02/1990", None, "Nam"]), spec=spec)

    assert messages(result) == [
        "Dòng 2, cột Ngày sinh: ngày không hợp lệ «31/02/1990» (dạng dd/mm/yyyy)",
        "Dòng 2, cột Họ và tên: tên lạ",
    ]
    assert seen == [(2, ["name", "sex"], {"birth"})]


def test_text_typed_in_tcvn3_is_converted_before_the_cells_are_parsed_with_a_note():
    rows = [["NguyÔn V¨n §øc", "05/03/1980", None, "Nam"], ["TrÇn ThÞ Hoa", "06/03/1980", None, "Nữ"]]

    result = run(xlsx(HEADER, *rows))

    assert result.ok, result.messages()
    assert [(r["name"], r["sex"]) for r in result.rows] == [("Nguyễn Văn Đức", "M"), ("Trần Thị Hoa", "F")]
    assert result.notes == ["Cột «Họ và tên»: đã chuyển từ mã TCVN3 sang Unicode"]


def test_a_column_mixing_unicode_and_tcvn3_is_refused_cell_by_cell():
    rows = [["NguyÔn V¨n §øc", "05/03/1980"], ["Trần Thị Hoa", "06/03/1980"]]

    result = run(xlsx(HEADER, *rows))

    assert not result.ok
    assert [e.row for e in result.errors] == [2] and result.errors[0].column_label == "Họ và tên"
    assert result.rows == [] or [r[ROW_KEY] for r in result.rows] == [3]


def test_empty_rows_inside_the_table_are_listed_too():
    result = run(xlsx(HEADER, GOOD, [], GOOD, *[[]] * 12, GOOD))

    assert [r[ROW_KEY] for r in result.rows] == [2, 4, 17]
    assert result.skipped == [(3, "dòng trống"), (5, "các dòng 5–16 trống")]


# --- two-row headers ----------------------------------------------------------------------------

# "Ngày sinh" over «Nam» and «Nữ»: the column a birth date is written in gives the sex.
SPREAD_SPEC = ImportSpec(
    columns=SPEC.columns, spreads=(Spread("birth", "sex", {"Nam": "M", "Nữ": "F"}),), sub_headers=("Dự bị", "Chính thức")
)


def csv_rows(*rows) -> bytes:
    return "\n".join(",".join(cell or "" for cell in row) for row in rows).encode()


def test_a_header_on_two_rows_is_read_as_one_header_per_column():
    data = csv_rows(
        ["Họ và tên", "Ngày sinh", "", "Số", "", "Chi bộ"],
        ["", "Nam", "Nữ", "CCCD", "Con", ""],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        ["Nguyễn Văn Đức", "05/03/1980", "", "001080012345", "2", "CB01"],
        ["Trần Thị Hoa", "", "06/04/1982", "001182012345", "0", "CB02"],
    )

    result = run(data, "ds.csv", spec=SPREAD_SPEC)

    assert result.ok, result.messages()
    assert result.header_row == 2
    # "Số / CCCD" by its sub-column's own name; "Số / Con" read whole, as "Số con".
    assert [(h.name, h.key) for h in result.headers] == [
        ("Họ và tên", "name"),
        ("Ngày sinh / Nam", "birth"),
        ("Ngày sinh / Nữ", "birth"),
        ("Số / CCCD", "cccd"),
        ("Số / Con", "children"),
        ("Chi bộ", "cell"),
    ]
    assert result.skipped == [(3, "dòng đánh số thứ tự các cột")]
    assert [(r[ROW_KEY], r["name"], r["birth"], r["sex"], r["cccd"], r["children"]) for r in result.rows] == [
        (4, "Nguyễn Văn Đức", dt.date(1980, 3, 5), "M", "001080012345", 2),
        (5, "Trần Thị Hoa", dt.date(1982, 4, 6), "F", "001182012345", 0),
    ]
    assert set(result.columns) == {"name", "birth", "sex", "cccd", "children", "cell"}


def test_sub_columns_naming_more_fields_than_their_groups_still_hang_under_them():
    data = xlsx(
        ["Họ và tên", "Thông tin", None, None],
        [None, "Ngày sinh", "CCCD", "Giới tính"],
        ["Lê Thị Mai", "05/03/1980", "001080012345", "Nữ"],
    )

    result = run(data)

    assert result.ok, result.messages()
    assert result.header_row == 2
    assert [h.name for h in result.headers] == ["Họ và tên", "Thông tin / Ngày sinh", "Thông tin / CCCD", "Thông tin / Giới tính"]
    assert result.rows[0]["sex"] == "F" and result.rows[0][ROW_KEY] == 3


def test_a_spread_field_written_in_two_sub_columns_or_in_none_is_a_row_error():
    data = xlsx(
        ["Họ và tên", "Ngày sinh", None],
        [None, "Nam", "Nữ"],
        ["Nguyễn Văn Đức", "05/03/1980", "05/03/1980"],
        ["Trần Thị Hoa", None, None],
        ["Lê Thị Mai", None, "06/04/1982"],
    )

    result = run(data, spec=SPREAD_SPEC)

    assert messages(result) == [
        "Dòng 3, cột Ngày sinh: có giá trị ở 2 cột «Ngày sinh / Nam», «Ngày sinh / Nữ»; "
        "chỉ ghi ở một cột, cột được ghi cho biết «Giới tính»",
        "Dòng 4, cột Ngày sinh: không được để trống: ghi ở một trong các cột «Ngày sinh / Nam», «Ngày sinh / Nữ», "
        "cột được ghi cho biết «Giới tính»",
    ]
    assert [(r[ROW_KEY], r["sex"]) for r in result.rows] == [(5, "F")]


def test_a_file_with_both_a_sex_column_and_birth_dates_under_nam_and_nu_must_agree():
    data = xlsx(
        ["Họ và tên", "Ngày sinh", None, "Giới tính"],
        [None, "Nam", "Nữ", None],
        ["Nguyễn Văn Đức", "05/03/1980", None, "Nam"],
        ["Trần Thị Hoa", "06/04/1982", None, "Nữ"],
    )

    result = run(data, spec=SPREAD_SPEC)

    assert messages(result) == ["Dòng 4, cột Giới tính: khác với cột «Ngày sinh / Nam», nơi ghi «Ngày sinh»"]


@pytest.mark.parametrize(
    ("rows", "header_row", "names"),
    [
        # A title right over the header, merged across it: it names no column.
        ([["DANH SÁCH ĐẢNG VIÊN"], HEADER, GOOD], 2, HEADER),
        # A title line right over the header, naming a column: a group over one column is none.
        ([["Chi bộ:", "CB01"], HEADER, GOOD], 2, HEADER),
        ([[None] * 6 + ["Chi bộ"], HEADER, GOOD], 2, HEADER),
        # A member without dates under a header with a group of two columns: names, not headers.
        ([["Họ và tên", None, "Ngày sinh"], ["Trần Thị", "Hoa", None]], 1, ["Họ và tên", "Ngày sinh"]),
        # «Nam» and «Nữ» under «Giới tính», a column of choices, are its values.
        ([["Họ và tên", "Giới tính", None, "Ngày sinh"], [None, "Nam", "Nữ", None]], 1, ["Họ và tên", "Giới tính", "Ngày sinh"]),
        # Words that name nothing the layout knows.
        (
            [["Họ và tên", "Ngày sinh", "Ghi chú", None], [None, None, "Chuyển đến", "Chờ hồ sơ"]],
            1,
            ["Họ và tên", "Ngày sinh", "Ghi chú"],
        ),
        # A date written as text, a longer text: values.
        ([["Họ và tên", "Ngày sinh", None, None], [None, "Nam", "Nữ", "05/03/1980"]], 1, ["Họ và tên", "Ngày sinh"]),
        (
            [["Họ và tên", "Ngày sinh", None, None], [None, "Nam", "Nữ", "Chưa rõ ngày sinh theo giấy khai sinh gốc"]],
            1,
            ["Họ và tên", "Ngày sinh"],
        ),
    ],
    ids=[
        "title-merged-above",
        "title-above",
        "title-above-last-column",
        "names-without-dates",
        "choice-values",
        "unknown-words",
        "date-text",
        "long-text",
    ],
)
def test_a_row_next_to_the_header_that_is_no_part_of_it_is_left_alone(rows, header_row, names):
    result = run(xlsx(*rows), spec=SPREAD_SPEC)

    assert result.header_row == header_row
    assert [h.name for h in result.headers] == names
    # The row under the header is read as a record (its own errors, if any, stand).
    assert {r[ROW_KEY] for r in result.rows} | {e.row for e in result.errors} == {header_row + 1}
