"""The reconciliation's column-mapping step: the import's card on the result page, the mapping
stored on the reconciliation and remembered, the list compared again with it; who may change it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lib.importer import header_signature
from members import services_reconcile as rc
from members.importing import remembered_mapping
from members.models import DifferenceKind, ImportColumnMapping, Reconciliation, ReconciliationStatus
from members.tests.test_reconciliation import HEADERS, build_register, list_file, rows_agreeing

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The admission and cell columns under names the import does not know, and the date of birth
# (a column the reconciliation requires) too.
RENAMED = {"Ngày vào Đảng": "Kết nạp ngày", "Mã chi bộ": "Đơn vị sinh hoạt", "Ngày sinh": "Sinh ngày, tháng, năm"}
WANTED = {"Kết nạp ngày": "admitted_on", "Đơn vị sinh hoạt": "organization", "Sinh ngày, tháng, năm": "birth_date"}


pytestmark = pytest.mark.usefixtures("immediate_tasks")  # members/tests/conftest.py


@pytest.fixture
def register(cast):
    return build_register(cast.tree)


def _renamed_list(register: Any, renamed: dict[str, str] = RENAMED) -> bytes:
    """The register's list with An's admission a day later and Em in the office cell, under renamed headers."""
    rows = rows_agreeing(register)
    rows[0]["Ngày vào Đảng"] = dt.date(2010, 3, 16)
    rows[4]["Mã chi bộ"] = "cb-van-phong"
    headers = [renamed.get(h, h) for h in HEADERS]
    return list_file([{renamed.get(k, k): v for k, v in row.items()} for row in rows], headers)


def _upload(client, user, data: bytes) -> Reconciliation:
    client.force_login(user)
    upload = SimpleUploadedFile("ds-doi-ten-cot.xlsx", data, content_type=XLSX)
    response = client.post(
        reverse("members:member_reconcile"), {"file": upload, "organization": "so-tai-chinh", "on": "31/03/2026"}
    )
    assert response.status_code == 302
    return Reconciliation.objects.latest("id")


def _mapping_post(rec: Reconciliation, wanted: dict[str, str]) -> dict[str, str]:
    """What the card posts: a select per file column, its field changed where ``wanted`` says."""
    return {f"map-{i}": wanted.get(h["name"], h["key"]) for i, h in enumerate(rec.headers)}


def _differences(rec: Reconciliation) -> set[tuple[str, str, str, str, str]]:
    return {(d.kind, d.name, d.field, d.list_value, d.register_value) for d in rec.differences.all()}


EXPECTED = {
    (DifferenceKind.FIELD, "Nguyễn Văn An", "admitted_on", "16/03/2010", "15/03/2010"),
    (
        DifferenceKind.FIELD,
        "Đỗ Thị Em",
        "organization",
        "Chi bộ Văn phòng (cb-van-phong)",
        "Chi bộ Ngân sách (cb-ngan-sach)",
    ),
}


def _page(client, rec: Reconciliation) -> str:
    return client.get(reverse("members:reconciliation_detail", args=[rec.pk])).content.decode()


def test_a_list_with_renamed_headers_fails_is_mapped_on_the_page_and_reconciles(client, cast, register):
    rec = _upload(client, cast.base, _renamed_list(register))
    assert rec.status == ReconciliationStatus.INVALID
    assert rec.errors == ["Thiếu cột bắt buộc: Ngày sinh."]
    page = _page(client, rec)
    # The message names the missing column, and the card (open) shows every column of the list.
    assert "Thiếu cột bắt buộc: Ngày sinh." in page and 'data-testid="mapping-hint"' in page
    assert '<details class="card mb-3" data-testid="mapping" open>' in page
    assert reverse("members:reconciliation_map_columns", args=[rec.pk]) in page
    assert page.count('data-testid="map-select"') == len(HEADERS)
    by_name = {h["name"]: h["key"] for h in rec.headers}
    assert by_name["Kết nạp ngày"] == by_name["Đơn vị sinh hoạt"] == by_name["Sinh ngày, tháng, năm"] == ""
    assert by_name["Số CCCD"] == "national_id"

    response = client.post(reverse("members:reconciliation_map_columns", args=[rec.pk]), _mapping_post(rec, WANTED))
    assert response.status_code == 302 and response["Location"] == reverse("members:reconciliation_detail", args=[rec.pk])
    rec.refresh_from_db()
    assert rec.status == ReconciliationStatus.DONE, rec.errors
    assert rec.decisions == {"mapping": WANTED}
    assert rec.row_count == 5 and rec.matched_count == 5
    assert _differences(rec) == EXPECTED
    page = _page(client, rec)
    assert "Đã lưu cách ghép cột và đối chiếu lại" in page
    assert page.count("bạn đã chọn") == 3 and 'data-testid="count-field">2<' in page


def test_the_mapping_is_remembered_and_a_second_list_with_the_same_headers_is_mapped_without_asking(client, cast, register):
    first = _upload(client, cast.base, _renamed_list(register))
    client.post(reverse("members:reconciliation_map_columns", args=[first.pk]), _mapping_post(first, WANTED))
    names = [h["name"] for h in first.headers]
    remembered = ImportColumnMapping.objects.get(user=cast.base)
    assert remembered.signature == header_signature(names) and remembered.mapping == WANTED
    assert remembered_mapping(cast.base, names) == WANTED  # what the import page reads too

    second = _upload(client, cast.base, _renamed_list(register))
    assert second.pk != first.pk and second.status == ReconciliationStatus.DONE, second.errors
    assert second.decisions == {} and _differences(second) == EXPECTED
    assert "Các cột được ghép theo cách bạn đã chọn lần trước cho tệp có cùng dòng tiêu đề." in second.warnings
    assert sum(h["mapped"] for h in second.headers) == 3

    # Another user's list with the same headers is not mapped by this user's choice.
    other = _upload(client, cast.upper, _renamed_list(register))
    assert other.status == ReconciliationStatus.INVALID


def test_a_list_whose_unmatched_columns_are_optional_is_compared_with_the_card_open(client, cast, register):
    """Without the admission and cell columns the list is compared all the same, and the card
    says which columns went unused; mapping them finds the differences they hold."""
    renamed = {k: v for k, v in RENAMED.items() if k != "Ngày sinh"}
    rec = _upload(client, cast.base, _renamed_list(register, renamed))
    assert rec.status == ReconciliationStatus.DONE and _differences(rec) == set()
    page = _page(client, rec)
    assert '<details class="card mb-3" data-testid="mapping" open>' in page
    assert "Bỏ qua các cột không dùng: «Kết nạp ngày», «Đơn vị sinh hoạt»." in page
    client.post(reverse("members:reconciliation_map_columns", args=[rec.pk]), _mapping_post(rec, WANTED))
    rec.refresh_from_db()
    assert rec.status == ReconciliationStatus.DONE and _differences(rec) == EXPECTED


def test_a_list_whose_columns_all_match_shows_the_card_closed(client, cast, register):
    rec = _upload(client, cast.base, list_file(rows_agreeing(register)))
    assert rec.status == ReconciliationStatus.DONE
    page = _page(client, rec)
    assert '<details class="card mb-3" data-testid="mapping">' in page


@pytest.mark.parametrize("role", ["admin", "upper", "cell", "outsider"])
def test_another_user_cannot_change_the_mapping(client, cast, register, role):
    rec = _upload(client, cast.base, _renamed_list(register))
    client.force_login(getattr(cast, role))
    response = client.post(reverse("members:reconciliation_map_columns", args=[rec.pk]), _mapping_post(rec, WANTED))
    assert response.status_code == 404
    rec.refresh_from_db()
    assert rec.status == ReconciliationStatus.INVALID and rec.decisions == {}
    assert not ImportColumnMapping.objects.exists()
    with pytest.raises(PermissionDenied):
        rc.reconciliation_map_columns(reconciliation=rec, mapping=WANTED, user=getattr(cast, role))


def test_a_field_that_does_not_exist_is_refused_and_changes_nothing(client, cast, register):
    rec = _upload(client, cast.base, _renamed_list(register))
    data = _mapping_post(rec, {**WANTED, "Kết nạp ngày": "no_such_field"})
    response = client.post(reverse("members:reconciliation_map_columns", args=[rec.pk]), data, follow=True)
    assert "Trường «no_such_field» không có trong danh sách để ghép." in response.content.decode()
    rec.refresh_from_db()
    assert rec.status == ReconciliationStatus.INVALID and rec.decisions == {}
    assert not ImportColumnMapping.objects.exists()
    # The service refuses it too, and a header the list does not have.
    for mapping in ({"Kết nạp ngày": "no_such_field"}, {"Cột lạ": "admitted_on"}):
        with pytest.raises(ValidationError):
            rc.reconciliation_map_columns(reconciliation=rec, mapping=mapping, user=cast.base)
    rec.refresh_from_db()
    assert rec.status == ReconciliationStatus.INVALID and rec.decisions == {}


def test_a_running_reconciliation_cannot_be_remapped(client, cast, register):
    rec = _upload(client, cast.base, _renamed_list(register))
    Reconciliation.objects.filter(pk=rec.pk).update(status=ReconciliationStatus.RUNNING)
    rec.refresh_from_db()
    with pytest.raises(ValidationError):
        rc.reconciliation_map_columns(reconciliation=rec, mapping=WANTED, user=cast.base)
    assert Reconciliation.objects.get(pk=rec.pk).decisions == {}


def test_a_large_list_is_compared_again_by_the_background_task(client, cast, register, settings):
    settings.MEMBER_IMPORT_SYNC_MAX_ROWS = 1
    rec = _upload(client, cast.base, _renamed_list(register))
    assert rec.background and rec.status == ReconciliationStatus.INVALID
    first_task = rec.task_id
    client.post(reverse("members:reconciliation_map_columns", args=[rec.pk]), _mapping_post(rec, WANTED))
    rec.refresh_from_db()
    assert rec.task_id and rec.task_id != first_task  # enqueued again (the immediate backend ran it)
    assert rec.status == ReconciliationStatus.DONE and _differences(rec) == EXPECTED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_the_missing_column_is_mapped_on_the_result_page(live_server, cast, settings, tmp_path):
    from playwright.sync_api import expect

    from tests.browser.chromium import ARTIFACTS, log_in, vietnamese_page

    settings.MEDIA_ROOT = tmp_path
    data = _renamed_list(build_register(cast.tree))
    with vietnamese_page() as page:
        log_in(page, live_server.url, cast.base, cast.password)
        page.goto(live_server.url + reverse("members:member_reconcile"))
        page.set_input_files(
            "#id_file", files=[{"name": "danh-sach-quy-1.xlsx", "mimeType": "application/octet-stream", "buffer": data}]
        )
        page.select_option("#id_organization", "so-tai-chinh")
        page.fill("#id_on", "31/03/2026")
        page.press("#id_on", "Tab")
        expect(page.locator(".flatpickr-calendar.open")).to_have_count(0)
        page.get_by_test_id("reconcile-button").click()

        expect(page.get_by_test_id("error-list")).to_contain_text("Thiếu cột bắt buộc: Ngày sinh.")
        mapping = page.get_by_test_id("mapping")
        for header, key in WANTED.items():
            mapping.locator(f'tr[data-header="{header}"]').get_by_test_id("map-select").select_option(key)
        page.screenshot(path=str(ARTIFACTS / "member_reconcile_mapping.png"), full_page=True)
        page.get_by_test_id("save-mapping").click()

        expect(page.get_by_role("alert").first).to_contain_text("Đã lưu cách ghép cột và đối chiếu lại")
        expect(page.get_by_test_id("count-field")).to_have_text("2")
        expect(page.get_by_test_id("kind-field")).to_contain_text("Đỗ Thị Em")
        page.screenshot(path=str(ARTIFACTS / "member_reconcile_mapped.png"), full_page=True)
