"""Running a member import as a job: check the file, show a preview, then write all or none.

Every upload becomes an ``ImportJob``. A small file is checked (and later written) within
the request; a large one by a django-tasks task in the worker (``manage.py db_worker``),
while the page polls the job for its progress. The check and the write are the same
functions either way (``members.importing``).

Progress lives in the job row while the file is read and checked. While the rows are
written, the writer holds one transaction, and on SQLite no other connection may write
meanwhile: that phase's progress goes to a small file beside the upload
(``<upload>.progress``) which the page reads instead.

A job never claims a state the database contradicts:

- the rows and the job's "done" are written in the same transaction, so a crash leaves
  either both (done) or neither (the job still says it runs, and nothing was written);
- each step leaves signs of life: ``heartbeat_at`` with every progress report (the
  progress file's time while the rows are written), and the django-tasks result of a
  background step (``task_id``);
- when the job is read (``job_detect_interrupted``, called by the pages), a job that says
  it runs but whose runner is gone (its task failed or vanished, or no sign of life for
  ``MEMBER_IMPORT_STALE_SECONDS``) is marked failed with a message that says so, and
  ``job_rerun`` runs the same uploaded file again.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from lib.importer import ImportRefused, ParseResult
from lib.tabular import TabularError, read_rows
from members.column_mapping import headers_json
from members.importing import (
    MEMBER_SPEC,
    NEW,
    UNCHANGED,
    UPDATE,
    WAITING,
    count_kinds,
    members_import,
    members_parse,
    preview_rows,
    remember_mapping,
)
from members.models import ImportJob
from members.models import ImportJobStatus as S

logger = logging.getLogger(__name__)

# Files estimated above this many rows run in the background (settings may lower it).
SYNC_MAX_ROWS = 2000
PREVIEW_ROWS = 20
KEPT_ERRORS = 1000  # the engine keeps at most this many; the count says how many more
# A running step reports at least every 1,000 rows read and 2,000 rows written (seconds
# apart); one silent this long is taken for dead (settings may change it).
STALE_SECONDS = 60

# The fields a step writes when it ends: never the file, the owner or the task id, which
# the web process may have changed meanwhile (a rerun).
RESULT_FIELDS = [
    "status",
    "row_count",
    "new_count",
    "update_count",
    "unchanged_count",
    "error_count",
    "errors",
    "warnings",
    "preview",
    "processed",
    "total",
    "finished_at",
    "heartbeat_at",
    "failed_during",
    "questions",
    "headers",
    "header_signature",
    "skipped",
    "notes",
    "waiting_count",
]
KEPT_SKIPPED = 1000


def sync_max_rows() -> int:
    return int(getattr(settings, "MEMBER_IMPORT_SYNC_MAX_ROWS", SYNC_MAX_ROWS))


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "MEMBER_IMPORT_STALE_SECONDS", STALE_SECONDS)))


def interrupted_message() -> str:
    return _("Tiến trình nhập bị dừng giữa chừng; không dòng nào được ghi. Hãy chạy lại.")


def estimate_rows(path: str | Path, filename: str) -> int:
    """Data rows in the file, roughly: what the sheet declares, or a guess from its size."""
    try:
        reader = read_rows(str(path), filename)
    except TabularError:
        return 0  # checked at once: the parse reports what is wrong
    estimate = reader.estimated_rows
    del reader
    if estimate:
        return max(estimate - 1, 0)
    size = Path(path).stat().st_size
    per_row = 60 if str(filename).lower().endswith((".xlsx", ".xlsm")) else 150
    return size // per_row


def job_create(*, upload: UploadedFile, user: Any) -> ImportJob:
    """Store the upload under MEDIA_ROOT/imports/ and decide whether it runs in the background."""
    job = ImportJob(created_by=user, filename=Path(upload.name or "tep").name[:255])
    job.file.save(job.filename, upload, save=False)
    job.total = estimate_rows(job.file.path, job.filename)
    job.background = job.total > sync_max_rows()
    job.heartbeat_at = timezone.now()
    job.save()
    return job


def _enqueue(job: ImportJob, step_task: Any) -> None:
    # The task and its id land together: the worker cannot start a task whose job does
    # not yet know it (django-tasks-db stores the task in this transaction).
    with transaction.atomic():
        result = step_task.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)


def job_start_check(job: ImportJob) -> None:
    """Check the file now (small) or in the worker (large)."""
    if job.background:
        _enqueue(job, import_check_task)
    else:
        job_check(job)


def job_start_write(job: ImportJob) -> None:
    job.status = S.WRITING
    job.processed = 0
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "processed", "heartbeat_at"])
    if job.background:
        _enqueue(job, import_write_task)
    else:
        job_write(job)


def job_rerun(job: ImportJob) -> None:
    """Run a failed job again on the same uploaded file.

    A job that failed while writing is checked again and written (the write always checks
    the file again first); one that failed before is checked again and shows its preview.
    Raises ``ValidationError`` when the job did not fail or its file is gone.
    """
    if job.status != S.FAILED:
        raise ValidationError(_("Chỉ chạy lại được lượt nhập đã dừng vì lỗi."))
    if not job.file.name or not job.file.storage.exists(job.file.name):
        raise ValidationError(_("Tệp đã tải lên không còn trên máy chủ; hãy tải tệp lên lại."))
    step = S.WRITING if job.failed_during == S.WRITING else S.QUEUED
    claimed = ImportJob.objects.filter(pk=job.pk, status=S.FAILED).update(
        status=step,
        failed_during="",
        errors=[],
        error_count=0,
        finished_at=None,
        task_id="",
        processed=0,
        heartbeat_at=timezone.now(),
    )
    if not claimed:  # a second click, or another tab, was first
        raise ValidationError(_("Lượt nhập này đã được chạy lại."))
    job.refresh_from_db()
    if step == S.WRITING:
        job_start_write(job)
    else:
        job_start_check(job)


# --- a runner that died -------------------------------------------------------------------


def _task_state(task_id: str) -> tuple[str | None, dt.datetime | None]:
    """(status, last start) of a background step's task; status None when it is gone,
    "" when the backend cannot tell."""
    try:
        result = import_check_task.get_backend().get_result(task_id)
    except TaskResultDoesNotExist:
        return None, None
    except NotImplementedError:  # a backend that keeps no results (the immediate one)
        return "", None
    return result.status, result.last_attempted_at or result.started_at


def _last_sign_of_life(job: ImportJob, *also: dt.datetime | None) -> dt.datetime:
    signs = [job.created_at, job.heartbeat_at, *also]
    if job.status == S.WRITING:
        try:
            mtime = _progress_file(job).stat().st_mtime
            signs.append(dt.datetime.fromtimestamp(mtime, tz=dt.UTC))
        except OSError:
            pass
    return max(sign for sign in signs if sign is not None)


def runner_is_gone(job: ImportJob, *, now: dt.datetime | None = None) -> bool:
    """Whether a job that says it runs has nobody running it any more."""
    if not job.is_running:
        return False
    started = None
    if job.task_id:
        status, started = _task_state(job.task_id)
        if status is None or status in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL):
            return True  # the task ended, or vanished, and left the job saying it runs
        if status == TaskResultStatus.READY:
            return False  # waiting for a worker: nobody has started it, nothing is lost
    now = now or timezone.now()
    return now - _last_sign_of_life(job, started) > stale_after()


def job_detect_interrupted(job: ImportJob) -> ImportJob:
    """Mark failed a job whose runner is gone, saying what happened; the pages call this on read.

    Nothing was written by such a job: its rows and its "done" commit together. The
    change is made only if the job still is where it was read (a runner that finishes
    meanwhile wins), and skipped when the database is busy (the next read tries again).
    """
    if not runner_is_gone(job):
        return job
    try:
        ImportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=S.FAILED,
            failed_during=job.status,
            errors=[interrupted_message()],
            finished_at=timezone.now(),
        )
    except DatabaseError:
        logger.warning("member import %s: could not mark the interrupted job, will retry", job.pk)
        return job
    job.refresh_from_db()
    return job


# --- progress -----------------------------------------------------------------------------


def _progress_file(job: ImportJob) -> Path:
    return Path(job.file.path + ".progress")


def progress_of(job: ImportJob) -> tuple[int, int]:
    """(done, total) of the phase running now; total is never 0."""
    done, total = job.processed, job.total
    if job.status == S.WRITING:
        try:
            text = _progress_file(job).read_text()
            done, total = (int(x) for x in text.split())
        except (OSError, ValueError):
            pass
    total = max(total, done, 1)
    return done, total


def percent(job: ImportJob) -> int:
    if job.status in (S.PARSED, S.INVALID, S.DONE, S.FAILED):
        return 100
    done, total = progress_of(job)
    return min(100, done * 100 // total)


def _row_reporter(job: ImportJob, *, offset: int = 0, scale: int = 1):
    """Progress of reading the file, into the job row (no transaction is open then)."""

    def report(done: int, estimate: int | None) -> None:
        rows = max(estimate or 0, job.total // scale, done)
        ImportJob.objects.filter(pk=job.pk).update(processed=offset + done, total=rows * scale, heartbeat_at=timezone.now())

    return report


def _write_progress(path: Path, done: int, total: int) -> None:
    """Replace the progress file in one step: a poll reading it meanwhile finds the old
    numbers or the new ones, never an empty file (which would send it back to the job
    row's older figure, and the bar backwards)."""
    partial = path.with_name(path.name + ".new")
    partial.write_text(f"{done} {total}")
    os.replace(partial, path)


def _file_reporter(job: ImportJob, *, offset: int, scale: int):
    """Progress of writing, beside the upload: the job row is out of reach inside the transaction.
    The file's time is the writer's sign of life."""
    path = _progress_file(job)

    def report(done: int, total: int | None) -> None:
        total = total or 1
        _write_progress(path, offset + done, max(total * scale, offset + done))

    return report


# --- the two steps ------------------------------------------------------------------------


def _finish(job: ImportJob, result: ParseResult, status: str) -> None:
    job.row_count = result.total
    job.error_count = result.error_count
    job.errors = result.messages()[: KEPT_ERRORS + 1]
    job.warnings = list(result.warnings)
    job.questions = [q.as_json() for q in result.questions]
    job.headers = headers_json(result.headers, MEMBER_SPEC)
    job.header_signature = result.header_signature
    job.skipped = [[row, reason] for row, reason in result.skipped[:KEPT_SKIPPED]]
    job.notes = list(result.notes)
    job.status = status
    job.heartbeat_at = timezone.now()
    if status in (S.DONE, S.FAILED):
        job.finished_at = timezone.now()


def _failed(job: ImportJob, during: str, message: str) -> None:
    job.refresh_from_db()  # drop whatever the failed step had set in memory
    job.status = S.FAILED
    job.failed_during = during
    job.errors = [message]
    job.finished_at = job.heartbeat_at = timezone.now()


def _count(job: ImportJob, result: ParseResult) -> None:
    counts = count_kinds(result)
    job.new_count, job.update_count = counts[NEW], counts[UPDATE]
    job.unchanged_count, job.waiting_count = counts[UNCHANGED], counts[WAITING]


def job_decide(job: ImportJob, *, mapping: dict[str, str] | None = None, answers: dict[str, dict] | None = None) -> ImportJob:
    """Store the user's column mapping and answers on ``job`` and check the file again.

    A mapping is also remembered for the user's next file with the same headers.
    Raises ``ValidationError`` when the job is not waiting for the user (running, written).
    """
    if job.status not in (S.PARSED, S.INVALID):
        raise ValidationError(_("Lượt nhập này không còn chờ lựa chọn của bạn."))
    decisions = dict(job.decisions or {})
    if mapping is not None:
        decisions["mapping"] = mapping
        if job.header_signature:
            remember_mapping(job.created_by, job.header_signature, mapping)
    if answers is not None:
        decisions["answers"] = {**(decisions.get("answers") or {}), **answers}
    claimed = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
        decisions=decisions, status=S.QUEUED, heartbeat_at=timezone.now(), task_id=""
    )
    if not claimed:
        raise ValidationError(_("Lượt nhập này vừa thay đổi; hãy xem lại trang."))
    job.refresh_from_db()
    job_start_check(job)
    return job


def job_check(job: ImportJob) -> ImportJob:
    """Read and check the whole file; the job ends PARSED (with a preview and counts) or INVALID."""
    ImportJob.objects.filter(pk=job.pk).update(status=S.PARSING, processed=0, heartbeat_at=timezone.now())
    job.refresh_from_db()
    try:
        with job.file.open("rb") as handle:
            result = members_parse(
                handle, job.filename, user=job.created_by, decisions=job.decisions, progress=_row_reporter(job)
            )
        _finish(job, result, S.PARSED if result.ok else S.INVALID)
        _count(job, result)
        job.preview = preview_rows(result, PREVIEW_ROWS)
        job.processed = job.total = max(result.total, 1)
    except Exception:
        logger.exception("member import %s: the check failed", job.pk)
        _failed(job, S.PARSING, _("Lỗi hệ thống khi kiểm tra tệp; không có gì được ghi. Hãy báo cho quản trị viên."))
    job.save(update_fields=RESULT_FIELDS)
    return job


def job_write(job: ImportJob) -> ImportJob:
    """Check the file again (the register may have changed since the preview), then write all rows or none."""
    job.refresh_from_db()
    estimate = max(job.row_count, 1)
    ImportJob.objects.filter(pk=job.pk).update(status=S.WRITING, processed=0, total=2 * estimate, heartbeat_at=timezone.now())
    job.refresh_from_db()
    progress_file = _progress_file(job)
    try:
        with job.file.open("rb") as handle:
            result = members_parse(
                handle, job.filename, user=job.created_by, decisions=job.decisions, progress=_row_reporter(job, scale=2)
            )
        _write_progress(progress_file, result.total, 2 * max(result.total, 1))
        if not result.ok or result.unanswered:
            # The register changed since the preview (a new error, or a new question to answer):
            # nothing is written, the page shows the new check.
            _finish(job, result, S.PARSED if result.ok else S.INVALID)
            _count(job, result)
            job.preview = preview_rows(result, PREVIEW_ROWS)
            job.processed = job.total = 2 * max(result.total, 1)
            job.save(update_fields=RESULT_FIELDS)
        else:
            reporter = _file_reporter(job, offset=result.total, scale=2)
            # The rows and the job's "done" commit together (the import's own transaction
            # becomes a savepoint of this one): a crash leaves both or neither.
            with transaction.atomic():
                summary = members_import(
                    parsed=result,
                    user=job.created_by,
                    progress=reporter,
                    reason=f"Nhập từ tệp «{job.filename}»",
                )
                _finish(job, result, S.DONE)
                job.new_count, job.update_count, job.unchanged_count = summary.created, summary.updated, summary.unchanged
                job.processed = job.total = 2 * max(result.total, 1)
                job.save(update_fields=RESULT_FIELDS)
    except ImportRefused as exc:
        job.refresh_from_db()
        _finish(job, exc.result, S.FAILED)
        job.failed_during = S.WRITING
        job.save(update_fields=RESULT_FIELDS)
    except Exception:
        logger.exception("member import %s: the write failed", job.pk)
        _failed(job, S.WRITING, _("Lỗi hệ thống khi ghi; không dòng nào được ghi. Hãy báo cho quản trị viên."))
        job.save(update_fields=RESULT_FIELDS)
    finally:
        progress_file.unlink(missing_ok=True)
        progress_file.with_name(progress_file.name + ".new").unlink(missing_ok=True)
    return job


@task()
def import_check_task(job_id: int) -> str:
    job = job_check(ImportJob.objects.select_related("created_by").get(pk=job_id))
    return job.status


@task()
def import_write_task(job_id: int) -> str:
    job = job_write(ImportJob.objects.select_related("created_by").get(pk=job_id))
    return job.status
