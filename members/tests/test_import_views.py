"""The import pages: upload, preview, confirm, result; progress of a background job."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from members.columns import EXPORT_COLUMNS
from members.models import ImportJob, ImportJobStatus, Member
from members.tests.import_files import person, xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


pytestmark = pytest.mark.usefixtures("immediate_tasks")  # members/tests/conftest.py


def _upload(client, user, data: bytes, name: str = "ds.xlsx"):
    client.force_login(user)
    return client.post(reverse("members:member_import"), {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


def test_it_shows_the_upload_page_with_the_template_link(client, cast):
    client.force_login(cast.base)
    response = client.get(reverse("members:member_import"))
    assert response.status_code == 200
    assert reverse("members:member_import_template") in response.content.decode()


@pytest.mark.parametrize("role", ["viewer", "member"])
def test_it_refuses_the_import_to_a_read_only_user(client, cast, role):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("members:member_import")).status_code == 403
    assert _upload(client, getattr(cast, role), xlsx([person(1)])).status_code == 403
    assert not ImportJob.objects.exists()


def test_it_checks_a_small_file_at_once_then_writes_it_on_confirm(client, cast):
    response = _upload(client, cast.base, xlsx([person(1), person(2, cell="cb-ngan-sach")]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("members:importjob_detail", args=[job.pk])
    assert job.status == ImportJobStatus.PARSED and not job.background
    assert (job.row_count, job.new_count, job.update_count) == (2, 2, 0)
    page = client.get(response["Location"]).content.decode()
    assert "2 đảng viên mới" in page and "Trần Thị Hoab" in page
    assert not Member.objects.exists()

    response = client.post(reverse("members:importjob_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE and job.new_count == 2
    member = Member.objects.get(card_number="T000001")
    assert member.history.get().history_change_reason == "Nhập từ tệp «ds.xlsx»"
    assert "2 đảng viên mới" in client.get(response["Location"]).content.decode()


def test_it_lists_every_error_and_offers_no_confirm(client, cast):
    _upload(client, cast.base, xlsx([person(1, **{"Ngày sinh": "30/02/1980"}), person(2, cell="bao-bg")]))
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.INVALID and job.error_count == 2
    page = client.get(reverse("members:importjob_detail", args=[job.pk])).content.decode()
    assert "Dòng 2, cột Ngày sinh: ngày không hợp lệ «30/02/1980» (dạng dd/mm/yyyy)" in page
    assert "Dòng 3, cột Mã chi bộ: không tìm thấy «bao-bg» (hoặc nằm ngoài phạm vi bạn quản lý)" in page
    assert 'data-testid="confirm"' not in page
    client.post(reverse("members:importjob_confirm", args=[job.pk]))
    assert not Member.objects.exists()


def test_it_refuses_a_get_on_confirm(client, cast):
    _upload(client, cast.base, xlsx([person(1)]))
    job = ImportJob.objects.get()
    assert client.get(reverse("members:importjob_confirm", args=[job.pk])).status_code == 405


def test_it_hides_a_job_from_everyone_but_its_owner(client, cast):
    _upload(client, cast.base, xlsx([person(1)]))
    job = ImportJob.objects.get()
    client.force_login(cast.outsider)
    assert client.get(reverse("members:importjob_detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("members:importjob_confirm", args=[job.pk])).status_code == 404
    assert not Member.objects.exists()


def test_it_refuses_confirm_to_a_user_who_no_longer_keeps_the_register(client, cast):
    _upload(client, cast.base, xlsx([person(1)]))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(created_by=cast.viewer)
    client.force_login(cast.viewer)
    assert client.post(reverse("members:importjob_confirm", args=[job.pk])).status_code == 403
    assert not Member.objects.exists()


def test_it_runs_a_large_file_as_a_background_task_with_progress(client, cast, settings):
    settings.MEMBER_IMPORT_SYNC_MAX_ROWS = 2
    _upload(client, cast.base, xlsx([person(n) for n in range(1, 6)]))
    job = ImportJob.objects.get()
    assert job.background  # the immediate backend ran the task during the request
    assert job.status == ImportJobStatus.PARSED and job.row_count == 5
    progress = client.get(reverse("members:importjob_progress", args=[job.pk]))
    assert progress["HX-Refresh"] == "true" and 'aria-valuenow="100"' in progress.content.decode()

    client.post(reverse("members:importjob_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE and Member.objects.count() == 5


def test_the_progress_fragment_polls_while_the_job_runs(client, cast):
    _upload(client, cast.base, xlsx([person(1)]))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.PARSING, processed=30, total=120)
    response = client.get(reverse("members:importjob_progress", args=[job.pk]))
    html = response.content.decode()
    assert "HX-Refresh" not in response
    assert 'hx-trigger="every 1s"' in html and 'aria-valuenow="25"' in html


def test_the_template_has_the_columns_an_example_and_instructions(client, cast):
    client.force_login(cast.base)
    response = client.get(reverse("members:member_import_template"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Danh sách", "Hướng dẫn"]
    header = next(book["Danh sách"].iter_rows(values_only=True))
    assert list(header) == [c.label for c in EXPORT_COLUMNS]
    guide = "\n".join(str(v) for row in book["Hướng dẫn"].iter_rows(values_only=True) for v in row if v)
    assert "Mã chi bộ" in guide and "dd/mm/yyyy" in guide and "Họ và tên" in guide
