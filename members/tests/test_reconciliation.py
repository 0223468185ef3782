"""Reconciling a 7-HSĐV list with the register as of a date (members.reconciliation)."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from lib.tabular import write_xlsx
from members import reconciliation as rc
from members import services_reconcile as store
from members.models import DifferenceKind, Member, ReconciliationStatus, SuggestedAction
from members.services import member_transfer_within, member_update
from members.testing import add_member

ON = dt.date(2026, 3, 31)
HEADERS = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ đảng viên",
    "Mã chi bộ",
]
ADMITTED = dt.date(2010, 3, 15)
FULL = dt.date(2011, 3, 15)


def line(name: str, birth: Any, cccd: str | None = None, card: str | None = None, cell: str = "cb-van-phong", **kw: Any):
    row = {
        "Họ và tên": name,
        "Ngày sinh": birth,
        "Giới tính": kw.pop("sex", "Nam"),
        "Số CCCD": cccd,
        "Ngày vào Đảng": kw.pop("admitted", ADMITTED),
        "Ngày chính thức": kw.pop("full", FULL),
        "Số thẻ đảng viên": card,
        "Mã chi bộ": cell,
    }
    row.update(kw)
    return row


def list_file(rows: list[dict[str, Any]], headers: list[str] = HEADERS) -> bytes:
    """A list as a committee keeps it: a title above the header (``lib.tabular.write_xlsx``)."""
    body = [[n if h == "STT" else row.get(h) for h in headers] for n, row in enumerate(rows, start=1)]
    return write_xlsx(headers, body, title="ĐẢNG BỘ SỞ TÀI CHÍNH — DANH SÁCH ĐẢNG VIÊN tính đến ngày 31/03/2026")


def build_register(tree: SimpleNamespace) -> SimpleNamespace:
    """The finance committee's register: four members of the office cell and one of the budget cell;
    Dũng moved to the newspaper's cell after the date."""
    people = SimpleNamespace(tree=tree)

    def member(cell, family, middle, given, birth, **kw):
        return add_member(
            cell,
            family_name=family,
            middle_name=middle,
            given_name=given,
            birth_date=birth,
            admitted_on=ADMITTED,
            full_member_on=FULL,
            **kw,
        )

    people.an = member(
        tree.office_cell, "Nguyễn", "Văn", "An", dt.date(1980, 5, 1), national_id="024080000001", card_number="A1001"
    )
    people.binh = member(
        tree.office_cell, "Trần", "Thị", "Bình", dt.date(1982, 6, 2), national_id="024182000002", card_number="A1002"
    )
    people.cuong = member(tree.office_cell, "Lê", "Văn", "Cường", dt.date(1979, 7, 3))
    people.dung = member(
        tree.office_cell, "Phạm", "Văn", "Dũng", dt.date(1985, 8, 4), national_id="024085000004", card_number="A1004"
    )
    people.em = member(tree.budget_cell, "Đỗ", "Thị", "Em", dt.date(1990, 9, 5), national_id="024190000005", card_number="A1005")
    member_transfer_within(
        member=people.dung, to_organization=tree.newspaper, letter_on=dt.date(2026, 5, 4), presented_on=dt.date(2026, 5, 15)
    )
    return people


@pytest.fixture
def register(cast):
    return build_register(cast.tree)


def rows_agreeing(p) -> list[dict[str, Any]]:
    return [
        line("Nguyễn Văn An", dt.date(1980, 5, 1), "024080000001", "A1001"),
        line("Trần Thị Bình", dt.date(1982, 6, 2), "024182000002", "A1002", sex="Nữ"),
        line("Lê Văn Cường", dt.date(1979, 7, 3)),
        line("Phạm Văn Dũng", dt.date(1985, 8, 4), "024085000004", "A1004"),
        line("Đỗ Thị Em", dt.date(1990, 9, 5), "024190000005", "A1005", cell="cb-ngan-sach", sex="Nữ"),
    ]


def run(user, org, data: bytes, on: dt.date = ON):
    out, fatal = rc.reconcile(io.BytesIO(data), "ds.xlsx", user=user, organization=org, on=on)
    assert not fatal, fatal
    return out


def of_kind(out, kind) -> list[rc.Difference]:
    return [d for d in out.differences if d.kind == kind]


def test_a_list_that_agrees_with_the_register_on_the_date_has_no_difference(cast, register):
    out = run(cast.base, cast.tree.finance, list_file(rows_agreeing(register)))
    assert out.differences == []
    assert (out.row_count, out.register_count, out.matched_count) == (5, 5, 5)


def test_a_member_transferred_after_the_date_still_belongs_to_the_list_of_the_date(cast, register):
    out = run(cast.base, cast.tree.office_cell, list_file(rows_agreeing(register)[:4]))
    assert out.differences == [] and out.register_count == 4
    # On a later date he is in the newspaper's cell: missing from the office cell's register.
    later = run(cast.upper, cast.tree.office_cell, list_file(rows_agreeing(register)[:4]), on=dt.date(2026, 6, 1))
    (only,) = of_kind(later, DifferenceKind.LIST_ONLY)
    assert only.name == "Phạm Văn Dũng" and only.action == SuggestedAction.CHECK
    assert "Chi bộ Báo Bắc Giang" in only.note


def test_it_lists_each_kind_of_difference_with_its_suggested_action(cast, register):
    rows = rows_agreeing(register)
    rows[1]["Họ và tên"] = "Trần Thị Bính"  # name differs
    rows[0]["Ngày sinh"] = dt.date(1980, 5, 2)  # date of birth differs
    rows[3]["Mã chi bộ"] = "cb-ngan-sach"  # cell differs
    del rows[4]  # Em: in the register only
    rows.append(line("Hoàng Thị Hoa", dt.date(1992, 1, 1), "024192000006", "A1006", sex="Nữ"))  # in the list only
    rows.append(line("Vũ Văn Khánh", "31/02/1980", "024080000007"))  # cannot be read
    rows.append(line("Nguyễn Văn An", dt.date(1980, 5, 2), "024080000001", "A1001"))  # An again
    out = run(cast.base, cast.tree.finance, list_file(rows))

    (unreadable,) = of_kind(out, DifferenceKind.UNREADABLE)
    assert unreadable.row == 9 and "Ngày sinh" in unreadable.note and "31/02/1980" in unreadable.note
    assert unreadable.action == SuggestedAction.ASK
    (duplicate,) = of_kind(out, DifferenceKind.DUPLICATE)
    assert duplicate.row == 10 and duplicate.member_id == register.an.pk and "dòng 4" in duplicate.note
    (added,) = of_kind(out, DifferenceKind.LIST_ONLY)
    assert (added.name, added.action) == ("Hoàng Thị Hoa", SuggestedAction.ADD)
    (missing,) = of_kind(out, DifferenceKind.REGISTER_ONLY)
    assert (missing.member_id, missing.action) == (register.em.pk, SuggestedAction.CHECK_LEFT)
    fields = {(d.member_id, d.field_name): d for d in of_kind(out, DifferenceKind.FIELD)}
    assert set(fields) == {(register.binh.pk, "name"), (register.an.pk, "birth_date"), (register.dung.pk, "organization")}
    name = fields[(register.binh.pk, "name")]
    assert (name.list_value, name.register_value, name.action) == ("Trần Thị Bính", "Trần Thị Bình", SuggestedAction.FIX)
    birth = fields[(register.an.pk, "birth_date")]
    assert (birth.list_value, birth.register_value, birth.action) == ("02/05/1980", "01/05/1980", SuggestedAction.FIX)
    cell = fields[(register.dung.pk, "organization")]
    assert cell.action == SuggestedAction.CHECK and "Chi bộ Ngân sách" in cell.list_value
    assert "Chi bộ Văn phòng" in cell.register_value
    assert out.counts() == {"unreadable": 1, "duplicate": 1, "list_only": 1, "register_only": 1, "field": 3}


def test_it_matches_by_cccd_then_card_number_then_name_and_birth_date(cast, register):
    rows = [
        # CCCD of An, card of Bình: An (by CCCD), whose card differs.
        line("Nguyễn Văn An", dt.date(1980, 5, 1), "024080000001", "A1002"),
        # No CCCD, Dũng's card: Dũng, whose name and CCCD differ; Bình is then missing from the list.
        line("Trần Thị Bình", dt.date(1982, 6, 2), None, "A1004", sex="Nữ"),
        # Neither: Cường by name (written without diacritics) and date of birth.
        line("Le Van Cuong", dt.date(1979, 7, 3)),
    ]
    out = run(cast.base, cast.tree.office_cell, list_file(rows))
    fields = {(d.member_id, d.field_name): d for d in of_kind(out, DifferenceKind.FIELD)}
    assert fields[(register.an.pk, "card_number")].list_value == "A1002"
    assert fields[(register.an.pk, "card_number")].action == SuggestedAction.FIX
    assert fields[(register.dung.pk, "name")].list_value == "Trần Thị Bình"
    assert fields[(register.dung.pk, "national_id")].action == SuggestedAction.ASK
    assert fields[(register.cuong.pk, "name")].list_value == "Le Van Cuong"
    assert {d.member_id for d in of_kind(out, DifferenceKind.REGISTER_ONLY)} == {register.binh.pk}
    assert out.matched_count == 3


def test_a_blank_cccd_in_the_list_asks_the_other_level_to_complete_it(cast, register):
    rows = [line("Trần Thị Bình", dt.date(1982, 6, 2), None, "A1002", sex="Nữ")]
    out = run(cast.base, cast.tree.office_cell, list_file(rows))
    (blank,) = [d for d in of_kind(out, DifferenceKind.FIELD) if d.member_id == register.binh.pk]
    assert (blank.field_name, blank.action, blank.register_value) == ("national_id", SuggestedAction.ASK, "024182000002")


def test_a_status_column_is_compared_with_the_status_on_the_date(cast, register):
    headers = [*HEADERS, "Trạng thái"]
    rows = rows_agreeing(register)
    for row in rows:
        row["Trạng thái"] = "Chính thức"
    rows[2]["Trạng thái"] = "Đình chỉ sinh hoạt"
    rows.append(line("Ngô Văn Lâm", dt.date(1950, 1, 1), "024050000009", **{"Trạng thái": "Từ trần"}))
    out = run(cast.base, cast.tree.finance, list_file(rows, headers))
    (status,) = of_kind(out, DifferenceKind.FIELD)
    assert (status.member_id, status.field_name, status.list_value, status.register_value) == (
        register.cuong.pk,
        "status",
        "Đình chỉ sinh hoạt",
        "Chính thức",
    )
    assert status.action == SuggestedAction.CHECK
    assert not of_kind(out, DifferenceKind.LIST_ONLY)  # deceased in the list, not in the register: agreed


def test_a_list_as_a_committee_keeps_it_is_read_like_an_import(cast, register):
    """Renamed headers, a row of column numbers under the header, a total under the table."""
    headers = ["TT", "Họ và tên", "Ngày, tháng, năm sinh", "Số CCCD", "Số thẻ", "Chi bộ"]
    rows = rows_agreeing(register)
    body = [["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]]
    body += [
        [n, r["Họ và tên"], r["Ngày sinh"], r["Số CCCD"], r["Số thẻ đảng viên"], r["Mã chi bộ"]] for n, r in enumerate(rows, 1)
    ]
    body += [["Tổng số: 5 đảng viên", None, None, None, None, None]]
    data = write_xlsx(headers, body, title="DANH SÁCH ĐẢNG VIÊN")
    out = run(cast.base, cast.tree.finance, data)
    assert out.differences == [] and out.matched_count == 5
    assert len(out.warnings) >= 2  # the two rows left out, each with its reason


def test_it_matches_the_columns_as_the_user_mapped_them_on_the_import_page(cast, register):
    from lib.importer import header_signature
    from members.importing import remember_mapping

    headers = ["STT", "Đồng chí", *HEADERS[2:]]
    rows = rows_agreeing(register)
    for row in rows:
        row["Đồng chí"] = row.pop("Họ và tên")
    remember_mapping(cast.base, header_signature(headers), {"Đồng chí": "full_name"})
    out = run(cast.base, cast.tree.finance, list_file(rows, headers))
    assert out.differences == [] and out.matched_count == 5


def test_a_file_without_a_name_column_is_refused_whole(cast, register):
    data = write_xlsx(["Ngày sinh", "Số CCCD"], [[dt.date(1980, 5, 1), "024080000001"]])
    out, fatal = rc.reconcile(io.BytesIO(data), "ds.xlsx", user=cast.base, organization=cast.tree.finance, on=ON)
    assert fatal and "Họ và tên" in fatal[0] and out.differences == []


# --- stored, exported, applied ------------------------------------------------------------


@pytest.fixture
def stored(settings, tmp_path, cast, register):
    settings.MEDIA_ROOT = tmp_path
    rows = rows_agreeing(register)
    rows[1]["Họ và tên"] = "Trần Thị Bính"
    rows[0]["Ngày sinh"] = dt.date(1980, 5, 2)
    rows.append(line("Hoàng Thị Hoa", dt.date(1992, 1, 1), "024192000006", "A1006", sex="Nữ"))
    upload = SimpleUploadedFile("ds-quy-1.xlsx", list_file(rows))
    rec = store.reconciliation_create(upload=upload, user=cast.base, organization=cast.tree.finance, on=ON)
    store.reconciliation_start(rec)
    rec.refresh_from_db()
    assert rec.status == ReconciliationStatus.DONE and not rec.background
    return rec


def diff(rec, **kw):
    return rec.differences.get(**kw)


def test_the_result_is_stored_with_its_counts(stored):
    assert stored.counts == {"unreadable": 0, "duplicate": 0, "list_only": 1, "register_only": 0, "field": 2}
    assert stored.differences.count() == 3


def test_the_export_opens_with_openpyxl_and_has_every_difference(stored):
    book = load_workbook(io.BytesIO(store.differences_xlsx(stored)), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True) if any(v is not None for v in r)]
    assert "Đảng bộ Sở Tài chính" in rows[0][0] and "31/03/2026" in rows[0][0]  # the title
    header, body = rows[1], rows[2:]
    assert header[:3] == ["Loại chênh lệch", "Dòng trong danh sách", "Họ và tên"]
    assert len(body) == 3
    names = {r[2] for r in body}
    assert names == {"Hoàng Thị Hoa", "Trần Thị Bình", "Nguyễn Văn An"}
    fix = next(r for r in body if r[2] == "Trần Thị Bình")
    assert fix[4:8] == ["Họ và tên", "Trần Thị Bính", "Trần Thị Bình", "Sửa hồ sơ theo danh sách"]


def test_applying_writes_every_chosen_correction_with_its_history_reason(cast, stored, register):
    add = diff(stored, kind=DifferenceKind.LIST_ONLY)
    name = diff(stored, field="name")
    store.reconciliation_apply(reconciliation=stored, difference_ids=[add.pk, name.pk], user=cast.base)
    hoa = Member.objects.get(national_id="024192000006")
    assert (hoa.full_name, hoa.card_number, hoa.organization, hoa.sex) == ("Hoàng Thị Hoa", "A1006", cast.tree.office_cell, "F")
    assert hoa.history.latest().history_change_reason == "Đối chiếu danh sách 7-HSĐV ngày 31/03/2026"
    register.binh.refresh_from_db()
    assert register.binh.given_name == "Bính"
    latest = register.binh.history.latest()
    assert latest.history_change_reason == "Đối chiếu danh sách 7-HSĐV ngày 31/03/2026"
    stored.refresh_from_db()
    assert stored.applied_count == 2 and stored.applied_at is not None
    assert set(stored.differences.filter(applied=True).values_list("pk", flat=True)) == {add.pk, name.pk}
    # Applied once: not again.
    with pytest.raises(ValidationError):
        store.reconciliation_apply(reconciliation=stored, difference_ids=[name.pk], user=cast.base)


def test_applying_is_all_or_nothing(cast, stored, register):
    add = diff(stored, kind=DifferenceKind.LIST_ONLY)
    birth = diff(stored, field="birth_date")
    member_update(member=register.an, birth_date=dt.date(1980, 5, 3))  # changed since the reconciliation
    with pytest.raises(ValidationError) as caught:
        store.reconciliation_apply(reconciliation=stored, difference_ids=[add.pk, birth.pk], user=cast.base)
    assert "Nguyễn Văn An" in caught.value.messages[0] and "đối chiếu lại" in caught.value.messages[0]
    assert not Member.objects.filter(national_id="024192000006").exists()
    assert not stored.differences.filter(applied=True).exists()


def test_a_difference_that_is_never_applied_automatically_is_refused(cast, settings, tmp_path, register):
    settings.MEDIA_ROOT = tmp_path
    rows = rows_agreeing(register)[:4]  # Em missing from the list
    rec = store.reconciliation_create(
        upload=SimpleUploadedFile("ds.xlsx", list_file(rows)), user=cast.base, organization=cast.tree.finance, on=ON
    )
    store.reconciliation_start(rec)
    missing = rec.differences.get(kind=DifferenceKind.REGISTER_ONLY)
    with pytest.raises(ValidationError) as caught:
        store.reconciliation_apply(reconciliation=rec, difference_ids=[missing.pk], user=cast.base)
    assert "không áp dụng tự động được" in caught.value.messages[0]
    register.em.refresh_from_db()
    assert register.em.status == "full"


@pytest.mark.parametrize(
    ("role", "allowed"), [("admin", True), ("upper", True), ("base", True), ("cell", False), ("outsider", False)]
)
def test_only_a_register_keeper_of_the_organization_may_reconcile_it(cast, settings, tmp_path, register, role, allowed):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("ds.xlsx", list_file(rows_agreeing(register)))
    user = getattr(cast, role)
    if allowed:
        assert store.reconciliation_create(upload=upload, user=user, organization=cast.tree.finance, on=ON).pk
    else:
        with pytest.raises(ValidationError):
            store.reconciliation_create(upload=upload, user=user, organization=cast.tree.finance, on=ON)


def _office_members(p) -> list[tuple[Any, ...]]:
    """The office cell's four on the date, as ``import_files.TWO_ROW_MEMBERS`` lists members."""
    admitted, full = dt.datetime(2010, 3, 15), dt.datetime(2011, 3, 15)
    return [
        ("Nguyễn", "Văn", "An", "Nam", dt.datetime(1980, 5, 1), admitted, full, "A1001"),
        ("Trần", "Thị", "Bình", "Nữ", dt.datetime(1982, 6, 2), admitted, full, "A1002"),
        ("Lê", "Văn", "Cường", "Nam", dt.datetime(1979, 7, 3), admitted, full, None),
        ("Phạm", "Văn", "Dũng", "Nam", dt.datetime(1985, 8, 4), admitted, full, "A1004"),
    ]


def test_a_list_whose_birth_dates_sit_under_nam_and_nu_is_read_like_an_import(cast, register):
    """The 7-HSĐV form's «Ngày sinh» over «Nam | Nữ», on a header of two rows (import_files)."""
    from members.tests.import_files import birth_date_by_sex_file

    rows = []
    for n, (family, middle, given, sex, born, admitted, full, card) in enumerate(_office_members(register), start=1):
        births = (born, None) if sex == "Nam" else (None, born)
        rows.append([n, f"{family} {middle} {given}", *births, "Bắc Ninh", admitted, full, card, "Chi bộ Văn phòng"])
    out = run(cast.base, cast.tree.office_cell, birth_date_by_sex_file(rows))
    assert out.differences == []
    assert (out.row_count, out.matched_count) == (4, 4)


def test_a_list_with_the_family_and_middle_names_in_one_column_is_read_like_an_import(cast, register):
    """«Họ và tên» over «Họ và tên đệm | Tên»: matched by name and birth date (no CCCD or card)."""
    from members.tests.import_files import name_parts_file

    out = run(cast.base, cast.tree.office_cell, name_parts_file(parts=2, members=_office_members(register)))
    assert out.differences == []
    assert (out.row_count, out.matched_count) == (4, 4)
