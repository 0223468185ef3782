"""An import whose runner dies: the job ends in a true state, says what happened and runs again.

A runner is "killed" here by an exception that no handler of the import catches
(``Killed`` is a ``BaseException``, like the interpreter's own exit), so nothing after
the point of death runs, as when the process is killed.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from members import tasks
from members.models import ImportJob, ImportJobStatus, Member
from members.tests.import_files import person, xlsx

S = ImportJobStatus
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INTERRUPTED = "Tiến trình nhập bị dừng giữa chừng; không dòng nào được ghi. Hãy chạy lại."


class Killed(BaseException):
    """The process dies here."""


pytestmark = pytest.mark.usefixtures("immediate_tasks")  # members/tests/conftest.py


def _parsed_job(client, user, rows: int = 3) -> ImportJob:
    """A small file uploaded and checked (in the request), waiting for its confirmation."""
    client.force_login(user)
    data = xlsx([person(n) for n in range(1, rows + 1)])
    client.post(reverse("members:member_import"), {"file": SimpleUploadedFile("ds.xlsx", data, content_type=XLSX)})
    job = ImportJob.objects.get()
    assert job.status == S.PARSED
    return job


def _killed_while_writing(job: ImportJob, monkeypatch, *, where: str) -> None:
    """Run the write in this process and kill it at ``where``; restore the code after."""
    if where == "after the rows":
        real = tasks.members_import

        def write_then_die(**kwargs):
            real(**kwargs)
            raise Killed

        monkeypatch.setattr(tasks, "members_import", write_then_die)
    else:  # after the job row says done, before the commit
        real_save = ImportJob.save

        def save_then_die(self, *args, **kwargs):
            real_save(self, *args, **kwargs)
            if self.status == S.DONE:
                raise Killed

        monkeypatch.setattr(ImportJob, "save", save_then_die)
    ImportJob.objects.filter(pk=job.pk).update(status=S.WRITING)
    with pytest.raises(Killed):
        tasks.job_write(ImportJob.objects.get(pk=job.pk))
    monkeypatch.undo()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", ["after the rows", "after the job says done"])
def test_a_write_killed_before_its_commit_leaves_neither_rows_nor_done(lists_loaded, client, cast, monkeypatch, where):
    job = _parsed_job(client, cast.base)
    _killed_while_writing(job, monkeypatch, where=where)
    job.refresh_from_db()
    assert Member.objects.count() == 0
    assert job.status == S.WRITING  # what the dead runner left: not done, and not a single row


@pytest.mark.django_db(transaction=True)
def test_a_write_that_commits_has_its_rows_and_says_done_in_the_same_commit(lists_loaded, client, cast):
    job = _parsed_job(client, cast.base)
    ImportJob.objects.filter(pk=job.pk).update(status=S.WRITING)
    tasks.job_write(ImportJob.objects.get(pk=job.pk))
    job.refresh_from_db()
    assert (job.status, job.new_count, Member.objects.count()) == (S.DONE, 3, 3)


def test_a_job_left_writing_by_a_dead_worker_shows_failed_and_runs_again(client, cast, monkeypatch):
    job = _parsed_job(client, cast.base)
    _killed_while_writing(job, monkeypatch, where="after the rows")
    later = timezone.now() + tasks.stale_after() + dt.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        page = client.get(reverse("members:importjob_detail", args=[job.pk]))
    html = page.content.decode()
    assert INTERRUPTED in html and 'data-testid="rerun"' in html
    assert "Đang ghi" not in html and 'hx-trigger="every' not in html
    job.refresh_from_db()
    assert (job.status, job.failed_during) == (S.FAILED, S.WRITING)

    response = client.post(reverse("members:importjob_rerun", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.new_count, Member.objects.count()) == (S.DONE, 3, 3)
    assert job.errors == [] and job.failed_during == ""


def test_a_check_left_running_by_a_dead_request_runs_the_check_again(client, cast):
    job = _parsed_job(client, cast.base)
    old = timezone.now() - tasks.stale_after() - dt.timedelta(seconds=5)
    ImportJob.objects.filter(pk=job.pk).update(status=S.PARSING, heartbeat_at=old, created_at=old)
    progress = client.get(reverse("members:importjob_progress", args=[job.pk]))
    assert progress["HX-Refresh"] == "true"
    job.refresh_from_db()
    assert (job.status, job.failed_during, job.errors) == (S.FAILED, S.PARSING, [INTERRUPTED])

    client.post(reverse("members:importjob_rerun", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == S.PARSED and job.row_count == 3
    assert not Member.objects.exists()  # a check writes nothing: the preview waits for "Ghi"


def test_a_job_that_reported_recently_is_still_running(client, cast):
    job = _parsed_job(client, cast.base)
    ImportJob.objects.filter(pk=job.pk).update(status=S.WRITING, heartbeat_at=timezone.now())
    progress = client.get(reverse("members:importjob_progress", args=[job.pk]))
    assert "HX-Refresh" not in progress and 'hx-trigger="every 1s"' in progress.content.decode()
    assert ImportJob.objects.get(pk=job.pk).status == S.WRITING


def test_the_progress_file_of_the_write_counts_as_a_sign_of_life(client, cast):
    """Inside the write's transaction the job row cannot be updated: the file beside the upload is."""
    job = _parsed_job(client, cast.base)
    old = timezone.now() - tasks.stale_after() - dt.timedelta(seconds=5)
    ImportJob.objects.filter(pk=job.pk).update(status=S.WRITING, heartbeat_at=old, created_at=old)
    progress_file = tasks._progress_file(job)
    progress_file.write_text("3 6")
    client.get(reverse("members:importjob_progress", args=[job.pk]))
    assert ImportJob.objects.get(pk=job.pk).status == S.WRITING

    stale = old.timestamp()
    os.utime(progress_file, (stale, stale))
    client.get(reverse("members:importjob_progress", args=[job.pk]))
    assert ImportJob.objects.get(pk=job.pk).status == S.FAILED


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _background_job(job: ImportJob, *, task_status: str | None, heartbeat: dt.datetime) -> ImportJob:
    from django_tasks_db.models import DBTaskResult

    result = tasks.import_write_task.enqueue(job.pk)
    if task_status is None:
        DBTaskResult.objects.filter(id=result.id).delete()
    else:
        DBTaskResult.objects.filter(id=result.id).update(status=task_status)
    ImportJob.objects.filter(pk=job.pk).update(
        status=S.WRITING, background=True, task_id=str(result.id), heartbeat_at=heartbeat, created_at=heartbeat
    )
    return ImportJob.objects.get(pk=job.pk)


@pytest.mark.parametrize(
    ("task_status", "reported_secs_ago", "gone"),
    [
        (None, 0, True),  # the task's record is gone
        ("FAILED", 0, True),  # the worker recorded that the task died
        ("SUCCESSFUL", 0, True),  # the task ended but left the job "writing"
        ("RUNNING", 0, False),
        ("RUNNING", 3600, True),  # the worker was killed: the task stays "running" forever
        ("READY", 3600, False),  # waiting for a worker (busy with another file): nothing is lost
    ],
)
def test_a_background_job_is_dead_when_its_task_is(client, cast, db_tasks, task_status, reported_secs_ago, gone):
    job = _parsed_job(client, cast.base)
    heartbeat = timezone.now() - dt.timedelta(seconds=reported_secs_ago)
    job = _background_job(job, task_status=task_status, heartbeat=heartbeat)
    assert tasks.runner_is_gone(job) is gone
    client.get(reverse("members:importjob_detail", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == (S.FAILED if gone else S.WRITING)


def test_a_runner_that_finishes_meanwhile_wins_over_the_interrupted_mark(client, cast):
    job = _parsed_job(client, cast.base)
    old = timezone.now() - tasks.stale_after() - dt.timedelta(seconds=5)
    ImportJob.objects.filter(pk=job.pk).update(status=S.WRITING, heartbeat_at=old, created_at=old)
    seen = ImportJob.objects.get(pk=job.pk)  # read while writing ...
    ImportJob.objects.filter(pk=job.pk).update(status=S.DONE)  # ... then the runner commits
    assert tasks.job_detect_interrupted(seen).status == S.DONE


def test_rerun_is_refused_for_a_job_that_did_not_fail(client, cast):
    job = _parsed_job(client, cast.base)
    response = client.post(reverse("members:importjob_rerun", args=[job.pk]), follow=True)
    assert "Chỉ chạy lại được lượt nhập đã dừng vì lỗi." in response.content.decode()
    assert ImportJob.objects.get(pk=job.pk).status == S.PARSED


def test_rerun_is_post_only_and_the_owners_alone(client, cast):
    job = _parsed_job(client, cast.base)
    ImportJob.objects.filter(pk=job.pk).update(status=S.FAILED, failed_during=S.WRITING)
    url = reverse("members:importjob_rerun", args=[job.pk])
    assert client.get(url).status_code == 405
    client.force_login(cast.outsider)
    assert client.post(url).status_code == 404
    ImportJob.objects.filter(pk=job.pk).update(created_by=cast.viewer)
    client.force_login(cast.viewer)
    assert client.post(url).status_code == 403
    assert ImportJob.objects.get(pk=job.pk).status == S.FAILED and not Member.objects.exists()


def test_rerun_says_so_when_the_uploaded_file_is_gone(client, cast):
    job = _parsed_job(client, cast.base)
    ImportJob.objects.filter(pk=job.pk).update(status=S.FAILED, failed_during=S.WRITING)
    job.file.storage.delete(job.file.name)
    response = client.post(reverse("members:importjob_rerun", args=[job.pk]), follow=True)
    assert "Tệp đã tải lên không còn trên máy chủ; hãy tải tệp lên lại." in response.content.decode()
    assert ImportJob.objects.get(pk=job.pk).status == S.FAILED


@pytest.mark.parametrize("status", [S.QUEUED, S.PARSING, S.WRITING])
def test_the_progress_fragment_polls_again_in_every_running_state(client, cast, status):
    job = _parsed_job(client, cast.base)
    ImportJob.objects.filter(pk=job.pk).update(status=status, heartbeat_at=timezone.now())
    response = client.get(reverse("members:importjob_progress", args=[job.pk]))
    html = response.content.decode()
    assert "HX-Refresh" not in response
    assert 'hx-trigger="every 1s"' in html and "data-poll-retry" in html  # retried after a failed poll
    assert """hx-request='{"timeout": 10000}'""" in html  # a poll that never answers is given up
    detail = client.get(reverse("members:importjob_detail", args=[job.pk])).content.decode()
    assert "js/import_progress.js" in detail


@pytest.mark.parametrize("status", [S.PARSED, S.INVALID, S.DONE, S.FAILED])
def test_the_progress_fragment_stops_polling_and_reloads_the_page_in_a_final_state(client, cast, status):
    job = _parsed_job(client, cast.base)
    ImportJob.objects.filter(pk=job.pk).update(status=status)
    response = client.get(reverse("members:importjob_progress", args=[job.pk]))
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in response.content.decode()


def test_the_progress_file_is_replaced_in_one_step_so_a_poll_never_reads_it_empty(tmp_path, monkeypatch):
    """A poll that read an empty progress file fell back to the job row's older figure and the
    bar went backwards (50 → 56 → 50) in the import browser test."""
    import os

    path = tmp_path / "ds.xlsx.progress"
    path.write_text("30000 60000")
    seen_during_write = []
    real_replace = os.replace

    def replace(source, target):
        seen_during_write.append(path.read_text())  # what a poll would read just before the swap
        real_replace(source, target)

    monkeypatch.setattr(tasks.os, "replace", replace)
    tasks._write_progress(path, 33600, 60000)
    assert seen_during_write == ["30000 60000"]
    assert path.read_text() == "33600 60000"
