"""The reconciliation pages: upload, result, export, apply; who may use them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from members.models import DifferenceKind, Member, Reconciliation, ReconciliationStatus
from members.services import member_update
from members.tests.test_reconciliation import ON, build_register, line, list_file, rows_agreeing

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


pytestmark = pytest.mark.usefixtures("immediate_tasks")  # members/tests/conftest.py


@pytest.fixture
def register(cast):
    return build_register(cast.tree)


def _rows(register):
    rows = rows_agreeing(register)
    rows[1]["Họ và tên"] = "Trần Thị Bính"
    rows[0]["Ngày sinh"] = dt.date(1980, 5, 2)
    del rows[4]
    rows.append(line("Hoàng Thị Hoa", dt.date(1992, 1, 1), "024192000006", "A1006", sex="Nữ"))
    return rows


def _post(client, user, org_code: str, data: bytes, on: str = "31/03/2026"):
    client.force_login(user)
    upload = SimpleUploadedFile("ds-quy-1.xlsx", data, content_type=XLSX)
    return client.post(reverse("members:member_reconcile"), {"file": upload, "organization": org_code, "on": on})


@pytest.fixture
def done(client, cast, register):
    response = _post(client, cast.base, "so-tai-chinh", list_file(_rows(register)))
    rec = Reconciliation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("members:reconciliation_detail", args=[rec.pk])
    return rec


def test_the_members_pages_link_to_the_reconciliation_for_a_register_keeper_only(client, cast):
    client.force_login(cast.base)
    assert reverse("members:member_reconcile") in client.get(reverse("members:member_list")).content.decode()
    client.force_login(cast.viewer)
    assert reverse("members:member_reconcile") not in client.get(reverse("members:member_list")).content.decode()


@pytest.mark.parametrize("role", ["viewer", "member"])
def test_a_read_only_user_may_not_reconcile(client, cast, register, role):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("members:member_reconcile")).status_code == 403
    assert _post(client, getattr(cast, role), "cb-van-phong", list_file(rows_agreeing(register))).status_code == 403
    assert not Reconciliation.objects.exists()


def test_a_cell_secretary_may_not_pick_the_base_committee(client, cast, register):
    response = _post(client, cast.cell, "so-tai-chinh", list_file(rows_agreeing(register)))
    assert response.status_code == 200 and not Reconciliation.objects.exists()
    assert "organization" in response.context["form"].errors


def test_a_date_after_today_is_refused(client, cast, register):
    response = _post(client, cast.base, "so-tai-chinh", list_file(rows_agreeing(register)), on="01/01/2099")
    assert response.status_code == 200 and "không được sau ngày hôm nay" in response.content.decode()
    assert not Reconciliation.objects.exists()


def test_the_result_page_groups_the_differences_by_kind_with_counts(client, cast, done):
    assert done.status == ReconciliationStatus.DONE
    page = client.get(reverse("members:reconciliation_detail", args=[done.pk])).content.decode()
    assert "Danh sách có 5 dòng; hồ sơ có 5 đảng viên tại ngày đối chiếu; 4 đảng viên khớp giữa hai bên." in page
    assert 'data-testid="count-field">2<' in page
    assert 'data-testid="count-list_only">1<' in page and 'data-testid="count-register_only">1<' in page
    assert "Trần Thị Bính" in page and "Hoàng Thị Hoa" in page and "Đỗ Thị Em" in page
    assert page.count('name="difference"') == 3  # add Hoa, fix Bình's name, fix An's birth date; Em is never automatic
    # A reload shows the same stored result.
    assert client.get(reverse("members:reconciliation_detail", args=[done.pk])).content.decode().count('name="difference"') == 3


@pytest.mark.parametrize("role", ["admin", "upper", "cell", "outsider"])
def test_someone_elses_reconciliation_is_not_found(client, cast, done, role):
    client.force_login(getattr(cast, role))
    for name in ("reconciliation_detail", "reconciliation_progress", "reconciliation_export"):
        assert client.get(reverse(f"members:{name}", args=[done.pk])).status_code == 404
    assert client.post(reverse("members:reconciliation_apply", args=[done.pk]), {"difference": []}).status_code == 404


def test_the_export_is_an_xlsx_of_every_difference(client, cast, done):
    response = client.get(reverse("members:reconciliation_export", args=[done.pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = [r for r in book.worksheets[0].iter_rows(values_only=True) if any(v is not None for v in r)]
    assert len(rows) == 2 + 4  # the title, the header, four differences
    assert {r[2] for r in rows[2:]} == {"Trần Thị Bình", "Nguyễn Văn An", "Hoàng Thị Hoa", "Đỗ Thị Em"}


def test_applying_one_correction_writes_it_with_history(client, cast, done, register):
    name = done.differences.get(field="name")
    response = client.post(reverse("members:reconciliation_apply", args=[done.pk]), {"difference": [name.pk]})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Đã áp dụng 1 sửa đổi" in page
    register.binh.refresh_from_db()
    assert register.binh.given_name == "Bính"
    latest = register.binh.history.latest()
    assert latest.history_change_reason == "Đối chiếu danh sách 7-HSĐV ngày 31/03/2026"
    assert latest.history_user == cast.base
    assert page.count('name="difference"') == 2


def test_applying_writes_nothing_when_one_correction_fails(client, cast, done, register):
    add = done.differences.get(kind=DifferenceKind.LIST_ONLY)
    birth = done.differences.get(field="birth_date")
    member_update(member=register.an, birth_date=dt.date(1980, 5, 3))
    response = client.post(reverse("members:reconciliation_apply", args=[done.pk]), {"difference": [add.pk, birth.pk]})
    page = client.get(response["Location"]).content.decode()
    assert "Không áp dụng sửa đổi nào" in page and "đối chiếu lại" in page
    assert not Member.objects.filter(national_id="024192000006").exists()


def test_apply_refuses_a_get(client, cast, done):
    assert client.get(reverse("members:reconciliation_apply", args=[done.pk])).status_code == 405


def test_a_large_list_is_compared_by_a_background_task(client, cast, register, settings):
    settings.MEMBER_IMPORT_SYNC_MAX_ROWS = 1
    _post(client, cast.base, "so-tai-chinh", list_file(_rows(register)))
    rec = Reconciliation.objects.get()
    assert rec.background and rec.task_id
    assert rec.status == ReconciliationStatus.DONE  # the immediate backend ran it
    assert rec.counts["field"] == 2


def test_a_file_that_cannot_be_read_says_why(client, cast, register):
    _post(client, cast.base, "so-tai-chinh", b"not a spreadsheet")
    rec = Reconciliation.objects.get()
    assert rec.status == ReconciliationStatus.INVALID and rec.errors
    page = client.get(reverse("members:reconciliation_detail", args=[rec.pk])).content.decode()
    assert 'data-testid="errors"' in page


def test_the_reconciliation_date_is_the_one_chosen(done):
    assert done.on == ON


def test_a_reconciliation_whose_runner_died_is_marked_failed_when_read(client, cast, done, settings):
    settings.MEMBER_IMPORT_STALE_SECONDS = 0
    Reconciliation.objects.filter(pk=done.pk).update(status=ReconciliationStatus.RUNNING, task_id="")
    page = client.get(reverse("members:reconciliation_detail", args=[done.pk])).content.decode()
    done.refresh_from_db()
    assert done.status == ReconciliationStatus.FAILED
    assert "bị dừng giữa chừng" in page
